// Repeated events written as counts, so whoever can cause an event (a failed login, a forged job) cannot flood a log.

/** What a window held when it closed: the events after its first one. */
export interface ClosedWindow<E, S> {
  readonly first: E;
  readonly last: E;
  /** Events after the first, in this window (the first was written on its own). */
  readonly count: number;
  /** What `gather` collected over the window's events, the first included. */
  readonly gathered: S;
}

export interface WindowedCountsOptions<E, S> {
  /** How long a key's window counts, from its first event. */
  readonly windowMs: number;
  /** Windows open at once; at this many, every open window is written before a new one opens (memory stays bounded). */
  readonly maxWindows: number;
  /** Writes a window's first event, at once. Both writers report their own errors and never reject. */
  readonly writeFirst: (event: E) => Promise<void>;
  /** Writes the count of a closed window's later events (called only when there were some). */
  readonly writeRest: (window: ClosedWindow<E, S>) => Promise<void>;
  /** Starts a window's gathered state from its first event, and adds each later event to it. */
  readonly gather?: { readonly start: (event: E) => S; readonly add: (gathered: S, event: E) => void };
}

interface Window<E, S> {
  readonly opened: number;
  readonly first: E;
  last: E;
  count: number;
  readonly gathered: S;
  timer: NodeJS.Timeout | undefined;
}

/**
 * Per key and window, the first event is written at once and every further one adds to a single count written when
 * the window closes (a timer, unref'd) or at `flush()`: the records still add up to the events. Writes are the
 * caller's; `flush()` also waits for every write started so far.
 */
export class WindowedCounts<E, S = undefined> {
  readonly #windows = new Map<string, Window<E, S>>();
  #pending: Promise<unknown> = Promise.resolve();

  constructor(private readonly options: WindowedCountsOptions<E, S>) {}

  /** Records `event` under `key`: true when it opened a window (and was written), false when it was counted. */
  async add(key: string, event: E): Promise<boolean> {
    const { windowMs, maxWindows, gather } = this.options;
    const now = Date.now();
    const open = this.#windows.get(key);
    if (open && now - open.opened < windowMs) {
      open.count++;
      open.last = event;
      gather?.add(open.gathered, event);
      open.timer ??= setTimeout(() => void this.#close(key), Math.max(0, open.opened + windowMs - now)).unref();
      return false;
    }
    if (open) await this.#close(key);
    if (this.#windows.size >= maxWindows) await this.flush();
    this.#windows.set(key, { opened: now, first: event, last: event, count: 0, gathered: gather ? gather.start(event) : (undefined as S), timer: undefined });
    await this.#track(this.options.writeFirst(event));
    return true;
  }

  /** Writes every open window's count and waits for every write started so far. */
  async flush(): Promise<void> {
    await Promise.all([...this.#windows.keys()].map((key) => this.#close(key)));
    await this.#pending;
  }

  async #close(key: string): Promise<void> {
    const w = this.#windows.get(key);
    if (!w) return;
    this.#windows.delete(key);
    if (w.timer) clearTimeout(w.timer);
    if (w.count > 0) await this.#track(this.options.writeRest({ first: w.first, last: w.last, count: w.count, gathered: w.gathered }));
  }

  #track(write: Promise<void>): Promise<void> {
    this.#pending = this.#pending.then(() => write);
    return write;
  }
}
