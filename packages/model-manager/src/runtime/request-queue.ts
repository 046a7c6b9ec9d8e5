import { InvalidArgumentError } from "@bear/core";

interface Waiter {
  readonly enqueuedAt: number;
  readonly resolve: (waitMs: number) => void;
  readonly reject: (error: unknown) => void;
  readonly signal: AbortSignal | undefined;
  readonly onAbort: () => void;
}

/** A lease on one slot of the queue; call release() exactly once. */
export interface QueueLease {
  /** How long the caller waited for the slot, in ms. */
  readonly waitMs: number;
  release(): void;
}

/**
 * A fair (FIFO) queue with bounded concurrency: at most `concurrency` holders at once, later
 * callers wait in arrival order, and a waiter whose signal aborts leaves the queue at once.
 */
export class RequestQueue {
  readonly #concurrency: number;
  readonly #waiters: Waiter[] = [];
  #idle: Array<() => void> = [];
  #active = 0;

  constructor(concurrency: number) {
    if (!Number.isInteger(concurrency) || concurrency < 1) throw new InvalidArgumentError("concurrency", concurrency, "an integer >= 1");
    this.#concurrency = concurrency;
  }

  get concurrency(): number {
    return this.#concurrency;
  }

  get active(): number {
    return this.#active;
  }

  get waiting(): number {
    return this.#waiters.length;
  }

  /** Waits for a slot (FIFO). Rejects with the signal's reason if it aborts first. */
  acquire(signal?: AbortSignal): Promise<QueueLease> {
    if (signal?.aborted) return Promise.reject(signal.reason);
    if (this.#active < this.#concurrency && this.#waiters.length === 0) {
      this.#active++;
      return Promise.resolve(this.#lease(0));
    }
    return new Promise<QueueLease>((resolve, reject) => {
      const waiter: Waiter = {
        enqueuedAt: performance.now(),
        signal,
        resolve: (waitMs) => resolve(this.#lease(waitMs)),
        reject,
        onAbort: () => {
          const index = this.#waiters.indexOf(waiter);
          if (index >= 0) {
            this.#waiters.splice(index, 1);
            reject(signal?.reason);
          }
        },
      };
      signal?.addEventListener("abort", waiter.onAbort, { once: true });
      this.#waiters.push(waiter);
    });
  }

  /** Runs `task` inside a slot. */
  async run<T>(task: (waitMs: number) => Promise<T>, signal?: AbortSignal): Promise<T> {
    const lease = await this.acquire(signal);
    try {
      return await task(lease.waitMs);
    } finally {
      lease.release();
    }
  }

  /** Resolves when no request holds or waits for a slot. */
  whenIdle(): Promise<void> {
    if (this.#active === 0 && this.#waiters.length === 0) return Promise.resolve();
    return new Promise((resolve) => this.#idle.push(resolve));
  }

  /** Rejects every waiter (used on unload/dispose). */
  rejectAll(error: unknown): void {
    for (const waiter of this.#waiters.splice(0)) {
      waiter.signal?.removeEventListener("abort", waiter.onAbort);
      waiter.reject(error);
    }
  }

  #lease(waitMs: number): QueueLease {
    let released = false;
    return {
      waitMs,
      release: () => {
        if (released) return;
        released = true;
        this.#active--;
        this.#next();
      },
    };
  }

  #next(): void {
    while (this.#active < this.#concurrency) {
      const waiter = this.#waiters.shift();
      if (!waiter) {
        if (this.#active === 0) for (const resolve of this.#idle.splice(0)) resolve();
        return;
      }
      waiter.signal?.removeEventListener("abort", waiter.onAbort);
      this.#active++;
      waiter.resolve(performance.now() - waiter.enqueuedAt);
    }
  }
}
