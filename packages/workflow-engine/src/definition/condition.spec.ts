import { describe, expect, it } from "@jest/globals";
import fc from "fast-check";
import { ConditionSyntaxError } from "../errors";
import { evaluateCondition, parseCondition } from "./condition";

const scope = { inputs: { kind: "nda", pages: 12, dry_run: false, tags: ["a"] }, steps: { c: { output: { ok: true, empty: [] } } } };
const holds = (text: string | boolean): boolean => evaluateCondition(parseCondition(text), scope);

describe("when conditions", () => {
  it("compares references with literals", () => {
    expect(holds("inputs.kind == 'nda'")).toBe(true);
    expect(holds('inputs.kind != "nda"')).toBe(false);
    expect(holds("inputs.pages > 10 && inputs.pages <= 12")).toBe(true);
    expect(holds("inputs.pages < 3 || steps.c.output.ok")).toBe(true);
    expect(holds("!inputs.dry_run")).toBe(true);
    expect(holds("{{ steps.c.output.ok }}")).toBe(true);
    expect(holds("steps.c.output.empty")).toBe(false);
    expect(holds("inputs.missing == null")).toBe(true);
    expect(holds("!(inputs.kind == 'nda' && inputs.pages > 100)")).toBe(true);
    expect(holds(false)).toBe(false);
  });

  it("ordering comparisons between different types are false, not coerced", () => {
    expect(holds("inputs.kind > 1")).toBe(false);
    expect(holds("inputs.pages >= '1'")).toBe(false);
  });

  it("a number literal compares equal to itself for any integer", () => {
    fc.assert(fc.property(fc.integer({ min: -1e6, max: 1e6 }), (n) => expect(evaluateCondition(parseCondition(`${n} == ${n}`), {})).toBe(true)));
  });

  it("any text either parses or throws ConditionSyntaxError (never evaluates code)", () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 30 }), (text) => {
        try {
          const c = parseCondition(text);
          expect(typeof evaluateCondition(c, scope)).toBe("boolean");
        } catch (error) {
          expect(error).toBeInstanceOf(ConditionSyntaxError);
        }
      }),
    );
  });

  it("reports where a malformed condition breaks", () => {
    expect(() => parseCondition("inputs.kind ==")).toThrow(/character 14: expected a value, found the end/);
    expect(() => parseCondition("(inputs.kind")).toThrow(/expected '\)'/);
    expect(() => parseCondition("process.exit(1)")).toThrow(ConditionSyntaxError);
    expect(() => parseCondition("  ")).toThrow(/empty/);
  });
});
