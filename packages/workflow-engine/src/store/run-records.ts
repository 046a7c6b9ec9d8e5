import type { JsonValue } from "../execution/json-value";
import type { StepOutput } from "../execution/raw-json";

export type RunStatus = "pending" | "running" | "completed" | "failed" | "cancelled";
export type StepStatus = "pending" | "running" | "completed" | "failed" | "cancelled" | "skipped";
export const RUN_STATUSES: readonly RunStatus[] = ["pending", "running", "completed", "failed", "cancelled"];
export const TERMINAL_RUN_STATUSES: readonly RunStatus[] = ["completed", "failed", "cancelled"];

/** An error as stored and sent in events: code and message only (never a stack or document text). */
export interface ErrorInfo {
  readonly code: string;
  readonly message: string;
}

export interface RunRecord {
  readonly id: string;
  readonly workflow: string;
  /** The definition as written (JSON), re-validated when an interrupted run resumes. */
  readonly definition: JsonValue;
  readonly inputs: JsonValue;
  /** The matter the run works for (apps scope who may see it); null when none was given. */
  readonly matter: string | null;
  /**
   * Who started the run (a principal id, `cli`…): its steps and nested runs act as it, so their
   * audit records name it. Null when the starter named none (and for runs of older databases).
   */
  readonly actor: string | null;
  /**
   * Where its file steps read and write (`RunFileArea`: `matters:<root>`, `folder:<root>`, `none`),
   * so that only an engine with the same area resumes it; null or absent for runs of older databases.
   */
  readonly files?: string | null;
  readonly status: RunStatus;
  readonly error: ErrorInfo | null;
  readonly createdAt: number;
  readonly updatedAt: number;
  readonly startedAt: number | null;
  readonly finishedAt: number | null;
}

/** One step of a run, or one item of a `for_each` step (then `index` is set and `key` is `id[i]`). */
export interface StepRecord {
  readonly runId: string;
  readonly key: string;
  readonly stepId: string;
  readonly index: number | null;
  readonly status: StepStatus;
  /** Attempts started so far. */
  readonly attempt: number;
  readonly output: JsonValue | null;
  readonly error: ErrorInfo | null;
  readonly startedAt: number | null;
  readonly finishedAt: number | null;
}

/**
 * A step record as the engine writes it: its output may hold RawJson (JSON kept as text, see
 * RawJson), which a store keeps as its text or value; read back, a record's output is plain JSON.
 */
export type StepWrite = Omit<StepRecord, "output"> & { readonly output: StepOutput | null };

export interface RunPatch {
  readonly status: RunStatus;
  readonly error?: ErrorInfo | null;
  readonly startedAt?: number;
  readonly finishedAt?: number;
}

export interface ListRunsQuery {
  readonly status?: RunStatus | readonly RunStatus[];
  readonly workflow?: string;
  /** Only runs of these matters (an empty list matches none). */
  readonly matters?: readonly string[];
  readonly limit?: number;
  readonly offset?: number;
}

/** A persisted event: `seq` orders the events of one run. */
export interface StoredEvent {
  readonly runId: string;
  readonly seq: number;
  readonly type: string;
  readonly at: number;
  readonly payload: JsonValue;
}

/**
 * Durable state of runs. Writes are queued and committed together by flush(), which the engine
 * calls before any handler starts, so what a handler may act on is always on disk first.
 */
export interface RunStore {
  readonly location: string;
  insertRun(run: RunRecord): void;
  updateRun(runId: string, patch: RunPatch, at: number): void;
  saveStep(step: StepWrite): void;
  appendEvent(event: StoredEvent): void;
  /** Commits every queued write in one transaction. */
  flush(): void;
  getRun(runId: string): RunRecord | undefined;
  getSteps(runId: string): StepRecord[];
  getEvents(runId: string, afterSeq?: number): StoredEvent[];
  lastEventSeq(runId: string): number;
  listRuns(query?: ListRunsQuery): RunRecord[];
  /**
   * Deletes finished runs (with their steps and events) that finished before `before`, the oldest first;
   * at most `limit` of them when given (a slice: a caller sharing the database keeps its write lock short).
   */
  prune(before: number, limit?: number): number;
  close(): void;
}
