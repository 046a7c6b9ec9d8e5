import type { RagErrorCode } from "../errors";

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
  | { readonly type: "file-finished"; readonly runId: string; readonly outcome: FileOutcome; readonly done: number }
  | { readonly type: "ingest-finished"; readonly runId: string; readonly report: IngestReport };
