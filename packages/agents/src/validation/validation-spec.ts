import type { JsonValue } from "@bear/workflow-engine";
import { z } from "zod";

/**
 * What to check about a result. JSON, so it can sit in a workflow step's parameters, e.g.
 * `validate: { require_citations: true, sources: "{{ inputs.document }}", pii: scrubbed, min_confidence: 0.6 }`.
 */
export const validationSpecSchema = z.strictObject({
  /** A schema registered with the validator by this name; default: the one registered for the capability. */
  schema: z.string().min(1).optional(),
  /** Every citation must quote its source exactly; with `require_citations`, at least one must exist. */
  require_citations: z.boolean().optional(),
  /** The source text(s) citations point at: one text, or texts by source id. */
  sources: z.union([z.string(), z.record(z.string(), z.string())]).optional(),
  /** `scrubbed`: no string in the result may contain personal data. */
  pii: z.enum(["scrubbed", "allowed"]).optional(),
  /** Every `confidence` number in the result must be at least this; a result without one fails. */
  min_confidence: z.number().min(0).max(1).optional(),
  /** A validator agent to use instead of the one the load balancer picks. */
  validator: z.string().min(1).optional(),
});
export type ValidationSpec = z.infer<typeof validationSpecSchema>;

/** A result to check: which capability produced it, and the output. */
export interface ValidationSubject {
  readonly capability?: string;
  readonly output: JsonValue;
  readonly spec: ValidationSpec;
}

export interface ValidationIssue {
  /** The rule that failed: `schema`, `citations`, `pii`, `confidence`, or a custom rule's name. */
  readonly rule: string;
  /** Where in the output, e.g. `output.citations[2]`. */
  readonly path: string;
  /** Why, without quoting document text. */
  readonly message: string;
}

export interface ValidationReport {
  readonly valid: boolean;
  readonly issues: readonly ValidationIssue[];
  /** Rules that applied to this subject. */
  readonly checked: readonly string[];
}

/** One check. Return no issues when it passes, and `applies: false` when the spec does not ask for it. */
export interface ValidationRule {
  readonly name: string;
  applies(subject: ValidationSubject): boolean;
  check(subject: ValidationSubject, context: { readonly signal: AbortSignal }): Promise<readonly ValidationIssue[]> | readonly ValidationIssue[];
}

/** Path of a JSON value, as `output.a.b[2]`. */
export function formatPath(path: ReadonlyArray<string | number>): string {
  let out = "output";
  for (const segment of path) out += typeof segment === "number" ? `[${segment}]` : /^[A-Za-z_][A-Za-z0-9_]*$/.test(segment) ? `.${segment}` : `[${JSON.stringify(segment)}]`;
  return out;
}

/** Every value in a JSON tree with its path (depth-first, objects' own keys only). */
export function* walkJson(value: JsonValue, path: Array<string | number> = []): Generator<{ value: JsonValue; path: Array<string | number>; key: string | number | undefined }> {
  yield { value, path, key: path[path.length - 1] };
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) yield* walkJson(value[i]!, [...path, i]);
  } else if (value !== null && typeof value === "object") {
    for (const key of Object.keys(value)) yield* walkJson((value as Record<string, JsonValue>)[key]!, [...path, key]);
  }
}
