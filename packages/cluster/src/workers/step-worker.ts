import os from "node:os";
import { randomUUID } from "node:crypto";
import { Worker, type Job } from "bullmq";
import type { Redis } from "ioredis";
import { BearError, silentLogger, type AuditSink, type Logger } from "@bear/core";
import { isStepRefusal, type Executor, type JsonObject, type JsonValue } from "@bear/workflow-engine";
import { bullConnection, connectRedis, watchConnection } from "../connection/redis-connection";
import type { RedisEndpoint } from "../connection/redis-url";
import { ClusterError } from "../errors";
import { stepBinding, type PayloadStore } from "../payloads/payload-store";
import { CANCEL_CHANNEL } from "../queue/cancel-channel";
import { repliesOnFinish, replyOnFinish, sendStepReply, type StepReply } from "../queue/step-replies";
import { QUEUE_PREFIX, directQueueName, readStepJob, stepJobId, stepQueueName, unitKey, type StepInput, type StepJobData, type StepJobResult } from "../queue/step-job";
import { assertReplayGuardSupported, markHandedOutJobs } from "../queue/replay-guard";
import { LockKeeper } from "./lock-keeper";
import { RefusalAudit } from "./refusal-audit";
import { covers, publishWorkerReport, removeWorkerReport, workerAliveKey, type WorkerReport } from "./worker-presence";

/** Checks a job may run here, beyond its payload binding (e.g. that the documents it names belong to its matter). */
export type StepAuthorizer = (job: { readonly runId: string; readonly matter: string | null; readonly actor: string | null; readonly type: string; readonly parameters: JsonObject }) => Promise<void>;

export interface StepWorkerOptions {
  readonly endpoint: RedisEndpoint;
  /** Runs the handlers (an InProcessExecutor over the workspace's step registry). */
  readonly executor: Executor;
  /** Step types this worker serves (each gets its queue). */
  readonly stepTypes: readonly string[];
  /** Restricts stepTypes: exact types, prefixes (`legal.*`) or `*` (default). */
  readonly capabilities?: readonly string[];
  /**
   * Jobs run at once (default 1): the balancer directs steps to this worker while fewer than this
   * many run here; from a capability queue it takes up to this many per step type.
   */
  readonly concurrency?: number;
  readonly payloads: PayloadStore;
  readonly authorize?: StepAuthorizer;
  /**
   * Where a job refused for what Redis holds is recorded (`step.refused`, denied): one that is no
   * step job, whose id is not its attempt's, whose attempt finished before (re-added), or whose payload
   * was not written for the run, step, matter, type, agent, actor or act it names (a job added or
   * altered in Redis). Counted per queue and code: one record opens each window, one more counts the rest.
   */
  readonly audit?: AuditSink;
  /** The window refusals of one kind are counted in (default 60 s; see RefusalAudit). */
  readonly refusalWindowMs?: number;
  readonly id?: string;
  /**
   * How long a job's lock lasts without renewal: a worker killed mid-step loses its jobs to
   * another worker after about this long plus `stalledIntervalMs` (default 15 s / 5 s).
   */
  readonly lockDurationMs?: number;
  readonly stalledIntervalMs?: number;
  /**
   * How long a handler may block this process's event loop before its job's lock is let go (ms,
   * default 10 min). Locks are renewed from a thread of their own, so a CPU-bound handler keeps
   * its job however long it computes; only one stuck past this loses it to another worker.
   */
  readonly maxBlockedMs?: number;
  /** Report interval (ms, default 1000); the report expires after 5 intervals. */
  readonly reportMs?: number;
  readonly logger?: Logger;
}

/**
 * An executor agent on any machine: takes step jobs from the BullMQ queues of its capabilities
 * and runs them through the workspace's handlers. BullMQ gives stalled-job recovery (a killed
 * worker's job goes back to its queue), locks and concurrency; the worker adds the payload and
 * matter checks, cancellation, and a report of its capabilities, load and history for the balancer.
 */
export class StepWorker {
  readonly id: string;
  /** The BullMQ queues of the jobs directed to this worker, one per slot (the balancer chooses the slot). */
  readonly directQueues: readonly string[];
  readonly #capabilities: string[];
  readonly #wanted: readonly string[];
  readonly #options: StepWorkerOptions;
  readonly #workers: Worker[] = [];
  readonly #controllers = new Map<string, AbortController>();
  /** Run ids of the act jobs (marked `act: true` by an instance's act executor) running here. */
  readonly #acts = new Map<string, number>();
  readonly #history: Record<string, { samples: number; successes: number; ewmaMs: number | null }> = {};
  /** Each BullMQ Worker's own client, on which it completes its jobs (resolved once it connects). */
  readonly #bullClients = new WeakMap<Worker, object>();
  /** The Workers whose connection publishes each job's result from inside BullMQ's moveToFinished (replyOnFinish). */
  readonly #replyingOnFinish = new WeakSet<Worker>();
  /** The Workers whose connection marks finished attempts and hands out re-added ones marked (replay-guard.ts): only they run jobs. */
  readonly #guarded = new WeakSet<Worker>();
  /** Jobs whose handler returned on such a Worker, with their reply id where the script reads it: BullMQ's record of them publishes their result. */
  readonly #repliedOnFinish = new WeakSet<Job>();
  readonly #logger: Logger;
  readonly #refusals: RefusalAudit | undefined;
  readonly #startedAt = Date.now();
  #redis: Redis | undefined;
  #subscriber: Redis | undefined;
  #timer: ReturnType<typeof setInterval> | undefined;
  #keeper: LockKeeper | undefined;
  #running = 0;
  /** Per direct queue, the job running from it (null: idle): the report tells senders which slots are free. */
  readonly #slotJobs: Array<string | null>;
  #completed = 0;
  #failed = 0;

  constructor(options: StepWorkerOptions) {
    this.#options = options;
    this.id = options.id ?? `${os.hostname()}-${process.pid}-${randomUUID().slice(0, 8)}`;
    this.directQueues = Array.from({ length: options.concurrency ?? 1 }, (_, slot) => directQueueName(this.id, slot));
    this.#slotJobs = this.directQueues.map(() => null);
    const wanted = options.capabilities ?? ["*"];
    this.#wanted = wanted;
    this.#capabilities = options.stepTypes.filter((t) => covers(wanted, t));
    this.#logger = (options.logger ?? silentLogger).child({ name: "cluster:StepWorker" });
    this.#refusals = options.audit
      ? new RefusalAudit(options.audit, this.id, options.refusalWindowMs, (e) => this.#logger.warn({ reason: e instanceof Error ? e.message : String(e) }, "a refused step job could not be audited"))
      : undefined;
    if (this.#capabilities.length === 0) {
      throw new ClusterError("NO_CAPABLE_WORKER", `--capabilities ${wanted.join(",")} matches none of this workspace's step types (${options.stepTypes.join(", ")})`, {
        hint: "Give step types (legal.extract_terms), prefixes (legal.*) or * for all.",
        retryable: false,
      });
    }
  }

  /** Starts taking jobs and reporting (throws BULLMQ_UNSUPPORTED where the installed BullMQ cannot be guarded against replays). */
  async start(): Promise<void> {
    assertReplayGuardSupported();
    const { endpoint } = this.#options;
    this.#redis = connectRedis(endpoint, "worker report", this.#logger);
    this.#subscriber = connectRedis(endpoint, "worker cancel channel", this.#logger);
    await this.#subscriber.subscribe(CANCEL_CHANNEL);
    this.#subscriber.on("message", (_channel: string, message: string) => this.#onCancel(message));
    this.#keeper = new LockKeeper({ endpoint, lockDurationMs: this.#lockDurationMs, maxBlockedMs: this.#options.maxBlockedMs ?? 600_000, onLost: (_queue, jobId) => this.#lockLost(jobId) });
    this.#keeper.keepAlive(workerAliveKey(this.id), this.#reportTtlMs);
    // One queue per capability, which every capable worker pulls from, and a direct queue per slot,
    // where the executors put the jobs the balancer chose this worker and slot for, each taken by one
    // BullMQ Worker of concurrency 1. A Worker with free slots asks for a job again as soon as it
    // takes one and waits on the queue anew; one with a single slot waits only once the job is done
    // (finishing it looks for the next in the same script): moveToActive and BZPOPMIN per no-op step
    // 4.6 → 4.0 (bench/step-trace.ts). And a queue of its own per slot: BullMQ re-adds a queue's
    // wake-up marker whenever it hands out a job, so a second slot waiting on the same queue woke at
    // once, mid-job, for nothing (a BZPOPMIN and an empty moveToActive on every step's path).
    for (const name of this.#capabilities.map(stepQueueName)) this.#listen(name);
    for (const name of this.directQueues) this.#listen(name, 1);
    await Promise.all([...this.#workers.map((w) => w.waitUntilReady()), this.#keeper.ready]);
    await this.#report();
    this.#timer = setInterval(() => void this.#report().catch(() => undefined), this.#options.reportMs ?? 1_000);
    this.#logger.info({ worker: this.id, capabilities: this.#capabilities.length, concurrency: this.#options.concurrency ?? 1 }, "worker started");
  }

  /** The step types this worker serves (those of its step types its `capabilities` cover). */
  get capabilities(): readonly string[] {
    return this.#capabilities;
  }

  /**
   * Serves the step types among `stepTypes` that its capabilities cover and it did not serve yet
   * (e.g. a plugin's, installed while it runs): takes their queues' jobs and reports them from its
   * next report on. Returns the types added.
   */
  async serve(stepTypes: readonly string[]): Promise<string[]> {
    const added = stepTypes.filter((t) => covers(this.#wanted, t) && !this.#capabilities.includes(t));
    if (added.length === 0 || !this.#redis) return [];
    const workers = added.map((t) => this.#listen(stepQueueName(t)));
    await Promise.all(workers.map((w) => w.waitUntilReady()));
    this.#capabilities.push(...added);
    await this.#report();
    this.#logger.info({ worker: this.id, added }, "serving new step types");
    return added;
  }

  #listen(name: string, concurrency = this.#options.concurrency ?? 1): Worker {
    // A processor of two parameters: BullMQ makes an AbortController per job only for one that takes
    // its signal (a third), which it aborts only on Worker.cancelJob / cancelAllJobs, never called
    // here; a job's own controller (#process) is aborted by a cancel message or a lost lock
    const worker: Worker = new Worker(name, async (job, token) => {
      const result = await this.#held(job, worker, token);
      // BullMQ's record of the result (its moveToFinished, next) publishes it to the sender (replyOnFinish)
      if (this.#replyingOnFinish.has(worker) && repliesOnFinish(job.data)) this.#repliedOnFinish.add(job);
      return result;
    }, {
      connection: bullConnection(this.#options.endpoint),
      prefix: QUEUE_PREFIX,
      concurrency,
      // An idle Worker waits this long (s) on its queue, then asks again: each wait that ends
      // empty costs a BZPOPMIN and a moveToActive. BullMQ's longest (10 s) halves what a worker
      // with a Worker per step type spends idle (default 5 s); a job still wakes it at once.
      drainDelay: 10,
      lockDuration: this.#lockDurationMs,
      stalledInterval: this.#options.stalledIntervalMs ?? 5_000,
      // a job whose worker died twice is still retried once more before it fails
      maxStalledCount: 2,
      name: this.id,
    });
    watchConnection(worker, this.#options.endpoint, `worker ${name}`, this.#logger);
    // BullMQ's Worker takes no job before its connection is ready, so every job it completes goes
    // through the wrapped moveToFinished once this has run (the client resolves first)
    void worker
      .getBackend()
      .client.then((client) => {
        this.#bullClients.set(worker, client);
        const replying = replyOnFinish(client);
        if (replying) this.#replyingOnFinish.add(worker);
        // a job handed out whose attempt finished before comes with its finishedOn set (see #process);
        // start() checked the scripts, so only a client BullMQ defines its commands on otherwise gets here
        if (replying && markHandedOutJobs(client)) this.#guarded.add(worker);
        else this.#logger.error({ queue: name }, "the installed BullMQ's connection does not take this release's scripts (moveToFinished, moveToActive): its jobs are refused (BULLMQ_UNSUPPORTED), none runs unguarded against replays");
      })
      .catch(() => undefined);
    // the outcome goes to the sender once BullMQ has recorded it (these events follow the job's
    // move to completed / failed): the result itself unless moveToFinished published it, or word
    // to read the failure from the job
    worker.on("completed", (job, result) => {
      if (!this.#repliedOnFinish.delete(job)) this.#reply(job, worker, { jobId: job.id!, result });
    });
    // a lock BullMQ's renewal found gone (as the keeper's renewals do: see #lockLost)
    worker.on("lockRenewalFailed", (jobIds: string[]) => {
      for (const jobId of jobIds) this.#lockLost(jobId);
    });
    worker.on("failed", (job, error) => {
      this.#logger.debug({ job: job?.id, code: (error as { code?: string }).code }, "step job failed");
      if (job?.id) this.#reply(job, worker, { jobId: job.id, settled: true });
    });
    this.#workers.push(worker);
    return worker;
  }

  /**
   * Sends `reply` on the connection `worker` completes its jobs on (the report connection until it
   * is up): a job's progress reports, its result (when moveToFinished does not publish it) and a failure's word reach
   * the sender in the order they were sent.
   */
  #reply(job: Job, worker: Worker, reply: StepReply): void {
    const client = (this.#bullClients.get(worker) as Redis | undefined) ?? this.#redis;
    if (client) sendStepReply(client, (job.data as { reply?: unknown } | undefined)?.reply, reply);
  }

  /**
   * A renewal (BullMQ's, or the keeper thread's) found the job's lock gone (Redis lost the job, or
   * another worker took it): its handler is aborted, as the attempt is sent again elsewhere (it must
   * not run twice side by side). The abort is no failure of this worker's (see #process).
   */
  #lockLost(jobId: string): void {
    const controller = this.#controllers.get(jobId);
    if (!controller || controller.signal.aborted) return;
    this.#logger.info({ jobId }, "a running step job's lock was lost: its handler is aborted");
    controller.abort(new ClusterError("STEP_LOCK_LOST", `step job '${jobId}' lost its lock (Redis lost the job, or another worker took it): its handler was aborted here`, { retryable: true }));
  }

  get #lockDurationMs(): number {
    return this.#options.lockDurationMs ?? 15_000;
  }

  /**
   * Whether this worker is running a job an API instance marked as one of its acts for `runId`
   * (an internal step type's handler runs only then: a run id is no proof, a user may choose one).
   */
  runsAct(runId: string): boolean {
    return this.#acts.has(runId);
  }

  /** Slot 0's direct queue. */
  get directQueue(): string {
    return this.directQueues[0] ?? directQueueName(this.id);
  }

  /** What this worker reports to the balancer. */
  report(): WorkerReport {
    return {
      id: this.id,
      host: os.hostname(),
      pid: process.pid,
      capabilities: [...this.#capabilities],
      // the slots the balancer fills through the direct queue; past them, steps wait in the
      // capability queues, where a worker takes up to `concurrency` per step type as it frees up
      concurrency: this.#options.concurrency ?? 1,
      running: this.#running,
      runningJobs: [...this.#controllers.keys()],
      completed: this.#completed,
      failed: this.#failed,
      history: this.#history,
      startedAt: this.#startedAt,
      seenAt: Date.now(),
      // An older API instance reads only `directQueue` and sends every step for a free slot there: named only
      // when it is the worker's one slot, else such a sender would queue the second slot's step behind the first
      // (it uses the capability queues instead, which every slot pulls).
      ...(this.directQueues.length === 1 ? { directQueue: this.directQueue } : {}),
      directQueues: this.directQueues,
      slotJobs: [...this.#slotJobs],
    };
  }

  async #report(): Promise<void> {
    if (this.#redis) await publishWorkerReport(this.#redis, this.report(), this.#reportTtlMs);
  }

  /** A report expires after 5 report intervals without a new one. */
  get #reportTtlMs(): number {
    return (this.#options.reportMs ?? 1_000) * 5;
  }

  /** Runs a job with its lock kept by the keeper thread (BullMQ's own renewal needs this event loop free). */
  async #held(job: Job, worker: Worker, token: string | undefined): Promise<StepJobResult> {
    const keeper = this.#keeper;
    if (token && job.id) keeper?.hold(job.queueQualifiedName, job.id, token);
    try {
      return await this.#process(job, worker);
    } finally {
      if (token && job.id) keeper?.release(job.queueQualifiedName, job.id);
    }
  }

  async #process(job: Job, worker: Worker): Promise<StepJobResult> {
    let data: StepJobData;
    let claimed: StepJobData | undefined; // what a refused job claims, once it reads as a step job
    try {
      data = claimed = readStepJob(job.id, job.data);
      // the id names the run, step and attempt (a sender adds each attempt once under it): a job whose fields say otherwise was made in Redis
      const expected = stepJobId(data.runId, data.key, data.attempt);
      if (job.id !== expected || data.key !== unitKey(data)) {
        throw new ClusterError("STEP_JOB_FORGED", `step job '${String(job.id).slice(0, 200)}' names step '${data.key}' (run '${data.runId}', attempt ${data.attempt}), whose job is '${expected}': it was added or altered in Redis, not sent by an API instance; nothing was run`, {
          hint: "Check who can write to this Redis (its password, ACL users); the refusal is in the workspace's audit log.",
          retryable: false,
        });
      }
      // its attempt finished before (the mark BullMQ's scripts set, replay-guard.ts, or the job's own
      // record moved back to wait): re-added in Redis; run again, it would repeat the step's acts.
      // Retryable: a sender that lost the result (a run resumed after the job's record was let go) sends the next attempt.
      if (job.finishedOn) {
        throw new ClusterError("STEP_JOB_REPLAYED", `step job '${String(job.id).slice(0, 200)}' (run '${data.runId}', step '${data.key}', attempt ${data.attempt}) finished at ${finishedAt(job.finishedOn)}: its attempt was added again in Redis; nothing was run`, {
          hint: "Check who can write to this Redis (its password, ACL users); the refusal is in the workspace's audit log.",
          retryable: true,
        });
      }
    } catch (error) {
      await this.#refused(job, error, claimed);
      throw asJobError(error);
    }
    if (!this.#guarded.has(worker)) {
      throw asJobError(new ClusterError("BULLMQ_UNSUPPORTED", `worker '${this.id}' could not install its scripts on the connection of queue '${String(job.queueName).slice(0, 100)}': the job is not run unguarded against replays`, { retryable: true }));
    }
    if (!this.#capabilities.includes(data.type)) {
      // a direct job for a step type this worker does not serve: the engine retries it elsewhere
      throw asJobError(new ClusterError("NO_CAPABLE_WORKER", `worker '${this.id}' does not run step type '${data.type}'`, { retryable: true }));
    }
    const controller = new AbortController();
    this.#controllers.set(job.id!, controller);
    if (data.act === true) this.#acts.set(data.runId, (this.#acts.get(data.runId) ?? 0) + 1);
    this.#running++;
    const slot = this.directQueues.indexOf(job.queueName);
    if (slot >= 0) this.#slotJobs[slot] = job.id!;
    const startedAt = Date.now();
    let ok = false;
    let refused = false;
    try {
      // bound to the run, step, matter, type, agent, actor and act the job names: a job altered in Redis opens nothing
      let parameters: JsonValue;
      try {
        parameters = await this.#options.payloads.get(data.payload, stepBinding(data, "input"));
      } catch (error) {
        await this.#refused(job, error, data);
        throw error;
      }
      const input = parameters as unknown as StepInput;
      if (typeof input !== "object" || input === null || typeof input.parameters !== "object") {
        throw new ClusterError("STEP_PAYLOAD_INVALID", `the parameters of step '${data.key}' are not an object`, { retryable: false });
      }
      await this.#options.authorize?.({ runId: data.runId, matter: data.matter, actor: data.actor, type: data.type, parameters: input.parameters });
      const output = await this.#options.executor.execute(
        {
          runId: data.runId,
          stepId: data.stepId,
          type: data.type,
          ...(data.agent === undefined ? {} : { agent: data.agent }),
          // the run's matter (handlers work in its file area and documents), as on the instance
          ...(data.matter === null ? {} : { matter: data.matter }),
          // who started the run: the handler's acts are audited as them, and the runs it starts act as them
          ...(data.actor === null ? {} : { actor: data.actor }),
          parameters: input.parameters,
          attempt: data.attempt,
          ...(data.index === undefined ? {} : { item: input.item ?? null, index: data.index }),
        },
        { signal: controller.signal, onProgress: (p) => this.#reply(job, worker, { jobId: job.id!, progress: { ...p } }) },
      );
      // a cancelled step's sender has gone and removed the run's files: an output written now would stay for good
      controller.signal.throwIfAborted();
      const ref = await this.#options.payloads.put(stepBinding(data, "output"), output as JsonValue);
      ok = true;
      return { output: ref, workerId: this.id, handlerMs: Date.now() - startedAt, startedAt };
    } catch (error) {
      // a job aborted for its lost lock is no failure of this worker (the attempt runs elsewhere; it would skew this worker's history)
      const lockLost = isLockLost(controller.signal);
      refused = lockLost || isStepRefusal(error);
      throw asJobError(lockLost ? controller.signal.reason : error);
    } finally {
      this.#controllers.delete(job.id!);
      if (data.act === true) {
        const left = (this.#acts.get(data.runId) ?? 1) - 1;
        if (left > 0) this.#acts.set(data.runId, left);
        else this.#acts.delete(data.runId);
      }
      this.#running--;
      if (slot >= 0) this.#slotJobs[slot] = null;
      // a step refused for what it asks (its input, a capability it may not use) is no failure of this worker's
      if (ok) this.#completed++;
      else if (!refused) this.#failed++;
      if (!refused) this.#record(data.type, ok, Date.now() - startedAt);
    }
  }

  /**
   * A job refused for what Redis holds (see StepWorkerOptions.audit): logged and audited with its id
   * and what it claims (ids and codes only, never parameters), then failed.
   */
  async #refused(job: Job, error: unknown, data?: StepJobData): Promise<void> {
    const code = BearError.isInstance(error) ? error.code : String((error as { code?: unknown } | undefined)?.code ?? "STEP_PAYLOAD_INVALID");
    const jobId = String(job.id);
    const claims: Record<string, string | boolean | null> = data === undefined ? {} : { run: data.runId, type: data.type, claimedActor: data.actor, claimedMatter: data.matter, act: data.act === true };
    const opened = await this.#refusals?.refuse({ jobId, queue: job.queueName, code, claims });
    // logged as audited: the first of each kind in a window, the rest counted (a Redis writer can add millions)
    if (opened !== false) this.#logger.warn({ jobId: jobId.slice(0, 200), queue: job.queueName, code }, "a step job was refused before it ran (its id, format, attempt or payload binding)");
  }

  #record(type: string, ok: boolean, ms: number): void {
    const h = (this.#history[type] ??= { samples: 0, successes: 0, ewmaMs: null });
    h.samples++;
    if (ok) h.successes++;
    h.ewmaMs = h.ewmaMs === null ? ms : 0.8 * h.ewmaMs + 0.2 * ms;
  }

  #onCancel(message: string): void {
    try {
      const { jobId, reason } = JSON.parse(message) as { jobId?: unknown; reason?: unknown };
      if (typeof jobId !== "string") return;
      this.#controllers.get(jobId)?.abort(new Error(typeof reason === "string" ? reason : "cancelled"));
    } catch {
      // not ours
    }
  }

  /** Stops taking jobs; with `force` running ones are abandoned (BullMQ re-queues them as stalled). */
  async close(options: { readonly force?: boolean } = {}): Promise<void> {
    if (this.#timer) clearInterval(this.#timer);
    await Promise.all(this.#workers.map((w) => w.close(options.force ?? false)));
    await this.#keeper?.close();
    await this.#refusals?.flush();
    if (this.#redis) await removeWorkerReport(this.#redis, this.id).catch(() => undefined);
    this.#subscriber?.disconnect();
    this.#redis?.disconnect();
  }
}

/** When a job finished, as a date (its field is Redis's: anything a Redis client wrote there is shown, not thrown on). */
function finishedAt(finishedOn: unknown): string {
  const ms = Number(finishedOn);
  return Number.isFinite(ms) && Math.abs(ms) <= 8.64e15 ? new Date(ms).toISOString() : String(finishedOn).slice(0, 40);
}

/** Whether the job's handler was aborted for its lost lock (StepWorker's #lockLost). */
function isLockLost(signal: AbortSignal): boolean {
  return signal.aborted && BearError.isInstance(signal.reason) && signal.reason.code === "STEP_LOCK_LOST";
}

/** BullMQ keeps a failure as text: the error's code, message and whether a retry may help, as JSON (never a stack). */
function asJobError(error: unknown): Error {
  const code = BearError.isInstance(error) ? error.code : typeof (error as { code?: unknown })?.code === "string" ? (error as { code: string }).code : "HANDLER_ERROR";
  const message = error instanceof Error ? error.message : String(error);
  const retryable = (error as { retryable?: unknown })?.retryable !== false && !/PARAMETERS_INVALID|NOT_JSON|HANDLER_MISSING/.test(code);
  const wrapped = new Error(JSON.stringify({ code, message: message.slice(0, 2_000), retryable, ...(isStepRefusal(error) ? { refused: true } : {}) }));
  wrapped.stack = wrapped.message;
  return wrapped;
}
