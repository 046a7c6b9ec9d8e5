import type { JsonValue, WorkflowInput } from "@bear/workflow-engine";
import { AgentError } from "../errors";
import type { ValidationSpec } from "../validation/validation-spec";

/** One piece of a complex task, done by one agent. */
export interface Subtask {
  /** Step id in the plan's workflow. */
  readonly id: string;
  readonly capability: string;
  /** Subtasks whose results this one needs (by id). */
  readonly dependsOn: readonly string[];
  /** The task input; may hold `{{ steps.<id>.output }}` references to its dependencies. */
  readonly input: JsonValue;
  readonly validate?: ValidationSpec;
}

/** How a complex task will run: the subtasks, which of them run together, and the workflow for the engine. */
export interface ExecutionPlan {
  readonly taskType: string;
  readonly subtasks: readonly Subtask[];
  /** Subtask ids by wave: every subtask of a wave only needs earlier waves, so a wave runs in parallel. */
  readonly waves: ReadonlyArray<readonly string[]>;
  readonly workflow: WorkflowInput;
  /** Run inputs the workflow expects besides the task input (validation specs). */
  readonly inputs: Readonly<Record<string, JsonValue>>;
  /**
   * Who the load balancer would pick for each subtask now. The real assignment is made when each
   * subtask starts, on the load and history of that moment.
   */
  readonly predictedAssignments: Readonly<Record<string, { readonly agentId: string; readonly score: number }>>;
}

export interface PlanOptions {
  readonly retry: { readonly attempts: number; readonly backoffMs: number };
  readonly finalValidation?: ValidationSpec;
  readonly stepTimeoutMs?: number;
}

/** Step id for a capability: `legal.extract_terms` → `legal_extract_terms`. */
export function stepIdFor(capability: string, taken: ReadonlySet<string>): string {
  let base = capability.replace(/[^A-Za-z0-9_-]/g, "_");
  if (!/^[A-Za-z_]/.test(base)) base = `_${base}`;
  base = base.slice(0, 100);
  let id = base;
  for (let n = 2; taken.has(id) || id === "_aggregate" || id === "_validate"; n++) id = `${base}_${n}`;
  return id;
}

/** Orders subtasks in waves (Kahn); a cycle or an unknown dependency is a PLAN_INVALID error naming it. */
export function planWaves(subtasks: readonly Subtask[]): string[][] {
  const ids = new Set(subtasks.map((s) => s.id));
  for (const s of subtasks) {
    for (const d of s.dependsOn) {
      if (!ids.has(d)) throw new AgentError("PLAN_INVALID", `subtask '${s.id}' depends on '${d}', which is not a subtask (subtasks: ${[...ids].join(", ")})`, { details: { subtask: s.id, dependency: d } });
    }
  }
  const waves: string[][] = [];
  const done = new Set<string>();
  let left = [...subtasks];
  while (left.length) {
    const wave = left.filter((s) => s.dependsOn.every((d) => done.has(d))).map((s) => s.id);
    if (wave.length === 0) {
      throw new AgentError("PLAN_INVALID", `the subtasks' dependencies form a cycle among: ${left.map((s) => s.id).join(", ")}`, {
        hint: "A subtask cannot (even indirectly) need its own result.",
      });
    }
    waves.push(wave);
    for (const id of wave) done.add(id);
    left = left.filter((s) => !done.has(s.id));
  }
  return waves;
}

/**
 * The workflow that executes a plan: one `agent.task` step per subtask (no dependency → they run
 * in parallel), an `agent.aggregate` step over all results, and an `agent.validate` gate when the
 * result must be validated. The task input and validation specs travel as run inputs, never
 * inlined, so document text is never parsed as a `{{ reference }}`.
 */
export function buildPlanWorkflow(taskType: string, subtasks: readonly Subtask[], options: PlanOptions): { workflow: WorkflowInput; inputs: Record<string, JsonValue> } {
  const specs: Record<string, JsonValue> = {};
  const steps: Array<Record<string, unknown>> = subtasks.map((s, i) => {
    if (s.validate) specs[`s${i}`] = s.validate as unknown as JsonValue;
    return {
      id: s.id,
      type: "agent.task",
      depends_on: [...s.dependsOn],
      retry: { attempts: options.retry.attempts, backoff: { initial: options.retry.backoffMs, factor: 2, max: 30_000, jitter: 0.2 } },
      ...(options.stepTimeoutMs === undefined ? {} : { timeout: options.stepTimeoutMs }),
      parameters: { capability: s.capability, input: s.input, ...(s.validate ? { validate: `{{ inputs.specs.s${i} }}` } : {}) },
    };
  });
  steps.push({
    id: "_aggregate",
    type: "agent.aggregate",
    depends_on: subtasks.map((s) => s.id),
    parameters: { task_type: taskType, results: Object.fromEntries(subtasks.map((s) => [s.id, `{{ steps.${s.id}.output }}`])) },
  });
  if (options.finalValidation) {
    specs["final"] = options.finalValidation as unknown as JsonValue;
    steps.push({ id: "_validate", type: "agent.validate", depends_on: ["_aggregate"], parameters: { subject: "{{ steps._aggregate.output }}", capability: taskType, spec: "{{ inputs.specs.final }}" } });
  }
  const workflow = {
    name: `delegate-${taskType}`.slice(0, 128),
    description: `Subtasks of a '${taskType}' task, planned by the coordinator.`,
    inputs: { task: { type: "any", required: true }, specs: { type: "object", default: {} } },
    steps,
  } as unknown as WorkflowInput;
  return { workflow, inputs: { specs } };
}
