import { describe, expect, it } from "@jest/globals";
import fc from "fast-check";
import { WindowedCounts, type ClosedWindow } from "./windowed-counts";

function recorder(windowMs: number, maxWindows = 100) {
  const firsts: string[] = [];
  const rests: ClosedWindow<string, string[]>[] = [];
  const counts = new WindowedCounts<string, string[]>({
    windowMs,
    maxWindows,
    writeFirst: async (event) => void firsts.push(event),
    writeRest: async (window) => void rests.push(window),
    gather: { start: (event) => [event], add: (all, event) => void all.push(event) },
  });
  return { counts, firsts, rests };
}

describe("WindowedCounts", () => {
  it("writes a key's first event at once and the rest of its window as one count, which adds up to the events (property)", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.tuple(fc.constantFrom("a", "b", "c"), fc.string({ maxLength: 3 })), { maxLength: 60 }), async (events) => {
        const { counts, firsts, rests } = recorder(60_000);
        for (const [key, event] of events) await counts.add(key, `${key}:${event}`);
        await counts.flush();
        const keys = new Set(events.map(([key]) => key));
        expect(firsts).toHaveLength(keys.size);
        expect(firsts.length + rests.reduce((n, w) => n + w.count, 0)).toBe(events.length);
        for (const w of rests) {
          const ofKey = events.map(([key, event]) => `${key}:${event}`).filter((e) => e.split(":")[0] === w.first.split(":")[0]);
          expect(w.gathered).toEqual(ofKey);
          expect(w.last).toBe(ofKey[ofKey.length - 1]);
        }
      }),
      { numRuns: 100 },
    );
  });

  it("opens a new window once the old one has run out, writing the old one's count first", async () => {
    const { counts, firsts, rests } = recorder(20);
    expect(await counts.add("k", "1")).toBe(true);
    expect(await counts.add("k", "2")).toBe(false);
    await new Promise((r) => setTimeout(r, 40));
    expect(rests.map((w) => w.count)).toEqual([1]); // closed by its timer
    expect(await counts.add("k", "3")).toBe(true);
    expect(firsts).toEqual(["1", "3"]);
  });

  it("keeps at most maxWindows open: at the bound every open window is written before a new one opens", async () => {
    const { counts, firsts, rests } = recorder(60_000, 2);
    for (const key of ["a", "a", "b", "b", "c"]) await counts.add(key, key);
    expect(firsts).toEqual(["a", "b", "c"]);
    expect(rests.map((w) => [w.first, w.count])).toEqual([["a", 1], ["b", 1]]);
  });
});
