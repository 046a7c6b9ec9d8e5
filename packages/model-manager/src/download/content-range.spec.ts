import { describe, expect, it } from "@jest/globals";
import fc from "fast-check";
import { parseContentRange, rangeMismatch } from "./content-range";

describe("parseContentRange", () => {
  it("reads every well-formed header back exactly", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 40 }), fc.integer({ min: 0, max: 2 ** 30 }), fc.integer({ min: 1, max: 2 ** 30 }), (first, span, after) => {
        const last = first + span;
        const total = last + after;
        expect(parseContentRange(`bytes ${first}-${last}/${total}`)).toEqual({ first, last, total });
      }),
    );
  });

  it("never throws and refuses what is not a satisfiable byte range", () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 60 }), (text) => {
        const range = parseContentRange(text);
        if (range !== undefined) {
          expect(range.last).toBeGreaterThanOrEqual(range.first);
          if (range.total !== undefined) expect(range.last).toBeLessThan(range.total);
        }
      }),
    );
    for (const bad of ["bytes 5-4/10", "bytes 0-10/10", "bytes */10", "items 0-1/2", "bytes 0-1/2, 3-4/5", "bytes -1-2/3"]) expect(parseContentRange(bad)).toBeUndefined();
  });
});

describe("rangeMismatch", () => {
  it("accepts only the continuation of the partial file to the same file's end", () => {
    expect(rangeMismatch({ first: 100, last: 999, total: 1000 }, 100, 1000)).toBeUndefined();
    expect(rangeMismatch({ first: 100, last: 999, total: 1000 }, 100, undefined)).toBeUndefined();
    expect(rangeMismatch({ first: 0, last: 999, total: 1000 }, 100, 1000)).toMatch(/resumed at byte 0, not 100/);
    expect(rangeMismatch({ first: 100, last: 499, total: 1000 }, 100, 1000)).toMatch(/stops before the file's end/);
    expect(rangeMismatch({ first: 100, last: 1999, total: 2000 }, 100, 1000)).toMatch(/length changed \(1000 → 2000 bytes\)/);
    expect(rangeMismatch({ first: 100, last: 999, total: undefined }, 100, 1000)).toMatch(/does not say the file's length/);
    expect(rangeMismatch(undefined, 100, 1000)).toMatch(/no valid Content-Range/);
  });
});
