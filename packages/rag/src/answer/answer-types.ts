import type { FinishReason, Llm } from "@bear/core";
import type { OcrProvenance, SearchHit, SearchOptions } from "../retrieval/search-types";

export interface AnswerOptions extends SearchOptions {
  /** The model to write the answer; overrides the engine's. `null` forces an extractive answer. */
  readonly llm?: Llm | null;
  /** Tokens reserved for the answer. Default 512. */
  readonly maxAnswerTokens?: number;
  /** Default 0 (deterministic). */
  readonly temperature?: number;
  /** Sentences in an extractive answer. Default 3. */
  readonly maxSentences?: number;
  /**
   * Documents to answer from when neither `filter.documentIds` nor the question itself names any:
   * a follow-up question ("how long does it last?") keeps the scope of the one before it.
   */
  readonly fallbackDocumentIds?: readonly string[];
}

/** Where a cited statement comes from, to the character. */
export interface Citation {
  /** The number used in the answer text: [1], [2]… */
  readonly marker: number;
  readonly chunkId: string;
  readonly documentId: string;
  readonly title: string;
  readonly source: string;
  readonly matter: string;
  readonly page: number;
  /** Offsets of the supporting sentence in the document's extracted text. */
  readonly start: number;
  readonly end: number;
  readonly quote: string;
  /** Set when the quote comes from a page read by OCR ("OCR, 93%"). */
  readonly ocr?: OcrProvenance;
}

/** A citation the model made that does not point at retrieved text; removed from `text`. */
export interface DroppedCitation {
  readonly marker: string;
  readonly reason: "no-such-source" | "not-supported-by-source";
}

export interface Answer {
  readonly question: string;
  readonly text: string;
  readonly mode: "llm" | "extractive";
  readonly citations: readonly Citation[];
  readonly droppedCitations: readonly DroppedCitation[];
  /** The passages retrieved (the model saw the first `passagesUsed`). */
  readonly passages: readonly SearchHit[];
  readonly passagesUsed: number;
  /**
   * True when nothing retrieved supports an answer above the calibrated threshold: `text` then
   * says so, `citations` is empty and `passages` holds the closest passages.
   */
  readonly notFound: boolean;
  readonly finishReason?: FinishReason;
  /** The documents the answer was limited to (the caller's, the ones the question names, or the fallback); absent when it searched everything allowed. */
  readonly scope?: readonly string[];
}

export type AnswerStreamEvent =
  | { readonly type: "passages"; readonly passages: readonly SearchHit[] }
  | { readonly type: "text"; readonly text: string }
  | { readonly type: "answer"; readonly answer: Answer };
