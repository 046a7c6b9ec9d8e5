import fc from "fast-check";
import { batches } from "./scan-pool";

describe("scanMany's batches", () => {
  it("keeps every text once and in order, never exceeds the character bound with two texts or more, and ends in single texts", () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 300_000 }), { maxLength: 200 }), fc.integer({ min: 1, max: 8 }), (lengths, threads) => {
        const items = lengths.map((_, i) => i);
        const cut = batches(items, (i) => lengths[i] as number, threads);
        expect(cut.flat()).toEqual(items);
        for (const batch of cut) {
          expect(batch.length).toBeGreaterThan(0);
          if (batch.length > 1) expect(batch.reduce((s, i) => s + (lengths[i] as number), 0)).toBeLessThanOrEqual(256 * 1024);
        }
        if (cut.length > 0) expect(cut[cut.length - 1]).toHaveLength(1); // the threads end together
      }),
    );
  });

  it("cuts the peers' 64 documents of 16 KiB for two threads into a third as many tasks, the largest first", () => {
    const cut = batches(Array.from({ length: 64 }, (_, i) => i), () => 16 * 1024, 2);
    expect(cut.length).toBeLessThan(64 / 3);
    expect(cut.map((b) => b.length)).toEqual([...cut.map((b) => b.length)].sort((a, b) => b - a));
  });
});
