import { silentLogger, type EventBus, type Logger } from "@bear/core";
import type { JsonValue, StepProgress } from "@bear/workflow-engine";
import { Subject, type Observable } from "rxjs";
import type { AgentTask, WorkflowAgent } from "../agent/workflow-agent";
import { WorkingMemory, type WorkingMemoryOptions } from "../agent/working-memory";
import { AdaptiveLoadBalancer } from "../balancing/adaptive-load-balancer";
import { ResultRejectedError } from "../errors";
import type { AgentRegistry } from "../registry/agent-registry";
import { VALIDATION_CAPABILITY, ValidatorAgent } from "../validation/validator-agent";
import type { ValidationIssue, ValidationReport, ValidationSpec } from "../validation/validation-spec";
import type { AgentType } from "../agent/agent";
import type { Aggregator } from "./agent-step-handlers";

/** The parts of the balancer's score (each 0..1) and their weights, rounded for display. */
export interface ScoreBreakdown {
  readonly capability: number;
  readonly history: number;
  readonly load: number;
  readonly time: number;
  readonly weights: { readonly capability: number; readonly history: number; readonly load: number; readonly time: number };
}

/** What the validator said about a result (rules that applied, and the reasons when rejected). */
export interface ValidationVerdict {
  readonly validator: string;
  readonly valid: boolean;
  readonly checked: readonly string[];
  readonly issues: readonly ValidationIssue[];
}

/** Who got a task and why (numbers and ids only). JSON. */
export interface TaskAssignment {
  readonly type: "task.assigned";
  readonly taskId: string;
  readonly runId: string | null;
  readonly stepId: string | null;
  readonly capability: string;
  readonly attempt: number;
  readonly agentId: string;
  /** The balancer's score, or null when the step pinned the agent. */
  readonly score: number | null;
  readonly breakdown: ScoreBreakdown | null;
  /** Capable agents considered, and how many of them were skipped as busy or unhealthy. */
  readonly candidates: number;
  readonly skipped: number;
  readonly at: number;
}

/** An assignment once the task settled: the outcome and the validator's verdict. */
export interface SettledAssignment extends TaskAssignment {
  readonly outcome: "completed" | "failed" | "rejected" | "cancelled";
  /** null when the agent failed before producing a result to validate. */
  readonly verdict: ValidationVerdict | null;
  readonly durationMs: number;
  /** The error code when the task did not complete. */
  readonly error: string | null;
}

export interface DispatchOptions {
  readonly signal?: AbortSignal;
  readonly progress?: (progress: StepProgress) => void;
  /** Use this agent instead of balancing (a workflow step's `agent` field). */
  readonly agentId?: string;
  /** Prefer agents of this type (a step's `agent: specialist`); any capable agent when none of them is. */
  readonly agentType?: AgentType;
  /** Validate the result before accepting it; a failed report rejects it (ResultRejectedError). */
  readonly validate?: ValidationSpec;
  /** Called once the task settled (completed, failed, rejected or cancelled). */
  readonly onSettled?: (assignment: SettledAssignment) => void;
}

export interface AgentDispatcherOptions {
  readonly registry: AgentRegistry<WorkflowAgent>;
  readonly balancer?: AdaptiveLoadBalancer;
  readonly logger?: Logger;
  /** Assignments are also published here as `agents:task.assigned`. */
  readonly eventBus?: EventBus;
  /** Bounds of each run's shared context. */
  readonly sharedMemory?: WorkingMemoryOptions;
  /** Runs whose assignments and shared context are kept until forgotten (least recent dropped; default 256). */
  readonly maxTrackedRuns?: number;
}

interface RunState {
  readonly assignments: TaskAssignment[];
  readonly shared: WorkingMemory;
  /** step key → agents whose result for it failed or was rejected. */
  readonly failedBy: Map<string, Set<string>>;
}

/**
 * Gives tasks to agents: picks one with the load balancer (avoiding agents that already failed
 * this step), runs it, has the result validated when asked, and records the assignment. The
 * `agent.task` workflow step is a thin wrapper around `dispatch`.
 */
export class AgentDispatcher {
  readonly registry: AgentRegistry<WorkflowAgent>;
  readonly balancer: AdaptiveLoadBalancer;
  readonly #logger: Logger;
  readonly #eventBus: EventBus | undefined;
  readonly #sharedMemory: WorkingMemoryOptions;
  readonly #maxRuns: number;
  readonly #runs = new Map<string, RunState>();
  #validations = 0;
  readonly #assigned = new Subject<TaskAssignment>();
  readonly onDidAssignTask: Observable<TaskAssignment> = this.#assigned.asObservable();
  /** Aggregators by task type, used by the `agent.aggregate` step (the coordinator fills it). */
  readonly aggregators = new Map<string, Aggregator>();

  constructor(options: AgentDispatcherOptions) {
    this.registry = options.registry;
    this.balancer = options.balancer ?? new AdaptiveLoadBalancer();
    this.#logger = (options.logger ?? silentLogger).child({ name: "agents:AgentDispatcher" });
    this.#eventBus = options.eventBus;
    this.#sharedMemory = options.sharedMemory ?? {};
    this.#maxRuns = options.maxTrackedRuns ?? 256;
  }

  /** Runs a task on the best agent for its capability (or the pinned one) and returns its output. */
  async dispatch(task: AgentTask, options: DispatchOptions = {}): Promise<JsonValue> {
    const state = this.#state(task.runId);
    const stepKey = `${task.stepId ?? task.id}#${task.index ?? ""}`;
    const failed = state.failedBy.get(stepKey);
    let agent: WorkflowAgent;
    let score: number | null = null;
    let breakdown: ScoreBreakdown | null = null;
    let candidates = 1;
    let skipped = 0;
    if (options.agentId !== undefined) {
      agent = this.registry.get(options.agentId);
    } else {
      let capable = this.registry.capableOf(task.capability);
      if (options.agentType !== undefined) {
        const ofType = capable.filter((a) => a.type === options.agentType);
        if (ofType.length > 0) capable = ofType;
      }
      const ranked = this.balancer.rank(task.capability, capable, failed ? { exclude: failed } : {});
      const choice = ranked[0]!;
      agent = choice.candidate;
      candidates = capable.length;
      for (const r of ranked) if (!r.available) skipped++;
      score = round(choice.score);
      const w = this.balancer.weights;
      breakdown = {
        capability: round(choice.capabilityMatch),
        history: round(choice.performance),
        load: round(choice.loadFactor),
        time: round(choice.completion),
        weights: { capability: w.capability, history: w.performance, load: w.load, time: w.completion },
      };
    }
    const assignment: TaskAssignment = {
      type: "task.assigned",
      taskId: task.id,
      runId: task.runId ?? null,
      stepId: task.stepId ?? null,
      capability: task.capability,
      attempt: task.attempt ?? 1,
      agentId: agent.id,
      score,
      breakdown,
      candidates,
      skipped,
      at: Date.now(),
    };
    state.assignments.push(assignment);
    if (state.assignments.length > 10_000) state.assignments.shift();
    this.#assigned.next(assignment);
    this.#eventBus?.publish({ ...assignment, type: "agents:task.assigned", source: "agents", timestamp: assignment.at });
    this.#logger.debug({ taskId: task.id, capability: task.capability, agentId: agent.id, score }, "task assigned");

    const spec = options.validate;
    let verdict: ValidationVerdict | null = null;
    const started = performance.now();
    const settle = (outcome: SettledAssignment["outcome"], error: string | null): void => {
      options.onSettled?.({ ...assignment, outcome, verdict, durationMs: Math.round((performance.now() - started) * 1000) / 1000, error });
    };
    try {
      const output = await agent.run(task, {
        shared: state.shared,
        ...(options.signal ? { signal: options.signal } : {}),
        ...(options.progress ? { progress: options.progress } : {}),
        ...(spec
          ? {
              accept: async (out: JsonValue) => {
                const { report, validator } = await this.#check({ capability: task.capability, output: out, spec }, options.signal);
                verdict = { validator, valid: report.valid, checked: report.checked, issues: report.issues };
                if (!report.valid) throw new ResultRejectedError(`task '${task.id}' ('${task.capability}' by agent '${agent.id}')`, report.issues);
              },
            }
          : {}),
      });
      state.failedBy.delete(stepKey);
      settle("completed", null);
      return output;
    } catch (error) {
      let set = state.failedBy.get(stepKey);
      if (!set) state.failedBy.set(stepKey, (set = new Set()));
      set.add(agent.id);
      const code = (error as { code?: unknown } | null)?.code;
      const rejected = (verdict as ValidationVerdict | null)?.valid === false;
      settle(rejected ? "rejected" : options.signal?.aborted ? "cancelled" : "failed", typeof code === "string" ? code : "ERROR");
      throw error;
    }
  }

  /** Has a validator agent (the spec's, or the balancer's choice) check a result. */
  async validate(subject: { readonly capability?: string; readonly output: JsonValue; readonly spec: ValidationSpec }, signal?: AbortSignal): Promise<ValidationReport> {
    return (await this.#check(subject, signal)).report;
  }

  async #check(subject: { readonly capability?: string; readonly output: JsonValue; readonly spec: ValidationSpec }, signal?: AbortSignal): Promise<{ report: ValidationReport; validator: string }> {
    const validator = subject.spec.validator !== undefined ? this.registry.get(subject.spec.validator) : this.balancer.select(VALIDATION_CAPABILITY, this.registry.capableOf(VALIDATION_CAPABILITY)).candidate;
    // Nothing to check (no rule applies: no checks asked, no schema for the capability): the
    // validator's verdict is "valid, nothing checked", without the cost of a task.
    if (validator instanceof ValidatorAgent && !validator.applies(subject)) return { report: { valid: true, issues: [], checked: [] }, validator: validator.id };
    const input = { ...(subject.capability ? { capability: subject.capability } : {}), output: subject.output, spec: subject.spec } as unknown as JsonValue;
    this.#validations++;
    const task = { id: `${subject.capability ?? "result"}:validation:${this.#validations}`, capability: VALIDATION_CAPABILITY, input };
    return { report: (await validator.run(task, signal ? { signal } : {})) as unknown as ValidationReport, validator: validator.id };
  }

  /** Who did what in a run, in order of assignment. */
  assignmentsOf(runId: string): TaskAssignment[] {
    return [...(this.#runs.get(runId)?.assignments ?? [])];
  }

  /** The shared context of a run (what every agent on it sees as `ctx.shared`). */
  sharedContextOf(runId: string): WorkingMemory {
    return this.#state(runId).shared;
  }

  /** Drops what is kept about a finished run (assignments, shared context, agents' working memory). */
  forgetRun(runId: string): void {
    this.#runs.delete(runId);
    for (const agent of this.registry.list()) agent.forgetRun(runId);
  }

  #state(runId: string | undefined): RunState {
    const key = runId ?? "(direct)";
    let state = this.#runs.get(key);
    if (!state) {
      state = { assignments: [], shared: new WorkingMemory(this.#sharedMemory), failedBy: new Map() };
      this.#runs.set(key, state);
      for (const oldest of this.#runs.keys()) {
        if (this.#runs.size <= this.#maxRuns) break;
        this.#runs.delete(oldest);
      }
    }
    return state;
  }
}

function round(n: number): number {
  return Math.round(n * 1000) / 1000;
}
