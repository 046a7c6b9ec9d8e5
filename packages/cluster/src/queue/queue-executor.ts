import { Job, Queue, type JobsOptions } from "bullmq";
import type { Redis } from "ioredis";
import { BearError, silentLogger, type Logger } from "@bear/core";
import { plainJson, type ExecuteOptions, type Executor, type JsonValue, type RawJson, type StepTask } from "@bear/workflow-engine";
import { bullConnection, connectRedis, watchConnection } from "../connection/redis-connection";
import type { RedisEndpoint } from "../connection/redis-url";
import { ClusterError, RemoteStepError } from "../errors";
import { stepBinding, type PayloadStore } from "../payloads/payload-store";
import type { StepRoute, WorkerDirectory } from "../workers/worker-directory";
import { CANCEL_CHANNEL } from "./cancel-channel";
import { addRouted, moveRoute, type RoutedAdd } from "./routed-jobs";
import { StepReplies, type StepReply } from "./step-replies";
import { isDirectQueue, QUEUE_PREFIX, STEP_JOB_VERSION, readStepResult, stepJobId, stepQueueName, unitKey, type StepJobData, type StepJobResult, type StepInput } from "./step-job";

export interface QueueExecutorOptions {
  readonly endpoint: RedisEndpoint;
  /** Runs the step types that stay in this process. */
  readonly local: Executor;
  readonly payloads: PayloadStore;
  /** Publishes cancellations to the workers (a plain client; not the one BullMQ blocks on). */
  readonly redis: Redis;
  /** The instance's subscriber connection: the workers' replies come on a channel of this executor. */
  readonly subscriber: Redis;
  readonly workers: WorkerDirectory;
  /**
   * True for a run this process started and has not resumed: no other sender has had its
   * attempts, so the record of an attempt's queue is written after the job is added instead of
   * being read before it (the step does not wait for it). Default: never (read first).
   */
  readonly startedHere?: (runId: string) => boolean;
  /**
   * Every step it sends is one of the instance's own acts (OneOffSteps), and its jobs say so
   * (`act: true`): the only proof a worker accepts that a step is an act (a run id or step id a user
   * may choose is none). Default false: the engine's runs.
   */
  readonly acts?: boolean;
  /**
   * Step types run here, not on workers (default: data_processing, pure JSON and instant, and
   * file_operations, confined to a folder of this machine).
   */
  readonly localTypes?: Iterable<string>;
  /** How often the worker a job was directed to is checked for being alive (ms, default 1000). */
  readonly workerCheckMs?: number;
  /**
   * How long a job must have been missing from Redis before it is sent again (ms, default 15 s,
   * StepWorker's lock duration): at least the workers' lock duration, so a worker still running the
   * lost job has found its lock gone at a renewal and aborted it (one attempt never runs twice).
   */
  readonly lostJobMs?: number;
  /** How long finished jobs are kept as the record of their attempt (s, default 7 days). */
  readonly keepFinishedSeconds?: number;
  readonly logger?: Logger;
}

interface QueueHandle {
  readonly queue: Queue;
  readonly ready: Promise<unknown>;
  /** A direct queue's: when a step last used it (an unused one of a worker gone is closed). */
  usedAt?: number;
}

/**
 * A step sent to the workers, until it settles: how its job's outcome reaches execute (each reply or
 * record is parsed once, where it arrives, into a step result), where the job is, and its checks'
 * state (see QueueExecutor#watchSteps).
 */
class OutstandingStep {
  resolve: (value: StepJobResult) => void = ignore;
  reject: (error: Error) => void = ignore;
  readonly outcome: Promise<StepJobResult>;
  /** The queue holding the job once it is sent (the checks follow it when it moves). */
  handle: QueueHandle | undefined;
  data: StepJobData | undefined;
  /** The queue the job was sent to, and whether that is a worker's direct queue (its worker may die). */
  sentTo = "";
  direct = false;
  /** When the job's state is next read in Redis, and how often (see QueueExecutor#watchSteps). */
  nextCheckAt = 0;
  checkEveryMs = 0;
  /** When a direct job's worker is next looked for among the live workers' reports (no Redis command). */
  nextWorkerCheckAt = 0;
  checking = false;
  /** Checks in a row that found no job at all (Redis lost it: FLUSHALL, or a restart without its last writes), since when. */
  missing = 0;
  missingSince = 0;

  constructor(
    readonly jobId: string,
    private readonly options: ExecuteOptions,
    private readonly onAbort: (step: OutstandingStep) => void,
  ) {
    this.outcome = new Promise<StepJobResult>((resolve, reject) => {
      this.resolve = resolve;
      this.reject = reject;
    });
    this.outcome.catch(ignore);
  }

  get signal(): AbortSignal {
    return this.options.signal;
  }

  /** The queue holding the job (undefined before it is sent). */
  get queue(): Queue | undefined {
    return this.handle?.queue;
  }

  /** `readEveryMs`: between reads of the job's state; `workerCheckMs`: between looks for a direct job's worker. */
  sent(handle: QueueHandle, data: StepJobData, direct: boolean, readEveryMs: number, workerCheckMs: number): void {
    this.handle = handle;
    this.data = data;
    this.sentTo = handle.queue.name;
    this.direct = direct;
    this.checkEveryMs = readEveryMs;
    const now = Date.now();
    this.nextCheckAt = now + readEveryMs;
    this.nextWorkerCheckAt = now + workerCheckMs;
  }

  progress(data: unknown): void {
    reportProgress(data, this.options);
  }

  /** The step's signal aborted (the step is its own listener: no closure per step). */
  handleEvent(): void {
    this.onAbort(this);
  }
}

function ignore(): void {
  // a settled outcome nobody waits for any more, or no resolver yet
}

/**
 * The events each queue's stream keeps (BullMQ's `streams.events.maxLen`, default 10,000). BullMQ's
 * scripts append to it on every move of a job (five entries per step: waiting, active, completed,
 * drained, …), and nothing of BEAR's reads it (outcomes come on the reply channel, see StepReplies).
 * A stream never expires, and every worker start makes new direct queues (a queue per slot of a new
 * worker id): at the default, each slot a worker ever had kept its last 10,000 events in Redis for
 * good (~1 MB). Redis trims whole nodes of 100 entries (`MAXLEN ~`), so 100 keeps one or two.
 */
const EVENT_STREAMS = { events: { maxLen: 100 } } as const;

/** How long a direct queue nobody sent to is kept open (its worker may have gone: worker ids are per process). */
const DIRECT_QUEUE_IDLE_MS = 60_000;

/**
 * Runs workflow steps on remote workers through BullMQ: one queue per capability (step type),
 * one job per attempt whose id is `run|step|attempt`. Adding an attempt that already has a job
 * joins it (its result when finished, its outcome when still queued or running), so a resumed run,
 * on this or another API instance, records each step once (`joinsInterruptedAttempts`).
 * Parameters and outputs go through the payload store (files in the shared workspace unless the
 * user allowed inline payloads), so jobs carry ids, not document text. A job's outcome comes back
 * on this executor's reply channel (StepReplies), backed by reading the job's state.
 */
export class QueueExecutor implements Executor {
  readonly joinsInterruptedAttempts = true;
  readonly #options: QueueExecutorOptions;
  readonly #local: ReadonlySet<string>;
  readonly #queues = new Map<string, QueueHandle>();
  readonly #waiters = new Map<string, OutstandingStep>();
  /** The timer checking the outstanding steps' jobs while any is out (#watchSteps). */
  #watch: ReturnType<typeof setInterval> | undefined;
  readonly #logger: Logger;
  readonly #replies: StepReplies;
  /** One connection for every direct queue (a queue per worker slot; workers come and go), made on first use. */
  #direct: Redis | undefined;
  #closed = false;
  #detached = false;

  constructor(options: QueueExecutorOptions) {
    this.#options = options;
    this.#local = new Set(options.localTypes ?? ["data_processing", "file_operations"]);
    this.#logger = (options.logger ?? silentLogger).child({ name: "cluster:QueueExecutor" });
    this.#replies = new StepReplies(
      options.subscriber,
      (reply) => this.#onReply(reply),
      // replies published while the subscriber was away are lost: read every outstanding job's state
      () => {
        for (const [jobId, waiter] of this.#waiters) if (waiter.queue) this.#join(waiter.queue, jobId);
      },
    );
  }

  #onReply(reply: StepReply): void {
    const waiter = this.#waiters.get(reply.jobId);
    if (!waiter) return;
    // a result that is no step result (a forged or garbled reply) is only word to read the job, BullMQ's record
    const result = "result" in reply ? readStepResult(reply.result) : undefined;
    if (result?.success) waiter.resolve(result.data);
    else if ("progress" in reply) waiter.progress(reply.progress);
    // a failure: its reason is read from the job, BullMQ's record
    else if (waiter.queue) this.#join(waiter.queue, reply.jobId);
  }

  async execute(task: StepTask, options: ExecuteOptions): Promise<JsonValue | RawJson> {
    // a step run here gets earlier steps' outputs as plain values (the engine passes them on as RawJson)
    if (this.#local.has(task.type)) return this.#options.local.execute(plainJson(task), options);
    if (this.#closed) throw new ClusterError("REDIS_UNREACHABLE", "the queue executor is closed", { retryable: false });
    const key = unitKey(task);
    const jobId = stepJobId(task.runId, key, task.attempt);
    options.signal.throwIfAborted();
    // the run's matter, which the engine puts in every task: written into the job for the worker to check
    const matter = task.matter ?? null;
    const step = new OutstandingStep(jobId, options, this.#onStepAbort);
    this.#waiters.set(jobId, step);
    // the step itself is the listener (handleEvent): no closure per step
    options.signal.addEventListener("abort", step, { once: true });
    let route: StepRoute | undefined;
    try {
      await this.#replies.ready();
      route = await this.#options.workers.route(task.type, options.signal, task.runId, jobId);
      const input: StepInput = { parameters: task.parameters, ...(task.item === undefined ? {} : { item: task.item }) };
      const act = this.#options.acts === true;
      // the payloads are bound to who and what the job names (the worker builds the same binding from the job)
      const bound = { runId: task.runId, key, attempt: task.attempt, matter, type: task.type, agent: task.agent, actor: task.actor ?? null, act: act ? (true as const) : undefined };
      const payload = await this.#options.payloads.put(stepBinding(bound, "input"), input as unknown as JsonValue);
      const data: StepJobData = {
        v: STEP_JOB_VERSION,
        runId: task.runId,
        stepId: task.stepId,
        key,
        type: task.type,
        ...(task.agent === undefined ? {} : { agent: task.agent }),
        attempt: task.attempt,
        ...(task.index === undefined ? {} : { index: task.index }),
        matter,
        actor: task.actor ?? null,
        payload,
        reply: this.#replies.id,
        queuedAt: Date.now(),
        ...(act ? { act: true as const } : {}),
      };
      const sent = await this.#send(data, jobId, route.queue, options.signal, { slot: route.slot === true });
      const queueName = sent.handle.queue.name;
      if (queueName !== route.queue) {
        // joined the attempt where it was sent before (a resumed run, a takeover): the chosen worker does not run it
        route.release();
        route = undefined;
      }
      // A watch on the job while it is outstanding (see #watchSteps): its state is read at every
      // check (a reply lost to a reconnect, or sent to another instance that sent the attempt
      // first, cannot leave the step waiting); and a worker the job was directed to may die: once
      // it stops reporting, the job moves to the capability queue as the same attempt (BullMQ
      // would never re-queue it: nobody else reads a direct queue).
      // its reply comes here unless it joined an attempt sent before (the reply goes to that sender): read it at the base pace
      step.sent(sent.handle, data, queueName !== stepQueueName(task.type), sent.joined ? this.#checkMs : this.#readEveryMs, this.#checkMs);
      this.#watchSteps();
      if (options.signal.aborted) this.#onStepAbort(step); // aborted while the job was being added: cancel it there
      // a job that was there before (sent by another instance, or by this one before a restart): its reply goes elsewhere
      if (sent.joined) this.#join(sent.handle.queue, jobId);
      const result = await step.outcome;
      const binding = stepBinding(bound, "output");
      // a run's step output goes to the engine as its text (RawJson: passed on and stored unparsed); an act's to its caller, parsed
      return await (act ? this.#options.payloads.get(result.output, binding) : this.#options.payloads.getOutput(result.output, binding));
    } finally {
      // a cancelled step's job may still run on the worker (aborting): its slot is not free before the worker says so
      route?.release(options.signal.aborted);
      options.signal.removeEventListener("abort", step);
      this.#waiters.delete(jobId);
    }
  }

  /** A step's signal aborted: cancel its job where it is, or, not sent yet, fail the step. */
  readonly #onStepAbort = (step: OutstandingStep): void => {
    const reason: unknown = step.signal.reason;
    if (step.handle) this.#cancel(step.handle, step.jobId, reason);
    else this.#waiters.get(step.jobId)?.reject(reason instanceof Error ? reason : new Error("cancelled"));
  };

  get #checkMs(): number {
    return this.#options.workerCheckMs ?? 1_000;
  }

  /**
   * How often the state of a step's job whose outcome is published to this executor is read: 4 ×
   * workerCheckMs, and at most a quarter of lostJobMs, so a job Redis lost is still sent again within
   * about lostJobMs and a quarter of it (default 3.75 s).
   */
  get #readEveryMs(): number {
    return Math.max(this.#checkMs, Math.min(4 * this.#checkMs, (this.#options.lostJobMs ?? 15_000) / 4));
  }

  /**
   * One timer checks every outstanding step (a timer per step, set and cleared on every step's
   * path, cost the API a timer list insertion and removal and its closures per step); the timer
   * ticks four times as often as `workerCheckMs` so no step waits much past its time, and stops when
   * no step is out. Each read of a job's state is a round trip for the API and three reads for
   * Redis, and a step waiting behind others for a worker is out for seconds on a busy cluster: read
   * every second, the reads came to ~6–7 a reviewed contract at load 22–25 (a cost per second of
   * each step out, which grew the API's CPU per contract with the run's length). The reply channel
   * pushes a step's outcome the moment Redis records it, so the reads are a safety net, made every
   * #readEveryMs (3.75 s by default). What needs a prompt read keeps it: a step whose reply goes to
   * another sender (it joined the attempt) is read every `workerCheckMs`; a job found missing is read
   * again every `workerCheckMs` until it is found or sent again; replies lost to a reconnect are read
   * at once (StepReplies); and a direct job's worker is looked for in the live workers' reports every
   * `workerCheckMs` (the directory's cached read, no command of its own): gone, the job is read and
   * moved to the capability queue as before.
   */
  #watchSteps(): void {
    if (this.#watch !== undefined) return;
    this.#watch = setInterval(() => {
      let outstanding = false;
      const now = Date.now();
      for (const step of this.#waiters.values()) {
        if (step.handle === undefined) continue;
        outstanding = true;
        const readDue = now >= step.nextCheckAt;
        const workerDue = step.direct && now >= step.nextWorkerCheckAt && step.handle.queue.name === step.sentTo;
        if (!readDue && !workerDue) continue;
        if (readDue) step.nextCheckAt = now + step.checkEveryMs;
        if (workerDue) step.nextWorkerCheckAt = now + this.#checkMs;
        // one check at a time: checks queued while Redis was away must not count twice once it is back
        if (step.checking) continue;
        step.checking = true;
        void (readDue ? this.#check(step) : this.#checkWorker(step))
          .catch((error: unknown) => this.#logger.warn({ jobId: step.jobId, reason: error instanceof Error ? error.message : String(error) }, "could not check a step job"))
          .finally(() => (step.checking = false));
      }
      if (!outstanding) this.#unwatch();
    }, Math.max(1, this.#checkMs / 4));
  }

  /** A direct job between reads of its state: its worker still reports its queue, or the job is read (and moved off) now. */
  async #checkWorker(step: OutstandingStep): Promise<void> {
    if (await this.#options.workers.serves(step.sentTo)) return;
    await this.#check(step);
  }

  #unwatch(): void {
    clearInterval(this.#watch);
    this.#watch = undefined;
  }

  /** One check of an outstanding step's job (see #watchSteps). */
  async #check(step: OutstandingStep): Promise<void> {
    const { jobId, data } = step;
    const handle = step.handle!;
    const found = await this.#settle(handle.queue, jobId);
    if (found === "pending") step.missing = 0;
    if (found === "pending" && step.direct && handle.queue.name === step.sentTo && !(await this.#options.workers.serves(step.sentTo))) {
      if (!this.#waiters.has(jobId)) return;
      step.handle = await this.#moveToCapabilityQueue(handle, data!, jobId);
      return;
    }
    if (found !== "missing") return;
    // read again at the base pace until it is sent again (its reply, if it comes, settles it meanwhile)
    step.checkEveryMs = this.#checkMs;
    step.nextCheckAt = Math.min(step.nextCheckAt, Date.now() + this.#checkMs);
    // one check finding nothing may be a Redis just back (its data still loading): lost only at the
    // second, and once missing for the workers' lock duration (a worker running it has aborted it)
    if (step.missing++ === 0) step.missingSince = Date.now();
    if (step.missing < 2 || Date.now() - step.missingSince < (this.#options.lostJobMs ?? 15_000) || !this.#waiters.has(jobId)) return;
    step.missing = 0;
    this.#logger.warn({ jobId, queue: handle.queue.name }, "Redis lost a step's job (not found at two checks in a row: FLUSHALL, or a restart without its last writes): sending the same attempt again");
    step.handle = (await this.#send(data!, jobId, handle.queue.name, step.signal, { again: true })).handle;
  }

  async #open(name: string, signal: AbortSignal): Promise<QueueHandle> {
    const handle = this.#queue(name);
    await handle.ready;
    signal.throwIfAborted();
    return handle;
  }

  /**
   * Adds the attempt's job to `chosen`, or joins it where the attempt was sent before, as recorded
   * in Redis (`bear:route:<job>`): one script (addRouted) records the queue unless one is recorded
   * and adds the job only on the recorded queue, so a later sender (a resumed run, another instance
   * that took the run over, or this one having stalled past its lease) joins the job there instead
   * of making a second one — on the capability queue if it moved there (a dead worker's). The job
   * never exists without its record, nor on a queue its record does not name: a worker runs it
   * without reading the record (step job version 5). `joined`: the job may have been there before
   * (its reply goes to whoever sent it): read its state.
   */
  async #send(data: StepJobData, jobId: string, chosen: string, signal: AbortSignal, how: { readonly again?: boolean; readonly slot?: boolean } = {}): Promise<{ handle: QueueHandle; joined: boolean }> {
    // `again`: a job Redis lost, sent anew by its id; a run not started here (resumed, taken over): another sender may have sent it
    // `slot`: `chosen` is a worker slot's direct queue (one job at a time): the job must be alone there
    const sentBefore = how.again === true || !this.#options.startedHere?.(data.runId);
    let queue = chosen;
    // each hop follows a record another sender wrote; it moves at most once (a dead worker's slot → the capability queue)
    for (let hop = 0; hop < 4; hop++) {
      const handle = await this.#open(queue, signal);
      const sent = await this.#addRouted(handle, data, jobId, how.slot === true && queue === chosen);
      if (sent.added) {
        // sent to the chosen slot: is it alone there?
        if (sent.jobs > 1) return { handle: await this.#offBusySlot(handle, data, jobId), joined: true };
        return { handle, joined: sentBefore || hop > 0 || sent.prior !== null };
      }
      // another instance took the run over meanwhile (this one stalled past its lease) and sent the
      // attempt first, or a resumed run's attempt was sent before: nothing was added here; join it
      if (hop === 0 && !sentBefore) this.#logger.warn({ jobId, queue: sent.recorded }, "the attempt was sent by another instance first: joining it");
      queue = sent.recorded;
    }
    throw new ClusterError("REDIS_UNREACHABLE", `step job '${jobId}': its route record kept moving (last '${queue}')`, { retryable: true });
  }

  /**
   * addRouted on the queue's own client (a direct queue's: the shared direct connection), with
   * Redis's failures as REDIS_UNREACHABLE. `slot`: also count the queue's jobs right after the add.
   */
  async #addRouted(handle: QueueHandle, data: StepJobData, jobId: string, slot: boolean): Promise<RoutedAdd> {
    const queue = handle.queue;
    const client = await queue.getBackend().client;
    try {
      // attempts: 1 — the engine owns retries (its policy, backoff and attempt numbering). Adding an
      // id that exists is a no-op (BullMQ keeps the job there): the sender then reads its state.
      return await addRouted(client, queue, data.type, data, this.#jobOptions(jobId), this.#keepSeconds, slot && isDirectQueue(queue.name));
    } catch (failure) {
      if (BearError.isInstance(failure)) throw failure;
      const error = failure instanceof Error ? failure : new Error(String(failure));
      throw new ClusterError("REDIS_UNREACHABLE", `Redis did not take step job '${jobId}' (${error.message.slice(0, 200)})`, { cause: error, hint: "Check the Redis server's log (memory limit, a read-only replica); the engine retries the step." });
    }
  }

  /**
   * A job that waits behind another on a slot's direct queue goes to the capability queue instead,
   * where the first free worker takes it — unless the slot's worker took it meanwhile (BullMQ's
   * atomic remove refuses a locked job): then it runs there. A slot runs one job at a time: more than
   * one means the job just added waits behind another — one another API instance sent to the slot
   * (its worker's report did not show it yet), or an attempt the worker is still aborting after a
   * cancel (this instance counted its slot free once the step settled).
   */
  async #offBusySlot(slot: QueueHandle, data: StepJobData, jobId: string): Promise<QueueHandle> {
    this.#logger.debug({ jobId, queue: slot.queue.name }, "the chosen slot holds another job: the step goes to the capability queue");
    return this.#moveOff(slot, data, jobId, "the chosen slot holds another job; kept, it runs there");
  }

  #jobOptions(jobId: string): JobsOptions & { jobId: string } {
    const keep = { age: this.#keepSeconds };
    return { jobId, attempts: 1, removeOnComplete: keep, removeOnFail: keep };
  }

  /** The chosen worker is gone: settle from its queue if it finished, else send the attempt to the capability queue. */
  async #moveToCapabilityQueue(direct: QueueHandle, data: StepJobData, jobId: string): Promise<QueueHandle> {
    const found = await settledJob(this.#options.redis, direct.queue, jobId);
    const settled = found === "missing" ? undefined : found;
    if (settled?.state === "completed") {
      this.#completed(jobId, settled.job.returnvalue);
      return direct;
    }
    if (settled?.state === "failed") {
      this.#waiters.get(jobId)?.reject(remoteError(settled.job.failedReason));
      return direct;
    }
    const moved = await this.#moveOff(direct, data, jobId, "its worker stopped reporting; kept, it is not sent to the capability queue");
    if (moved !== direct) this.#logger.info({ jobId, from: direct.queue.name }, "the chosen worker stopped reporting: its step goes to the capability queue");
    return moved;
  }

  /**
   * Moves the attempt's job from a direct queue to its capability queue as the same attempt: one
   * script takes it off the direct queue (refused while a worker holds it and runs it) and points
   * its record at the capability queue (moveRoute), so neither a worker of the direct queue nor a
   * late sender following the old record can put it beside the capability queue's copy; then it is
   * added there. A refusal or a failed call (Redis away) keeps the job where it is, logged with
   * `why`, never swallowed. Returns the queue that holds the job.
   */
  async #moveOff(direct: QueueHandle, data: StepJobData, jobId: string, why: string): Promise<QueueHandle> {
    const shared = stepQueueName(data.type);
    let moved: boolean;
    try {
      moved = await moveRoute(await direct.queue.getBackend().client, direct.queue, jobId, shared, this.#keepSeconds);
    } catch (error) {
      this.#logger.warn({ jobId, queue: direct.queue.name, reason: error instanceof Error ? error.message.slice(0, 200) : String(error).slice(0, 200) }, `could not remove a step job (${why}): it stays where it is`);
      return direct;
    }
    if (!moved) {
      this.#logger.info({ jobId, queue: direct.queue.name }, `a step job was not removed (${why}): a worker holds it`);
      return direct;
    }
    // a later sender of the attempt joins it on the capability queue
    return (await this.#send(data, jobId, shared, new AbortController().signal, { again: true })).handle;
  }

  get #keepSeconds(): number {
    return this.#options.keepFinishedSeconds ?? 7 * 24 * 3600;
  }

  /** Settles the step with a completed job's recorded result: a step result, or STEP_PAYLOAD_INVALID (the engine retries the step). */
  #completed(jobId: string, returnvalue: unknown): void {
    const waiter = this.#waiters.get(jobId);
    if (!waiter) return;
    const parsed = readStepResult(returnvalue);
    if (parsed.success) return waiter.resolve(parsed.data);
    waiter.reject(
      new ClusterError("STEP_PAYLOAD_INVALID", `step job '${jobId}' finished without a step result (${parsed.error.issues[0]?.message ?? "invalid"})`, {
        hint: "Every API instance and worker must run the same BEAR version; the engine retries the step.",
      }),
    );
  }

  /** Reads the job's state: settles the step now if the job has finished (otherwise its reply or a later check will). */
  #join(queue: Queue, jobId: string): void {
    void this.#settle(queue, jobId);
  }

  /**
   * #join, telling what it found: the job finished (the step is settled), is still to finish, or is
   * not in Redis at all. A failed read fails the step (the engine retries it).
   */
  async #settle(queue: Queue, jobId: string): Promise<"settled" | "pending" | "missing"> {
    if (!this.#waiters.has(jobId)) return "settled";
    try {
      const settled = await settledJob(this.#options.redis, queue, jobId);
      if (settled === "missing" || settled === undefined) return settled ?? "pending";
      if (settled.state === "completed") this.#completed(jobId, settled.job.returnvalue);
      else this.#waiters.get(jobId)?.reject(remoteError(settled.job.failedReason));
    } catch (error) {
      this.#waiters.get(jobId)?.reject(error instanceof Error ? error : new Error(String(error)));
    }
    return "settled";
  }

  #queue(name: string): QueueHandle {
    let handle = this.#queues.get(name);
    if (handle) {
      if (handle.usedAt !== undefined) handle.usedAt = Date.now();
      return handle;
    }
    if (isDirectQueue(name)) {
      // a queue per worker slot, and workers come and go (a new id each start): one connection for them all,
      // and the queues of slots nobody sent to for a while are closed (their worker may be gone for good)
      this.#closeIdleDirectQueues();
      const queue = new Queue(name, { connection: this.#directClient(), prefix: QUEUE_PREFIX, streams: EVENT_STREAMS });
      // the shared connection's outages are logged once (connectRedis), not once per queue; a queue
      // with no 'error' listener would print each of them to the console
      queue.on("error", () => undefined);
      handle = { queue, ready: queue.waitUntilReady(), usedAt: Date.now() };
    } else {
      const queue = new Queue(name, { connection: bullConnection(this.#options.endpoint), prefix: QUEUE_PREFIX, streams: EVENT_STREAMS });
      watchConnection(queue, this.#options.endpoint, `queue ${name}`, this.#logger);
      handle = { queue, ready: queue.waitUntilReady() };
    }
    this.#queues.set(name, handle);
    return handle;
  }

  /** The direct queues' shared connection (closed with the executor, not with a queue). */
  #directClient(): Redis {
    if (this.#direct) return this.#direct;
    const client = connectRedis(this.#options.endpoint, "direct queues", this.#logger);
    this.#direct = client;
    return client;
  }

  #closeIdleDirectQueues(): void {
    const now = Date.now();
    const used = new Set([...this.#waiters.values()].map((w) => w.queue));
    for (const [name, handle] of this.#queues) {
      if (handle.usedAt === undefined || now - handle.usedAt < DIRECT_QUEUE_IDLE_MS || used.has(handle.queue)) continue;
      this.#queues.delete(name);
      void handle.queue.close().catch(() => undefined);
    }
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
    for (const [name, h] of this.#queues) out[name] = await h.queue.getJobCounts("waiting", "active", "completed", "failed", "delayed");
    return out;
  }

  async close(): Promise<void> {
    this.#closed = true;
    this.#unwatch();
    this.#replies.close();
    await Promise.all([...this.#queues.values()].map((h) => h.queue.close()));
    this.#queues.clear();
    await this.#direct?.quit().catch(() => undefined);
    this.#direct?.disconnect();
  }

  /** Drops the queues' connections without waiting for Redis (after a close that did not finish in time). */
  disconnect(): void {
    this.#closed = true;
    this.#unwatch();
    this.#replies.close();
    for (const h of this.#queues.values()) h.queue.disconnect().catch(() => undefined);
    this.#queues.clear();
    this.#direct?.disconnect();
  }
}

/**
 * The job and its final state; undefined while it is not finished; "missing" when Redis holds no
 * such job at all (lost: FLUSHALL, or a restart without its last writes). The state is read first:
 * a job read while still running holds no return value even if it completes a moment later. Only
 * "finished or not" matters here, so the state is two ZSCOREs on the queue's completed and failed
 * sets and an EXISTS of the job's hash in one pipeline (O(1) each), not BullMQ's getState, which
 * scans the waiting and active lists (LPOS, O(queue length)): every outstanding step is checked
 * every second, which made N² per second.
 */
async function settledJob(redis: Redis, queue: Queue, jobId: string): Promise<{ state: "completed" | "failed"; job: Job } | undefined | "missing"> {
  const replies = (await redis.pipeline().zscore(queue.toKey("completed"), jobId).zscore(queue.toKey("failed"), jobId).exists(queue.toKey(jobId)).exec()) ?? [];
  const failure = replies.find(([error]) => error !== null)?.[0];
  if (failure) throw failure;
  const state = replies[0]?.[1] != null ? "completed" : replies[1]?.[1] != null ? "failed" : undefined;
  if (state === undefined) return replies[2]?.[1] === 0 ? "missing" : undefined;
  const job = await Job.fromId(queue, jobId);
  return job ? { state, job } : "missing";
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
    const parsed = JSON.parse(failedReason ?? "") as { code?: unknown; message?: unknown; retryable?: unknown; refused?: unknown };
    if (typeof parsed.code === "string" && typeof parsed.message === "string") return new RemoteStepError(parsed.code, parsed.message, parsed.retryable !== false, parsed.refused === true);
  } catch {
    // not ours
  }
  return new RemoteStepError("STEP_FAILED_REMOTELY", `the step failed on a worker: ${(failedReason ?? "no reason given").slice(0, 300)}`, true);
}
