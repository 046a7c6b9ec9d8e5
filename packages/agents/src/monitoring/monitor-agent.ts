import type { EventBus } from "@bear/core";
import type { JsonValue } from "@bear/workflow-engine";
import { Subject, type Observable, type Subscription } from "rxjs";
import type { AgentHealth, AgentMetrics, AgentStatus, AgentType } from "../agent/agent";
import { WorkflowAgent, type AgentTask, type AgentTaskContext, type WorkflowAgentOptions } from "../agent/workflow-agent";
import type { ModelUsage } from "../executors/metered-llm";
import type { AgentRegistry } from "../registry/agent-registry";
import { FailureTracker } from "./failure-tracker";

export type { AgentHealth } from "../agent/agent";

/** Published when an agent's health changes (and as `agents:agent.health_changed` on the EventBus). */
export interface AgentHealthEvent {
  readonly type: "agent.health_changed";
  readonly agentId: string;
  readonly health: AgentHealth;
  readonly previous: AgentHealth;
  /** Why, in numbers: "task 'run/x' running for 61234 ms (limit 60000 ms)". */
  readonly reason: string;
  readonly at: number;
}

export interface AgentHealthEntry {
  readonly id: string;
  readonly type: AgentType;
  readonly status: AgentStatus;
  readonly health: AgentHealth;
  /** null when healthy (JSON: the report is a task output too). */
  readonly reason: string | null;
  readonly metrics: Required<AgentMetrics>;
}

export interface MonitorReport {
  readonly at: number;
  readonly agents: readonly AgentHealthEntry[];
  readonly models: readonly ModelUsage[];
  readonly totals: { readonly agents: number; readonly unhealthy: number; readonly running: number; readonly queued: number };
}

/** Anything with model usage numbers (a MeteredLlm is one). */
export interface ModelUsageSource {
  usage(): ModelUsage;
}

export interface MonitorAgentOptions extends Omit<WorkflowAgentOptions, "type" | "capabilities" | "id"> {
  readonly id?: string;
  readonly registry: AgentRegistry<WorkflowAgent>;
  readonly models?: readonly ModelUsageSource[];
  readonly eventBus?: EventBus;
  /** A task running longer than this makes its agent stuck (default 60 s). */
  readonly stuckAfterMs?: number;
  /** Below this recent success rate an agent is failing (default 0.5)… */
  readonly minSuccessRate?: number;
  /** …once it has finished at least this many tasks (default 4). */
  readonly minSamples?: number;
  /** This many failures in a row make an agent failing at once (default 3). */
  readonly maxConsecutiveFailures?: number;
  /** A failing agent is given a trial task again after this long (default 30 s; see FailureTracker). */
  readonly recoverAfterMs?: number;
  /** Check every so often (ms); 0 = only when `check()` is called (default 0). */
  readonly intervalMs?: number;
}

export const MONITORING_CAPABILITY = "monitoring";

/**
 * Watches every agent in the registry (and the models behind them): finds stuck and failing
 * agents and publishes health changes as events. `check()` is synchronous and cheap; `start()`
 * runs it on a timer that never keeps the process alive.
 */
export class MonitorAgent extends WorkflowAgent {
  readonly #registry: AgentRegistry<WorkflowAgent>;
  readonly #models: ModelUsageSource[];
  readonly #eventBus: EventBus | undefined;
  readonly #stuckAfterMs: number;
  readonly #failures: FailureTracker;
  readonly #intervalMs: number;
  readonly #events = new Subject<AgentHealthEvent>();
  readonly #subscription: Subscription;
  readonly #watched = new Map<string, Subscription>();
  #timer: ReturnType<typeof setInterval> | undefined;
  readonly onDidChangeHealth: Observable<AgentHealthEvent> = this.#events.asObservable();

  constructor(options: MonitorAgentOptions) {
    super({ name: "Monitor", ...options, id: options.id ?? "monitor", type: "monitor", capabilities: [MONITORING_CAPABILITY] });
    this.#registry = options.registry;
    this.#models = [...(options.models ?? [])];
    this.#eventBus = options.eventBus;
    this.#stuckAfterMs = options.stuckAfterMs ?? 60_000;
    this.#failures = new FailureTracker({
      ...(options.minSuccessRate === undefined ? {} : { minSuccessRate: options.minSuccessRate }),
      ...(options.minSamples === undefined ? {} : { minSamples: options.minSamples }),
      ...(options.maxConsecutiveFailures === undefined ? {} : { maxConsecutiveFailures: options.maxConsecutiveFailures }),
      ...(options.recoverAfterMs === undefined ? {} : { recoverAfterMs: options.recoverAfterMs }),
    });
    this.#intervalMs = options.intervalMs ?? 0;
    // Failures are judged as they happen, so a failing agent leaves the balancer's pool at once
    // rather than at the next timer tick; a completed task lets an unhealthy agent recover.
    for (const agent of this.#registry.list()) this.#watch(agent);
    this.#subscription = this.#registry.onDidChange.subscribe((e) => {
      if (e.type === "agent.added") this.#watch(e.agent);
      else {
        this.#watched.get(e.agent.id)?.unsubscribe();
        this.#watched.delete(e.agent.id);
        this.#failures.forget(e.agent.id);
      }
    });
  }

  #watch(agent: WorkflowAgent): void {
    if (agent === (this as WorkflowAgent) || this.#watched.has(agent.id)) return;
    this.#watched.set(
      agent.id,
      agent.onDidChangeActivity.subscribe((activity) => {
        if (activity.type !== "task.failed" && activity.type !== "task.completed") return;
        this.#failures.record(agent.id, activity.type === "task.completed");
        if (activity.type === "task.failed" || agent.health !== "healthy") this.#judge(agent, Date.now());
      }),
    );
  }

  /** Adds a model whose usage appears in reports. */
  watchModel(model: ModelUsageSource): void {
    if (!this.#models.includes(model)) this.#models.push(model);
  }

  /** Checks every agent now; publishes a health event for each change. */
  check(now: number = Date.now()): MonitorReport {
    const agents: AgentHealthEntry[] = [];
    let running = 0;
    let queued = 0;
    for (const agent of this.#registry.list()) {
      const metrics = agent.metrics;
      const load = agent.load;
      running += load.running;
      queued += load.queued;
      const { health, reason } = this.#judge(agent, now);
      agents.push({ id: agent.id, type: agent.type, status: agent.status, health, reason, metrics });
    }
    return {
      at: now,
      agents,
      models: this.#models.map((m) => m.usage()),
      totals: { agents: agents.length, unhealthy: agents.filter((a) => a.health !== "healthy").length, running, queued },
    };
  }

  /** Health as last checked. */
  healthOf(agentId: string): AgentHealth {
    return this.#registry.has(agentId) ? this.#registry.get(agentId).health : "healthy";
  }

  /** Assesses one agent, marks it, and publishes a change. */
  #judge(agent: WorkflowAgent, now: number): { health: AgentHealth; reason: string | null } {
    const { health, reason } = this.#assess(agent, now);
    const previous = agent.health;
    agent.markHealth(health, reason);
    if (health !== previous) {
      const recovered = this.#failures.onProbation(agent.id) ? "back in the pool on probation (one more failure takes it out again)" : "recovered";
      const event: AgentHealthEvent = { type: "agent.health_changed", agentId: agent.id, health, previous, reason: reason ?? recovered, at: now };
      this.logger.info({ agentId: agent.id, health, previous }, "agent health changed");
      this.#events.next(event);
      this.#eventBus?.publish({ ...event, type: "agents:agent.health_changed", source: "agents", timestamp: now });
    }
    return { health, reason };
  }

  /** How often the timer checks, while it runs; null when checks happen only on request. */
  get checkingEveryMs(): number | null {
    return this.#timer ? this.#intervalMs : null;
  }

  start(): void {
    if (this.#timer || this.#intervalMs <= 0) return;
    this.#timer = setInterval(() => this.check(), this.#intervalMs);
    this.#timer.unref();
  }

  stop(): void {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = undefined;
  }

  override dispose(): void {
    this.stop();
    this.#subscription.unsubscribe();
    for (const watched of this.#watched.values()) watched.unsubscribe();
    this.#watched.clear();
    this.#events.complete();
    super.dispose();
  }

  protected override async perform(_task: AgentTask, _ctx: AgentTaskContext): Promise<JsonValue> {
    return this.check() as unknown as JsonValue;
  }

  #assess(agent: WorkflowAgent, now: number): { health: AgentHealth; reason: string | null } {
    if (agent === (this as WorkflowAgent)) return { health: "healthy", reason: null };
    const longest = agent.currentTasks.filter((t) => t.startedAt !== undefined).sort((a, b) => a.startedAt! - b.startedAt!)[0];
    if (longest && now - longest.startedAt! > this.#stuckAfterMs) {
      return { health: "stuck", reason: `task '${longest.taskId}' running for ${now - longest.startedAt!} ms (limit ${this.#stuckAfterMs} ms)` };
    }
    const verdict = this.#failures.judge(agent.id, now);
    return verdict.failing ? { health: "failing", reason: verdict.reason } : { health: "healthy", reason: null };
  }
}
