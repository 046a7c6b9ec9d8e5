/** When a batch of prepared documents is committed. */
export interface BatchLimits {
  /** Documents per batch. */
  readonly maxDocuments: number;
  /** Characters of document text per batch (what memory grows with: text, chunks and search texts). */
  readonly maxChars: number;
  /** A batch older than this is committed at its next document, so slow files (large PDFs, OCR) still show progress. */
  readonly maxAgeMs: number;
}

export const defaultBatchLimits: BatchLimits = { maxDocuments: 500, maxChars: 4_000_000, maxAgeMs: 5_000 };

/** The steps of a batch: `open` and `add` fill it, `seal` runs on this thread as soon as it is full, `commit` one batch at a time, in order. */
export interface BatchStages<T, B, S> {
  /** A new, empty batch. */
  open(): B;
  /** Puts an item in the batch being filled, on this thread, as it comes (its rows are encoded then); throws for this item alone, leaving the batch as it was. */
  add(batch: B, item: T): void;
  /** Turns a full batch into what its commit writes; must not throw: it reports its own failures in what it returns. */
  seal(batch: B): S;
  /** Must not reject: it reports its own failures (per file). */
  commit(sealed: S): Promise<void>;
}

/**
 * Groups documents into batches and commits them one at a time, in order. Each document goes
 * into the batch being filled as it comes; a batch is sealed as soon as it is full, while the
 * batch before it is still being committed, and the next batch is filled meanwhile. Every `add`
 * waits (backpressure) while a sealed batch is queued behind the one being committed, so at most
 * two batches are sealed at once (one committing, one queued), plus the one being filled and the
 * documents the workers are preparing, whatever the corpus size and the number of workers.
 */
export class BatchCommitter<T extends { readonly chars: number }, B, S> {
  readonly #stages: BatchStages<T, B, S>;
  readonly #limits: BatchLimits;
  #current: B | undefined;
  #count = 0;
  #chars = 0;
  #openedAt = 0;
  #committing: Promise<void> = Promise.resolve();
  /** Set while a sealed batch is queued behind the one being committed: resolves when its commit starts. */
  #queued: Promise<void> | undefined;

  constructor(stages: BatchStages<T, B, S>, limits: BatchLimits) {
    this.#stages = stages;
    this.#limits = limits;
  }

  /** Adds an item (rejects with `stages.add`'s error, the batch left as it was); resolves once there is room for the next one. */
  async add(item: T): Promise<void> {
    // every producer waits here, not only the one that sealed: else each of them could fill and seal one more batch
    while (this.#queued) await this.#queued;
    if (this.#current === undefined) {
      this.#current = this.#stages.open();
      this.#openedAt = Date.now();
    }
    this.#stages.add(this.#current, item);
    this.#count++;
    this.#chars += item.chars;
    const { maxDocuments, maxChars, maxAgeMs } = this.#limits;
    if (this.#count >= maxDocuments || this.#chars >= maxChars || Date.now() - this.#openedAt >= maxAgeMs) await this.#seal();
  }

  /** Seals the batch being filled and queues it for commit; resolves once the batch before it is committed. */
  async #seal(): Promise<void> {
    const batch = this.#current;
    const count = this.#count;
    this.#drop();
    if (batch === undefined || count === 0) return;
    const sealed = this.#stages.seal(batch);
    const previous = this.#committing;
    this.#committing = previous.then(() => this.#stages.commit(sealed));
    const queued: Promise<void> = previous.finally(() => {
      if (this.#queued === queued) this.#queued = undefined;
    });
    this.#queued = queued;
    await queued;
  }

  #drop(): void {
    this.#current = undefined;
    this.#count = 0;
    this.#chars = 0;
  }

  /** Commits what is left and waits for every commit. */
  async flush(): Promise<void> {
    await this.#seal();
    await this.#committing;
  }

  /** Drops the batch being filled (nothing of it was written) and waits for the commits under way. */
  async abandon(): Promise<void> {
    this.#drop();
    await this.#committing;
  }
}
