// The network readers' out-of-fold logits, cached in tmp/ like the linear model's (keyed by the
// options, the data and the code that computes them: network-oof.ts and the trainer, not this file,
// so the cache's reading and writing can change without recomputing half an hour of folds).
import fs from "node:fs";
import path from "node:path";
import { writeFileAtomicSync } from "@bear/core";
import type { BagNetworkOptions } from "./bag-network-trainer";
import type { CuadContract } from "./cuad-data";
import { computeNetworkOutOfFold } from "./network-oof";
import { CACHE_DIR, cacheFile, cacheKey } from "./out-of-fold";
import type { SentenceDataset } from "./sentence-dataset";
import { TrainingError } from "./training-options";

/** The code the network out-of-fold logits depend on beyond the first stage's (out-of-fold.ts SOURCES). */
export const NETWORK_SOURCES = ["train/bag-network-trainer.ts", "train/network-oof.ts"];

// The cache: [size, categories] as two int32, then size * categories float32 logits.
const HEADER_BYTES = 8;

/**
 * Writes the cache whole or not at all (a temporary file renamed into place): network-oof-member.ts fills it
 * beside `npm run train` / bench/cuad-cv.ts, which may look for it at any moment.
 */
export function writeLogitsCache(file: string, logits: Float32Array, size: number, categories: number): void {
  if (logits.length !== size * categories) throw new TrainingError(`network logits hold ${logits.length} numbers, not ${size} sentences × ${categories} categories`, "This is a bug in the caller: report it.");
  const bytes = new Uint8Array(HEADER_BYTES + logits.byteLength);
  new DataView(bytes.buffer).setInt32(0, size, true);
  new DataView(bytes.buffer).setInt32(4, categories, true);
  bytes.set(new Uint8Array(logits.buffer, logits.byteOffset, logits.byteLength), HEADER_BYTES);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  writeFileAtomicSync(file, bytes, { mode: 0o644 });
}

/** Reads a cache `writeLogitsCache` wrote; a file of another length (cut short, or of an older format) is refused. */
export function readLogitsCache(file: string): Float32Array {
  const bytes = new Uint8Array(fs.readFileSync(file));
  const view = new DataView(bytes.buffer);
  const size = bytes.byteLength >= HEADER_BYTES ? view.getInt32(0, true) : -1;
  const categories = bytes.byteLength >= HEADER_BYTES ? view.getInt32(4, true) : -1;
  const expected = HEADER_BYTES + size * categories * 4;
  if (size <= 0 || categories <= 0 || bytes.byteLength !== expected) {
    throw new TrainingError(`network out-of-fold cache ${file} is ${bytes.byteLength} bytes, not the ${size > 0 && categories > 0 ? `${expected} its header gives (${size} sentences × ${categories} categories)` : "header and logits it should hold"}`, `Delete ${file} and run again: the scores are then recomputed and cached whole.`, { file });
  }
  return new Float32Array(bytes.buffer.slice(HEADER_BYTES));
}

/** The cache key of one network reader's out-of-fold logits. */
export const networkCacheKey = (opts: object, contracts: readonly CuadContract[]) => `network-${cacheKey(opts, contracts, NETWORK_SOURCES)}`;

/** Where network-oof-fold.ts leaves one fold's held-out logits of the reader `key` (NaN for the other folds' sentences). */
export const foldCacheFile = (key: string, fold: number, dir = CACHE_DIR) => cacheFile(`${key}-fold${fold}`, dir);

/** The reader's logits assembled from its folds' files, when every fold has one; else undefined. */
export function assembleFolds(key: string, folds: number, log: (line: string) => void, dir = CACHE_DIR): Float32Array | undefined {
  const files = Array.from({ length: folds }, (_, f) => foldCacheFile(key, f, dir));
  if (!files.every((f) => fs.existsSync(f))) return undefined;
  const parts = files.map(readLogitsCache);
  const logits = new Float32Array(parts[0]!.length).fill(Number.NaN);
  let twice = 0;
  for (const part of parts)
    part.forEach((z, i) => {
      if (Number.isNaN(z)) return;
      if (!Number.isNaN(logits[i]!)) twice++;
      logits[i] = z;
    });
  const gaps = logits.reduce((n, z) => n + (Number.isNaN(z) ? 1 : 0), 0);
  if (gaps > 0 || twice > 0 || parts.some((p) => p.length !== logits.length)) throw new TrainingError(`the fold files of network reader ${key} do not cover every sentence once (${gaps} scores missing, ${twice} given twice)`, `Delete ${files.join(", ")} and run again.`);
  log(`first stage network: out-of-fold scores assembled from ${folds} fold files (${key})`);
  return logits;
}

/** One network reader's out-of-fold logits: from the cache when its key matches (or from its folds' files), else computed (minutes) and cached. */
export function networkOutOfFold(opts: BagNetworkOptions & { readonly hashBits: number; readonly folds: number; readonly sections?: boolean; readonly typed?: boolean }, contracts: readonly CuadContract[], dataset: () => SentenceDataset, log: (line: string) => void): Float32Array {
  const key = networkCacheKey(opts, contracts);
  const file = cacheFile(key);
  if (fs.existsSync(file)) {
    log(`first stage network: out-of-fold scores read from the cache (${key})`);
    return readLogitsCache(file);
  }
  const assembled = assembleFolds(key, opts.folds, log);
  if (assembled) {
    const categories = new DataView(new Uint8Array(fs.readFileSync(foldCacheFile(key, 0)).subarray(0, HEADER_BYTES)).buffer).getInt32(4, true);
    writeLogitsCache(file, assembled, assembled.length / categories, categories);
    return assembled;
  }
  const data = dataset();
  const logits = computeNetworkOutOfFold(opts, data, log);
  writeLogitsCache(file, logits, data.size, data.categories.length);
  log(`first stage network: out-of-fold scores cached in ${file}`);
  return logits;
}
