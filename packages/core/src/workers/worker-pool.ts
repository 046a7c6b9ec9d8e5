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
  readonly busy: number;
  readonly queued: number;
  readonly completed: number;
  readonly cancelled: number;
}

interface Job {
  readonly id: number;
  readonly task: WorkerTask;
  readonly context: WorkerTaskContext;
  readonly resolve: (value: unknown) => void;
  readonly reject: (error: unknown) => void;
  readonly ended: AbortController;
}

export class WorkerPool implements AsyncDisposable {
  readonly size: number;
  readonly #url: URL;
  readonly #maxQueued: number;
  readonly #memoryMb: number;
  readonly #name: string;
  readonly #idle: Worker[] = [];
  readonly #running = new Map<Worker, Job>();
  readonly #queue: Job[] = [];
  #workers = 0;
  #nextId = 0;
  #completed = 0;
  #cancelled = 0;
  #disposed = false;

  constructor(options: WorkerPoolOptions) {
    if (!Number.isInteger(options.size) || options.size < 1 || options.size > 64) throw new InvalidArgumentError("size", options.size, "an integer from 1 to 64");
    const maxQueued = options.maxQueued ?? Number.POSITIVE_INFINITY;
    if (!(maxQueued >= 0)) throw new InvalidArgumentError("maxQueued", maxQueued, "a number of at least 0");
    const memoryMb = options.memoryMb ?? 1024;
    if (!Number.isInteger(memoryMb) || memoryMb < 16) throw new InvalidArgumentError("memoryMb", memoryMb, "an integer of at least 16");
    this.size = options.size;
    this.#url = options.url;
    this.#maxQueued = maxQueued;
    this.#memoryMb = memoryMb;
    this.#name = options.name ?? "a worker pool";
  }

  get disposed(): boolean {
    return this.#disposed;
  }

  stats(): WorkerPoolStats {
    return { workers: this.#workers, busy: this.#running.size, queued: this.#queue.length, completed: this.#completed, cancelled: this.#cancelled };
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
      const job: Job = { id: this.#nextId++, task, context, resolve: resolve as (v: unknown) => void, reject, ended: new AbortController() };
      context.signal?.addEventListener("abort", () => this.#cancel(job), { once: true, signal: job.ended.signal });
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
    const workers = [...this.#idle.splice(0), ...this.#running.keys()];
    for (const [, job] of this.#running) this.#settle(job, () => job.reject(error));
    this.#running.clear();
    for (const w of workers) w.removeAllListeners("exit");
    await Promise.all(workers.map((w) => w.terminate()));
    this.#workers = 0;
  }

  [Symbol.asyncDispose](): Promise<void> {
    return this.dispose();
  }

  #pump(): void {
    while (this.#queue.length > 0) {
      let worker = this.#idle.pop();
      if (!worker && this.#workers < this.size) worker = this.#spawn();
      if (!worker) return;
      const job = this.#queue.shift() as Job;
      this.#running.set(worker, job);
      worker.ref();
      worker.postMessage({ type: "task", id: job.id, task: job.task } satisfies ToWorker);
    }
  }

  #spawn(): Worker {
    const memoryMb = this.#memoryMb;
    // A worker thread is a JS realm of its own: it turns the offline guard on itself when this thread has it.
    const worker = new Worker(this.#url, { workerData: { bearOffline: isOfflineEnforced() }, resourceLimits: { maxOldGenerationSizeMb: memoryMb, maxYoungGenerationSizeMb: Math.min(64, Math.max(8, Math.floor(memoryMb / 16))) } });
    this.#workers++;
    worker.on("message", (message: FromWorker) => this.#onMessage(worker, message));
    worker.on("error", (error: Error) => this.#onDeath(worker, error));
    worker.on("exit", (code) => this.#onDeath(worker, new Error(`exit code ${code}`)));
    return worker;
  }

  #onMessage(worker: Worker, message: FromWorker): void {
    const job = this.#running.get(worker);
    if (!job || message.id !== job.id) return;
    if (message.type === "call") {
      void this.#answerCall(worker, job, message.callId, message.payload);
      return;
    }
    this.#running.delete(worker);
    worker.unref(); // an idle pool never keeps the process alive
    this.#idle.push(worker);
    this.#completed++;
    this.#settle(job, () => (message.type === "done" ? job.resolve(message.value) : job.reject(revive(message.error))));
    this.#pump();
  }

  async #answerCall(worker: Worker, job: Job, callId: number, payload: unknown): Promise<void> {
    let reply: ToWorker;
    try {
      if (!job.context.onCall) throw new Error("this task was given nothing to call");
      reply = { type: "call-result", callId, ok: true, value: await job.context.onCall(payload, job.ended.signal) };
    } catch (error) {
      reply = { type: "call-result", callId, ok: false, error: serializeError(error) };
    }
    if (this.#running.get(worker) === job) worker.postMessage(reply);
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
    for (const [worker, running] of this.#running) {
      if (running !== job) continue;
      this.#running.delete(worker);
      this.#retire(worker);
      this.#cancelled++;
      this.#settle(job, () => job.reject(reason));
      this.#pump();
      return;
    }
  }

  /** A worker that died (out of memory, crash) fails its task alone; the next task gets a new worker. */
  #onDeath(worker: Worker, error: Error): void {
    const job = this.#running.get(worker);
    this.#running.delete(worker);
    const idle = this.#idle.indexOf(worker);
    if (idle >= 0) this.#idle.splice(idle, 1);
    if (!job && idle < 0) return; // already retired
    this.#workers--;
    worker.removeAllListeners("exit");
    if (job) {
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

  #retire(worker: Worker): void {
    this.#workers--;
    worker.removeAllListeners("exit");
    worker.removeAllListeners("error");
    worker.on("error", () => undefined);
    void worker.terminate();
  }

  #settle(job: Job, outcome: () => void): void {
    job.ended.abort();
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
