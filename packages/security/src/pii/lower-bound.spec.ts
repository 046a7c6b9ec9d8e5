import fc from "fast-check";
import { lowerBound } from "./lower-bound";

describe("lowerBound", () => {
  it("is the first index whose value is not before the target, as a linear scan finds it", () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: -20, max: 20 })), fc.integer({ min: -25, max: 25 }), fc.boolean(), (xs, x, strict) => {
        const sorted = [...xs].sort((a, b) => a - b);
        const before = (i: number): boolean => (strict ? (sorted[i] as number) < x : (sorted[i] as number) <= x);
        let linear = 0;
        while (linear < sorted.length && before(linear)) linear++;
        expect(lowerBound(sorted.length, before)).toBe(linear);
      }),
    );
  });
});
