import type { RagErrorCode } from "../errors";
import type { OcrEngineId } from "../extraction/ocr/ocr-engine";
import type { PageFailure } from "../extraction/ocr/page-ocr";
import type { FormatNote } from "../extraction/sniff-format";

export interface IngestOptions {
  /** The matter (case, client file) the documents belong to. Default "default". */
  readonly matter?: string;
  /** Documents processed at once. Default: the engine's concurrency (2). */
  readonly concurrency?: number;
  readonly signal?: AbortSignal;
  /**
   * Documents are committed in batches: a batch becomes visible at once, in one atomic commit.
   * Defaults: 500 documents, 4M characters of text, or 5 s since its first document, whichever
   * comes first. Memory grows with the batch size, not with the corpus.
   */
  readonly batch?: { readonly maxDocuments?: number; readonly maxChars?: number; readonly maxAgeMs?: number };
  /** Who asked (for the audit trail). Default "system". */
  readonly actor?: string;
}

export type FileStatus = "added" | "updated" | "unchanged" | "failed";

export interface FileOutcome {
  readonly file: string;
  readonly status: FileStatus;
  readonly documentId?: string;
  readonly chunks?: number;
  readonly error?: { readonly code: RagErrorCode | string; readonly message: string; readonly hint?: string };
  /** Present when pages were OCRed: how many, their mean confidence, and those below `ocr.minConfidence`. */
  readonly ocr?: OcrOutcome;
  /** Pages that could not be read; the document was indexed without them. */
  readonly pageFailures?: readonly PageFailure[];
  /** Present when the content is not what the file's extension says (read by its content), or when parts of the file are not in its text (a DOCX's headers, footers, comments; an e-mail's unread attachments). */
  readonly formatNote?: FormatNote;
}

export interface OcrOutcome {
  readonly engine: OcrEngineId;
  readonly pages: number;
  /** Mean of the OCRed pages' confidences (0–100). */
  readonly meanConfidence: number;
  /** Pages with words whose confidence is under the floor: worth a human look. */
  readonly lowConfidencePages: readonly number[];
}

export interface IngestReport {
  readonly runId: string;
  readonly matter: string;
  readonly files: readonly FileOutcome[];
  readonly added: number;
  readonly updated: number;
  readonly unchanged: number;
  readonly failed: number;
  readonly chunksWritten: number;
  readonly bytesRead: number;
  readonly durationMs: number;
}

/** Progress of an ingest run, published on `rag.onDidIngestProgress` (ids and counts, never text). */
export type IngestEvent =
  | { readonly type: "ingest-started"; readonly runId: string; readonly matter: string }
  /** Another process is writing to the index; this ingest waits for it (up to `lockWaitMs`). */
  | { readonly type: "ingest-waiting"; readonly runId: string; readonly holder?: number }
  | { readonly type: "file-started"; readonly runId: string; readonly file: string }
  /** One page of `file` was OCRed (`done` of `total` pages needing OCR in that file). */
  | {
      readonly type: "ocr-page";
      readonly runId: string;
      readonly file: string;
      readonly page: number;
      readonly done: number;
      readonly total: number;
      readonly confidence?: number;
      readonly failure?: PageFailure;
    }
  | { readonly type: "file-finished"; readonly runId: string; readonly outcome: FileOutcome; readonly done: number }
  | { readonly type: "ingest-finished"; readonly runId: string; readonly report: IngestReport };
