/** Small fragments (each write adds one) a table may have before `optimize()` compacts it. */
export const COMPACT_AT_FRAGMENTS = 24;

/**
 * Rows under which a fragment counts as small here: what a write of one or a few documents leaves.
 * LanceDB calls every fragment under a million rows small, so a 200 MB ingest (a fragment of ~16k
 * chunks per batch) would otherwise end by rewriting the whole table for nothing.
 */
export const SMALL_FRAGMENT_ROWS = { chunks: 2_000, documents: 16 } as const;

/** The part of LanceDB's `TableStatistics` the decision reads. */
export interface FragmentStatsView {
  readonly fragmentStats: { readonly numSmallFragments: number; readonly lengths: { readonly p50: number } };
}

/** True when a table holds many fragments and most of them are small (its writes came a few documents at a time). */
export function worthCompacting(stats: FragmentStatsView, smallRows: number): boolean {
  return stats.fragmentStats.numSmallFragments >= COMPACT_AT_FRAGMENTS && stats.fragmentStats.lengths.p50 < smallRows;
}

/**
 * Rows LanceDB's compaction puts in a fragment (its default `target_rows_per_fragment`, the one
 * `Table.optimize()` uses). A fragment under it counts as small, so every later `optimize()`
 * reads and rewrites it again, with its neighbours.
 */
export const COMPACTED_FRAGMENT_ROWS = 1_048_576;
