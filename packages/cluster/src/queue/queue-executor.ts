import { Job, Queue, QueueEvents } from "bullmq";
import type { Redis } from "ioredis";
import { silentLogger, type Logger } from "@bear/core";
import type { ExecuteOptions, Executor, JsonValue, StepTask } from "@bear/workflow-engine";
import { bullConnection, watchConnection } from "../connection/redis-connection";
import type { RedisEndpoint } from "../connection/redis-url";
import { ClusterError, RemoteStepError } from "../errors";
import type { PayloadStore } from "../payloads/payload-store";
import type { WorkerDirectory } from "../workers/worker-directory";
import { CANCEL_CHANNEL } from "./cancel-channel";
import { QUEUE_PREFIX, stepJobId, stepJobResultSchema, stepQueueName, unitKey, type StepJobData, type StepInput } from "./step-job";

export interface QueueExecutorOptions {
  readonly endpoint: RedisEndpoint;
  /** Runs the step types that stay in this process. */
  readonly local: Executor;
  readonly payloads: PayloadStore;
  /** Publishes cancellations to the workers (a plain client; not the one BullMQ blocks on). */
  readonly redis: Redis;
  readonly workers: WorkerDirectory;
  /** The matter of a run (the engine's record), written into each job so the worker can check it. */
  readonly matterOf: (runId: string) => string | null;
  /**
   * Step types run here, not on workers (default: data_processing, pure JSON and instant, and
   * file_operations, confined to a folder of this machine).
   */
  readonly localTypes?: Iterable<string>;
  /** How long finished jobs are kept as the record of their attempt (s, default 7 days). */
  readonly keepFinishedSeconds?: number;
  readonly logger?: Logger;
}

interface Waiter {
  resolve(value: unknown): void;
  reject(error: Error): void;
  progress(data: unknown): void;
}

interface QueueHandle {
  readonly queue: Queue;
  readonly events: QueueEvents;
  readonly ready: Promise<unknown>;
}

/**
 * Runs workflow steps on remote workers through BullMQ: one queue per capability (step type),
 * one job per attempt whose id is `run|step|attempt`. Adding an attempt that already has a job
 * joins it (its result when finished, its outcome when still queued or running), so a resumed run,
 * on this or another API instance, records each step once (`joinsInterruptedAttempts`).
 * Parameters and outputs go through the payload store (files in the shared workspace unless the
 * user allowed inline payloads), so jobs carry ids, not document text.
 */
export class QueueExecutor implements Executor {
  readonly joinsInterruptedAttempts = true;
  readonly #options: QueueExecutorOptions;
  readonly #local: ReadonlySet<string>;
  readonly #queues = new Map<string, QueueHandle>();
  readonly #waiters = new Map<string, Waiter>();
  readonly #logger: Logger;
  #closed = false;
  #detached = false;

  constructor(options: QueueExecutorOptions) {
    this.#options = options;
    this.#local = new Set(options.localTypes ?? ["data_processing", "file_operations"]);
    this.#logger = (options.logger ?? silentLogger).child({ name: "cluster:QueueExecutor" });
  }

  async execute(task: StepTask, options: ExecuteOptions): Promise<JsonValue> {
    if (this.#local.has(task.type)) return this.#options.local.execute(task, options);
    if (this.#closed) throw new ClusterError("REDIS_UNREACHABLE", "the queue executor is closed", { retryable: false });
    const key = unitKey(task);
    const jobId = stepJobId(task.runId, key, task.attempt);
    const handle = this.#queue(task.type);
    await handle.ready;
    options.signal.throwIfAborted();
    const matter = this.#options.matterOf(task.runId);
    const outcome = new Promise<unknown>((resolve, reject) => {
      this.#waiters.set(jobId, { resolve, reject, progress: (data) => reportProgress(data, options) });
    });
    outcome.catch(() => undefined);
    const onAbort = (): void => this.#cancel(handle, jobId, options.signal.reason);
    options.signal.addEventListener("abort", onAbort, { once: true });
    try {
      await this.#options.workers.requireCapable(task.type, options.signal);
      const input: StepInput = { parameters: task.parameters, ...(task.item === undefined ? {} : { item: task.item }) };
      const payload = await this.#options.payloads.put({ runId: task.runId, key, attempt: task.attempt, matter, kind: "input" }, input as unknown as JsonValue);
      const data: StepJobData = {
        v: 1,
        runId: task.runId,
        stepId: task.stepId,
        key,
        type: task.type,
        ...(task.agent === undefined ? {} : { agent: task.agent }),
        attempt: task.attempt,
        ...(task.index === undefined ? {} : { index: task.index }),
        matter,
        payload,
        queuedAt: Date.now(),
      };
      const keep = { age: this.#options.keepFinishedSeconds ?? 7 * 24 * 3600 };
      // attempts: 1 — the engine owns retries (its policy, backoff and attempt numbering). Adding an
      // id that exists is a no-op that BullMQ reports as a 'duplicated' event: #queue() then joins
      // that job, so the common first send costs no lookup round trip.
      await handle.queue.add(task.type, data, { jobId, attempts: 1, removeOnComplete: keep, removeOnFail: keep });
      const raw = await outcome;
      const result = stepJobResultSchema.parse(raw);
      return await this.#options.payloads.get(result.output, { runId: task.runId, key, attempt: task.attempt, matter, kind: "output" });
    } finally {
      options.signal.removeEventListener("abort", onAbort);
      this.#waiters.delete(jobId);
    }
  }

  /** A job that was already there: settle now if it finished; otherwise its events will. */
  #join(queue: Queue, jobId: string): void {
    if (!this.#waiters.has(jobId)) return;
    this.#logger.info({ jobId }, "joining an attempt already queued");
    void Job.fromId(queue, jobId)
      .then(async (job) => {
        if (!job) return;
        const state = await job.getState();
        if (state === "completed") this.#waiters.get(jobId)?.resolve(job.returnvalue);
        else if (state === "failed") this.#waiters.get(jobId)?.reject(remoteError(job.failedReason));
      })
      .catch((error: unknown) => this.#waiters.get(jobId)?.reject(error instanceof Error ? error : new Error(String(error))));
  }

  #queue(type: string): QueueHandle {
    let handle = this.#queues.get(type);
    if (handle) return handle;
    const name = stepQueueName(type);
    const connection = bullConnection(this.#options.endpoint);
    const queue = new Queue(name, { connection, prefix: QUEUE_PREFIX });
    const events = new QueueEvents(name, { connection, prefix: QUEUE_PREFIX });
    watchConnection(queue, this.#options.endpoint, `queue ${name}`, this.#logger);
    watchConnection(events, this.#options.endpoint, `queue events ${name}`, this.#logger);
    events.on("completed", ({ jobId, returnvalue }) => this.#waiters.get(jobId)?.resolve(returnvalue));
    events.on("failed", ({ jobId, failedReason }) => this.#waiters.get(jobId)?.reject(remoteError(failedReason)));
    events.on("progress", ({ jobId, data }) => this.#waiters.get(jobId)?.progress(data));
    // the attempt was sent before (a resumed run, another instance): join the job that exists
    (events as unknown as { on(event: "duplicated", listener: (args: { jobId: string }) => void): void }).on("duplicated", ({ jobId }) => this.#join(queue, jobId));
    handle = { queue, events, ready: Promise.all([queue.waitUntilReady(), events.waitUntilReady()]) };
    this.#queues.set(type, handle);
    return handle;
  }

  /** From now on an abort leaves the jobs alone (a graceful stop hands them to another instance). */
  detach(): void {
    this.#detached = true;
  }

  /** Asks the worker running the job to abort it; a job still waiting is removed. */
  #cancel(handle: QueueHandle, jobId: string, reason: unknown): void {
    const message = reason instanceof Error ? reason.message : "cancelled";
    if (this.#detached) {
      this.#waiters.get(jobId)?.reject(reason instanceof Error ? reason : new Error(message));
      return;
    }
    void this.#options.redis.publish(CANCEL_CHANNEL, JSON.stringify({ jobId, reason: message.slice(0, 200) })).catch(() => undefined);
    void Job.fromId(handle.queue, jobId)
      .then(async (job) => {
        if (job && (await job.getState()) === "waiting") await job.remove();
      })
      .catch(() => undefined);
    this.#waiters.get(jobId)?.reject(reason instanceof Error ? reason : new Error(message));
  }

  /** Jobs waiting or running per queue this executor has used. */
  async counts(): Promise<Record<string, Record<string, number>>> {
    const out: Record<string, Record<string, number>> = {};
    for (const [type, h] of this.#queues) out[type] = await h.queue.getJobCounts("waiting", "active", "completed", "failed", "delayed");
    return out;
  }

  async close(): Promise<void> {
    this.#closed = true;
    await Promise.all([...this.#queues.values()].flatMap((h) => [h.queue.close(), h.events.close()]));
    this.#queues.clear();
  }
}

function reportProgress(data: unknown, options: ExecuteOptions): void {
  if (typeof data !== "object" || data === null) return;
  const p = data as { fraction?: unknown; message?: unknown };
  options.onProgress({
    ...(typeof p.fraction === "number" ? { fraction: p.fraction } : {}),
    ...(typeof p.message === "string" ? { message: p.message } : {}),
  });
}

/** The worker's error, from the JSON it put in failedReason (a stalled job's reason is BullMQ's text). */
export function remoteError(failedReason: string | undefined): RemoteStepError {
  try {
    const parsed = JSON.parse(failedReason ?? "") as { code?: unknown; message?: unknown; retryable?: unknown };
    if (typeof parsed.code === "string" && typeof parsed.message === "string") return new RemoteStepError(parsed.code, parsed.message, parsed.retryable !== false);
  } catch {
    // not ours
  }
  return new RemoteStepError("STEP_FAILED_REMOTELY", `the step failed on a worker: ${(failedReason ?? "no reason given").slice(0, 300)}`, true);
}
