import { describe, expect, it } from "@jest/globals";
import { COMPACT_AT_FRAGMENTS, SMALL_FRAGMENT_ROWS, worthCompacting } from "./compaction-policy";

const stats = (fragments: number, medianRows: number) => ({ fragmentStats: { numSmallFragments: fragments, lengths: { p50: medianRows } } });

describe("worthCompacting", () => {
  it("compacts a table whose many fragments came a document at a time", () => {
    expect(worthCompacting(stats(COMPACT_AT_FRAGMENTS, 120), SMALL_FRAGMENT_ROWS.chunks)).toBe(true);
    expect(worthCompacting(stats(40, 1), SMALL_FRAGMENT_ROWS.documents)).toBe(true);
  });

  it("leaves the fragments of batched writes (thousands of rows each) as they are", () => {
    expect(worthCompacting(stats(50, 15_800), SMALL_FRAGMENT_ROWS.chunks)).toBe(false);
    expect(worthCompacting(stats(50, 49), SMALL_FRAGMENT_ROWS.documents)).toBe(false);
  });

  it("waits until enough fragments pile up", () => {
    expect(worthCompacting(stats(COMPACT_AT_FRAGMENTS - 1, 10), SMALL_FRAGMENT_ROWS.chunks)).toBe(false);
  });
});
