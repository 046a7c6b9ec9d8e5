import { describe, expect, it } from "@jest/globals";
import fc from "fast-check";
import { callArgsSchema, hostMessageSchema, runnerMessageSchema } from "./protocol";

/** JSON has no negative zero: -0 arrives as 0, which is numerically equal. Compare modulo that. */
function withoutNegativeZero(value: unknown): unknown {
  if (Object.is(value, -0)) return 0;
  if (Array.isArray(value)) return value.map(withoutNegativeZero);
  if (value !== null && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, withoutNegativeZero(item)]));
  }
  return value;
}

describe("the sandbox message protocol", () => {
  it("accepts any JSON value as a call argument, and it survives the JSON channel unchanged", () => {
    fc.assert(
      fc.property(fc.array(fc.jsonValue(), { maxLength: 4 }), (args) => {
        const parsed = callArgsSchema.safeParse(args);
        // fast-check does generate "__proto__" keys; those are refused (tested below).
        const hasProtoKey = /"__proto__":/.test(JSON.stringify(args));
        expect(parsed.success).toBe(!hasProtoKey);
        if (hasProtoKey) return;
        expect(JSON.parse(JSON.stringify(args))).toEqual(withoutNegativeZero(parsed.data));
      }),
      { numRuns: 1000 },
    );
  });

  it("delivers -0 as 0, the one number JSON normalises", () => {
    expect(callArgsSchema.safeParse([-0]).success).toBe(true);
    expect(JSON.parse(JSON.stringify([-0]))).toEqual([0]);
  });

  it.each([
    ["undefined", [undefined]],
    ["a nested undefined", [{ a: undefined }]],
    ["a function", [() => 1]],
    ["a bigint", [10n]],
    ["NaN", [Number.NaN]],
    ["Infinity", [{ x: Infinity }]],
    ["a __proto__ key", [JSON.parse('{"a":[{"__proto__":1}]}')]],
  ])("refuses %s, which the JSON channel would silently change", (_what, args) => {
    expect(callArgsSchema.safeParse(args).success).toBe(false);
  });

  it("validates both directions by message type", () => {
    expect(hostMessageSchema.safeParse({ type: "call", id: 1, extension: "x", method: "run", args: [1] }).success).toBe(true);
    expect(hostMessageSchema.safeParse({ type: "call", id: -1, extension: "x", method: "run", args: [] }).success).toBe(false);
    expect(hostMessageSchema.safeParse({ type: "eval", code: "process.exit()" }).success).toBe(false);
    expect(runnerMessageSchema.safeParse({ type: "result", id: 3, value: { ok: true } }).success).toBe(true);
    expect(runnerMessageSchema.safeParse({ type: "error", id: 3, error: { name: "E" } }).success).toBe(false);
    expect(runnerMessageSchema.safeParse({ type: "ready", extensions: [{ id: "a", point: "telemetry", info: {} }] }).success).toBe(false);
  });
});
