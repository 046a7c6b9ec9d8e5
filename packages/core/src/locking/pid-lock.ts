// Exclusive locks between processes. The lock is a file that names its holder: pid, host name and,
// on Linux, the kernel's boot id with the pid namespace (the "scope" where the pid means one process)
// and the process's start time. A holder in this scope is judged by its pid and start time: a lock
// left by a process that died is taken over at once. A holder elsewhere (another machine sharing the
// folder, a container in its own pid namespace) cannot be judged by pid: it renews the file's mtime
// while it holds the lock (a lease), and its lock is taken over only once that lease expired.
//
// Why not a plain `writeFile(..., { flag: "wx" })`: between its create and its write the file is
// empty, and a rival reading it then would take the lock for abandoned. The lock file is instead
// written under a private name and hard-linked into place, so it appears whole. A dead holder's
// file is moved aside before it is deleted, and only if it is still the same file (inode) that was
// judged dead, so two processes taking over the same stale lock cannot delete each other's.
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { BearError, type BearErrorOptions } from "../errors/bear-error";
import { isProcessScope, isProcessStart, processScope, processStartOf } from "./process-identity";

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
  /**
   * How long a lock held from another host or pid namespace stays valid without renewal (its holder
   * renews it every quarter of this); default 60 s. Clocks of hosts sharing a folder must agree to
   * well within it.
   */
  readonly leaseMs?: number;
}

/** Who holds a lock, as written in its file. */
export interface PidLockHolder {
  readonly pid: number;
  readonly host?: string;
  /** `<boot id>/<pid namespace>` (Linux). */
  readonly scope?: string;
  /** Start time of the process in its scope (clock ticks since boot). */
  readonly start?: string;
}

const HELD = Symbol.for("@bear/core:held-pid-locks");

/** A file whose holder did not write its pid yet is only "being created" for this long. */
const UNREADABLE_GRACE_MS = 2_000;
const DEFAULT_LEASE_MS = 60_000;
const HOST = /^[A-Za-z0-9][A-Za-z0-9._-]{0,252}$/;

const ownStart = processScope === undefined ? undefined : processStartOf(process.pid);
const hostName = (() => {
  const name = os.hostname();
  return HOST.test(name) ? name : undefined;
})();
/** What this process writes into a lock it takes. */
const ownHolder: PidLockHolder = { pid: process.pid, ...(hostName ? { host: hostName } : {}), ...(processScope ? { scope: processScope } : {}), ...(ownStart ? { start: ownStart } : {}) };
const ownText = JSON.stringify(ownHolder);

/**
 * Locks this process holds: path → inode of its lock file. Kept on globalThis so that two copies of
 * this package in one process (a bundler's doing) still see each other's locks as held, not stale.
 */
const registry = globalThis as { [HELD]?: Map<string, number> };
const heldHere: Map<string, number> = (registry[HELD] ??= new Map());
let exitHookInstalled = false;

type Attempt = { readonly lock: PidLock } | { readonly holder: PidLockHolder | undefined };

/** Takes the lock or fails at once with LOCK_BUSY (for synchronous openers). */
export function acquirePidLockSync(file: string, options: Pick<PidLockOptions, "what" | "leaseMs"> = {}): PidLock {
  const resolved = path.resolve(file);
  const outcome = attempt(resolved, options.leaseMs ?? DEFAULT_LEASE_MS);
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
    const outcome = attempt(resolved, options.leaseMs ?? DEFAULT_LEASE_MS);
    if ("lock" in outcome) return outcome.lock;
    if (Date.now() >= deadline) throw busy(resolved, outcome.holder, options.what, waitMs);
    await sleep(Math.min(options.pollMs ?? 15, Math.max(1, deadline - Date.now())));
  }
}

/** The pid of the live process holding `file` (on this host or, while its lease runs, another), or undefined when it is free (or abandoned). */
export function pidLockHolder(file: string, options: Pick<PidLockOptions, "leaseMs"> = {}): number | undefined {
  const resolved = path.resolve(file);
  const current = readLockFile(resolved);
  if (!current?.holder) return undefined;
  if (isThisProcess(current.holder)) return heldHere.get(resolved) === current.ino ? current.holder.pid : undefined;
  return holds(current.holder, current.mtimeMs, options.leaseMs ?? DEFAULT_LEASE_MS) ? current.holder.pid : undefined;
}

function attempt(file: string, leaseMs: number): Attempt {
  if (heldHere.has(file)) return { holder: ownHolder };
  // A few rounds: each lost race (a rival created, released or took over meanwhile) starts over.
  for (let round = 0; round < 8; round++) {
    const ino = tryCreate(file);
    if (ino !== undefined) return { lock: hold(file, ino, leaseMs) };
    const current = readLockFile(file);
    if (!current) continue; // released meanwhile
    if (current.holder === undefined) {
      if (Date.now() - current.mtimeMs < UNREADABLE_GRACE_MS) return { holder: undefined };
    } else if (!isThisProcess(current.holder) && holds(current.holder, current.mtimeMs, leaseMs)) {
      return { holder: current.holder };
    }
    // Its holder died, its lease expired, or it is our own pid from an earlier life (we hold nothing here).
    removeIfUnchanged(file, current);
  }
  return { holder: undefined };
}

/** Whether the pid in a lock means a process of this machine and pid namespace. */
function isLocal(holder: PidLockHolder): boolean {
  if (holder.scope !== undefined && processScope !== undefined) return holder.scope === processScope;
  // no scope on one side (not Linux, or an older lock naming only a pid): the host name decides
  return holder.host === undefined || hostName === undefined || holder.host === hostName;
}

function isThisProcess(holder: PidLockHolder): boolean {
  return holder.pid === process.pid && isLocal(holder);
}

/** Whether `holder` still holds its lock: a local process that is alive (the same one: start time), or a remote one whose lease runs. */
function holds(holder: PidLockHolder, mtimeMs: number, leaseMs: number): boolean {
  if (!isLocal(holder)) return Date.now() - mtimeMs < leaseMs;
  if (holder.start !== undefined && processScope !== undefined) return processStartOf(holder.pid) === holder.start;
  return isProcessAlive(holder.pid);
}

/** Creates the lock file atomically naming us; returns its inode, or undefined if it exists. */
function tryCreate(file: string): number | undefined {
  const temp = `${file}.${process.pid}.${randomBytes(6).toString("hex")}.tmp`;
  try {
    fs.writeFileSync(temp, ownText, { mode: 0o600 });
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
      fs.writeSync(fd, ownText);
      return fs.fstatSync(fd).ino;
    } finally {
      fs.closeSync(fd);
    }
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "EEXIST") return undefined;
    throw failed(file, "create", error);
  }
}

interface LockFileState {
  readonly ino: number;
  /** undefined: empty or unreadable (being created, or garbage). */
  readonly holder: PidLockHolder | undefined;
  readonly text: string;
  readonly mtimeMs: number;
}

function readLockFile(file: string): LockFileState | undefined {
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
    return { ino, holder: parseHolder(text), text, mtimeMs };
  } finally {
    fs.closeSync(fd);
  }
}

/** A holder as a lock file names it: JSON (this format), or a bare pid (locks of older releases). */
function parseHolder(text: string): PidLockHolder | undefined {
  if (/^[1-9]\d{0,9}$/.test(text)) return { pid: Number(text) };
  if (!text.startsWith("{") || text.length > 1024) return undefined;
  try {
    const o = JSON.parse(text) as Record<string, unknown>;
    const pid = o["pid"];
    if (typeof pid !== "number" || !Number.isSafeInteger(pid) || pid < 1) return undefined;
    const { host, scope, start } = o;
    return {
      pid,
      ...(typeof host === "string" && HOST.test(host) ? { host } : {}),
      ...(isProcessScope(scope) ? { scope } : {}),
      ...(isProcessStart(start) ? { start } : {}),
    };
  } catch {
    return undefined;
  }
}

/**
 * Deletes an abandoned lock file, unless a rival replaced it since it was judged abandoned. The
 * content is compared with the inode because file systems reuse a deleted file's inode number at once.
 */
function removeIfUnchanged(file: string, { ino, text }: { ino: number; text: string }): void {
  const aside = `${file}.${process.pid}.${randomBytes(6).toString("hex")}.stale`;
  try {
    fs.renameSync(file, aside);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return;
    throw failed(file, "take over", error);
  }
  try {
    const moved = readLockFile(aside);
    if (moved && moved.ino === ino && moved.text === text) return;
    // A rival's live lock was moved: put it back (fails only if a third process got in meanwhile).
    fs.linkSync(aside, file);
  } catch {
    // Either way the rival's own release checks the inode, so nothing else is lost.
  } finally {
    fs.rmSync(aside, { force: true });
  }
}

function hold(file: string, ino: number, leaseMs: number): PidLock {
  heldHere.set(file, ino);
  installExitHook();
  let released = false;
  // The lease: a holder elsewhere judges this lock by its mtime, so keep it fresh while held.
  const renew = setInterval(() => renewLease(file, ino), Math.max(50, Math.floor(leaseMs / 4)));
  renew.unref();
  return {
    file,
    release: () => {
      if (released) return;
      released = true;
      clearInterval(renew);
      releaseFile(file, ino);
    },
  };
}

function renewLease(file: string, ino: number): void {
  try {
    if (heldHere.get(file) !== ino || fs.statSync(file).ino !== ino) return;
    const now = new Date();
    fs.utimesSync(file, now, now);
  } catch {
    // gone or unwritable: the next acquire by anyone tells
  }
}

function releaseFile(file: string, ino: number): void {
  if (heldHere.get(file) !== ino) return;
  heldHere.delete(file);
  try {
    const current = readLockFile(file);
    if (current?.ino === ino && current.holder !== undefined && isThisProcess(current.holder)) fs.rmSync(file, { force: true });
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

function busy(file: string, holder: PidLockHolder | undefined, what: string | undefined, waitedMs: number): LockError {
  const subject = what ?? `'${file}'`;
  const self = holder !== undefined && isThisProcess(holder);
  const remote = holder !== undefined && !isLocal(holder);
  const where = remote ? ` on ${holder.host === undefined ? "another host" : `host '${holder.host}'`}${holder.host === hostName ? " (another pid namespace)" : ""}` : "";
  const by = self ? "this process" : holder === undefined ? "another process" : `process ${holder.pid}${where}`;
  const waited = waitedMs > 0 ? ` for more than ${Math.max(1, Math.round(waitedMs / 1000))} s` : "";
  return new LockError("LOCK_BUSY", `${subject} is in use: ${by} has held it${waited}`, file, {
    hint: self
      ? "Close the other handle this program opened on it first."
      : remote
        ? `Wait for the BEAR process${where} to finish, then retry; if that machine or container is gone, its lock is taken over once its lease (renewed while it runs) expires.`
        : `Wait for the other BEAR process to finish, then retry.${holder === undefined ? "" : ` If process ${holder.pid} is not a BEAR process, delete '${file}'.`}`,
    details: { file, ...(holder === undefined ? {} : { holder: holder.pid, ...(holder.host === undefined ? {} : { host: holder.host }) }) },
  });
}

function failed(file: string, operation: string, cause: unknown): LockError {
  const reason = (cause as NodeJS.ErrnoException | undefined)?.code ?? "error";
  return new LockError("LOCK_FAILED", `cannot ${operation} the lock file '${file}' (${reason})`, file, {
    cause,
    hint: "Check that its folder exists and is writable by this user.",
  });
}
