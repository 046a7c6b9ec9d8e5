import { plainOf } from "../execution/raw-json";
import type { ListRunsQuery, RunPatch, RunRecord, RunStore, StepRecord, StepWrite, StoredEvent } from "./run-records";

/** Keeps runs in memory only: for tests, benchmarks and throw-away runs. Nothing survives a restart. */
export class MemoryRunStore implements RunStore {
  readonly location = ":memory:";
  readonly #runs = new Map<string, RunRecord>();
  readonly #steps = new Map<string, Map<string, StepWrite>>();
  readonly #events = new Map<string, StoredEvent[]>();
  /** Keep event history (off saves memory in benchmarks). */
  constructor(readonly options: { keepEvents?: boolean } = {}) {}

  insertRun(run: RunRecord): void {
    this.#runs.set(run.id, run);
    this.#steps.set(run.id, new Map());
    this.#events.set(run.id, []);
  }

  updateRun(runId: string, patch: RunPatch, at: number): void {
    const run = this.#runs.get(runId);
    if (!run) return;
    this.#runs.set(runId, {
      ...run,
      status: patch.status,
      error: patch.error === undefined ? run.error : patch.error,
      startedAt: patch.startedAt ?? run.startedAt,
      finishedAt: patch.finishedAt ?? run.finishedAt,
      updatedAt: at,
    });
  }

  saveStep(step: StepWrite): void {
    this.#steps.get(step.runId)?.set(step.key, step);
  }

  appendEvent(event: StoredEvent): void {
    if (this.options.keepEvents !== false) this.#events.get(event.runId)?.push(event);
  }

  flush(): void {
    // nothing is queued: every write above applies at once
  }

  getRun(runId: string): RunRecord | undefined {
    return this.#runs.get(runId);
  }

  getSteps(runId: string): StepRecord[] {
    // outputs an executor kept as text (RawJson) are read as plain values, as SqliteRunStore gives them
    return [...(this.#steps.get(runId)?.values() ?? [])].map((step) => ({ ...step, output: step.output === null ? null : plainOf(step.output) }));
  }

  getEvents(runId: string, afterSeq = 0): StoredEvent[] {
    return (this.#events.get(runId) ?? []).filter((e) => e.seq > afterSeq);
  }

  lastEventSeq(runId: string): number {
    return this.#events.get(runId)?.at(-1)?.seq ?? 0;
  }

  listRuns(query: ListRunsQuery = {}): RunRecord[] {
    const statuses = query.status === undefined ? undefined : new Set(typeof query.status === "string" ? [query.status] : query.status);
    const runs = [...this.#runs.values()]
      .filter(
        (r) =>
          (!statuses || statuses.has(r.status)) &&
          (query.workflow === undefined || r.workflow === query.workflow) &&
          (query.matters === undefined || (r.matter !== null && query.matters.includes(r.matter))),
      )
      .sort((a, b) => b.createdAt - a.createdAt);
    const offset = query.offset ?? 0;
    return runs.slice(offset, offset + (query.limit ?? 100));
  }

  prune(before: number, limit = Infinity): number {
    const expired = [...this.#runs.values()].filter((run) => run.finishedAt !== null && run.finishedAt < before).sort((a, b) => a.finishedAt! - b.finishedAt!);
    for (const run of expired.slice(0, limit)) {
      this.#runs.delete(run.id);
      this.#steps.delete(run.id);
      this.#events.delete(run.id);
    }
    return Math.min(expired.length, limit);
  }

  close(): void {
    this.#runs.clear();
    this.#steps.clear();
    this.#events.clear();
  }
}
