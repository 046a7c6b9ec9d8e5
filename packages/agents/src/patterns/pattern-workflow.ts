import type { JsonValue } from "@bear/workflow-engine";
import { z } from "zod";
import { AgentError } from "../errors";
import { validationSpecSchema } from "../validation/validation-spec";
import { buildCollaborationWorkflow, collaborationPlanSchema } from "./collaboration";
import { Pipeline } from "./pipeline";

/**
 * The three agent patterns written directly as workflow definitions: a definition with a top-level
 * `pattern` (delegation, pipeline, collaboration) is expanded into plain agent.task / agent.validate
 * steps before the engine validates it, so a pattern run is as durable, resumable and visible as
 * any other run (the run stores the expanded steps).
 */
const json = z.custom<JsonValue>(() => true);
const STEP_ID = /^[A-Za-z_][A-Za-z0-9_-]{0,127}$/;
const stepId = z.string().regex(STEP_ID, "expected a step id");
const capability = z.string().min(1).max(128);

/** What every pattern definition shares with a plain workflow. */
const head = {
  name: z.string().min(1),
  description: z.string().optional(),
  version: z.union([z.string(), z.number()]).optional(),
  inputs: z.record(z.string(), json).optional(),
  timeout: z.union([z.string(), z.number()]).optional(),
};

const pipelineStage = z.strictObject({
  id: stepId,
  capability,
  input: json.optional(),
  validate: validationSpecSchema.optional(),
  attempts: z.number().int().min(1).max(20).optional(),
  agent: z.string().min(1).optional(),
});
const pipelineGate = z.strictObject({
  id: stepId,
  gate: validationSpecSchema,
  capability: capability.optional(),
  fallback: z.strictObject({ id: stepId, capability, input: json.optional(), agent: z.string().min(1).optional() }).optional(),
});

const pipelineDefinition = z.strictObject({ ...head, pattern: z.literal("pipeline"), stages: z.array(z.union([pipelineStage, pipelineGate])).min(1) });

const delegationDefinition = z.strictObject({
  ...head,
  pattern: z.literal("delegation"),
  /** The decomposition: an agent task whose output lists the subtasks (at `items`), or a literal list / reference. */
  decompose: z.union([
    z.strictObject({ capability, input: json.optional(), items: z.string().regex(/^[A-Za-z_][A-Za-z0-9_.]*$/).default("items") }),
    z.strictObject({ items: z.union([z.string().min(1), z.array(json)]) }),
  ]),
  /** Each subtask: the balancer picks the agent per item; `input` may use `{{ item }}` (default: the item). */
  subtask: z.strictObject({ capability, input: json.optional(), validate: validationSpecSchema.optional(), attempts: z.number().int().min(1).max(20).default(2) }),
  /** Combines the subtask results (input default `{ results }`). */
  aggregate: z.strictObject({ capability, input: json.optional(), validate: validationSpecSchema.optional() }),
  /** A gate on the aggregate before the run completes. */
  validate: validationSpecSchema.optional(),
});

const collaborationDefinition = z.strictObject({
  ...head,
  pattern: z.literal("collaboration"),
  /** What every agent receives as `brief` (default `{{ inputs.brief }}`). */
  brief: json.optional(),
  ...collaborationPlanSchema.omit({ name: true }).shape,
});

const patternDefinition = z.discriminatedUnion("pattern", [pipelineDefinition, delegationDefinition, collaborationDefinition]);
export type PatternWorkflow = z.input<typeof patternDefinition>;
export const AGENT_PATTERNS = ["delegation", "pipeline", "collaboration"] as const;

const RETRY_BACKOFF = { initial: 20, factor: 2, max: 5000, jitter: 0.2 };

/**
 * The definition with its `pattern` expanded into steps, or the value unchanged when it has no
 * `pattern` (the engine's registry calls this on every definition, see `addExpander`).
 */
export function expandPatternWorkflow(definition: unknown): unknown {
  if (typeof definition !== "object" || definition === null || Array.isArray(definition) || !("pattern" in definition)) return definition;
  const parsed = patternDefinition.safeParse(definition);
  if (!parsed.success) {
    const reasons = parsed.error.issues.map((i) => `${i.path.join(".") || "(root)"}: ${i.message}`).join("; ");
    throw new AgentError("PLAN_INVALID", `the ${String((definition as { pattern: unknown }).pattern)} workflow is invalid: ${reasons}`, {
      hint: `A pattern workflow has name, pattern (${AGENT_PATTERNS.join(", ")}) and the pattern's fields; see @bear/agents' README.`,
    });
  }
  const d = parsed.data;
  const base = {
    name: d.name,
    ...(d.description === undefined ? {} : { description: d.description }),
    ...(d.version === undefined ? {} : { version: d.version }),
    ...(d.timeout === undefined ? {} : { timeout: d.timeout }),
  };
  switch (d.pattern) {
    case "pipeline":
      return { ...pipelineWorkflow(d), ...base, ...(d.inputs ? { inputs: d.inputs } : {}) };
    case "collaboration": {
      const { name, pattern: _p, brief, inputs, description: _d, version: _v, timeout: _t, ...plan } = d;
      const workflow = buildCollaborationWorkflow({ ...plan, name }) as unknown as { steps: unknown[] };
      const steps = brief === undefined ? workflow.steps : (replaceExact(workflow.steps, "{{ inputs.brief }}", brief) as unknown[]);
      return { ...base, inputs: inputs ?? { brief: { type: "any", required: true } }, steps };
    }
    case "delegation":
      return { ...base, inputs: d.inputs ?? {}, steps: delegationSteps(d) };
  }
}

function pipelineWorkflow(d: z.infer<typeof pipelineDefinition>): Record<string, unknown> {
  const pipeline = new Pipeline(d.name, d.description);
  for (const s of d.stages) {
    if ("gate" in s) pipeline.gate({ id: s.id, validate: s.gate, ...(s.capability ? { capability: s.capability } : {}), ...(s.fallback ? { fallback: s.fallback } : {}) });
    else pipeline.stage(s);
  }
  return pipeline.toWorkflow() as unknown as Record<string, unknown>;
}

/** decompose → one agent.task per item (the engine fans out, the balancer picks each agent) → aggregate → gate. */
function delegationSteps(d: z.infer<typeof delegationDefinition>): Array<Record<string, unknown>> {
  const steps: Array<Record<string, unknown>> = [];
  let items: string | JsonValue[];
  if ("capability" in d.decompose) {
    steps.push({ id: "decompose", type: "agent.task", parameters: { capability: d.decompose.capability, input: d.decompose.input ?? {} } });
    items = `{{ steps.decompose.output.${d.decompose.items} }}`;
  } else {
    items = d.decompose.items;
  }
  const s = d.subtask;
  steps.push({
    id: "subtasks",
    type: "agent.task",
    depends_on: steps.length ? ["decompose"] : [],
    for_each: items,
    ...(s.attempts > 1 ? { retry: { attempts: s.attempts, backoff: RETRY_BACKOFF } } : {}),
    parameters: { capability: s.capability, input: s.input ?? "{{ item }}", ...(s.validate ? { validate: s.validate } : {}) },
  });
  const a = d.aggregate;
  steps.push({
    id: "aggregate",
    type: "agent.task",
    depends_on: ["subtasks"],
    parameters: { capability: a.capability, input: a.input ?? { results: "{{ steps.subtasks.output }}" }, ...(a.validate ? { validate: a.validate } : {}) },
  });
  if (d.validate) steps.push({ id: "validate", type: "agent.validate", depends_on: ["aggregate"], parameters: { subject: "{{ steps.aggregate.output }}", spec: d.validate } });
  return steps;
}

/** A deep copy with every string equal to `from` replaced by `to`. */
function replaceExact(value: unknown, from: string, to: unknown): unknown {
  if (value === from) return to;
  if (Array.isArray(value)) return value.map((v) => replaceExact(v, from, to));
  if (typeof value === "object" && value !== null) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, replaceExact(v, from, to)]));
  return value;
}
