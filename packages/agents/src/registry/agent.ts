export const AGENT_TYPES = ["coordinator", "executor", "validator", "monitor", "specialist"] as const;
export type AgentType = (typeof AGENT_TYPES)[number];
export type AgentStatus = "idle" | "busy" | "active";

/** What every agent declares about itself; the registry and load balancer read only this. */
export interface AgentDescriptor {
  readonly id: string;
  readonly name: string;
  readonly type: AgentType;
  readonly capabilities: readonly string[];
}

export interface AgentMetrics {
  readonly tasksCompleted: number;
  readonly tasksFailed: number;
}

export interface Agent extends AgentDescriptor {
  readonly status: AgentStatus;
  readonly metrics: AgentMetrics;
}
