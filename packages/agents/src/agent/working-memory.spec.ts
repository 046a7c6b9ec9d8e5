import { describe, expect, it } from "@jest/globals";
import fc from "fast-check";
import { AgentError } from "../errors";
import { WorkingMemory } from "./working-memory";

describe("WorkingMemory", () => {
  it("drops the least recently used entry when full, and get() refreshes an entry", () => {
    const memory = new WorkingMemory({ maxEntries: 2 });
    memory.set("a", 1);
    memory.set("b", 2);
    expect(memory.get("a")).toBe(1);
    expect(memory.set("c", 3)).toEqual(["b"]);
    expect(memory.keys()).toEqual(["a", "c"]);
  });

  it("stays within its byte bound and refuses one entry larger than the bound", () => {
    const memory = new WorkingMemory({ maxEntries: 100, maxBytes: 64 });
    memory.set("x", "0123456789");
    memory.set("y", "0123456789");
    memory.set("z", "01234567890123456789");
    expect(memory.bytes).toBeLessThanOrEqual(64);
    expect(memory.has("z")).toBe(true);
    expect(() => memory.set("big", "x".repeat(100))).toThrow(AgentError);
    expect(() => memory.set("big", "x".repeat(100))).toThrow(/'big' is \d+ bytes, more than the memory's limit of 64/);
  });

  it("stores copies, and toJSON() reveals sizes only, never values", () => {
    const memory = new WorkingMemory();
    const value = { secret: "Jane Doe's address" };
    memory.set("k", value);
    value.secret = "changed";
    expect(memory.get("k")).toEqual({ secret: "Jane Doe's address" });
    expect(JSON.stringify(memory)).not.toContain("Jane");
  });

  it("never exceeds either bound, whatever is written (property)", () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.string({ maxLength: 4 }), fc.string({ maxLength: 40 })), { maxLength: 60 }), fc.integer({ min: 1, max: 8 }), (writes, maxEntries) => {
        const memory = new WorkingMemory({ maxEntries, maxBytes: 200 });
        for (const [k, v] of writes) memory.set(k, v);
        expect(memory.size).toBeLessThanOrEqual(maxEntries);
        expect(memory.bytes).toBeLessThanOrEqual(200);
        const last = writes[writes.length - 1];
        if (last) expect(memory.get(last[0])).toBe(last[1]);
      }),
    );
  });
});
