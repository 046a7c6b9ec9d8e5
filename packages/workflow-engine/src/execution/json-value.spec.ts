import { describe, expect, it } from "@jest/globals";
import fc from "fast-check";
import { NotJsonError } from "../errors";
import { assertJson, isJson } from "./json-value";
import { backoffDelay, DEFAULT_BACKOFF } from "./backoff";

describe("assertJson", () => {
  it("accepts anything JSON.parse can produce", () => {
    fc.assert(fc.property(fc.json(), (text) => expect(isJson(JSON.parse(text))).toBe(true)));
  });

  it("names the path of the first value that is not JSON", () => {
    const cyclic: Record<string, unknown> = { a: 1 };
    cyclic["self"] = cyclic;
    const cases: Array<[unknown, RegExp]> = [
      [{ a: [1, () => 1] }, /at \$\.a\[1\]: a function cannot be serialised/],
      [{ when: new Date() }, /at \$\.when: a Date instance is not a plain object/],
      [{ n: NaN }, /at \$\.n: NaN is not a finite number/],
      [{ u: undefined }, /at \$\.u: a undefined cannot be serialised/],
      [cyclic, /at \$\.self: it refers back to itself/],
      [{ m: new Map() }, /Map instance/],
      [{ b: 10n }, /a bigint/],
    ];
    for (const [value, message] of cases) expect(() => assertJson(value, "output")).toThrow(message);
    expect(() => assertJson(new Uint8Array(2), "output")).toThrow(NotJsonError);
  });

  it("accepts shared (non-cyclic) references and null-prototype objects", () => {
    const shared = { x: 1 };
    expect(isJson({ a: shared, b: shared, c: Object.assign(Object.create(null), { d: 1 }) })).toBe(true);
  });
});

describe("backoffDelay", () => {
  it("grows exponentially up to the cap and stays within the jitter band", () => {
    const settings = { initialMs: 100, factor: 2, maxMs: 1000, jitter: 0.5 };
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 30 }), fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }), (retry, r) => {
        const base = Math.min(1000, 100 * 2 ** (retry - 1));
        const delay = backoffDelay(settings, retry, () => r);
        expect(delay).toBeGreaterThanOrEqual(Math.floor(base * 0.5));
        expect(delay).toBeLessThanOrEqual(base);
      }),
    );
    expect([1, 2, 3, 4, 5].map((n) => backoffDelay({ ...DEFAULT_BACKOFF, jitter: 0 }, n))).toEqual([200, 400, 800, 1600, 3200]);
  });
});
