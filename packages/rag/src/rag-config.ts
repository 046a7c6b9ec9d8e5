import { bearToken } from "@bear/core";
import { z } from "zod";
import { ocrConfigSchema } from "./extraction/ocr/ocr-config";

/** Serializable settings of a RagEngine (what an app's config file can hold). */
export const ragConfigSchema = z.object({
  /** Folder of the index (created if missing). */
  dir: z.string().min(1),
  /** Files to ingest must lie inside this folder (symlinks out are refused). Default: the working directory. */
  root: z.string().min(1).optional(),
  chunking: z
    .object({
      strategy: z.enum(["legal", "sentence", "fixed"]).default("legal"),
      targetChars: z.number().int().min(50).max(20_000).default(600),
      overlapChars: z.number().int().min(0).max(5_000).optional(),
      minChars: z.number().int().min(0).max(5_000).default(160),
    })
    .default({ strategy: "legal", targetChars: 600, minChars: 160 }),
  /** Documents processed at once during ingest. */
  concurrency: z.number().int().min(1).max(32).default(2),
  maxFileBytes: z.number().int().min(1).default(64 * 1024 * 1024),
  /** Matters this engine may read; omit for all. */
  allowedMatters: z.array(z.string().min(1)).optional(),
  /**
   * The engine's own cache (embeddings and search results) when none is passed in `cache`: an L1 of
   * `memoryMb` and, unless the index is encrypted, an L2 of `diskMb` in `<dir>/cache`.
   */
  engineCache: z
    .object({
      memoryMb: z.number().min(0).max(65_536).default(32),
      diskMb: z.number().min(0).max(1_048_576).default(256),
    })
    .prefault({}),
  /** Chunks before an ANN vector index is built (brute force below). */
  vectorIndexThreshold: z.number().int().min(256).default(50_000),
  /** Document-aware ranking: weight of a chunk's best-matching document in its score (0 disables). */
  documentBoost: z.number().min(0).max(10).default(1),
  /**
   * A lexical search whose words clearly name one document (the resolver the answers use: its title,
   * parties or file name) ranks that document's passages by the remaining words in one store query,
   * instead of a first query over every passage to find the document and a second inside it.
   * Off: always the two queries.
   */
  namedDocumentSearch: z.boolean().default(true),
  scrubPolicy: z.string().min(1).optional(),
  /**
   * How long a write (an ingest, a delete) waits while another process writes to the same index,
   * before failing with RAG_INDEX_BUSY. One process writes at a time; readers never wait.
   */
  lockWaitMs: z.number().int().min(0).max(24 * 3600_000).default(5 * 60_000),
  /** OCR of scanned PDF pages and image files (engine, languages, limits). */
  ocr: ocrConfigSchema.prefault({}),
});

export type RagConfig = z.infer<typeof ragConfigSchema>;
export type RagConfigInput = z.input<typeof ragConfigSchema>;

/** DI token of the validated RagConfig. */
export const RagConfig = bearToken("rag", "RagConfig");

export function parseRagConfig(input: RagConfigInput): RagConfig {
  return ragConfigSchema.parse(input);
}
