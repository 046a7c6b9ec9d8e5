import { BearError } from "@bear/core";
import { ExtractionError, OcrError } from "../../errors";
import type { PdfProcessOptions } from "../pdf-process/pdf-process-pool";
import { createOcrEngine } from "./create-ocr-engine";
import type { GrayImage } from "./gray-image";
import type { OcrConfig } from "./ocr-config";
import type { OcrEngine, OcrEngineId } from "./ocr-engine";

/** A page to OCR: its number and how to get its image (drawn or decoded only when a worker is free). */
export interface PageSource {
  readonly page: number;
  image(): Promise<GrayImage>;
}

/** One OCRed page, as stored with the document (`DocumentRecord.ocr`). */
export interface OcrPageInfo {
  readonly page: number;
  /** Mean word confidence, 0–100 (Tesseract's score; 0 for a page with no words). */
  readonly confidence: number;
}

/** A page that could not be read; the document keeps its other pages. */
export interface PageFailure {
  readonly page: number;
  readonly code: string;
  readonly message: string;
  readonly hint?: string;
}

export type PageOcrOutcome = { readonly page: number; readonly text: string; readonly confidence: number } | { readonly page: number; readonly failure: PageFailure };

/** Progress of one page (ids and numbers only, never text). */
export interface OcrPageProgress {
  readonly page: number;
  readonly done: number;
  readonly total: number;
  readonly confidence?: number;
  readonly failure?: PageFailure;
}

export interface ReadPagesOptions {
  readonly signal?: AbortSignal;
  /** The PDF reader processes that draw PDF pages (their memory cap, the reader script). */
  readonly process?: PdfProcessOptions;
  readonly onPage?: (progress: OcrPageProgress) => void;
}

function failureOf(page: number, error: unknown): PageFailure {
  if (BearError.isInstance(error)) return { page, code: error.code, message: `page ${page}: ${error.message}`, ...(error.hint ? { hint: error.hint } : {}) };
  return { page, code: "RAG_OCR_PAGE_FAILED", message: `page ${page}: ${String((error as Error)?.message ?? error).slice(0, 160)}` };
}

/**
 * Failures that concern every page fail the document, not a page: a missing language or engine, and a
 * refusal of the whole file (an image too large to draw anywhere in the PDF, RAG_FILE_TOO_LARGE).
 */
function isEngineLevel(error: unknown): boolean {
  if (error instanceof ExtractionError) return true;
  return OcrError.isInstance(error) && (error.code === "RAG_OCR_LANGUAGE_MISSING" || error.code === "RAG_OCR_ENGINE_UNAVAILABLE");
}

/** Tesseract's text, tidied: no trailing spaces, no form feeds (they separate pages in BEAR's text), at most one blank line. */
export function tidyOcrText(text: string): string {
  return text
    .replace(/\r\n?/g, "\n")
    .replace(/\f/g, " ")
    .replace(/[ \t]+$/gm, "")
    .replace(/\n{3,}/g, "\n\n")
    .trim();
}

/**
 * OCRs pages with the configured engine, as many at once as the engine has workers. The engine is
 * started on the first page that needs it, and reused for every later document. Each page is
 * bounded in time (`pageTimeoutMs`) and in pixels (`maxPageMegapixels`); a page that fails is
 * reported and the others go on; an abort stops all of them.
 */
export class PageOcr {
  readonly config: OcrConfig;
  #engine: Promise<OcrEngine> | undefined;
  #disposed = false;

  constructor(config: OcrConfig) {
    this.config = config;
  }

  get maxPixels(): number {
    return Math.round(this.config.maxPageMegapixels * 1e6);
  }

  engine(): Promise<OcrEngine> {
    if (this.#disposed) return Promise.reject(new Error("PageOcr has been disposed"));
    this.#engine ??= createOcrEngine(this.config).catch((error: unknown) => {
      this.#engine = undefined;
      throw error;
    });
    return this.#engine;
  }

  /** The engine in use, once one has started. */
  async engineId(): Promise<OcrEngineId> {
    return (await this.engine()).id;
  }

  async readPages(pages: readonly PageSource[], options: ReadPagesOptions = {}): Promise<PageOcrOutcome[]> {
    const engine = await this.engine();
    const outcomes: PageOcrOutcome[] = [];
    let next = 0;
    let done = 0;
    const lane = async (): Promise<void> => {
      while (next < pages.length) {
        options.signal?.throwIfAborted();
        const source = pages[next++]!;
        let outcome: PageOcrOutcome;
        try {
          const image = await source.image();
          options.signal?.throwIfAborted();
          const result = await engine.recognize(image, { timeoutMs: this.config.pageTimeoutMs, ...(options.signal ? { signal: options.signal } : {}) });
          outcome = { page: source.page, text: tidyOcrText(result.text), confidence: Math.round(result.confidence * 10) / 10 };
        } catch (error) {
          if (options.signal?.aborted || isEngineLevel(error)) throw error;
          outcome = { page: source.page, failure: failureOf(source.page, error) };
        }
        outcomes.push(outcome);
        done++;
        options.onPage?.({
          page: source.page,
          done,
          total: pages.length,
          ...("failure" in outcome ? { failure: outcome.failure } : { confidence: outcome.confidence }),
        });
      }
    };
    const guarded = (): Promise<void> =>
      lane().catch((error: unknown) => {
        next = pages.length; // the other lanes stop after their current page
        throw error;
      });
    await Promise.all(Array.from({ length: Math.min(engine.concurrency, pages.length) }, guarded));
    return outcomes.sort((a, b) => a.page - b.page);
  }

  async dispose(): Promise<void> {
    this.#disposed = true;
    const engine = await this.#engine?.catch(() => undefined);
    this.#engine = undefined;
    await engine?.dispose();
  }
}
