/**
 * MiB of posting lists LanceDB's full-text builder holds per worker before it writes them out as
 * one partition of the index (its `LANCE_FTS_PARTITION_SIZE`, 2,048 by default: in effect one
 * partition however large the table). Index upkeep (`optimize()`) also reads every existing
 * partition back into memory and merges them while they fit under the same size, so with the
 * default the last upkeep of a 1 GB ingest held the whole index at once, its peak. With 64 MiB
 * a partition holds ~1M chunks of plain text (fewer with a larger vocabulary) and the builder
 * holds at most about one of them: a 100k-chunk index is still one partition.
 */
export const FULL_TEXT_PARTITION_MIB = 64;

/** The environment variable LanceDB reads (once per process, at its first full-text build). */
export const FULL_TEXT_PARTITION_ENV = "LANCE_FTS_PARTITION_SIZE";

/**
 * Bounds the full-text builder's memory for this process unless its environment already sets the
 * bound (an operator's own value wins). LanceDB reads the variable lazily, at the first full-text
 * build, so this must run before any index is built; a process whose first build came earlier
 * keeps the bound it read then.
 */
export function boundFullTextBuildMemory(env: NodeJS.ProcessEnv = process.env): void {
  if (env[FULL_TEXT_PARTITION_ENV] === undefined || env[FULL_TEXT_PARTITION_ENV] === "") env[FULL_TEXT_PARTITION_ENV] = String(FULL_TEXT_PARTITION_MIB);
}
