import { randomUUID } from "node:crypto";
import { InvalidArgumentError } from "@bear/core";
import type { ExecuteOptions, Executor, JsonObject, JsonValue, RawJson, StepTask, WorkflowEngine } from "@bear/workflow-engine";
import { z } from "zod";
import { WorkflowAgent, type AgentTask, type AgentTaskContext, type WorkflowAgentOptions } from "../agent/workflow-agent";
import { AGENT_TYPES, type AgentType } from "../agent/agent";
import type { AgentDispatcher, SettledAssignment, TaskAssignment } from "../dispatch/agent-dispatcher";
import type { Aggregator } from "../dispatch/agent-step-handlers";
import { DelegationFailedError, NoCapableAgentError, TaskInputError } from "../errors";
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
  readonly validation: { readonly valid: true; readonly checked: readonly string[] } | null;
  readonly waves: ReadonlyArray<readonly string[]>;
  /** Who did each subtask attempt (a retried subtask appears once per attempt). */
  readonly assignments: readonly TaskAssignment[];
}

export interface DelegateOptions {
  readonly signal?: AbortSignal;
  /** The matter the subtasks work for (their documents, their file area); none: steps that need one are refused. */
  readonly matter?: string;
  /** Who delegates (a principal id; see RUN_ACTOR): the subtasks' run is started as them, so its acts are audited as them. */
  readonly actor?: string;
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
  /** Checks applied to a workflow step's result when the step has no `validate` of its own, by capability. */
  readonly defaultValidation?: Readonly<Record<string, ValidationSpec>>;
  /** Creates an executor for a step type no agent declares yet (e.g. a plugin's); true when it did. */
  readonly provision?: (capability: string) => boolean;
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
  readonly #defaultValidation: Map<string, ValidationSpec>;
  readonly #provision: ((capability: string) => boolean) | undefined;

  constructor(options: CoordinatorAgentOptions) {
    super({ name: "Coordinator", maxConcurrentTasks: 8, ...options, id: options.id ?? "coordinator", type: "coordinator", capabilities: [COORDINATION_CAPABILITY] });
    this.#engine = options.engine;
    this.#dispatcher = options.dispatcher;
    this.#attempts = options.subtaskAttempts ?? 3;
    this.#backoffMs = options.retryBackoffMs ?? 20;
    this.#timeoutMs = options.subtaskTimeoutMs;
    this.#parallelism = options.parallelism ?? 4;
    this.#defaultValidation = new Map(Object.entries(options.defaultValidation ?? {}));
    this.#provision = options.provision;
    for (const [type, def] of Object.entries(options.taskTypes ?? {})) this.defineTaskType(type, def);
  }

  /** Sets the checks a step of `capability` gets when it has no `validate` of its own. */
  setDefaultValidation(capability: string, spec: ValidationSpec | undefined): this {
    if (spec) this.#defaultValidation.set(capability, validationSpecSchema.parse(spec));
    else this.#defaultValidation.delete(capability);
    return this;
  }

  /**
   * One workflow step, as the engine hands it over (the seed's execution flow): the step's type is
   * the capability needed (an `agent.task` step names its own), the balancer assigns the best
   * executor among the agents declaring it (or the step's pinned `agent`, or its agent type), the
   * validator checks the result (the step's `validate`, else the capability's default checks), and
   * the assignment with its score breakdown and the verdict goes back to the engine with the output.
   * The coordinator's own bookkeeping steps (`agent.validate`, `agent.aggregate`, `agent.latest`)
   * run on `inner`.
   */
  async executeStep(task: StepTask, options: ExecuteOptions, inner: Executor): Promise<JsonValue | RawJson> {
    if (task.type.startsWith("agent.") && task.type !== "agent.task") return this.#bookkeeping(task, options, inner);
    const params = task.parameters;
    const capability = task.type === "agent.task" ? String(params["capability"] ?? "") : task.type;
    const input: JsonValue = task.type === "agent.task" ? (params["input"] ?? null) : params;
    const ownSpec = task.type === "agent.task" && params["validate"] !== undefined ? params["validate"] : task.validate;
    const spec = ownSpec === undefined ? (this.#defaultValidation.get(capability) ?? {}) : this.#spec(task, ownSpec);
    const pinned = this.#preference(task.agent, capability);
    if (pinned?.agentId === undefined) this.#ensureCapable(capability);
    return this.#dispatcher.dispatch(
      {
        id: `${task.runId}/${task.stepId}${task.index === undefined ? "" : `[${task.index}]`}`,
        capability,
        input,
        runId: task.runId,
        ...(task.matter === undefined ? {} : { matter: task.matter }), // file steps work in the run's matter area
        ...(task.actor === undefined ? {} : { actor: task.actor }), // its acts are audited as the run's starter
        stepId: task.stepId,
        attempt: task.attempt,
        ...(task.index === undefined ? {} : { index: task.index }),
        ...(task.item === undefined ? {} : { item: task.item }),
      },
      {
        signal: options.signal,
        progress: options.onProgress,
        validate: spec,
        ...pinned,
        ...(options.onAssignment ? { onSettled: (a: SettledAssignment) => options.onAssignment!(assignmentJson(a)) } : {}),
      },
    );
  }

  async #bookkeeping(task: StepTask, options: ExecuteOptions, inner: Executor): Promise<JsonValue | RawJson> {
    const started = performance.now();
    const report = (outcome: string, error: string | null): void =>
      options.onAssignment?.({ agentId: this.id, capability: task.type, role: "coordinator", outcome, error, durationMs: Math.round((performance.now() - started) * 1000) / 1000 });
    try {
      const output = await inner.execute(task, options);
      report("completed", null);
      return output;
    } catch (error) {
      const code = (error as { code?: unknown } | null)?.code;
      report(code === "RESULT_REJECTED" ? "rejected" : "failed", typeof code === "string" ? code : "ERROR");
      throw error;
    }
  }

  /**
   * A step's `agent`: an agent able to do the step is pinned; an agent type (`specialist`,
   * `validator`…, as the seed's workflows name roles) is preferred among the capable agents;
   * anything else is pinned and fails with the agent's own error (validation reports it first).
   */
  #preference(agent: string | undefined, capability: string): { agentId: string } | { agentType: AgentType; agentId?: undefined } | undefined {
    if (agent === undefined) return undefined;
    const registry = this.#dispatcher.registry;
    if (registry.has(agent) && registry.get(agent).can(capability)) return { agentId: agent };
    if ((AGENT_TYPES as readonly string[]).includes(agent)) return { agentType: agent as AgentType };
    return { agentId: agent };
  }

  #spec(task: StepTask, raw: JsonValue): ValidationSpec {
    const parsed = validationSpecSchema.safeParse(raw);
    if (!parsed.success) throw new TaskInputError(this.id, task.type, parsed.error.issues.map((i) => `${["validate", ...i.path].join(".")}: ${i.message}`).join("; "));
    return parsed.data;
  }

  #ensureCapable(capability: string): void {
    try {
      this.#dispatcher.registry.capableOf(capability);
    } catch (error) {
      if (!(error instanceof NoCapableAgentError) || !this.#provision?.(capability)) throw error;
    }
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
  async delegate(task: ComplexTask, options: DelegateOptions = {}): Promise<DelegationResult> {
    const parsed = this.#parse(task);
    const own: AgentTask = { id: `delegate:${parsed.type}:${randomUUID()}`, capability: COORDINATION_CAPABILITY, input: parsed as unknown as JsonValue, ...(options.matter === undefined ? {} : { matter: options.matter }), ...(options.actor === undefined ? {} : { actor: options.actor }) };
    const output = await this.run(own, options.signal ? { signal: options.signal } : {});
    return output as unknown as DelegationResult;
  }

  protected override async perform(task: AgentTask, ctx: AgentTaskContext): Promise<JsonValue> {
    const parsed = this.#parse(task.input as ComplexTask);
    const plan = this.plan(parsed);
    // the subtasks' run works in the parent run's matter (its documents, its file area), never in another,
    // and acts as whoever started the parent run (its audit records name them, not `workflow:<run>`)
    const owner = { ...(task.matter === undefined ? {} : { matter: task.matter }), ...(task.actor === undefined ? {} : { actor: task.actor }) };
    const handle = this.#engine.start(plan.workflow, { task: parsed.input, ...plan.inputs }, { signal: ctx.signal, parallelism: this.#parallelism, ...owner });
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
      validation: validated ? { valid: true, checked: validated.checked ?? [] } : null,
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

/** A settled assignment as the engine records it (plain JSON). */
function assignmentJson(a: SettledAssignment): JsonObject {
  const { type: _type, taskId: _taskId, runId: _runId, stepId: _stepId, ...rest } = a;
  return rest as unknown as JsonObject;
}
