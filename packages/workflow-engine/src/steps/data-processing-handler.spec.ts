import { describe, expect, it } from "@jest/globals";
import fc from "fast-check";
import { dataProcessingParameters, processData } from "./data-processing-handler";

const run = (params: unknown) => processData(dataProcessingParameters.parse(params));
const clauses = [
  { title: "Term", risk: 3, tags: ["time"] },
  { title: "Fees", risk: 7, tags: ["money"] },
  { title: "Liability", risk: 9, tags: ["money", "risk"], meta: { page: 4 } },
];

describe("data_processing step", () => {
  it("picks, maps, filters, concatenates, counts, merges and deduplicates JSON", () => {
    expect(run({ operation: "pick", input: clauses, fields: ["title"] })).toEqual([{ title: "Term" }, { title: "Fees" }, { title: "Liability" }]);
    expect(run({ operation: "map", input: clauses, field: "meta.page" })).toEqual([null, null, 4]);
    expect(run({ operation: "filter", input: clauses, where: { field: "risk", op: "gte", value: 7 } })).toHaveLength(2);
    expect(run({ operation: "filter", input: clauses, where: { field: "tags", op: "contains", value: "risk" } })).toEqual([clauses[2]]);
    expect(run({ operation: "filter", input: clauses, where: { field: "title", op: "in", value: ["Fees", "Term"] } })).toHaveLength(2);
    expect(run({ operation: "concat", inputs: [[1, 2], 3, [[4]]] })).toEqual([1, 2, 3, [4]]);
    expect(run({ operation: "count", input: clauses })).toBe(3);
    expect(run({ operation: "merge", inputs: [{ a: 1, b: 1 }, { b: 2 }] })).toEqual({ a: 1, b: 2 });
    expect(run({ operation: "unique", input: [1, { a: 1 }, 1, { a: 1 }] })).toEqual([1, { a: 1 }]);
  });

  it("rejects unknown operations and malformed field paths at validation", () => {
    expect(dataProcessingParameters.safeParse({ operation: "eval", input: "1+1" }).success).toBe(false);
    expect(dataProcessingParameters.safeParse({ operation: "map", input: [], field: "a..b" }).success).toBe(false);
  });

  it("filter keeps a subset and count agrees with the list length for any list", () => {
    fc.assert(
      fc.property(fc.array(fc.record({ n: fc.integer() })), fc.integer(), (list, pivot) => {
        const kept = run({ operation: "filter", input: list, where: { field: "n", op: "gt", value: pivot } }) as unknown[];
        const dropped = run({ operation: "filter", input: list, where: { field: "n", op: "lte", value: pivot } }) as unknown[];
        expect(kept.length + dropped.length).toBe(list.length);
        expect(run({ operation: "count", input: list })).toBe(list.length);
      }),
    );
  });

  it("merging an object with an own __proto__ key does not pollute prototypes", () => {
    const evil = JSON.parse('{"__proto__": {"polluted": 1}}') as Record<string, never>;
    const out = run({ operation: "merge", inputs: [evil] }) as Record<string, unknown>;
    expect(({} as Record<string, unknown>)["polluted"]).toBeUndefined();
    expect(Object.getPrototypeOf(out)).toBe(Object.prototype);
  });
});
