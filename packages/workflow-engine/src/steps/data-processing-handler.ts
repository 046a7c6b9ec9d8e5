import { z } from "zod";
import { parseReference, resolvePath } from "../definition/reference";
import type { JsonValue } from "../execution/json-value";
import type { StepHandler } from "./step-handler";

const json = z.custom<JsonValue>(() => true);
/** A field path inside each element: `title`, `meta.author`, `parties[0].name`. */
const fieldPath = z.string().min(1).superRefine((value, ctx) => {
  try {
    parseReference(value);
  } catch (error) {
    ctx.addIssue({ code: "custom", message: (error as Error).message });
  }
});

const comparison = z.strictObject({
  field: fieldPath,
  op: z.enum(["eq", "ne", "gt", "gte", "lt", "lte", "contains", "exists", "in"]).default("eq"),
  value: json.optional(),
});

export const dataProcessingParameters = z.discriminatedUnion("operation", [
  /** Keeps only `fields` of an object, or of every object in a list. */
  z.strictObject({ operation: z.literal("pick"), input: json, fields: z.array(z.string().min(1)).min(1) }),
  /** The value at `field` of every element. */
  z.strictObject({ operation: z.literal("map"), input: z.array(json), field: fieldPath }),
  /** The elements whose `field` satisfies `op value`. */
  z.strictObject({ operation: z.literal("filter"), input: z.array(json), where: comparison }),
  /** Lists joined into one list (non-list values are appended as items). */
  z.strictObject({ operation: z.literal("concat"), inputs: z.array(json) }),
  /** Length of a list or string, number of keys of an object. */
  z.strictObject({ operation: z.literal("count"), input: json }),
  /** Objects merged left to right (shallow). */
  z.strictObject({ operation: z.literal("merge"), inputs: z.array(z.record(z.string(), json)) }),
  /** Removes duplicates (by JSON equality) keeping the first. */
  z.strictObject({ operation: z.literal("unique"), input: z.array(json) }),
]);
export type DataProcessingParameters = z.infer<typeof dataProcessingParameters>;

function at(value: JsonValue, field: string): JsonValue | undefined {
  return resolvePath(value, parseReference(field).segments) as JsonValue | undefined;
}

function pickFields(value: JsonValue, fields: readonly string[]): JsonValue {
  if (value === null || typeof value !== "object" || Array.isArray(value)) return value;
  const out: Record<string, JsonValue> = {};
  for (const f of fields) if (Object.hasOwn(value, f)) Object.defineProperty(out, f, { value: value[f], enumerable: true, writable: true, configurable: true });
  return out;
}

function matches(element: JsonValue, where: z.infer<typeof comparison>): boolean {
  const v = at(element, where.field);
  const target = where.value;
  switch (where.op) {
    case "exists":
      return v !== undefined && v !== null;
    case "eq":
      return JSON.stringify(v) === JSON.stringify(target);
    case "ne":
      return JSON.stringify(v) !== JSON.stringify(target);
    case "contains":
      if (typeof v === "string" && typeof target === "string") return v.includes(target);
      return Array.isArray(v) && v.some((x) => JSON.stringify(x) === JSON.stringify(target));
    case "in":
      return Array.isArray(target) && target.some((x) => JSON.stringify(x) === JSON.stringify(v));
    default: {
      const ok = (typeof v === "number" && typeof target === "number") || (typeof v === "string" && typeof target === "string");
      if (!ok) return false;
      const a = v as number | string;
      const b = target as number | string;
      return where.op === "gt" ? a > b : where.op === "gte" ? a >= b : where.op === "lt" ? a < b : a <= b;
    }
  }
}

/** Runs one safe data operation on JSON (no code evaluation). */
export function processData(params: DataProcessingParameters): JsonValue {
  switch (params.operation) {
    case "pick":
      return Array.isArray(params.input) ? params.input.map((e) => pickFields(e, params.fields)) : pickFields(params.input, params.fields);
    case "map":
      return params.input.map((e) => at(e, params.field) ?? null);
    case "filter":
      return params.input.filter((e) => matches(e, params.where));
    case "concat":
      return params.inputs.flatMap((v) => (Array.isArray(v) ? v : [v]));
    case "count": {
      const v = params.input;
      if (Array.isArray(v) || typeof v === "string") return v.length;
      if (v !== null && typeof v === "object") return Object.keys(v).length;
      return v === null ? 0 : 1;
    }
    case "merge": {
      const out: Record<string, JsonValue> = {};
      for (const obj of params.inputs) for (const [k, v] of Object.entries(obj)) Object.defineProperty(out, k, { value: v, enumerable: true, writable: true, configurable: true });
      return out;
    }
    case "unique": {
      const seen = new Set<string>();
      return params.input.filter((e) => {
        const key = JSON.stringify(e);
        if (seen.has(key)) return false;
        seen.add(key);
        return true;
      });
    }
  }
}

/** The built-in `data_processing` step: pick, map, filter, concat, count, merge, unique on JSON. */
export function dataProcessingHandler(): StepHandler<DataProcessingParameters> {
  return {
    type: "data_processing",
    parameters: dataProcessingParameters,
    execute: async ({ parameters }) => processData(parameters),
  };
}
