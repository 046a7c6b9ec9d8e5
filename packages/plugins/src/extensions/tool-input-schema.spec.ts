import { describe, expect, it } from "@jest/globals";
import { toolInputSchema } from "./tool-input-schema";

const problem = (schema: unknown): string | undefined => {
  const parsed = toolInputSchema.safeParse(schema);
  return parsed.success ? undefined : parsed.error.issues[0]?.message;
};

describe("toolInputSchema (a plugin tool's declared arguments)", () => {
  it("accepts a plain object schema, whatever its argument names (even 'pattern')", () => {
    expect(problem({ type: "object", properties: { topic: { type: "string", enum: ["a", "b"] }, pattern: { type: "string" } }, required: ["topic"] })).toBeUndefined();
  });

  it("refuses keywords that would run the plugin's logic on the host, anywhere in the schema", () => {
    expect(problem({ type: "object", properties: { text: { type: "string", pattern: "^(a+)+$" } } })).toContain("properties.text.pattern is not allowed");
    expect(problem({ type: "object", patternProperties: { "^x": {} } })).toContain("patternProperties is not allowed");
    expect(problem({ type: "object", properties: { a: { anyOf: [{ $ref: "#/x" }] } } })).toContain("$ref is not allowed");
  });

  it("refuses a schema that is not an object schema, too large or too deep", () => {
    expect(problem({ type: "string" })).toContain('type "object"');
    expect(problem({ type: "object", description: "x".repeat(20_000) })).toContain("at most");
    let deep: Record<string, unknown> = { type: "string" };
    for (let i = 0; i < 20; i++) deep = { type: "object", properties: { a: deep } };
    expect(problem(deep)).toContain("nests deeper");
  });
});
