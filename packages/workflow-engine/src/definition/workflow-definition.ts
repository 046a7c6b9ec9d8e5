import { z } from "zod";

/** Step types this package knows by name; other packages register more through StepHandlerRegistry. */
export const BUILT_IN_STEP_TYPES = ["llm_generation", "tool_execution", "data_processing", "file_operations"] as const;
export type BuiltInStepType = (typeof BUILT_IN_STEP_TYPES)[number];

const DURATION = /^(\d+(?:\.\d+)?)\s*(ms|s|m|h)$/;
const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** A duration as milliseconds (number) or text: "250ms", "30s", "5m", "1h". */
export const durationSchema = z.union([
  z.number().int().positive().max(2_147_483_647),
  z.string().regex(DURATION, "expected a duration such as 500ms, 30s, 5m or 1h"),
]);
export type Duration = z.infer<typeof durationSchema>;

export function durationMs(duration: Duration): number {
  if (typeof duration === "number") return duration;
  const m = DURATION.exec(duration);
  if (!m) throw new RangeError(`bad duration ${duration}`);
  return Math.round(Number(m[1]) * UNIT_MS[m[2]!]!);
}

export const STEP_ID = /^[A-Za-z_][A-Za-z0-9_-]{0,127}$/;

const jsonValue: z.ZodType<unknown> = z.unknown();

export const inputSpecSchema = z.strictObject({
  type: z.enum(["string", "number", "integer", "boolean", "array", "object", "any"]).default("any"),
  description: z.string().optional(),
  required: z.boolean().optional(),
  default: jsonValue.optional(),
});
export type InputSpec = z.infer<typeof inputSpecSchema>;

export const backoffSchema = z.union([
  durationSchema,
  z.strictObject({
    /** Delay before the first retry. */
    initial: durationSchema.default(200),
    /** Multiplier per further retry. */
    factor: z.number().min(1).max(10).default(2),
    /** Upper bound on one delay. */
    max: durationSchema.default(30_000),
    /** Fraction of each delay that is randomised (0 = none, 1 = full jitter). */
    jitter: z.number().min(0).max(1).default(0.5),
  }),
]);

export const retrySchema = z.strictObject({
  /** Total attempts including the first (1 = no retry). */
  attempts: z.number().int().min(1).max(100),
  backoff: backoffSchema.optional(),
});
export type RetryPolicy = z.infer<typeof retrySchema>;

export const onErrorSchema = z.union([z.enum(["fail", "continue"]), z.strictObject({ fallback: z.string().regex(STEP_ID, "expected a step id") })]);
export type OnError = z.infer<typeof onErrorSchema>;

export const stepSchema = z.strictObject({
  id: z.string().regex(STEP_ID, "expected a step id: a letter or '_' then letters, digits, '_' or '-' (at most 128)"),
  type: z.string().min(1, "expected a step type"),
  name: z.string().optional(),
  description: z.string().optional(),
  agent: z.string().min(1).optional(),
  parameters: z.record(z.string(), jsonValue).default({}),
  depends_on: z.array(z.string()).default([]),
  when: z.union([z.string().min(1), z.boolean()]).optional(),
  retry: retrySchema.optional(),
  timeout: durationSchema.optional(),
  on_error: onErrorSchema.default("fail"),
  /** A `{{ reference }}` to a list (or a literal list): the step runs once per item. */
  for_each: z.union([z.string().min(1), z.array(jsonValue)]).optional(),
  /**
   * Checks on the step's result, passed to the executor with the task (references resolved as in
   * `parameters`). The engine does not interpret them; @bear/agents' validator does.
   */
  validate: z.record(z.string(), jsonValue).optional(),
});
export type StepDefinition = z.infer<typeof stepSchema>;

export const workflowSchema = z.strictObject({
  name: z.string().min(1, "expected a workflow name"),
  description: z.string().optional(),
  version: z.union([z.string(), z.number()]).optional(),
  inputs: z.record(z.string().regex(STEP_ID, "expected an input name"), inputSpecSchema).default({}),
  timeout: durationSchema.optional(),
  steps: z.array(stepSchema).min(1, "a workflow needs at least one step"),
});

/** A workflow after schema validation, defaults applied. */
export type WorkflowDefinition = z.infer<typeof workflowSchema>;
/** A workflow as written (JSON or YAML), before defaults. */
export type WorkflowInput = z.input<typeof workflowSchema>;
