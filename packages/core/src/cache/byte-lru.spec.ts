import { describe, expect, it } from "@jest/globals";
import fc from "fast-check";
import { ByteLru, ENTRY_OVERHEAD_BYTES } from "./byte-lru";

const bytes = (n: number): Uint8Array => new Uint8Array(n);

describe("ByteLru", () => {
  it("drops the least recently used entries to stay under its byte cap; get() refreshes an entry", () => {
    const evicted: string[] = [];
    const size = ByteLru.sizeOf("a", bytes(100));
    const lru = new ByteLru<string>(size * 2, (tag) => evicted.push(tag));
    lru.set("a", bytes(100), Infinity, "A");
    lru.set("b", bytes(100), Infinity, "B");
    expect(lru.get("a", 0)).toEqual({ value: bytes(100) });
    lru.set("c", bytes(100), Infinity, "C");
    expect(lru.keys()).toEqual(["a", "c"]);
    expect(evicted).toEqual(["B"]);
    expect(lru.bytes).toBe(size * 2);
  });

  it("counts other values at what valueBytes says (a string: two bytes a character)", () => {
    const lru = new ByteLru<"text", string>(2 * (ENTRY_OVERHEAD_BYTES + 1 + 200), undefined, (text) => text.length * 2);
    lru.set("a", "x".repeat(100), Infinity, "text");
    lru.set("b", "y".repeat(100), Infinity, "text");
    expect(lru.bytes).toBe(2 * (ENTRY_OVERHEAD_BYTES + 1 + 200));
    expect(lru.get("a", 0)).toEqual({ value: "x".repeat(100) });
    lru.set("c", "z".repeat(100), Infinity, "text");
    expect(lru.keys()).toEqual(["a", "c"]);
    lru.set("huge", "w".repeat(1000), Infinity, "text");
    expect(lru.keys()).toEqual(["a", "c"]);
  });

  it("does not keep a value larger than the whole cap, and keeps what it held", () => {
    const lru = new ByteLru(ENTRY_OVERHEAD_BYTES + 50);
    lru.set("k", bytes(10), Infinity, "x");
    lru.set("big", bytes(1000), Infinity, "x");
    expect(lru.keys()).toEqual(["k"]);
  });

  it("reports an entry past its expiry as expired once, then as absent", () => {
    const lru = new ByteLru(10_000);
    lru.set("k", bytes(10), 1000, "x");
    expect(lru.get("k", 999)).toEqual({ value: bytes(10) });
    expect(lru.get("k", 1000)).toEqual({ expired: true });
    expect(lru.get("k", 1001)).toBeUndefined();
    expect(lru.bytes).toBe(0);
  });

  it("clears one tag and leaves the others", () => {
    const lru = new ByteLru(10_000);
    lru.set("a", bytes(1), Infinity, "search");
    lru.set("b", bytes(1), Infinity, "embedding");
    lru.clear("search");
    expect(lru.keys()).toEqual(["b"]);
    expect(lru.bytes).toBe(lru.recount());
  });

  it("property: after any sequence of operations, the counted bytes equal the sum of its entries and never pass the cap", () => {
    const op = fc.oneof(
      fc.record({ op: fc.constant("set" as const), key: fc.integer({ min: 0, max: 20 }), size: fc.integer({ min: 0, max: 600 }), ttl: fc.integer({ min: 1, max: 50 }), tag: fc.constantFrom("a", "b") }),
      fc.record({ op: fc.constant("get" as const), key: fc.integer({ min: 0, max: 20 }) }),
      fc.record({ op: fc.constant("delete" as const), key: fc.integer({ min: 0, max: 20 }) }),
      fc.record({ op: fc.constant("clear" as const), tag: fc.constantFrom("a", "b", undefined) }),
      fc.record({ op: fc.constant("tick" as const), by: fc.integer({ min: 1, max: 20 }) }),
    );
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 3000 }), fc.array(op, { maxLength: 200 }), (cap, ops) => {
        let evictions = 0;
        const lru = new ByteLru<string>(cap, () => evictions++);
        // A model: what must be there (key -> [size, expiresAt]) is at least a subset of what was set.
        let now = 0;
        let sets = 0;
        let removedOtherwise = 0;
        for (const o of ops) {
          if (o.op === "set") {
            const key = `k${o.key}`;
            const before = lru.size;
            const replaced = lru.keys().includes(key);
            lru.set(key, bytes(o.size), now + o.ttl, o.tag);
            sets++;
            if (replaced) removedOtherwise++;
            // A value that fits is always kept, as the most recent entry.
            if (ByteLru.sizeOf(key, bytes(o.size)) <= cap) expect(lru.keys().at(-1)).toBe(key);
            else expect(lru.size).toBe(before - (replaced ? 1 : 0));
            if (ByteLru.sizeOf(key, bytes(o.size)) > cap) sets--;
          } else if (o.op === "get") {
            const found = lru.get(`k${o.key}`, now);
            if (found && "expired" in found) removedOtherwise++;
          } else if (o.op === "delete") {
            if (lru.delete(`k${o.key}`)) removedOtherwise++;
          } else if (o.op === "clear") {
            const before = lru.size;
            lru.clear(o.tag);
            removedOtherwise += before - lru.size;
          } else {
            now += o.by;
          }
          expect(lru.bytes).toBe(lru.recount());
          expect(lru.bytes).toBeLessThanOrEqual(cap);
          expect(lru.bytes).toBeGreaterThanOrEqual(0);
        }
        // Every entry stored is still there, or was evicted, replaced, expired, deleted or cleared.
        expect(lru.size).toBe(sets - evictions - removedOtherwise);
      }),
      { numRuns: 300 },
    );
  });
});
