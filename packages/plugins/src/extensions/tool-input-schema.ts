import { z } from "zod";

/** Keywords a plugin's tool schema may not use: each would make the host run plugin-chosen work when it checks arguments. */
const REFUSED_KEYWORDS = new Set([
  // a regular expression of the plugin's, run on the host's thread, could take it for ever (ReDoS)
  "pattern",
  "patternProperties",
  // references could point anywhere, or loop
  "$ref",
  "$dynamicRef",
  "$recursiveRef",
]);
const MAX_SCHEMA_BYTES = 16 * 1024;
const MAX_DEPTH = 16;

/** The first problem with a tool's input schema, or null. */
function schemaProblem(value: unknown, path: string, depth: number): string | null {
  if (depth > MAX_DEPTH) return `${path || "the schema"} nests deeper than ${MAX_DEPTH} levels`;
  if (Array.isArray(value)) {
    for (const [i, item] of value.entries()) {
      const problem = schemaProblem(item, `${path}[${i}]`, depth + 1);
      if (problem) return problem;
    }
    return null;
  }
  if (value === null || typeof value !== "object") return null;
  for (const [key, item] of Object.entries(value)) {
    // under `properties` the keys are argument names, which may be called anything
    const isPropertyName = path.endsWith(".properties") || path === "properties";
    if (!isPropertyName && REFUSED_KEYWORDS.has(key)) return `${path ? `${path}.` : ""}${key} is not allowed in a plugin tool's schema (it would run the plugin's logic on the host)`;
    const problem = schemaProblem(item, path ? `${path}.${key}` : key, depth + 1);
    if (problem) return problem;
  }
  return null;
}

/**
 * A `tool` extension's input: a JSON Schema object describing the tool's arguments (`type: "object"`),
 * small and plain. The host checks each call's arguments against it before they reach the plugin,
 * and before a workflow using the tool starts.
 */
export const toolInputSchema = z
  .record(z.string(), z.json())
  .refine((schema) => schema["type"] === "object", { message: 'must be a JSON Schema with type "object" (a tool takes named arguments)' })
  .refine((schema) => JSON.stringify(schema).length <= MAX_SCHEMA_BYTES, { message: `must be at most ${MAX_SCHEMA_BYTES} bytes of JSON` })
  .superRefine((schema, ctx) => {
    const problem = schemaProblem(schema, "", 0);
    if (problem) ctx.addIssue({ code: "custom", message: problem });
  });
