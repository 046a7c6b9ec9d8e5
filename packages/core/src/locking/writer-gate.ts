// A lock across machines, around writes a per-host pid lock cannot serialise: several hosts sharing
// one workspace folder (a cluster) must commit to the index one at a time. The pid lock stays the
// first line (it knows at once when a local holder died); a gate is taken after it, so the order is
// always host lock, then cluster lock, and two writers cannot wait for each other in a cycle.
/** A held gate. `release()` is idempotent. */
export interface WriterGateHold {
  release(): Promise<void>;
}

export interface WriterGateWaitOptions {
  /** Fail with LOCK_BUSY after this long (ms). */
  readonly waitMs: number;
  readonly signal?: AbortSignal;
  /** Called once when another holder has the gate and this call starts waiting. */
  readonly onWait?: (holder: string | undefined) => void;
}

/** One named cross-machine lock (e.g. a lease in the cluster's Redis). */
export interface WriterGate {
  /** What the gate guards and where, for messages ("the index, in Redis at 127.0.0.1:6379"). */
  readonly description: string;
  /** Waits for the gate; rejects with a LockError (LOCK_BUSY) after `waitMs`. */
  acquire(options: WriterGateWaitOptions): Promise<WriterGateHold>;
  /** The gate if it is free now, else undefined (its holder will do the work). */
  tryAcquire(): Promise<WriterGateHold | undefined>;
}

/** DI token of the index writer gate: bound only when the workspace runs as a cluster. */
export const WriterGate = Symbol.for("@bear/core:WriterGate");
