import type { GrayImage } from "./gray-image";

/** The OCR engines BEAR can drive: tesseract.js (WebAssembly, installed by npm) or a `tesseract` binary on PATH. */
export type OcrEngineId = "tesseract.js" | "tesseract-cli";

/** What an engine read on one page. */
export interface OcrPageResult {
  readonly text: string;
  /** Mean word confidence, 0–100 (Tesseract's own score). */
  readonly confidence: number;
}

export interface RecognizeOptions {
  readonly signal?: AbortSignal;
  /** The page fails with RAG_OCR_TIMEOUT after this long; the engine recovers (a worker is replaced). */
  readonly timeoutMs: number;
}

/**
 * One small interface over both engines. `recognize` may be called concurrently: each engine runs
 * up to `concurrency` pages at once (worker threads or processes), queueing the rest.
 */
export interface OcrEngine {
  readonly id: OcrEngineId;
  readonly languages: readonly string[];
  readonly concurrency: number;
  recognize(image: GrayImage, options: RecognizeOptions): Promise<OcrPageResult>;
  dispose(): Promise<void>;
}
