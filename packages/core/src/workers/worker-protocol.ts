// Messages between a WorkerPool and the worker threads it runs (serveWorkerTasks). Everything here is
// structured-cloneable: strings, numbers, plain objects, typed arrays.
import { BearError } from "../errors/bear-error";

/** One unit of work: `kind` names the handler the worker script registered for it. */
export interface WorkerTask {
  readonly kind: string;
}

/** An error raised in a worker, as it crosses the thread boundary (its BearError code kept). */
export interface SerializedError {
  readonly name: string;
  readonly message: string;
  readonly code?: string;
  readonly hint?: string;
  readonly details?: Record<string, unknown>;
}

export type ToWorker =
  /** A task: the worker runs its tasks one at a time, in the order they came (a pool may hand one ahead). */
  | { readonly type: "task"; readonly id: number; readonly task: WorkerTask }
  /** Take back task `id` if it has not started: the worker answers `withdrawn` either way. */
  | { readonly type: "withdraw"; readonly id: number }
  | { readonly type: "call-result"; readonly callId: number; readonly ok: true; readonly value: unknown }
  | { readonly type: "call-result"; readonly callId: number; readonly ok: false; readonly error: SerializedError };

export type FromWorker =
  | { readonly type: "done"; readonly id: number; readonly value: unknown }
  | { readonly type: "failed"; readonly id: number; readonly error: SerializedError }
  /**
   * The answer to `withdraw`: `withdrawn: true` when the task was dropped unstarted (it never runs), false when it had
   * started already (its `done` or `failed` comes, or came, as usual).
   */
  | { readonly type: "withdrawn"; readonly id: number; readonly withdrawn: boolean }
  /** The task asks the thread that started it for something only that thread has (e.g. a loaded model). */
  | { readonly type: "call"; readonly id: number; readonly callId: number; readonly payload: unknown };

const TRANSFERRED = Symbol.for("@bear/core:TransferredValue");

/**
 * A task's value whose buffers move to the thread that started the task instead of being copied: what a handler
 * returns as `transferred(value, [buffer])` reaches WorkerPool.run's caller as `value`, and `buffer` is unusable in the
 * worker afterwards. For results a handler packs into one buffer (a structured clone of many small objects costs more
 * on both threads than packing and reading them).
 */
export interface TransferredValue<T = unknown> {
  readonly [TRANSFERRED]: true;
  readonly value: T;
  readonly transfer: readonly ArrayBuffer[];
}

/** Marks `value` to be sent with `transfer` moved, not copied (see TransferredValue). */
export function transferred<T>(value: T, transfer: readonly ArrayBuffer[]): TransferredValue<T> {
  return { [TRANSFERRED]: true, value, transfer };
}

/** Whether a handler's value is a TransferredValue (a brand, so a second copy of this package still matches). */
export function isTransferred(value: unknown): value is TransferredValue {
  return typeof value === "object" && value !== null && (value as { [TRANSFERRED]?: unknown })[TRANSFERRED] === true;
}

/** An error as it crosses a thread boundary: a BearError keeps its code, hint and details. */
export function serializeError(error: unknown): SerializedError {
  if (BearError.isInstance(error)) {
    return { name: error.name, message: error.message, code: error.code, ...(error.hint ? { hint: error.hint } : {}), ...(error.details ? { details: { ...error.details } } : {}) };
  }
  const e = error as { name?: unknown; message?: unknown };
  return { name: typeof e?.name === "string" ? e.name : "Error", message: typeof e?.message === "string" ? e.message : String(error) };
}
