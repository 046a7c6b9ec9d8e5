import { InvalidArgumentError } from "@bear/core";
import { plainOf } from "../execution/raw-json";
import { TERMINAL_RUN_STATUSES, type ListRunsQuery, type RunPatch, type RunRecord, type RunStore, type StepRecord, type StepWrite, type StoredEvent } from "./run-records";

/** Finished runs a MemoryRunStore keeps unless told otherwise (a long-lived embedder's memory stays bounded). */
export const DEFAULT_MAX_FINISHED_RUNS = 1_000;

const TERMINAL = new Set(TERMINAL_RUN_STATUSES);

export interface MemoryRunStoreOptions {
  /** Keep event history (off saves memory in benchmarks). Default true. */
  readonly keepEvents?: boolean;
  /**
   * Finished runs (completed, failed, cancelled) kept, with their steps and events: when one more
   * finishes, the one that finished first is dropped, as prune() drops it. Runs not finished are never
   * dropped. Default 1,000; `Infinity` keeps every run (memory grows with every run).
   */
  readonly maxFinishedRuns?: number;
}

/** Keeps runs in memory only: for tests, benchmarks and throw-away runs. Nothing survives a restart. */
export class MemoryRunStore implements RunStore {
  readonly location = ":memory:";
  readonly #runs = new Map<string, RunRecord>();
  readonly #steps = new Map<string, Map<string, StepWrite>>();
  readonly #events = new Map<string, StoredEvent[]>();
  /** Finished runs' ids → finishedAt, oldest first (the order the cap and prune() drop them in). */
  #finished = new Map<string, number>();
  /** At least the last entry's finishedAt (a larger stale value only costs one needless sort). */
  #latestFinishedAt = -Infinity;
  readonly #keepEvents: boolean;
  readonly #maxFinishedRuns: number;

  constructor(readonly options: MemoryRunStoreOptions = {}) {
    const max = options.maxFinishedRuns ?? DEFAULT_MAX_FINISHED_RUNS;
    if (max !== Infinity && !(Number.isInteger(max) && max >= 0)) throw new InvalidArgumentError("maxFinishedRuns", max, "an integer of at least 0, or Infinity");
    this.#maxFinishedRuns = max;
    this.#keepEvents = options.keepEvents !== false;
  }

  insertRun(run: RunRecord): void {
    this.#runs.set(run.id, run);
    this.#steps.set(run.id, new Map());
    this.#events.set(run.id, []);
    this.#track(run);
  }

  updateRun(runId: string, patch: RunPatch, at: number): void {
    const run = this.#runs.get(runId);
    if (!run) return;
    const updated: RunRecord = {
      ...run,
      status: patch.status,
      error: patch.error === undefined ? run.error : patch.error,
      startedAt: patch.startedAt ?? run.startedAt,
      finishedAt: patch.finishedAt ?? run.finishedAt,
      updatedAt: at,
    };
    this.#runs.set(runId, updated);
    this.#track(updated);
  }

  saveStep(step: StepWrite): void {
    this.#steps.get(step.runId)?.set(step.key, step);
  }

  appendEvent(event: StoredEvent): void {
    if (this.#keepEvents) this.#events.get(event.runId)?.push(event);
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

  /** Finished runs held now (at most maxFinishedRuns). */
  get finishedRuns(): number {
    return this.#finished.size;
  }

  prune(before: number, limit = Infinity): number {
    const expired: string[] = [];
    for (const [id, finishedAt] of this.#finished) {
      if (finishedAt >= before || expired.length >= limit) break; // oldest first: the rest finished later
      expired.push(id);
    }
    for (const id of expired) this.#drop(id);
    return expired.length;
  }

  close(): void {
    this.#runs.clear();
    this.#steps.clear();
    this.#events.clear();
    this.#finished.clear();
  }

  /** Keeps #finished in step with a run's status, then drops the runs beyond the cap. */
  #track(run: RunRecord): void {
    if (!TERMINAL.has(run.status) || run.finishedAt === null) {
      this.#finished.delete(run.id); // a run resumed (or re-inserted unfinished) is not finished any more
      return;
    }
    if (this.#finished.get(run.id) === run.finishedAt) return;
    this.#finished.delete(run.id);
    this.#finished.set(run.id, run.finishedAt);
    // Runs finish in time order here; one inserted already finished, or a clock set back, is put in its place.
    if (run.finishedAt < this.#latestFinishedAt) this.#finished = new Map([...this.#finished].sort((a, b) => a[1] - b[1]));
    else this.#latestFinishedAt = run.finishedAt;
    while (this.#finished.size > this.#maxFinishedRuns) this.#drop(this.#finished.keys().next().value!);
  }

  #drop(runId: string): void {
    this.#runs.delete(runId);
    this.#steps.delete(runId);
    this.#events.delete(runId);
    this.#finished.delete(runId);
  }
}
