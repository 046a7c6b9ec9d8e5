import type { RetrievalMode } from "@bear/core";

export interface SearchFilter {
  readonly matters?: readonly string[];
  readonly documentIds?: readonly string[];
  readonly documentTypes?: readonly string[];
  /** Documents mentioning a date in this range (ISO yyyy-mm-dd, inclusive; detected at ingest). */
  readonly dates?: { readonly from?: string; readonly to?: string };
}

export interface SearchOptions {
  /** Number of hits. Default 8, at most 1000. */
  readonly k?: number;
  /** Default: `hybrid` with an embedder, `lexical` without. */
  readonly mode?: RetrievalMode;
  readonly filter?: SearchFilter;
  /**
   * Matters this caller may see. Narrows the engine's `allowedMatters` for this call (it can
   * never widen them); a filter asking for any other matter is refused. Undefined: every
   * matter the engine allows.
   */
  readonly allowedMatters?: readonly string[];
  /** Rerank the fused candidates (overrides the engine's reranker; `null` disables it). */
  readonly rerank?: Reranker | null;
  /** Weight of the best-matching document's score in each chunk's score (0 disables). Default: the engine's. */
  readonly documentBoost?: number;
  readonly signal?: AbortSignal;
}

/** One search result: where the words are, exactly, and why it matched. */
export interface SearchHit {
  readonly chunkId: string;
  readonly documentId: string;
  readonly title: string;
  readonly source: string;
  readonly matter: string;
  readonly documentType: string;
  readonly page: number;
  /** Character offsets into the document's extracted text: `text === documentText.slice(start, end)`. */
  readonly start: number;
  readonly end: number;
  readonly sectionPath: readonly string[];
  readonly text: string;
  /** Higher is better; comparable within one result list only. */
  readonly score: number;
  /** A short excerpt with query terms wrapped in ** … **. */
  readonly snippet: string;
  /** Document offsets of query-term matches inside the chunk. */
  readonly highlights: readonly { readonly start: number; readonly end: number }[];
  /** Set when the hit's page was read by OCR: show it ("OCR, 93%"), the text may hold misreadings. */
  readonly ocr?: OcrProvenance;
}

/** Where OCR text came from: Tesseract's mean confidence for the page, 0–100. */
export interface OcrProvenance {
  readonly confidence: number;
}

/** Reorders candidates (e.g. with a cross-encoder). Must return a subset of `hits`. */
export type Reranker = (query: string, hits: readonly SearchHit[]) => Promise<readonly SearchHit[]>;
