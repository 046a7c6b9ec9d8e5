import { randomUUID } from "node:crypto";
import { InvalidArgumentError } from "@bear/core";
import type { JsonValue, WorkflowEngine } from "@bear/workflow-engine";
import { z } from "zod";
import { WorkflowAgent, type AgentTask, type AgentTaskContext, type WorkflowAgentOptions } from "../agent/workflow-agent";
import type { AgentDispatcher, TaskAssignment } from "../dispatch/agent-dispatcher";
import type { Aggregator } from "../dispatch/agent-step-handlers";
import { DelegationFailedError, TaskInputError } from "../errors";
import { VALIDATION_CAPABILITY } from "../validation/validator-agent";
import { validationSpecSchema, type ValidationSpec } from "../validation/validation-spec";
import { buildPlanWorkflow, planWaves, stepIdFor, type ExecutionPlan, type Subtask } from "./execution-plan";

/** How the coordinator breaks down a kind of task. */
export interface TaskTypeDefinition {
  /** The capabilities the task needs, one subtask each. */
  readonly requirements: readonly string[];
  /** Requirement → requirements whose results it needs (default: none, all run in parallel). */
  readonly dependencies?: Readonly<Record<string, readonly string[]>>;
  /** Checks on each subtask's result (by requirement) before it is accepted. */
  readonly subtaskValidation?: Readonly<Record<string, ValidationSpec>>;
  /** Checks on the aggregated result before the coordinator returns it. */
  readonly validate?: ValidationSpec;
  /** Combines the subtask results (default: `{ taskType, results }`). */
  readonly aggregate?: Aggregator;
}

const json = z.custom<JsonValue>(() => true);

/** A complex task as a caller (or the server's POST) gives it. JSON. */
export const complexTaskSchema = z.strictObject({
  /** e.g. `legal_document_analysis`; a defined task type supplies requirements and checks. */
  type: z.string().min(1).max(100),
  input: json.default(null),
  /** Capabilities needed (added to the task type's). */
  requirements: z.array(z.string().min(1)).optional(),
  dependencies: z.record(z.string(), z.array(z.string())).optional(),
  /** Per requirement: another input (may reference `{{ steps.<id>.output }}` of dependencies) and/or checks. */
  subtasks: z.record(z.string(), z.strictObject({ input: json.optional(), validate: validationSpecSchema.optional() })).optional(),
  validate: validationSpecSchema.optional(),
});
export type ComplexTask = z.input<typeof complexTaskSchema>;

export interface DelegationResult {
  readonly runId: string;
  readonly taskType: string;
  /** The aggregated (and, when asked, validated) result. */
  readonly output: JsonValue;
  /** Each subtask's result by subtask id. */
  readonly results: Readonly<Record<string, JsonValue>>;
  readonly validation: { readonly valid: true; readonly checked: readonly string[] } | undefined;
  readonly waves: ReadonlyArray<readonly string[]>;
  /** Who did each subtask attempt (a retried subtask appears once per attempt). */
  readonly assignments: readonly TaskAssignment[];
}

export interface CoordinatorAgentOptions extends Omit<WorkflowAgentOptions, "type" | "capabilities" | "id"> {
  readonly id?: string;
  readonly engine: WorkflowEngine;
  readonly dispatcher: AgentDispatcher;
  readonly taskTypes?: Readonly<Record<string, TaskTypeDefinition>>;
  /** Attempts per subtask (a rejected or failed result is retried, preferably on another agent). Default 3. */
  readonly subtaskAttempts?: number;
  readonly retryBackoffMs?: number;
  readonly subtaskTimeoutMs?: number;
  /** Subtasks running at once per task (default 4). */
  readonly parallelism?: number;
}

export const COORDINATION_CAPABILITY = "task_coordination";

/**
 * Turns a complex task into subtasks, plans them as a workflow (independent subtasks in parallel),
 * runs it on the engine with each subtask assigned by the adaptive load balancer, aggregates the
 * results and has them validated before returning.
 */
export class CoordinatorAgent extends WorkflowAgent {
  readonly #engine: WorkflowEngine;
  readonly #dispatcher: AgentDispatcher;
  readonly #taskTypes = new Map<string, TaskTypeDefinition>();
  readonly #attempts: number;
  readonly #backoffMs: number;
  readonly #timeoutMs: number | undefined;
  readonly #parallelism: number;

  constructor(options: CoordinatorAgentOptions) {
    super({ name: "Coordinator", maxConcurrentTasks: 8, ...options, id: options.id ?? "coordinator", type: "coordinator", capabilities: [COORDINATION_CAPABILITY] });
    this.#engine = options.engine;
    this.#dispatcher = options.dispatcher;
    this.#attempts = options.subtaskAttempts ?? 3;
    this.#backoffMs = options.retryBackoffMs ?? 20;
    this.#timeoutMs = options.subtaskTimeoutMs;
    this.#parallelism = options.parallelism ?? 4;
    for (const [type, def] of Object.entries(options.taskTypes ?? {})) this.defineTaskType(type, def);
  }

  /** Teaches the coordinator a kind of task. */
  defineTaskType(type: string, definition: TaskTypeDefinition): this {
    if (definition.requirements.length === 0) throw new InvalidArgumentError(`requirements of task type '${type}'`, [], "at least one capability");
    this.#taskTypes.set(type, definition);
    if (definition.aggregate) this.#dispatcher.aggregators.set(type, definition.aggregate);
    else this.#dispatcher.aggregators.delete(type);
    return this;
  }

  get taskTypes(): string[] {
    return [...this.#taskTypes.keys()];
  }

  /** The subtasks of a task: one per required capability, with their dependencies. */
  decompose(task: ComplexTask): Subtask[] {
    const parsed = this.#parse(task);
    const def = this.#taskTypes.get(parsed.type);
    const requirements = [...new Set([...(def?.requirements ?? []), ...(parsed.requirements ?? [])])];
    if (requirements.length === 0) {
      throw new TaskInputError(this.id, COORDINATION_CAPABILITY, `task type '${parsed.type}' is not defined and the task lists no requirements (defined types: ${this.taskTypes.join(", ") || "none"})`);
    }
    const dependencies: Record<string, readonly string[]> = { ...(def?.dependencies ?? {}), ...(parsed.dependencies ?? {}) };
    const taken = new Set<string>();
    const idOf = new Map<string, string>();
    for (const r of requirements) {
      const id = stepIdFor(r, taken);
      taken.add(id);
      idOf.set(r, id);
    }
    return requirements.map((capability) => {
      const dependsOn = (dependencies[capability] ?? []).map((d) => {
        const id = idOf.get(d);
        if (!id) throw new TaskInputError(this.id, COORDINATION_CAPABILITY, `requirement '${capability}' depends on '${d}', which is not a requirement of this task`);
        return id;
      });
      const override = parsed.subtasks?.[capability];
      const validate = override?.validate ?? def?.subtaskValidation?.[capability];
      const input: JsonValue =
        override?.input !== undefined
          ? override.input
          : dependsOn.length === 0
            ? "{{ inputs.task }}"
            : { task: "{{ inputs.task }}", upstream: Object.fromEntries(dependsOn.map((d) => [d, `{{ steps.${d}.output }}`])) };
      return { id: idOf.get(capability)!, capability, dependsOn, input, ...(validate ? { validate } : {}) };
    });
  }

  /** The execution plan of a task. Fails before anything runs if a capability has no agent (the error names it). */
  plan(task: ComplexTask): ExecutionPlan {
    const parsed = this.#parse(task);
    const subtasks = this.decompose(parsed);
    const waves = planWaves(subtasks);
    const finalValidation = parsed.validate ?? this.#taskTypes.get(parsed.type)?.validate;
    const predictedAssignments: Record<string, { agentId: string; score: number }> = {};
    for (const s of subtasks) {
      const best = this.#dispatcher.balancer.select(s.capability, this.#dispatcher.registry.capableOf(s.capability));
      predictedAssignments[s.id] = { agentId: best.agentId, score: Math.round(best.score * 1000) / 1000 };
    }
    if (finalValidation || subtasks.some((s) => s.validate)) this.#dispatcher.registry.capableOf(VALIDATION_CAPABILITY);
    const { workflow, inputs } = buildPlanWorkflow(parsed.type, subtasks, {
      retry: { attempts: this.#attempts, backoffMs: this.#backoffMs },
      ...(finalValidation ? { finalValidation } : {}),
      ...(this.#timeoutMs === undefined ? {} : { stepTimeoutMs: this.#timeoutMs }),
    });
    return { taskType: parsed.type, subtasks, waves, workflow, inputs, predictedAssignments };
  }

  /** Decompose → plan → run (parallel where independent) → aggregate → validate. Throws DelegationFailedError when the run fails. */
  async delegate(task: ComplexTask, options: { readonly signal?: AbortSignal } = {}): Promise<DelegationResult> {
    const parsed = this.#parse(task);
    const output = await this.run({ id: `delegate:${parsed.type}:${randomUUID()}`, capability: COORDINATION_CAPABILITY, input: parsed as unknown as JsonValue }, options.signal ? { signal: options.signal } : {});
    return output as unknown as DelegationResult;
  }

  protected override async perform(task: AgentTask, ctx: AgentTaskContext): Promise<JsonValue> {
    const parsed = this.#parse(task.input as ComplexTask);
    const plan = this.plan(parsed);
    const handle = this.#engine.start(plan.workflow, { task: parsed.input, ...plan.inputs }, { signal: ctx.signal, parallelism: this.#parallelism });
    this.logger.info({ runId: handle.runId, taskType: plan.taskType, subtasks: plan.subtasks.length, waves: plan.waves.length }, "delegating task");
    const result = await handle.result;
    const assignments = this.#dispatcher.assignmentsOf(handle.runId);
    this.#dispatcher.forgetRun(handle.runId);
    if (result.status !== "completed") throw new DelegationFailedError(plan.taskType, handle.runId, result.error, result.status);
    const validated = result.outputs["_validate"] as { checked?: string[] } | undefined;
    const delegation: DelegationResult = {
      runId: handle.runId,
      taskType: plan.taskType,
      output: result.outputs["_aggregate"] ?? null,
      results: Object.fromEntries(plan.subtasks.map((s) => [s.id, result.outputs[s.id] ?? null])),
      validation: validated ? { valid: true, checked: validated.checked ?? [] } : undefined,
      waves: plan.waves,
      assignments,
    };
    return delegation as unknown as JsonValue;
  }

  #parse(task: ComplexTask): z.output<typeof complexTaskSchema> {
    const parsed = complexTaskSchema.safeParse(task);
    if (!parsed.success) throw new TaskInputError(this.id, COORDINATION_CAPABILITY, parsed.error.issues.map((i) => `${["task", ...i.path].join(".")}: ${i.message}`).join("; "));
    return parsed.data;
  }
}
