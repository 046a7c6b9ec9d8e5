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

/** The two steps of a batch: `seal` runs on this thread as soon as the batch is full, `commit` one batch at a time, in order. */
export interface BatchStages<T, S> {
  /** Turns a full batch into what its commit writes (encoded rows); must not throw: it reports its own failures in what it returns. */
  seal(batch: T[]): S;
  /** Must not reject: it reports its own failures (per file). */
  commit(sealed: S): Promise<void>;
}

/**
 * Groups documents into batches and commits them one at a time, in order. A batch is sealed
 * (encoded) as soon as it is full, while the batch before it is still being committed, and the
 * next batch is prepared meanwhile. Every `add` waits (backpressure) while a sealed batch is
 * queued behind the one being committed, so at most two batches are sealed at once (one
 * committing, one queued), plus the one being filled and the documents the workers are preparing,
 * whatever the corpus size and the number of workers.
 */
export class BatchCommitter<T extends { readonly chars: number }, S> {
  readonly #stages: BatchStages<T, S>;
  readonly #limits: BatchLimits;
  #current: T[] = [];
  #chars = 0;
  #openedAt = 0;
  #committing: Promise<void> = Promise.resolve();
  /** Set while a sealed batch is queued behind the one being committed: resolves when its commit starts. */
  #queued: Promise<void> | undefined;

  constructor(stages: BatchStages<T, S>, limits: BatchLimits) {
    this.#stages = stages;
    this.#limits = limits;
  }

  async add(item: T): Promise<void> {
    // every producer waits here, not only the one that sealed: else each of them could fill and seal one more batch
    while (this.#queued) await this.#queued;
    if (this.#current.length === 0) this.#openedAt = Date.now();
    this.#current.push(item);
    this.#chars += item.chars;
    const { maxDocuments, maxChars, maxAgeMs } = this.#limits;
    if (this.#current.length >= maxDocuments || this.#chars >= maxChars || Date.now() - this.#openedAt >= maxAgeMs) await this.#seal();
  }

  /** Seals the batch being filled and queues it for commit; resolves once the batch before it is committed. */
  async #seal(): Promise<void> {
    const batch = this.#current;
    this.#current = [];
    this.#chars = 0;
    if (batch.length === 0) return;
    const sealed = this.#stages.seal(batch);
    const previous = this.#committing;
    this.#committing = previous.then(() => this.#stages.commit(sealed));
    const queued: Promise<void> = previous.finally(() => {
      if (this.#queued === queued) this.#queued = undefined;
    });
    this.#queued = queued;
    await queued;
  }

  /** Commits what is left and waits for every commit. */
  async flush(): Promise<void> {
    await this.#seal();
    await this.#committing;
  }

  /** Drops the batch being filled (nothing of it was written) and waits for the commits under way. */
  async abandon(): Promise<void> {
    this.#current = [];
    this.#chars = 0;
    await this.#committing;
  }
}
