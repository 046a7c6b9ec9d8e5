import { bearToken } from "@bear/core";
import { z } from "zod";
import { RagError } from "../errors";
import type { DocumentCommit } from "../store/lance-index";
import type { ChunkRecord } from "../store/records";
import type { FileOutcome } from "./ingest-types";

/** A document ready to commit: its chunks (with the header BM25 indexes before each one's text) and its row. */
export interface PreparedDocument {
  readonly file: string;
  /** Characters of its text: what a batch's size is counted in. */
  readonly chars: number;
  readonly chunks: readonly ChunkRecord[];
  /** Per chunk: the file name, title, parties and section path lines BM25 indexes before its text ("" for none). */
  readonly searchHeaders: readonly string[];
  /** Its text still a string (a batch stores it encoded: `LanceIndex.storedText`). */
  readonly commit: DocumentCommit & { readonly text: string };
  /** What OCR read, which pages failed and what of the file was not read (`formatNote`), for the file's outcome in the report. */
  readonly ocr?: Pick<FileOutcome, "ocr" | "pageFailures" | "formatNote">;
}

/** One file the ingest found new or changed: what preparing it (extract, OCR, scrub, chunk, embed) needs. */
export interface PrepareRequest {
  /** The file's path as the ingesting process sees it (the document's `source`, and the search header's name). */
  readonly file: string;
  readonly bytes: Uint8Array;
  readonly documentId: string;
  readonly matter: string;
  /** SHA-256 of `bytes`, hex. */
  readonly contentHash: string;
  /** A committed version of the document exists. */
  readonly replaces: boolean;
}

/**
 * Prepares documents somewhere else (a cluster's workers, through `RagEngine.prepareDocument` there):
 * the ingest keeps the walk, the unchanged check and the commits, under its writer lock.
 */
export interface DocumentPreparer {
  /** Files prepared at once by an ingest that uses this preparer (default: the ingest's own concurrency). */
  readonly concurrency?: number;
  prepare(request: PrepareRequest, signal?: AbortSignal): Promise<PreparedDocumentJson>;
}

/** DI token of an optional DocumentPreparer (bound by a cluster's API instance). */
export const DocumentPreparerToken = bearToken("rag", "DocumentPreparer");

const chunkJson = z.strictObject({
  id: z.string(),
  documentId: z.string(),
  version: z.string(),
  matter: z.string(),
  docType: z.string(),
  text: z.string(),
  start: z.number().int().min(0),
  end: z.number().int().min(0),
  page: z.number().int(),
  sectionPath: z.array(z.string()),
  ordinal: z.number().int().min(0),
  vector: z.array(z.number()).optional(),
});

/** A prepared document as JSON (vectors as number arrays: float32 values round-trip exactly through doubles). */
export const preparedDocumentJsonSchema = z.strictObject({
  file: z.string(),
  chars: z.number().int().min(0),
  chunks: z.array(chunkJson),
  searchHeaders: z.array(z.string()),
  commit: z.strictObject({
    record: z.looseObject({ id: z.string(), version: z.string(), matter: z.string(), source: z.string(), contentHash: z.string(), chunkCount: z.number().int() }),
    text: z.string(),
    pageStarts: z.array(z.number().int().min(0)),
    replaces: z.boolean(),
  }),
  ocr: z.looseObject({}).optional(),
});
export type PreparedDocumentJson = z.infer<typeof preparedDocumentJsonSchema>;

export function preparedToJson(prepared: PreparedDocument): PreparedDocumentJson {
  return {
    file: prepared.file,
    chars: prepared.chars,
    chunks: prepared.chunks.map(({ vector, sectionPath, ...c }) => ({ ...c, sectionPath: [...sectionPath], ...(vector ? { vector: Array.from(vector) } : {}) })),
    searchHeaders: [...prepared.searchHeaders],
    commit: { ...prepared.commit, record: { ...prepared.commit.record }, pageStarts: [...prepared.commit.pageStarts] },
    ...(prepared.ocr ? { ocr: { ...prepared.ocr } } : {}),
  };
}

/**
 * Reads a prepared document back, checking it is the one asked for: every chunk and the record
 * name the request's document, matter, file and content (a payload that went astray is refused).
 */
export function preparedFromJson(json: unknown, request: PrepareRequest): PreparedDocument {
  const parsed = preparedDocumentJsonSchema.safeParse(json);
  const mismatch = (what: string): never => {
    throw new RagError("RAG_PREPARED_INVALID", `the prepared document for '${request.file}' ${what}`, { hint: "A worker of another version or workspace answered; check that every machine runs the same BEAR on the same workspace." });
  };
  if (!parsed.success) return mismatch(`is malformed (${parsed.error.issues[0]?.path.join(".") ?? ""}: ${parsed.error.issues[0]?.message ?? "invalid"})`);
  const p = parsed.data;
  const record = p.commit.record as unknown as DocumentCommit["record"];
  if (record.id !== request.documentId || record.matter !== request.matter || record.contentHash !== request.contentHash || record.source !== request.file || p.file !== request.file) mismatch("names another document");
  if (p.chunks.some((c) => c.documentId !== record.id || c.version !== record.version || c.matter !== record.matter) || p.chunks.length !== p.searchHeaders.length || record.chunkCount !== p.chunks.length) mismatch("has chunks of another document");
  if (p.commit.replaces !== request.replaces) mismatch("disagrees on whether it replaces a version");
  return {
    file: p.file,
    chars: p.chars,
    chunks: p.chunks.map(({ vector, ...c }) => ({ ...c, ...(vector ? { vector: Float32Array.from(vector) } : {}) })),
    searchHeaders: p.searchHeaders,
    commit: { record, text: p.commit.text, pageStarts: p.commit.pageStarts, replaces: p.commit.replaces },
    ...(p.ocr ? { ocr: p.ocr as PreparedDocument["ocr"] & object } : {}),
  };
}
