import { describe, expect, it } from "@jest/globals";
import fc from "fast-check";
import { callArgsSchema, hostMessageSchema, runnerMessageSchema } from "./protocol";

describe("the sandbox message protocol", () => {
  it("accepts any JSON value as a call argument, and it survives the JSON channel unchanged", () => {
    fc.assert(
      fc.property(fc.array(fc.jsonValue(), { maxLength: 4 }), (args) => {
        const parsed = callArgsSchema.safeParse(args);
        expect(parsed.success).toBe(true);
        expect(JSON.parse(JSON.stringify(args))).toEqual(parsed.data);
      }),
    );
  });

  it.each([
    ["undefined", [undefined]],
    ["a nested undefined", [{ a: undefined }]],
    ["a function", [() => 1]],
    ["a bigint", [10n]],
    ["NaN", [Number.NaN]],
    ["Infinity", [{ x: Infinity }]],
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
