import type { BearConfig, Logger } from "@bear/core";
import type { AgentsConfigInput } from "@bear/agents";
import type { ScryptParams } from "@bear/security";
import type { PassphraseSource } from "./keys/workspace-keys";
import type { OffloadOptions } from "./offload/offload";

/** Joining a cluster of BEAR processes on one Redis (see @bear/cluster). */
export interface WorkspaceClusterOptions {
  /** redis://:password@host:port[/db]: loopback or a private address, with a password. */
  readonly redisUrl: string;
  /**
   * "instance" (an API instance or `bear workflow run`: sends step work to the queues and shares run
   * leases) or "worker" (`bear worker`: runs step jobs; never adopts runs).
   */
  readonly role: "instance" | "worker";
  /**
   * Refuse to open when the cluster's Redis cannot be reached now (REDIS_UNREACHABLE), as a
   * command-line process should fail fast; default false: the clients wait for it and reconnect (a
   * long-running server). Either way its server's settings are checked once, at open.
   */
  readonly failFast?: boolean;
  /** Let document text travel inside jobs (unencrypted workspaces only). Default false: payload files in the workspace. */
  readonly inlinePayloads?: boolean;
  /** Step types an instance runs itself (default: data_processing, file_operations). */
  readonly localTypes?: readonly string[];
  readonly leaseMs?: number;
  readonly scanMs?: number;
  readonly waitForWorkerMs?: number;
}

/** How to open a workspace; the defaults suit a long-running server. */
export interface OpenWorkspaceOptions {
  /** The resolved configuration (the apps read files and BEAR_* variables; packages never do). */
  readonly config: BearConfig;
  /** Default: silent. */
  readonly logger?: Logger;
  /** Asked only when the keys are sealed under a passphrase. */
  readonly passphrase?: PassphraseSource;
  /**
   * When the folder holds no workspace: create one (plain keys, or sealed under `passphrase` when it
   * is a string) instead of failing with WORKSPACE_NOT_INITIALISED. Default false.
   */
  readonly create?: boolean;
  readonly scrypt?: ScryptParams;
  /**
   * The local user who holds the keys (the CLI's "cli"): may restore vault tokens without being a
   * principal. A server leaves it unset, so only authorized principals restore.
   */
  readonly owner?: string;
  /** Folder ingest may read (symlinks out are refused). Default: the uploads folder. */
  readonly ingestRoot?: string;
  /** How long an index write waits for another process's. Default: rag's (5 min). */
  readonly indexLockWaitMs?: number;
  /** Bind the configured (or active) LLM, so answers, reviews and workflow steps may use it. Default true. */
  readonly llm?: boolean;
  /** Folder `file_operations` steps are confined to. Default: the workspace's per-matter workflow files. */
  readonly workflowFiles?: string;
  /** Resume runs left unfinished when the engine opens. Default true. */
  readonly resumeWorkflows?: boolean;
  /**
   * Join a cluster: step work goes to BullMQ queues on Redis and the workflow database is shared
   * with other instances through run leases. Without it everything runs in this process.
   */
  readonly cluster?: WorkspaceClusterOptions;
  /** Per-principal token bucket of the API. */
  readonly rateLimit?: { readonly capacity: number; readonly refillPerSecond: number };
  /**
   * Worker threads for redaction and review (default: one per core but one, 1 to 4), so a long one
   * never blocks a server's event loop. A one-shot command passes `{ workers: 0 }` (in-process).
   */
  readonly offload?: OffloadOptions;
  /**
   * The agents' monitor: how often it checks (default every 10 s), after how many failures in a row
   * an agent leaves the balancer's pool (3) and how long until it gets a trial task again (30 s).
   */
  readonly agentMonitor?: AgentsConfigInput["monitor"];
}
