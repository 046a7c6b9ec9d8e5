export const AGENT_TYPES = ["coordinator", "executor", "validator", "monitor", "specialist"] as const;
export type AgentType = (typeof AGENT_TYPES)[number];
/** `idle`: no task; `active`: working, with room for more; `busy`: every task slot taken. */
export type AgentStatus = "idle" | "busy" | "active";
/** As the monitor judged it: `stuck` (a task running too long) and `failing` (low recent success rate) are skipped by the balancer. */
export type AgentHealth = "healthy" | "stuck" | "failing";

/** What every agent declares about itself; the registry and load balancer read only this. */
export interface AgentDescriptor {
  readonly id: string;
  readonly name: string;
  readonly type: AgentType;
  readonly capabilities: readonly string[];
}

export interface LatencySummary {
  /** Samples in the window the percentiles are computed over. */
  readonly count: number;
  readonly meanMs: number;
  readonly p50Ms: number;
  readonly p95Ms: number;
  readonly p99Ms: number;
  readonly maxMs: number;
}

export interface AgentMetrics {
  readonly tasksCompleted: number;
  readonly tasksFailed: number;
  /** Tasks aborted by a cancelled run: not the agent's fault, not counted in the success rate. */
  readonly tasksCancelled?: number;
  /** Tasks refused for their input (invalid, or a capability the caller may not use): not the agent's fault either. */
  readonly tasksRefused?: number;
  /** Over the recent outcomes (see `recentWindow`); 1 before any task. */
  readonly successRate?: number;
  readonly latency?: LatencySummary;
}

export interface Agent extends AgentDescriptor {
  readonly status: AgentStatus;
  readonly metrics: AgentMetrics;
}

/** Task slots of an agent: what the load balancer weighs. */
export interface AgentLoad {
  readonly running: number;
  readonly queued: number;
  readonly capacity: number;
}

/** What an agent has shown on one capability. */
export interface CapabilityStats {
  /** Outcomes the success rate is based on. */
  readonly samples: number;
  /** 0..1 over recent outcomes (1 when there are none). */
  readonly successRate: number;
  /** Smoothed duration of this capability's tasks on this agent, when known. */
  readonly expectedLatencyMs: number | undefined;
}

/** A task an agent is working on or waiting to start (no input: it may hold document text). */
export interface CurrentTask {
  readonly taskId: string;
  readonly capability: string;
  readonly runId: string | undefined;
  readonly state: "queued" | "running";
  readonly queuedAt: number;
  readonly startedAt: number | undefined;
}

/** What inspect() returns and the server's GET /api/v1/agents/:id serves. JSON only, no document text. */
export interface AgentSnapshot extends AgentDescriptor {
  readonly status: AgentStatus;
  readonly health: AgentHealth;
  /** Why it is not healthy (numbers, no document text); null when healthy. */
  readonly healthReason: string | null;
  readonly load: AgentLoad;
  readonly currentTasks: readonly CurrentTask[];
  readonly metrics: Required<AgentMetrics>;
  readonly memory: { readonly runs: number; readonly entries: number; readonly bytes: number };
}

/** Lifecycle of each task an agent takes, for the monitor and the server's event stream. */
export type AgentActivity =
  | { readonly type: "task.queued"; readonly agentId: string; readonly taskId: string; readonly capability: string; readonly at: number }
  | { readonly type: "task.started"; readonly agentId: string; readonly taskId: string; readonly capability: string; readonly at: number }
  | { readonly type: "task.completed"; readonly agentId: string; readonly taskId: string; readonly capability: string; readonly at: number; readonly durationMs: number }
  | {
      readonly type: "task.failed" | "task.cancelled" | "task.refused";
      readonly agentId: string;
      readonly taskId: string;
      readonly capability: string;
      readonly at: number;
      readonly durationMs: number;
      readonly code: string;
    };
