// Who has a workflow database open, across processes and machines. Every opener (a standalone
// engine, or one of a cluster's instances sharing the file) keeps a marker file in `<dbPath>.live/`
// holding its host, pid, a random id of the writing process, mode and the time it last refreshed
// it, rewritten (atomically) every few seconds and removed on close. No document data goes there.
//
// A marker of a process of this kernel and pid namespace (its "scope", Linux: boot id and
// /proc/self/ns/pid) also holds the writer's start time (/proc/<pid>/stat field 22): it counts as
// long as that pid has that start time, whatever the marker's age, so an instance stopped with
// SIGSTOP (Ctrl-Z) keeps counting while it cannot refresh, a process killed with -9 stops counting
// at once, and a pid reused by another process never keeps a marker alive. Otherwise (another host,
// another scope, no /proc, an older marker) a marker counts while it was refreshed within `staleMs`
// by the writer's clock and, on this host, its pid is alive. A marker of this host with this
// process's pid but another process id was written elsewhere (a container with the same hostname,
// also pid 1) or, with this process's start time, by another thread of this process (each thread has
// its own id and held set): it is judged by its age alone. Clocks of machines sharing the folder must agree to within
// `staleMs - periodMs` (25 s by default); a marker dated ahead counts as fresh, unless it is more
// than `staleMs` ahead (not a skewed clock: a forged or broken marker, judged dead).
//
// The folder and its entries are not trusted (see presence-marker-file): `.live` must be a real
// folder, not a symlink; an entry that is not a small regular file is ignored, never followed.
//
// Openers write their own marker before they look at the others', so of two processes opening at
// the same moment at least one sees the other (both may refuse; a retry settles it).
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { isProcessAlive, processScope, processStartOf, writeFileAtomicSync } from "@bear/core";
import { RunStoreError } from "../errors";
import { readMarkerFile, type MarkerContent } from "./presence-marker-file";

export type PresenceMode = "exclusive" | "shared";

/** One process that has the database open. */
export interface Presence {
  readonly host: string;
  readonly pid: number;
  readonly mode: PresenceMode;
  /** When it last refreshed its marker (its own clock, ms since the epoch). */
  readonly at: number;
  /** The marker file (absent for a holder seen only through its pid lock). */
  readonly file?: string;
}

export interface PresenceTiming {
  /** How often a marker is refreshed (ms, default 5 s). */
  readonly periodMs?: number;
  /** A marker from another host older than this is abandoned (ms, default 30 s). */
  readonly staleMs?: number;
}

/** A marker this process keeps fresh until `remove()`. */
export interface PresenceMarker {
  readonly file: string;
  remove(): void;
}

const DEFAULT_PERIOD_MS = 5_000;
const DEFAULT_STALE_MS = 30_000;
const MARKER = /^[\w.-]+\.\d+\.[0-9a-f]{12}\.json$/;
/** A marker being written (`writeFileAtomicSync`: 16 hex; 8 before it); one left by a crash mid-write is swept once stale. */
const TEMP = /^[\w.-]+\.\d+\.[0-9a-f]{12}\.json\.(?:[0-9a-f]{16}|[0-9a-f]{8})\.tmp$/;

/** Ids of markers this thread holds (kept on globalThis, as core's pid locks are, for bundled copies). */
const HELD = Symbol.for("@bear/workflow-engine:presence-markers");
const registry = globalThis as { [HELD]?: Set<string> };
const heldHere: Set<string> = (registry[HELD] ??= new Set());
/** This thread's id in its markers: tells it from another with the same host name and pid. */
const ID = Symbol.for("@bear/workflow-engine:presence-id");
const ids = globalThis as { [ID]?: string };
const processId: string = (ids[ID] ??= randomBytes(8).toString("hex"));
/** This process's scope and start time for its markers (none where /proc does not say). */
const ownStart = processScope === undefined ? undefined : processStartOf(process.pid);
const identity = processScope !== undefined && ownStart !== undefined ? { scope: processScope, start: ownStart } : {};

export const presenceDirOf = (dbPath: string): string => `${path.resolve(dbPath)}.live`;

/** Writes this process's marker and keeps it fresh (the timer never keeps the process alive). */
export function announcePresence(dbPath: string, mode: PresenceMode, timing: PresenceTiming = {}): PresenceMarker {
  const dir = presenceDirOf(dbPath);
  const file = path.join(dir, `${safeHost(os.hostname())}.${process.pid}.${randomBytes(6).toString("hex")}.json`);
  const write = (): void => {
    // The folder may have gone with another opener's last marker meanwhile: make it again.
    for (let round = 0; ; round++) {
      const folder = makePresenceDir(dir);
      if (folder === undefined && round < 2) continue;
      if (folder === undefined) throw new RunStoreError(`create its presence folder '${dir}'`, dir, undefined, { hint: "Another process kept removing it; open again." });
      try {
        // not durable: an fsync on the opener's event loop every period (~14 ms each on a busy disk, measured in a cluster
        // API instance at load 20) bought nothing — after a power cut nobody is live, and a torn marker reads as none
        writeFileAtomicSync(file, JSON.stringify({ host: os.hostname(), pid: process.pid, id: processId, mode, at: Date.now(), ...identity }), { durable: false, syncFolder: false });
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== "ENOENT" || round >= 2) throw error;
        continue;
      }
      try {
        return assertSamePresenceDir(dir, folder); // written into the folder checked, not one swapped in
      } catch (error) {
        fs.rmSync(file, { force: true });
        throw error;
      }
    }
  };
  write();
  heldHere.add(file);
  const timer = setInterval(() => {
    try {
      write();
    } catch {
      // The folder is briefly unreachable (a network share): the next tick tries again.
    }
  }, timing.periodMs ?? DEFAULT_PERIOD_MS);
  timer.unref();
  let removed = false;
  return {
    file,
    remove: () => {
      if (removed) return;
      removed = true;
      clearInterval(timer);
      heldHere.delete(file);
      fs.rmSync(file, { force: true });
      removeIfEmpty(dir);
    },
  };
}

/**
 * The other live openers of the database (not `self`). Markers judged dead are deleted on the way
 * unless `prune` is false (a live writer's next refresh would bring its marker back).
 */
export function livePresences(dbPath: string, self: PresenceMarker | undefined, timing: PresenceTiming & { readonly prune?: boolean } = {}): Presence[] {
  const dir = presenceDirOf(dbPath);
  let names: string[];
  let folder: fs.Stats | undefined;
  try {
    folder = checkPresenceDir(dir);
    if (!folder) return [];
    names = fs.readdirSync(dir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return [];
    throw error;
  }
  const staleMs = timing.staleMs ?? DEFAULT_STALE_MS;
  const prune = timing.prune !== false;
  const live: Presence[] = [];
  for (const name of names) {
    const file = path.join(dir, name);
    // nothing is deleted through a '.live' other than the folder checked (one swapped in meanwhile)
    if (prune && TEMP.test(name)) sweepTemp(file, staleMs, () => assertSamePresenceDir(dir, folder));
    if (file === self?.file || !MARKER.test(name)) continue;
    const marker = readMarkerFile(file);
    if (marker === undefined) continue; // removed meanwhile, not a small regular file, or not ours
    if (isLive(file, marker, staleMs)) live.push({ ...marker.presence, file });
    else if (prune) {
      assertSamePresenceDir(dir, folder);
      fs.rmSync(file, { force: true });
    }
  }
  return live;
}

/** "host-a pid 12 (seen 3 s ago)" for messages. */
export function describePresence(presence: Presence, now = Date.now()): string {
  const where = presence.host === os.hostname() ? `process ${presence.pid}` : `process ${presence.pid} on ${presence.host}`;
  return `${where} (seen ${Math.max(0, Math.round((now - presence.at) / 1000))} s ago)`;
}

function isLive(file: string, { presence, id, scope, start }: MarkerContent, staleMs: number): boolean {
  const age = Date.now() - presence.at;
  const fresh = age < staleMs && age >= -staleMs; // more than staleMs ahead is no clock skew
  if (presence.host !== os.hostname()) return fresh;
  // A process of our kernel and pid namespace: live while its pid is that process, stopped or not
  // (with our own pid: an earlier process's that had our pid unless it has our start time; then this
  // thread's while it holds it, another thread's of this process, with its own id, while fresh).
  if (scope !== undefined && scope === processScope) {
    if (presence.pid === process.pid) return start === ownStart && (id === processId ? heldHere.has(file) : fresh);
    const now = processStartOf(presence.pid);
    if (now !== undefined) return now === start;
    // gone, or hidden from us (/proc mounted hidepid, another user's): alive and refreshing
    return fresh && isProcessAlive(presence.pid);
  }
  // Another scope, or no /proc, or an older marker: ours while we hold it; one of another machine or
  // container with our name and pid while fresh; another process here while alive and refreshing.
  if (presence.pid === process.pid) return id === processId ? heldHere.has(file) : fresh;
  return fresh && isProcessAlive(presence.pid);
}

/** Makes `<dbPath>.live` (its parent, the database's folder, exists) and checks it is a real folder (its stat). */
function makePresenceDir(dir: string): fs.Stats | undefined {
  try {
    fs.mkdirSync(dir, { mode: 0o700 });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EEXIST") {
      throw new RunStoreError(`create its presence folder '${dir}'`, dir, error, {
        hint: `Let this user create folders in '${path.dirname(dir)}' (or choose a shorter database path if the name is too long).`,
      });
    }
  }
  return checkPresenceDir(dir); // undefined: removed at once by another opener's last close
}

/** Undefined if `dir` does not exist, else its stat; throws if it is not a real folder (a symlink, a file). */
function checkPresenceDir(dir: string): fs.Stats | undefined {
  let stat: fs.Stats;
  try {
    stat = fs.lstatSync(dir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw error;
  }
  if (stat.isDirectory()) return stat;
  throw new RunStoreError(`use its presence folder '${dir}': it is ${stat.isSymbolicLink() ? "a symbolic link" : "not a folder"}`, dir, undefined, {
    hint: `BEAR made no such entry; delete '${dir}' (it is made again as a folder), after checking what put it there.`,
  });
}

/** Throws unless `dir` is still the folder `checked` (same device and inode): another put in its place is not used. */
function assertSamePresenceDir(dir: string, checked: fs.Stats): void {
  const now = checkPresenceDir(dir);
  if (now?.dev === checked.dev && now.ino === checked.ino) return;
  throw new RunStoreError(`use its presence folder '${dir}': it was replaced while in use`, dir, undefined, {
    hint: `BEAR does not replace it; check what did, then open again.`,
  });
}

/** Deletes a temporary marker older than `staleMs` (its writer died between write and rename), once `check` passes. */
function sweepTemp(file: string, staleMs: number, check: () => void): void {
  let stat: fs.Stats;
  try {
    stat = fs.lstatSync(file);
  } catch {
    return; // renamed or removed meanwhile
  }
  if (!stat.isFile() || Date.now() - stat.mtimeMs < staleMs) return;
  check();
  fs.rmSync(file, { force: true });
}

/** The folder goes with its last marker (another opener's next write makes it again). */
function removeIfEmpty(dir: string): void {
  try {
    fs.rmdirSync(dir);
  } catch {
    // Other markers are in it, or it is gone already.
  }
}

function safeHost(host: string): string {
  return host.replace(/[^\w.-]/g, "_").slice(0, 64) || "host";
}
