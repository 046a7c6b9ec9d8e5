/**
 * A fixed number of reusable resources (OCR workers), handed out one caller at a time; callers
 * beyond the size wait in order. A broken resource is dropped and rebuilt on the next acquire.
 */
export class SlotPool<T> {
  readonly #idle: T[] = [];
  readonly #waiting: { resolve: (item: T) => void; reject: (error: unknown) => void }[] = [];
  #live = 0;
  #disposed = false;

  constructor(
    readonly size: number,
    private readonly create: () => Promise<T>,
    private readonly destroy: (item: T) => Promise<void>,
  ) {}

  async acquire(signal?: AbortSignal): Promise<T> {
    signal?.throwIfAborted();
    if (this.#disposed) throw new Error("the OCR engine has been disposed");
    const idle = this.#idle.pop();
    if (idle !== undefined) return idle;
    if (this.#live < this.size) {
      this.#live++;
      try {
        return await this.create();
      } catch (error) {
        this.#live--;
        this.#wakeNext();
        throw error;
      }
    }
    return new Promise<T>((resolve, reject) => {
      const waiter = { resolve, reject };
      this.#waiting.push(waiter);
      signal?.addEventListener(
        "abort",
        () => {
          const at = this.#waiting.indexOf(waiter);
          if (at >= 0) this.#waiting.splice(at, 1);
          reject(signal.reason);
        },
        { once: true },
      );
    });
  }

  release(item: T): void {
    if (this.#disposed) {
      this.#live--;
      void this.destroy(item).catch(() => undefined);
      return;
    }
    const next = this.#waiting.shift();
    if (next) next.resolve(item);
    else this.#idle.push(item);
  }

  /** Drops a resource that misbehaved (timed out, crashed); its slot is rebuilt for the next waiter. */
  discard(item: T): void {
    this.#live--;
    void this.destroy(item).catch(() => undefined);
    this.#wakeNext();
  }

  #wakeNext(): void {
    const next = this.#waiting.shift();
    if (!next) return;
    this.#live++;
    this.create().then(next.resolve, (error: unknown) => {
      this.#live--;
      next.reject(error);
    });
  }

  async dispose(): Promise<void> {
    this.#disposed = true;
    for (const waiter of this.#waiting.splice(0)) waiter.reject(new Error("the OCR engine has been disposed"));
    const idle = this.#idle.splice(0);
    this.#live -= idle.length;
    await Promise.all(idle.map((item) => this.destroy(item).catch(() => undefined)));
  }
}
