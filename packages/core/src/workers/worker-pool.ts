// A bounded pool of worker threads for CPU-heavy work (PII scanning, contract review), so a large request never
// blocks the thread that answers every other one. One task per worker at a time; a cancelled task (the client went
// away) is dropped from the queue, or its worker is terminated, which is the only way to stop synchronous work.
import { Worker } from "node:worker_threads";
import { BearError } from "../errors/bear-error";
import { DisposedError, InvalidArgumentError, WorkerPoolError } from "../errors/core-errors";
import { isOfflineEnforced } from "../offline/offline-guard";
import { serializeError, type FromWorker, type SerializedError, type ToWorker, type WorkerTask } from "./worker-protocol";

export interface WorkerPoolOptions {
  /** The worker script: it calls serveWorkerTasks with a handler for each task kind it runs. */
  readonly url: URL;
  /** Worker threads at most (started on demand). */
  readonly size: number;
  /** Tasks waiting for a worker at most; one more is refused with WORKER_POOL_BUSY (default: no limit). */
  readonly maxQueued?: number;
  /**
   * Tasks a busy worker may be handed beyond the one it runs (default 0), when every worker is busy: each starts the
   * moment the one before it ends, without waiting for the reply's trip to this thread and the next task's trip back.
   * For many short tasks (a 16 KiB document's scan takes about as long as that round trip). A worker left idle takes
   * back a task handed ahead to another that has not started; a cancelled one is taken back, or its worker ended.
   */
  readonly handAhead?: number;
  /** Old-generation heap of each worker in MB (default 1024): a task that needs more fails alone. */
  readonly memoryMb?: number;
  /** What the pool is for, in its errors ("the workspace's worker pool"). */
  readonly name?: string;
}

/** How to stop a task, and what it may ask of the thread that started it. */
export interface WorkerTaskContext {
  readonly signal?: AbortSignal;
  /** Answers the task's `tools.call(payload)`; `ended` aborts when the task ends (so a model call stops too). */
  readonly onCall?: (payload: unknown, ended: AbortSignal) => Promise<unknown>;
}

export interface WorkerPoolStats {
  readonly workers: number;
  /** Workers running a task. */
  readonly busy: number;
  /** Tasks waiting in the pool for a worker. */
  readonly queued: number;
  /** Tasks handed ahead to a busy worker, not yet known to have started. */
  readonly handedAhead: number;
  readonly completed: number;
  readonly cancelled: number;
}

interface Job {
  readonly id: number;
  readonly task: WorkerTask;
  readonly context: WorkerTaskContext;
  readonly resolve: (value: unknown) => void;
  readonly reject: (error: unknown) => void;
  /** Made when the task can call back or be cancelled: aborted when it ends (its listeners go with it). */
  ended: AbortController | undefined;
  /** Settled already (cancelled while handed ahead): the worker's answer about it is only bookkeeping. */
  settled: boolean;
  /** Asked back from its worker ("steal": to run on an idle one; "cancel": its caller gave up). */
  withdrawing: "steal" | "cancel" | undefined;
}

/** A worker and the tasks it holds, in the order it runs them: the first runs, the others wait in the worker. */
interface Slot {
  readonly worker: Worker;
  readonly jobs: Job[];
}

export class WorkerPool implements AsyncDisposable {
  readonly size: number;
  readonly #url: URL;
  readonly #maxQueued: number;
  readonly #handAhead: number;
  readonly #memoryMb: number;
  readonly #name: string;
  readonly #slots = new Map<Worker, Slot>();
  readonly #queue: Job[] = [];
  #nextId = 0;
  #completed = 0;
  #cancelled = 0;
  #disposed = false;

  constructor(options: WorkerPoolOptions) {
    if (!Number.isInteger(options.size) || options.size < 1 || options.size > 64) throw new InvalidArgumentError("size", options.size, "an integer from 1 to 64");
    const maxQueued = options.maxQueued ?? Number.POSITIVE_INFINITY;
    if (!(maxQueued >= 0)) throw new InvalidArgumentError("maxQueued", maxQueued, "a number of at least 0");
    const handAhead = options.handAhead ?? 0;
    if (!Number.isInteger(handAhead) || handAhead < 0 || handAhead > 16) throw new InvalidArgumentError("handAhead", handAhead, "an integer from 0 to 16");
    const memoryMb = options.memoryMb ?? 1024;
    if (!Number.isInteger(memoryMb) || memoryMb < 16) throw new InvalidArgumentError("memoryMb", memoryMb, "an integer of at least 16");
    this.size = options.size;
    this.#url = options.url;
    this.#maxQueued = maxQueued;
    this.#handAhead = handAhead;
    this.#memoryMb = memoryMb;
    this.#name = options.name ?? "a worker pool";
  }

  get disposed(): boolean {
    return this.#disposed;
  }

  stats(): WorkerPoolStats {
    let busy = 0;
    let handedAhead = 0;
    for (const slot of this.#slots.values()) {
      if (slot.jobs.length > 0) busy++;
      handedAhead += Math.max(0, slot.jobs.length - 1);
    }
    return { workers: this.#slots.size, busy, queued: this.#queue.length, handedAhead, completed: this.#completed, cancelled: this.#cancelled };
  }

  /** Runs `task` on a worker; rejects with the signal's reason when cancelled, WORKER_POOL_BUSY when the queue is full. */
  run<R>(task: WorkerTask, context: WorkerTaskContext = {}): Promise<R> {
    if (this.#disposed) return Promise.reject(new DisposedError(this.#name));
    if (context.signal?.aborted) return Promise.reject(context.signal.reason);
    if (this.#queue.length >= this.#maxQueued) {
      return Promise.reject(
        new WorkerPoolError("WORKER_POOL_BUSY", `${this.#queue.length} tasks are already waiting in ${this.#name}`, { hint: "Retry in a moment.", details: { queued: this.#queue.length } }),
      );
    }
    return new Promise<R>((resolve, reject) => {
      const { signal, onCall } = context;
      // the controller (and the listener it removes) only when something needs it: most tasks neither call nor cancel
      const ended = signal || onCall ? new AbortController() : undefined;
      const job: Job = { id: this.#nextId++, task, context, resolve: resolve as (v: unknown) => void, reject, ended, settled: false, withdrawing: undefined };
      if (signal && ended) signal.addEventListener("abort", () => this.#cancel(job), { once: true, signal: ended.signal });
      this.#queue.push(job);
      this.#pump();
    });
  }

  /** Terminates every worker; queued and running tasks fail with DisposedError. */
  async dispose(): Promise<void> {
    if (this.#disposed) return;
    this.#disposed = true;
    const error = new DisposedError(this.#name);
    for (const job of this.#queue.splice(0)) this.#settle(job, () => job.reject(error));
    const workers = [...this.#slots.keys()];
    for (const slot of this.#slots.values()) for (const job of slot.jobs) this.#settle(job, () => job.reject(error));
    this.#slots.clear();
    for (const w of workers) w.removeAllListeners("exit");
    await Promise.all(workers.map((w) => w.terminate()));
  }

  [Symbol.asyncDispose](): Promise<void> {
    return this.dispose();
  }

  /** Gives queued tasks to idle workers, then new ones, then (handAhead) to the busy worker holding the fewest. */
  #pump(): void {
    while (this.#queue.length > 0) {
      const slot = this.#freeSlot();
      if (!slot) return;
      const job = this.#queue.shift() as Job;
      if (slot.jobs.length === 0) slot.worker.ref();
      slot.jobs.push(job);
      slot.worker.postMessage({ type: "task", id: job.id, task: job.task } satisfies ToWorker);
    }
    this.#stealForIdle();
  }

  #freeSlot(): Slot | undefined {
    let fewest: Slot | undefined;
    for (const slot of this.#slots.values()) {
      if (slot.jobs.length === 0) return slot;
      if (!fewest || slot.jobs.length < fewest.jobs.length) fewest = slot;
    }
    if (this.#slots.size < this.size) return this.#spawn();
    return fewest && fewest.jobs.length <= this.#handAhead ? fewest : undefined;
  }

  /**
   * With nothing queued, an idle worker should not wait while another holds a task it has not started: ask that one
   * back (the worker answers `withdrawn`; if it has started meanwhile, it stays there).
   */
  #stealForIdle(): void {
    if (this.#handAhead === 0 || this.#queue.length > 0) return;
    let idle = 0;
    for (const slot of this.#slots.values()) if (slot.jobs.length === 0) idle++;
    for (const slot of this.#slots.values()) {
      if (idle === 0) return;
      const last = slot.jobs.length > 1 ? slot.jobs[slot.jobs.length - 1] : undefined;
      if (!last || last.withdrawing) continue;
      last.withdrawing = "steal";
      slot.worker.postMessage({ type: "withdraw", id: last.id } satisfies ToWorker);
      idle--;
    }
  }

  #spawn(): Slot {
    const memoryMb = this.#memoryMb;
    // A worker thread is a JS realm of its own: it turns the offline guard on itself when this thread has it.
    const worker = new Worker(this.#url, { workerData: { bearOffline: isOfflineEnforced() }, resourceLimits: { maxOldGenerationSizeMb: memoryMb, maxYoungGenerationSizeMb: Math.min(64, Math.max(8, Math.floor(memoryMb / 16))) } });
    const slot: Slot = { worker, jobs: [] };
    this.#slots.set(worker, slot);
    worker.on("message", (message: FromWorker) => this.#onMessage(slot, message));
    worker.on("error", (error: Error) => this.#onDeath(worker, error));
    worker.on("exit", (code) => this.#onDeath(worker, new Error(`exit code ${code}`)));
    return slot;
  }

  #onMessage(slot: Slot, message: FromWorker): void {
    if (this.#slots.get(slot.worker) !== slot) return; // retired
    const at = slot.jobs.findIndex((j) => j.id === message.id);
    const job = slot.jobs[at];
    if (!job) return;
    switch (message.type) {
      case "call":
        void this.#answerCall(slot, job, message.callId, message.payload);
        return;
      case "withdrawn":
        this.#onWithdrawn(slot, job, at, message.withdrawn);
        return;
      default:
        slot.jobs.splice(at, 1);
        if (slot.jobs.length === 0) slot.worker.unref(); // an idle pool never keeps the process alive
        if (!job.settled) {
          this.#completed++;
          this.#settle(job, () => (message.type === "done" ? job.resolve(message.value) : job.reject(revive(message.error))));
        }
        this.#pump();
    }
  }

  /** The worker's answer to `withdraw`: a task taken back runs elsewhere (or nowhere if cancelled). */
  #onWithdrawn(slot: Slot, job: Job, at: number, withdrawn: boolean): void {
    const why = job.withdrawing;
    job.withdrawing = undefined;
    if (withdrawn) {
      slot.jobs.splice(at, 1);
      if (slot.jobs.length === 0) slot.worker.unref();
      if (!job.settled) this.#queue.unshift(job);
      this.#pump();
      return;
    }
    // it had started: a stolen one just runs where it is; a cancelled one is stopped the only way there is
    if (why === "cancel" && job.settled) this.#retire(slot);
  }

  async #answerCall(slot: Slot, job: Job, callId: number, payload: unknown): Promise<void> {
    let reply: ToWorker;
    try {
      if (!job.context.onCall || !job.ended) throw new Error("this task was given nothing to call");
      reply = { type: "call-result", callId, ok: true, value: await job.context.onCall(payload, job.ended.signal) };
    } catch (error) {
      reply = { type: "call-result", callId, ok: false, error: serializeError(error) };
    }
    if (this.#slots.get(slot.worker) === slot && slot.jobs.includes(job)) slot.worker.postMessage(reply);
  }

  #cancel(job: Job): void {
    const reason: unknown = job.context.signal?.reason;
    const queued = this.#queue.indexOf(job);
    if (queued >= 0) {
      this.#queue.splice(queued, 1);
      this.#cancelled++;
      this.#settle(job, () => job.reject(reason));
      return;
    }
    for (const slot of this.#slots.values()) {
      const at = slot.jobs.indexOf(job);
      if (at < 0) continue;
      this.#cancelled++;
      this.#settle(job, () => job.reject(reason));
      if (at === 0) {
        this.#retire(slot); // running: terminating its worker is the only way to stop synchronous work
      } else {
        // handed ahead: ask for it back; if it started meanwhile, the answer ends its worker (#onWithdrawn)
        job.withdrawing = "cancel";
        slot.worker.postMessage({ type: "withdraw", id: job.id } satisfies ToWorker);
      }
      this.#pump();
      return;
    }
  }

  /** A worker that died (out of memory, crash) fails its running task alone; the ones handed ahead to it run elsewhere. */
  #onDeath(worker: Worker, error: Error): void {
    const slot = this.#slots.get(worker);
    if (!slot) return; // already retired
    this.#slots.delete(worker);
    worker.removeAllListeners("exit");
    const [job, ...unstarted] = slot.jobs;
    this.#requeue(unstarted);
    if (job && !job.settled) {
      const kind = job.task.kind;
      const failure =
        (error as { code?: string }).code === "ERR_WORKER_OUT_OF_MEMORY"
          ? new WorkerPoolError("WORKER_OUT_OF_MEMORY", `the '${kind}' task needed more than ${this.#memoryMb} MB of memory and was stopped`, {
              hint: "Split the input into smaller parts.",
              details: { memoryMb: this.#memoryMb },
            })
          : new WorkerPoolError("WORKER_FAILED", `the worker running a '${kind}' task stopped (${error.message.slice(0, 160)})`, { cause: error });
      this.#settle(job, () => job.reject(failure));
    }
    if (!this.#disposed) this.#pump();
  }

  /** Ends a worker whose running task was cancelled; the tasks handed ahead to it (not started) go back to the queue. */
  #retire(slot: Slot): void {
    this.#slots.delete(slot.worker);
    this.#requeue(slot.jobs.slice(1));
    slot.jobs.length = 0;
    const worker = slot.worker;
    worker.removeAllListeners("exit");
    worker.removeAllListeners("error");
    worker.on("error", () => undefined);
    void worker.terminate();
  }

  /** Tasks a worker held but never started, back at the head of the queue in their order. */
  #requeue(jobs: readonly Job[]): void {
    const live = jobs.filter((j) => !j.settled);
    for (const j of live) j.withdrawing = undefined;
    this.#queue.unshift(...live);
  }

  #settle(job: Job, outcome: () => void): void {
    job.settled = true;
    job.ended?.abort();
    outcome();
  }
}

/** The error a worker reported, its code kept (the server maps codes to HTTP statuses). */
function revive(error: SerializedError): Error {
  if (error.code === undefined) return Object.assign(new Error(error.message), { name: error.name });
  return new WorkerTaskError(error);
}

/** A package's typed error raised in a worker thread, with its code, hint and details kept. */
export class WorkerTaskError extends BearError<string> {
  constructor(error: SerializedError) {
    super(error.code ?? "WORKER_FAILED", error.message, { ...(error.hint ? { hint: error.hint } : {}), ...(error.details ? { details: error.details } : {}) });
    this.name = error.name;
  }
}
