// Exclusive locks between processes on one machine. The lock is a file that holds its owner's pid:
// a lock left by a process that died is taken over at once (no stale timeout to wait out).
//
// Why not a plain `writeFile(..., { flag: "wx" })`: between its create and its write the file is
// empty, and a rival reading it then would take the lock for abandoned. The lock file is instead
// written under a private name and hard-linked into place, so it appears whole. A dead holder's
// file is moved aside before it is deleted, and only if it is still the same file (inode) that was
// judged dead, so two processes taking over the same stale lock cannot delete each other's.
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { BearError, type BearErrorOptions } from "../errors/bear-error";

export type LockErrorCode = "LOCK_BUSY" | "LOCK_FAILED";

export class LockError extends BearError<LockErrorCode> {
  constructor(
    code: LockErrorCode,
    message: string,
    readonly file: string,
    options: BearErrorOptions = {},
  ) {
    super(code, message, options);
  }
}

/** A held lock. `release()` is idempotent and never removes a lock another process holds. */
export interface PidLock {
  readonly file: string;
  release(): void;
}

export interface PidLockOptions {
  /** How long to wait for a live holder before failing with LOCK_BUSY; 0 (the default) fails at once. */
  readonly waitMs?: number;
  /** How often to look again while waiting. */
  readonly pollMs?: number;
  /** What the lock protects, for messages: "the workspace index". */
  readonly what?: string;
  readonly signal?: AbortSignal;
}

const HELD = Symbol.for("@bear/core:held-pid-locks");

/** A file whose holder did not write its pid yet is only "being created" for this long. */
const UNREADABLE_GRACE_MS = 2_000;

/**
 * Locks this process holds: path → inode of its lock file. Kept on globalThis so that two copies of
 * this package in one process (a bundler's doing) still see each other's locks as held, not stale.
 */
const registry = globalThis as { [HELD]?: Map<string, number> };
const heldHere: Map<string, number> = (registry[HELD] ??= new Map());
let exitHookInstalled = false;

type Attempt = { readonly lock: PidLock } | { readonly holder: number | undefined };

/** Takes the lock or fails at once with LOCK_BUSY (for synchronous openers). */
export function acquirePidLockSync(file: string, options: Pick<PidLockOptions, "what"> = {}): PidLock {
  const resolved = path.resolve(file);
  const outcome = attempt(resolved);
  if ("lock" in outcome) return outcome.lock;
  throw busy(resolved, outcome.holder, options.what, 0);
}

/** Takes the lock, waiting up to `waitMs` for a live holder to release it. */
export async function acquirePidLock(file: string, options: PidLockOptions = {}): Promise<PidLock> {
  const resolved = path.resolve(file);
  const waitMs = options.waitMs ?? 0;
  const deadline = Date.now() + waitMs;
  for (;;) {
    options.signal?.throwIfAborted();
    const outcome = attempt(resolved);
    if ("lock" in outcome) return outcome.lock;
    if (Date.now() >= deadline) throw busy(resolved, outcome.holder, options.what, waitMs);
    await sleep(Math.min(options.pollMs ?? 15, Math.max(1, deadline - Date.now())));
  }
}

/** The pid of the live process holding `file`, or undefined when it is free (or abandoned). */
export function pidLockHolder(file: string): number | undefined {
  const resolved = path.resolve(file);
  const current = readLockFile(resolved);
  if (!current?.pid) return undefined;
  if (current.pid === process.pid) return heldHere.get(resolved) === current.ino ? current.pid : undefined;
  return isProcessAlive(current.pid) ? current.pid : undefined;
}

function attempt(file: string): Attempt {
  if (heldHere.has(file)) return { holder: process.pid };
  // A few rounds: each lost race (a rival created, released or took over meanwhile) starts over.
  for (let round = 0; round < 8; round++) {
    const ino = tryCreate(file);
    if (ino !== undefined) return { lock: hold(file, ino) };
    const current = readLockFile(file);
    if (!current) continue; // released meanwhile
    if (current.pid === undefined) {
      if (Date.now() - current.mtimeMs < UNREADABLE_GRACE_MS) return { holder: undefined };
    } else if (current.pid !== process.pid && isProcessAlive(current.pid)) {
      return { holder: current.pid };
    }
    // Its holder died (or it is our own pid from an earlier life of this pid, since we hold nothing here).
    removeIfUnchanged(file, current);
  }
  return { holder: undefined };
}

/** Creates the lock file atomically with our pid in it; returns its inode, or undefined if it exists. */
function tryCreate(file: string): number | undefined {
  const temp = `${file}.${process.pid}.${randomBytes(6).toString("hex")}.tmp`;
  try {
    fs.writeFileSync(temp, String(process.pid), { mode: 0o600 });
  } catch (error) {
    throw failed(file, "create", error);
  }
  try {
    const { ino } = fs.statSync(temp);
    try {
      fs.linkSync(temp, file);
      return ino;
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === "EEXIST") return undefined;
      if (code === "EPERM" || code === "ENOTSUP" || code === "ENOSYS") return createExclusive(file); // no hard links here
      throw failed(file, "create", error);
    }
  } finally {
    fs.rmSync(temp, { force: true });
  }
}

/** Fallback where hard links are unsupported: a rival may briefly see the file empty (see the grace period). */
function createExclusive(file: string): number | undefined {
  try {
    const fd = fs.openSync(file, "wx", 0o600);
    try {
      fs.writeSync(fd, String(process.pid));
      return fs.fstatSync(fd).ino;
    } finally {
      fs.closeSync(fd);
    }
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "EEXIST") return undefined;
    throw failed(file, "create", error);
  }
}

function readLockFile(file: string): { ino: number; pid: number | undefined; mtimeMs: number } | undefined {
  let fd: number;
  try {
    fd = fs.openSync(file, "r");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw failed(file, "read", error);
  }
  try {
    const { ino, mtimeMs } = fs.fstatSync(fd);
    const text = fs.readFileSync(fd, "utf8").trim();
    const pid = /^[1-9]\d{0,9}$/.test(text) ? Number(text) : undefined;
    return { ino, pid, mtimeMs };
  } finally {
    fs.closeSync(fd);
  }
}

/**
 * Deletes an abandoned lock file, unless a rival replaced it since it was judged abandoned. The pid is
 * compared with the inode because file systems reuse a deleted file's inode number at once.
 */
function removeIfUnchanged(file: string, { ino, pid }: { ino: number; pid: number | undefined }): void {
  const aside = `${file}.${process.pid}.${randomBytes(6).toString("hex")}.stale`;
  try {
    fs.renameSync(file, aside);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return;
    throw failed(file, "take over", error);
  }
  try {
    const moved = readLockFile(aside);
    if (moved && moved.ino === ino && moved.pid === pid) return;
    // A rival's live lock was moved: put it back (fails only if a third process got in meanwhile).
    fs.linkSync(aside, file);
  } catch {
    // Either way the rival's own release checks the inode, so nothing else is lost.
  } finally {
    fs.rmSync(aside, { force: true });
  }
}

function hold(file: string, ino: number): PidLock {
  heldHere.set(file, ino);
  installExitHook();
  let released = false;
  return {
    file,
    release: () => {
      if (released) return;
      released = true;
      releaseFile(file, ino);
    },
  };
}

function releaseFile(file: string, ino: number): void {
  if (heldHere.get(file) !== ino) return;
  heldHere.delete(file);
  try {
    const current = readLockFile(file);
    if (current?.ino === ino && current.pid === process.pid) fs.rmSync(file, { force: true });
  } catch {
    // Already gone: nothing to release.
  }
}

/** Locks still held at exit are removed (a crash leaves them, and the next process takes them over). */
function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.once("exit", () => {
    for (const [file, ino] of [...heldHere]) releaseFile(file, ino);
  });
}

/** Whether a process with this pid runs on this machine (one we may not signal counts as alive). */
export function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

function busy(file: string, holder: number | undefined, what: string | undefined, waitedMs: number): LockError {
  const subject = what ?? `'${file}'`;
  const by = holder === process.pid ? "this process" : holder === undefined ? "another process" : `process ${holder}`;
  const waited = waitedMs > 0 ? ` for more than ${Math.max(1, Math.round(waitedMs / 1000))} s` : "";
  return new LockError("LOCK_BUSY", `${subject} is in use: ${by} has held it${waited}`, file, {
    hint:
      holder === process.pid
        ? "Close the other handle this program opened on it first."
        : `Wait for the other BEAR process to finish, then retry.${holder === undefined ? "" : ` If process ${holder} is not a BEAR process, delete '${file}'.`}`,
    details: { file, ...(holder === undefined ? {} : { holder }) },
  });
}

function failed(file: string, operation: string, cause: unknown): LockError {
  const reason = (cause as NodeJS.ErrnoException | undefined)?.code ?? "error";
  return new LockError("LOCK_FAILED", `cannot ${operation} the lock file '${file}' (${reason})`, file, {
    cause,
    hint: "Check that its folder exists and is writable by this user.",
  });
}
