import { randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { DiskCacheStore, TieredCache, type Logger } from "@bear/core";
import type { RagConfig } from "../rag-config";

/** The random key of a standalone engine's cache keys (`<dir>/cache/cache.key`, 0600). */
function cacheSecret(dir: string): Buffer {
  const file = path.join(dir, "cache.key");
  try {
    const key = fs.readFileSync(file);
    if (key.length >= 32) return key;
  } catch {
    // first open
  }
  const key = randomBytes(32);
  fs.writeFileSync(file, key, { mode: 0o600 });
  return key;
}

/** Removes the `embedding-cache` folder of earlier versions (unsealed vectors; the shared cache replaces it). */
export function removeLegacyEmbeddingCache(indexDir: string, logger: Logger): void {
  const legacy = path.join(indexDir, "embedding-cache");
  if (!fs.existsSync(legacy)) return;
  fs.rmSync(legacy, { recursive: true, force: true });
  logger.info({ dir: legacy }, "removed the embedding cache of an earlier version");
}

/**
 * The cache of an engine opened without one (`RagEngine.open` by an embedder, not the workspace):
 * memory, plus disk in `<index>/cache` unless the index is encrypted (a workspace passes its own
 * cache, sealed with the workspace key).
 */
export function openEngineCache(indexDir: string, config: RagConfig["engineCache"], encrypted: boolean, logger: Logger): TieredCache {
  const dir = path.join(indexDir, "cache");
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  const disk = !encrypted && config.diskMb > 0;
  return new TieredCache({
    secret: cacheSecret(dir),
    maxMemoryBytes: Math.round(config.memoryMb * 1024 * 1024),
    ...(disk ? { store: new DiskCacheStore({ dir: path.join(dir, "l2"), maxBytes: Math.round(config.diskMb * 1024 * 1024), logger }) } : {}),
    logger,
  });
}
