import { DisposedError, InvalidArgumentError, silentLogger, type Logger } from "@bear/core";
import { isStepRefusal, type JsonValue, type StepProgress } from "@bear/workflow-engine";
import { Subject, type Observable } from "rxjs";
import { CapabilityUnsupportedError } from "../errors";
import type { Agent, AgentActivity, AgentHealth, AgentMetrics, AgentLoad, AgentSnapshot, AgentStatus, AgentType, CapabilityStats, CurrentTask } from "./agent";
import { AgentMetricsRecorder, type AgentMetricsOptions } from "./agent-metrics";
import { WorkingMemory, type WorkingMemoryOptions } from "./working-memory";

/** One unit of work for an agent: a capability and its JSON input. */
export interface AgentTask {
  /** Unique while it runs, e.g. `<runId>/<stepId>` or `<runId>/<stepId>[3]`. */
  readonly id: string;
  readonly capability: string;
  readonly input: JsonValue;
  /** The workflow run it belongs to: working memory is kept per run. */
  readonly runId?: string;
  /** The run's matter: file_operations steps work inside its area only, and a tool reading documents stays inside it. */
  readonly matter?: string;
  /** Who started the run (StartRunOptions.actor): the task's acts, and a run it starts, are theirs. */
  readonly actor?: string;
  readonly stepId?: string;
  /** 1 for the first attempt. */
  readonly attempt?: number;
  readonly index?: number;
  /** The item of a `for_each` fan-out this task is for. */
  readonly item?: JsonValue;
}

/** What an agent's `perform` receives besides the task. */
export interface AgentTaskContext {
  /** Aborted on cancellation, timeout, or forced removal of the agent. */
  readonly signal: AbortSignal;
  /** This agent's working memory for the task's run (bounded). */
  readonly memory: WorkingMemory;
  /** The run's shared context, visible to every agent working on the run (bounded). */
  readonly shared: WorkingMemory;
  readonly attempt: number;
  readonly logger: Logger;
  progress(progress: StepProgress): void;
}

export interface RunTaskOptions {
  readonly signal?: AbortSignal;
  readonly progress?: (progress: StepProgress) => void;
  /** Checks the output before the task counts as completed; throwing makes it a failed task. */
  readonly accept?: (output: JsonValue) => Promise<void> | void;
  /** The run's shared context (the dispatcher passes one per run). */
  readonly shared?: WorkingMemory;
}

export interface WorkflowAgentOptions {
  /** 1-64 letters, digits, '.', '_' or '-'. */
  readonly id: string;
  readonly name?: string;
  readonly type: AgentType;
  readonly capabilities: readonly string[];
  /** Tasks run at once; more wait in FIFO order (default 2). */
  readonly maxConcurrentTasks?: number;
  /** Bounds of the working memory kept per run. */
  readonly memory?: WorkingMemoryOptions;
  /** Runs whose working memory is kept (least recently used dropped, default 16). */
  readonly maxRunMemories?: number;
  readonly metrics?: AgentMetricsOptions;
  readonly logger?: Logger;
}

const AGENT_ID = /^[a-z0-9][a-z0-9_.-]{0,63}$/i;
const NO_RUN = "(no run)";

interface TaskEntry {
  readonly taskId: string;
  readonly capability: string;
  readonly runId: string | undefined;
  state: "queued" | "running";
  readonly queuedAt: number;
  startedAt: number | undefined;
  readonly controller: AbortController;
}

/**
 * The base of every agent: identity, declared capabilities, status, task slots with a FIFO queue,
 * a bounded working memory per run, and metrics (counts, recent success rate, latency
 * percentiles). Subclasses implement `perform`; callers use `run`, which does the bookkeeping.
 */
export abstract class WorkflowAgent implements Agent {
  readonly id: string;
  readonly name: string;
  readonly type: AgentType;
  readonly capabilities: readonly string[];
  readonly maxConcurrentTasks: number;
  protected readonly logger: Logger;
  readonly #metrics: AgentMetricsRecorder;
  readonly #memoryOptions: WorkingMemoryOptions;
  readonly #maxRunMemories: number;
  readonly #memories = new Map<string, WorkingMemory>();
  readonly #tasks = new Set<TaskEntry>();
  readonly #waiting: Array<() => void> = [];
  readonly #activity = new Subject<AgentActivity>();
  #running = 0;
  #disposed = false;
  #health: AgentHealth = "healthy";
  #healthReason: string | null = null;
  /** Every task's lifecycle on this agent (ids, capability, timings; never inputs or outputs). */
  readonly onDidChangeActivity: Observable<AgentActivity> = this.#activity.asObservable();

  constructor(options: WorkflowAgentOptions) {
    if (!AGENT_ID.test(options.id)) throw new InvalidArgumentError("agent id", options.id, "1-64 letters, digits, '.', '_' or '-'");
    const max = options.maxConcurrentTasks ?? 2;
    if (!Number.isInteger(max) || max < 1) throw new InvalidArgumentError("maxConcurrentTasks", max, "a positive integer");
    this.id = options.id;
    this.name = options.name ?? options.id;
    this.type = options.type;
    this.capabilities = Object.freeze([...new Set(options.capabilities)]);
    this.maxConcurrentTasks = max;
    this.#metrics = new AgentMetricsRecorder(options.metrics);
    this.#memoryOptions = options.memory ?? {};
    this.#maxRunMemories = options.maxRunMemories ?? 16;
    this.logger = (options.logger ?? silentLogger).child({ name: `agents:${this.constructor.name}`, agentId: this.id });
  }

  /** Does the work of one task. Honour `ctx.signal`; return JSON. */
  protected abstract perform(task: AgentTask, ctx: AgentTaskContext): Promise<JsonValue>;

  can(capability: string): boolean {
    return this.capabilities.includes(capability);
  }

  get status(): AgentStatus {
    if (this.#tasks.size === 0) return "idle";
    return this.#running >= this.maxConcurrentTasks ? "busy" : "active";
  }

  /** As the monitor last judged it (see MonitorAgent); the balancer skips unhealthy agents. */
  get health(): AgentHealth {
    return this.#health;
  }

  get healthReason(): string | null {
    return this.#healthReason;
  }

  /** Set by the monitor. */
  markHealth(health: AgentHealth, reason: string | null): void {
    this.#health = health;
    this.#healthReason = health === "healthy" ? null : reason;
  }

  get load(): AgentLoad {
    return { running: this.#running, queued: this.#tasks.size - this.#running, capacity: this.maxConcurrentTasks };
  }

  get metrics(): Required<AgentMetrics> {
    return this.#metrics.snapshot();
  }

  stats(capability: string): CapabilityStats {
    return this.#metrics.stats(capability);
  }

  get currentTasks(): CurrentTask[] {
    return [...this.#tasks].map((t) => ({ taskId: t.taskId, capability: t.capability, runId: t.runId, state: t.state, queuedAt: t.queuedAt, startedAt: t.startedAt }));
  }

  get disposed(): boolean {
    return this.#disposed;
  }

  /** This agent's working memory for a run (created on first use; bounded). */
  memoryOf(runId: string | undefined): WorkingMemory {
    const key = runId ?? NO_RUN;
    let memory = this.#memories.get(key);
    if (memory) {
      this.#memories.delete(key);
    } else {
      memory = new WorkingMemory(this.#memoryOptions);
    }
    this.#memories.set(key, memory);
    for (const oldest of this.#memories.keys()) {
      if (this.#memories.size <= this.#maxRunMemories) break;
      this.#memories.delete(oldest);
    }
    return memory;
  }

  /** Drops the working memory of a finished run. */
  forgetRun(runId: string): boolean {
    return this.#memories.delete(runId);
  }

  /**
   * Runs one task: waits for a free slot (FIFO), calls `perform`, checks the output with
   * `options.accept`, and records the outcome. The load counts the task from the moment this is
   * called, so a balancer choosing right after sees it.
   */
  async run(task: AgentTask, options: RunTaskOptions = {}): Promise<JsonValue> {
    if (this.#disposed) throw new DisposedError(`agent '${this.id}'`);
    if (!this.can(task.capability)) throw new CapabilityUnsupportedError(this.id, task.capability, this.capabilities);
    // One controller per task, following the caller's signal by a listener: AbortSignal.any()
    // costs weak references and GC work on every task, which the per-step path cannot afford.
    const controller = new AbortController();
    const outer = options.signal;
    const follow = outer ? (): void => controller.abort(outer.reason) : undefined;
    if (outer?.aborted) controller.abort(outer.reason);
    else if (follow) outer!.addEventListener("abort", follow, { once: true });
    const signal = controller.signal;
    const entry: TaskEntry = { taskId: task.id, capability: task.capability, runId: task.runId, state: "queued", queuedAt: Date.now(), startedAt: undefined, controller };
    this.#tasks.add(entry);
    this.#emit({ type: "task.queued", agentId: this.id, taskId: task.id, capability: task.capability, at: entry.queuedAt });
    let acquired = false;
    let started = performance.now();
    try {
      await this.#acquire(signal);
      acquired = true;
      entry.state = "running";
      entry.startedAt = Date.now();
      started = performance.now();
      this.#emit({ type: "task.started", agentId: this.id, taskId: task.id, capability: task.capability, at: entry.startedAt });
      const ctx: AgentTaskContext = {
        signal,
        memory: this.memoryOf(task.runId),
        shared: options.shared ?? new WorkingMemory(),
        attempt: task.attempt ?? 1,
        logger: this.logger,
        progress: options.progress ?? (() => undefined),
      };
      signal.throwIfAborted();
      const output = await this.perform(task, ctx);
      signal.throwIfAborted();
      if (options.accept) await options.accept(output);
      const durationMs = performance.now() - started;
      this.#metrics.record(task.capability, "completed", durationMs);
      this.#emit({ type: "task.completed", agentId: this.id, taskId: task.id, capability: task.capability, at: Date.now(), durationMs });
      return output;
    } catch (error) {
      const durationMs = performance.now() - started;
      const code = errorCode(error);
      // A cancelled run is nobody's failure, a refused input the caller's; a timeout or a rejected result is this agent's.
      const cancelled = signal.aborted && code !== "STEP_TIMEOUT" && errorCode(signal.reason) !== "STEP_TIMEOUT";
      const outcome = cancelled ? "cancelled" : isStepRefusal(error) ? "refused" : "failed";
      this.#metrics.record(task.capability, outcome, durationMs);
      this.#emit({ type: `task.${outcome}`, agentId: this.id, taskId: task.id, capability: task.capability, at: Date.now(), durationMs, code });
      this.logger.debug({ taskId: task.id, capability: task.capability, code, cancelled }, "task did not complete");
      throw error;
    } finally {
      if (follow) outer!.removeEventListener("abort", follow);
      this.#tasks.delete(entry);
      if (acquired) this.#release();
    }
  }

  /** Aborts every task this agent is working on or waiting to start; returns how many. */
  abortTasks(reason = "aborted"): number {
    const error = new Error(`agent '${this.id}': ${reason}`);
    for (const entry of this.#tasks) entry.controller.abort(error);
    return this.#tasks.size;
  }

  /** The agent as the server shows it: JSON, no inputs, outputs or memory contents. */
  inspect(): AgentSnapshot {
    let entries = 0;
    let bytes = 0;
    for (const memory of this.#memories.values()) {
      entries += memory.size;
      bytes += memory.bytes;
    }
    return {
      id: this.id,
      name: this.name,
      type: this.type,
      capabilities: this.capabilities,
      status: this.status,
      health: this.#health,
      healthReason: this.#healthReason,
      load: this.load,
      currentTasks: this.currentTasks,
      metrics: this.metrics,
      memory: { runs: this.#memories.size, entries, bytes },
    };
  }

  toJSON(): AgentSnapshot {
    return this.inspect();
  }

  /** Aborts running tasks, drops memory, completes the activity stream. */
  dispose(): void {
    if (this.#disposed) return;
    this.#disposed = true;
    this.abortTasks("the agent was disposed");
    this.#memories.clear();
    this.#activity.complete();
  }

  #emit(activity: AgentActivity): void {
    if (!this.#disposed) this.#activity.next(activity);
  }

  async #acquire(signal: AbortSignal): Promise<void> {
    signal.throwIfAborted();
    if (this.#running < this.maxConcurrentTasks && this.#waiting.length === 0) {
      this.#running++;
      return;
    }
    await new Promise<void>((resolve, reject) => {
      const grant = (): void => {
        signal.removeEventListener("abort", onAbort);
        this.#running++;
        resolve();
      };
      const onAbort = (): void => {
        const i = this.#waiting.indexOf(grant);
        if (i >= 0) this.#waiting.splice(i, 1);
        reject(signal.reason);
      };
      this.#waiting.push(grant);
      signal.addEventListener("abort", onAbort, { once: true });
    });
  }

  #release(): void {
    this.#running--;
    const next = this.#waiting.shift();
    if (next) next();
  }
}

function errorCode(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === "string" ? code : error instanceof Error && error.name === "AbortError" ? "ABORTED" : "ERROR";
}
