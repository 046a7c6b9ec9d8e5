import { z } from "zod";
import { LOG_LEVELS } from "../logging/logger";
import { isLoopbackHost } from "../offline/address-policy";
import { checkRedisUrl } from "./redis-url";

const port = z.number().int().min(0).max(65535);
const positiveInt = z.number().int().min(1);

/**
 * The whole configuration of a BEAR installation. Packages take their own section as a plain
 * argument; only the apps build this object (see loadBearConfig).
 */
export const bearConfigSchema = z
  .object({
    /** The one data directory: models, indexes, state, audit log, cache. */
    dataDir: z.string().min(1),
    log: z.object({ level: z.enum(LOG_LEVELS as [string, ...string[]]) }).strict(),
    offline: z.object({ enforce: z.boolean() }).strict(),
    server: z
      .object({
        host: z.string().refine(isLoopbackHost, { message: "must be a loopback address (127.0.0.1, ::1 or localhost): BEAR never listens on the network" }),
        port,
        bodyLimitMb: positiveInt.max(4096),
      })
      .strict(),
    models: z
      .object({
        dirs: z.array(z.string().min(1)),
        llm: z.string().min(1).optional(),
        embedder: z.string().min(1).optional(),
        threads: positiveInt.max(256).optional(),
        memoryBudgetMb: positiveInt.optional(),
      })
      .strict(),
    rag: z
      .object({
        chunkSize: positiveInt.min(64).max(16_384),
        chunkOverlap: z.number().int().min(0).max(4096),
        searchMode: z.enum(["lexical", "vector", "hybrid"]),
        maxFileSizeMb: positiveInt.max(4096),
      })
      .strict(),
    /** OCR of scanned PDF pages and images at ingest (@bear/rag). */
    ocr: z
      .object({
        enabled: z.boolean(),
        /** auto: the `tesseract` binary when installed with every language (faster), else tesseract.js (npm). */
        engine: z.enum(["auto", "tesseract.js", "tesseract-cli"]),
        /** Tesseract language codes; for tesseract.js each is the npm package @tesseract.js-data/<code>. */
        languages: z.array(z.string().regex(/^[a-z]{3}(_[a-z]{3,4})?$/, { message: "must be a Tesseract language code such as eng or deu" })).min(1).max(8),
        /** tesseract.js models: fast (default; shipped for English) or best (npm best_int, ~1.5x the CPU). */
        model: z.enum(["fast", "best"]).optional(),
        /** Resolution scanned PDF pages are drawn at for OCR (default 200). */
        dpi: z.number().int().min(72).max(600).optional(),
        /** Most pages of one document OCRed; a PDF with more pages lacking a text layer is refused (default 2000). */
        maxPages: z.number().int().min(1).max(100_000).optional(),
        /** Time limit of one page's OCR in ms (default 300000). */
        pageTimeoutMs: z.number().int().min(1000).max(3_600_000).optional(),
      })
      .strict(),
    security: z
      .object({
        encryptAtRest: z.boolean(),
        scrubOnIngest: z.boolean(),
      })
      .strict(),
    workflows: z
      .object({
        parallelism: positiveInt.max(64),
        retentionDays: positiveInt,
      })
      .strict(),
    plugins: z
      .object({
        dirs: z.array(z.string().min(1)),
        allowedPermissions: z.array(z.string().min(1)),
      })
      .strict(),
    /** The multi-level cache of embeddings, search results, deterministic generations and reviews. */
    cache: z
      .object({
        enabled: z.boolean(),
        /** L1: the in-process LRU's byte cap. */
        memoryMb: z.number().min(0).max(65_536),
        /** L2 on the workspace disk (`cache/l2`): its byte cap; 0 keeps the cache in memory only. */
        diskMb: z.number().min(0).max(1_048_576),
        /** L2 in Redis instead of on disk (several instances share it): redis://:password@127.0.0.1:6379, loopback or a private address, always with a password. */
        redisUrl: z
          .string()
          .superRefine((url, ctx) => {
            // the cluster's own check, at load: a URL the cache would refuse fails here, not when the Cache is first resolved
            const checked = checkRedisUrl(url, "cache.redisUrl");
            if ("problem" in checked) ctx.addIssue({ code: "custom", message: `${checked.problem.message}. ${checked.problem.hint}` });
          })
          .optional(),
        /** Time to live of each kind of entry, in hours. */
        ttlHours: z
          .object({
            embedding: z.number().positive(),
            search: z.number().positive(),
            generation: z.number().positive(),
            review: z.number().positive(),
          })
          .strict(),
      })
      .strict(),
  })
  .strict()
  .refine((c) => c.rag.chunkOverlap < c.rag.chunkSize, {
    message: "must be smaller than rag.chunkSize",
    path: ["rag", "chunkOverlap"],
  });

export type BearConfig = z.infer<typeof bearConfigSchema>;

/** DI token for the resolved BearConfig. */
export const BearConfig = Symbol.for("@bear/core:BearConfig");

/** Defaults: the lowest layer. `dataDir` is filled in from the home directory at load time. */
export function defaultBearConfig(dataDir: string): BearConfig {
  return {
    dataDir,
    log: { level: "info" },
    offline: { enforce: true },
    server: { host: "127.0.0.1", port: 4141, bodyLimitMb: 64 },
    models: { dirs: [] },
    rag: { chunkSize: 1200, chunkOverlap: 150, searchMode: "hybrid", maxFileSizeMb: 100 },
    ocr: { enabled: true, engine: "auto", languages: ["eng"] },
    security: { encryptAtRest: false, scrubOnIngest: false },
    workflows: { parallelism: 2, retentionDays: 30 },
    plugins: { dirs: [], allowedPermissions: [] },
    cache: { enabled: true, memoryMb: 64, diskMb: 1024, ttlHours: { embedding: 720, search: 24, generation: 168, review: 168 } },
  };
}
