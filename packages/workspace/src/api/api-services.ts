import type { BearConfig, Llm } from "@bear/core";
import type { AgentSystem } from "@bear/agents";
import type { ModelManager } from "@bear/model-manager";
import type { RagEngine } from "@bear/rag";
import type { AccessControl, RateLimiter } from "@bear/security";
import type { WorkflowEngine } from "@bear/workflow-engine";
import type { AuditPolicy } from "../audit/audit-policy";
import type { Workspace } from "../workspace";

/** What the API operations use: the opened workspace, and its services resolved once at start. */
export interface BearServices {
  readonly workspace: Workspace;
  readonly config: BearConfig;
  readonly rag: RagEngine;
  readonly models: ModelManager;
  readonly workflows: WorkflowEngine;
  /** Agents on the same workflow engine (coordinator, monitor, executors, validator). */
  readonly agents: AgentSystem;
  /** The default text model, when one is configured or active. */
  readonly llm: Llm | undefined;
  readonly access: AccessControl;
  readonly limiter: RateLimiter;
  /** The workspace's audit policy: the same acts, with the same fields, as from the CLI. */
  readonly audit: AuditPolicy;
}

/** Opens what a long-running server serves at once, so the first request does not pay for it. */
export async function openServerServices(workspace: Workspace): Promise<BearServices> {
  const models = workspace.models();
  await models.scan(); // the model folders as they are at start (as `GET /models` lists them)
  const rag = await workspace.rag();
  const agents = await workspace.agents(); // agents' step types are installed before interrupted runs resume
  return {
    workspace,
    config: workspace.config,
    rag,
    models,
    workflows: await workspace.workflows(),
    agents,
    llm: await workspace.llm(),
    access: workspace.access(),
    limiter: workspace.limiter(),
    audit: workspace.audit,
  };
}

/** What only the HTTP host knows: its version, its own counters, and its options. */
export interface ApiHost {
  readonly version: string;
  /** Let `POST /api/v1/models {action:"download"}` open the network (inside allowNetwork). */
  readonly allowModelDownloads: boolean;
  /** Request counts and latency per route. */
  requestMetrics(): unknown;
  /** Event streams open now. */
  openEventStreams(): number;
  /** A key was revoked: forget keys verified earlier. */
  forgetVerifiedKeys(): void;
}

/** What every operation gets. */
export interface ApiContext {
  readonly services: BearServices;
  readonly host: ApiHost;
}
