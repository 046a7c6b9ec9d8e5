import type { Redis } from "ioredis";
import { ContainerModule } from "inversify";
import { WriterGate, silentLogger, type Logger } from "@bear/core";
import { ExecutorMiddleware, RunCoordinationToken, type Executor, type JsonObject, type JsonValue, type WorkflowEngine } from "@bear/workflow-engine";
import { connectRedis } from "./connection/redis-connection";
import { parseRedisUrl, type RedisEndpoint } from "./connection/redis-url";
import { ClusterError } from "./errors";
import { RedisWriterGate } from "./locks/redis-writer-gate";
import type { PayloadKeyCipher } from "./payloads/payload-key";
import { FilePayloads, InlinePayloads, type PayloadStore } from "./payloads/payload-store";
import { workspaceCipher, type WorkspaceCipherOption } from "./payloads/workspace-cipher";
import { OneOffSteps, refuseLocal, type OneOffStepOptions } from "./queue/one-off-steps";
import { QueueExecutor } from "./queue/queue-executor";
import { StepStreams } from "./queue/step-streams";
import { ClusterRuns } from "./runs/cluster-runs";
import { WorkerDirectory } from "./workers/worker-directory";

export interface ClusterNodeOptions {
  /** redis://:password@host:port[/db]: loopback or a private address, with a password. */
  readonly redisUrl: string;
  /** Folder of the shared workspace where step payloads are written (jobs carry their names, or a small payload sealed). */
  readonly payloadDir: string;
  /**
   * The workspace's cipher when it is encrypted (or a getter for it): payloads and streamed text are
   * sealed with it. Given as a getter that has no cipher yet, they are refused, never sent in the clear.
   */
  readonly cipher?: WorkspaceCipherOption;
  /**
   * Makes the cipher of the cluster's own payload key, which seals the payloads inside jobs when the
   * workspace is not encrypted: @bear/security's contentCipherFromKey.
   */
  readonly keyCipher?: PayloadKeyCipher;
  /**
   * Let step parameters and outputs (document text) travel inside the jobs, through Redis. Only
   * for an unencrypted workspace; refused with a cipher. Default false.
   */
  readonly inlinePayloads?: boolean;
  /**
   * Write a run's long strings (the document text its steps name) and earlier steps' outputs once,
   * and let steps refer to them (default true); false copies them into each step's payload file.
   */
  readonly shareValues?: boolean;
  /**
   * Send a run's next step to its home worker (where its first step went) while that worker has a
   * free slot (default false: the best-scored free worker; affinity measured no gain, see the README).
   */
  readonly runAffinity?: boolean;
  /** Step types run in the API instance itself (default: data_processing, file_operations). */
  readonly localTypes?: readonly string[];
  readonly leaseMs?: number;
  readonly scanMs?: number;
  /** How long a step waits for a capable worker before NO_CAPABLE_WORKER (ms, default 30 s). */
  readonly waitForWorkerMs?: number;
  /** How long a step's job must be missing from Redis before it is sent again (ms, default 15 s): at least the workers' lock duration. */
  readonly lostJobMs?: number;
  readonly instanceId?: string;
  readonly logger?: Logger;
}

/**
 * One API instance's membership of a cluster: the Redis clients, the queue executor that sends
 * step work to workers, the run leases shared with other instances, and the payload store. Without
 * it (no Redis URL) BEAR runs everything in-process exactly as before.
 */
export class ClusterNode {
  readonly endpoint: RedisEndpoint;
  readonly redis: Redis;
  readonly subscriber: Redis;
  readonly workers: WorkerDirectory;
  readonly payloads: PayloadStore;
  readonly runs: ClusterRuns;
  /** Text steps send back while they run (a generation's tokens): pub/sub, sealed when the workspace is encrypted. */
  readonly streams: StepStreams;
  readonly #options: ClusterNodeOptions;
  readonly #logger: Logger;
  #executor: QueueExecutor | undefined;
  /** The executor of this instance's own acts sent to the workers (redaction, ingest preparation), made on first use. */
  #actExecutor: QueueExecutor | undefined;
  readonly #acts: OneOffSteps;
  #attached = false;
  /** Runs this instance started (not resumed) and still executes: their attempts were sent by nobody else. */
  readonly #startedHere = new Set<string>();

  constructor(options: ClusterNodeOptions) {
    this.endpoint = parseRedisUrl(options.redisUrl);
    if (options.inlinePayloads && options.cipher) {
      throw new ClusterError("STEP_PAYLOAD_INVALID", "inline payloads were asked for, but the workspace is encrypted: document text may not travel through Redis", {
        hint: "Leave inline payloads off; workers read sealed payload files from the shared workspace.",
        retryable: false,
      });
    }
    this.#options = options;
    this.#logger = options.logger ?? silentLogger;
    this.redis = connectRedis(this.endpoint, "cluster", this.#logger);
    this.subscriber = connectRedis(this.endpoint, "cluster subscriber", this.#logger);
    this.workers = new WorkerDirectory(this.redis, { ...(options.waitForWorkerMs === undefined ? {} : { waitForWorkerMs: options.waitForWorkerMs }), ...(options.runAffinity === undefined ? {} : { runAffinity: options.runAffinity }) });
    this.payloads = options.inlinePayloads
      ? new InlinePayloads()
      : new FilePayloads(options.payloadDir, options.cipher, { shareValues: options.shareValues ?? true, ...(options.keyCipher ? { keyCipher: options.keyCipher } : {}) });
    // streamed tokens are document text: sealed like the payloads inside jobs, with the payload key when the workspace has no cipher
    const payloads = this.payloads;
    this.streams = new StepStreams(this.redis, this.subscriber, workspaceCipher(options.cipher) ?? (payloads instanceof FilePayloads ? () => payloads.jobSeal : undefined));
    this.runs = new ClusterRuns({
      redis: this.redis,
      subscriber: this.subscriber,
      ...(options.instanceId === undefined ? {} : { instanceId: options.instanceId }),
      ...(options.leaseMs === undefined ? {} : { leaseMs: options.leaseMs }),
      ...(options.scanMs === undefined ? {} : { scanMs: options.scanMs }),
      logger: this.#logger,
    });
    this.#acts = new OneOffSteps(() => (this.#actExecutor ??= this.#queueExecutor(refuseLocal, [], () => true, true)), this.payloads, (runId) => this.workers.forgetRun(runId));
  }

  /**
   * Runs one step of this instance's own acts on a capable worker, outside any workflow run (e.g.
   * `redact`, `ingest.prepare`): the same queues, balancer, payload files and matter checks as a
   * run's steps; a worker's retryable error is retried once. Fails with NO_CAPABLE_WORKER when no
   * worker serving `type` reports within `waitForWorkerMs`.
   */
  runStep(type: string, parameters: JsonObject, options: OneOffStepOptions): Promise<JsonValue> {
    return this.#acts.run(type, parameters, options);
  }

  /**
   * A writer lock shared by every machine of the cluster (a lease in Redis), e.g. around the index's
   * commits, which a per-host lock file cannot serialise across hosts.
   */
  writerGate(name: string, options: { readonly leaseMs?: number } = {}): RedisWriterGate {
    return new RedisWriterGate({ redis: this.redis, name, display: this.endpoint.display, logger: this.#logger, ...options });
  }

  /** The engine's executor: step types other than the local ones go to the workers' queues. */
  decorate(local: Executor): Executor {
    this.#executor ??= this.#queueExecutor(local, this.#options.localTypes, (runId) => this.#startedHere.has(runId));
    return this.#executor;
  }

  #queueExecutor(local: Executor, localTypes: readonly string[] | undefined, startedHere: (runId: string) => boolean, acts = false): QueueExecutor {
    return new QueueExecutor({
      endpoint: this.endpoint,
      local,
      payloads: this.payloads,
      redis: this.redis,
      subscriber: this.subscriber,
      workers: this.workers,
      startedHere,
      acts,
      ...(localTypes ? { localTypes } : {}),
      ...(this.#options.lostJobMs === undefined ? {} : { lostJobMs: this.#options.lostJobMs }),
      logger: this.#logger,
    });
  }

  /** Joins the cluster with this engine (opened on the shared database, resumeOnOpen false). */
  async attach(engine: WorkflowEngine): Promise<void> {
    this.#attached = true;
    engine.events.subscribe((event) => {
      if (event.type === "run.started" && !event.resumed) this.#startedHere.add(event.runId);
      if (event.type === "run.completed") {
        // a run resumed here may have files the instance that started it wrote: list its folder
        if (!this.payloads.inline) this.payloads.removeRun(event.runId, { thorough: !this.#startedHere.has(event.runId) });
        this.workers.forgetRun(event.runId);
        this.#startedHere.delete(event.runId);
      }
    });
    await this.runs.attach(engine);
  }

  get attached(): boolean {
    return this.#attached;
  }

  /**
   * Before a graceful stop: aborting the engine's steps no longer cancels their jobs, which keep
   * running on the workers for the instance that resumes the runs to join.
   */
  detach(): void {
    this.#executor?.detach();
    this.#actExecutor?.detach();
  }

  /**
   * Leaves the cluster; `release` hands this instance's runs to another at once (a graceful stop).
   * Whatever Redis does meanwhile, the clients are disconnected and the cluster's payload key leaves
   * memory: with Redis away its commands would wait for ever, so leaving waits at most `timeoutMs`
   * (default 10 s) and is then abandoned with a warning (the runs' leases expire on their own). A
   * StepWorker given `node.payloads` must be closed before the node: it seals and opens nothing after.
   */
  async close(options: { readonly release?: boolean; readonly timeoutMs?: number } = {}): Promise<void> {
    const timeoutMs = options.timeoutMs ?? 10_000;
    // above 2^31-1 ms setTimeout fires at once: the bound would be none
    if (!Number.isFinite(timeoutMs) || timeoutMs < 0 || timeoutMs > 2 ** 31 - 1) {
      throw new ClusterError("CLUSTER_OPTION_INVALID", `close() was given timeoutMs ${String(timeoutMs)}, expected milliseconds from 0 to 2147483647`, { hint: "Pass a bound such as 10000, or leave timeoutMs out for the default of 10 s.", retryable: false });
    }
    const leave = (async () => {
      await this.runs.close(options);
      await this.#executor?.close();
      await this.#actExecutor?.close();
    })();
    let left = false;
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<true>((resolve) => (timer = setTimeout(() => resolve(true), timeoutMs)));
    try {
      if ((await Promise.race([leave, timedOut])) === true) {
        leave.catch(() => undefined);
        this.#logger.warn({ redis: this.endpoint.display, timeoutMs }, "the cluster could not be left in time (Redis away?): disconnecting; this instance's runs go to another when their leases expire");
      } else left = true;
    } finally {
      clearTimeout(timer);
      // leaving timed out or failed (NOAUTH, READONLY, a script error): the queues' connections are dropped too, or the process would not exit
      if (!left) {
        this.#executor?.disconnect();
        this.#actExecutor?.disconnect();
      }
      this.subscriber.disconnect();
      this.redis.disconnect();
      // the cluster's payload key leaves memory with the node, also when leaving failed
      this.payloads.dispose();
    }
  }
}

/**
 * Binds, for an API instance, the queue executor (an ExecutorMiddleware around the agents' executor:
 * remote step types go to the workers, whose own agents run them) and the run coordination, for
 * workflowEngineModule to pick up; and, for instances and workers alike, the cluster-wide writer gate
 * of the index (rag takes it after its host lock). A worker runs steps through its local executor.
 */
export function clusterModule(node: ClusterNode, role: "instance" | "worker" = "instance"): ContainerModule {
  return new ContainerModule(({ bind }) => {
    // instances and workers alike commit to the shared index: one writer at a time in the cluster
    bind<WriterGate>(WriterGate).toConstantValue(node.writerGate("index"));
    if (role !== "instance") return;
    bind<ExecutorMiddleware>(ExecutorMiddleware).toConstantValue((inner) => node.decorate(inner));
    bind(RunCoordinationToken).toConstantValue(node.runs);
  });
}
