import type { ListRunsQuery, RunPatch, RunRecord, RunStore, StepRecord, StepWrite, StoredEvent } from "./run-records";

/**
 * The store the engine's runs write through, frozen by `dispose({ suspend: true })`: queued writes
 * are committed, later ones (the cancellations of the shutdown) are dropped, so what is on disk is
 * exactly what a killed process would have left, and the next open resumes those runs.
 */
export class SuspendableRunStore implements RunStore {
  #frozen = false;

  constructor(private readonly inner: RunStore) {}

  get location(): string {
    return this.inner.location;
  }

  /** Commits what is queued, then ignores every later write. */
  freeze(): void {
    if (this.#frozen) return;
    this.inner.flush();
    this.#frozen = true;
  }

  insertRun(run: RunRecord): void {
    if (!this.#frozen) this.inner.insertRun(run);
  }
  updateRun(runId: string, patch: RunPatch, at: number): void {
    if (!this.#frozen) this.inner.updateRun(runId, patch, at);
  }
  saveStep(step: StepWrite): void {
    if (!this.#frozen) this.inner.saveStep(step);
  }
  appendEvent(event: StoredEvent): void {
    if (!this.#frozen) this.inner.appendEvent(event);
  }
  flush(): void {
    if (!this.#frozen) this.inner.flush();
  }
  getRun(runId: string): RunRecord | undefined {
    return this.inner.getRun(runId);
  }
  getSteps(runId: string): StepRecord[] {
    return this.inner.getSteps(runId);
  }
  getEvents(runId: string, afterSeq?: number): StoredEvent[] {
    return this.inner.getEvents(runId, afterSeq);
  }
  lastEventSeq(runId: string): number {
    return this.inner.lastEventSeq(runId);
  }
  listRuns(query?: ListRunsQuery): RunRecord[] {
    return this.inner.listRuns(query);
  }
  prune(before: number, limit?: number): number {
    return this.#frozen ? 0 : this.inner.prune(before, limit);
  }
  close(): void {
    this.inner.close();
  }
}
