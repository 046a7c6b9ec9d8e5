// Who has a workflow database open, across processes and machines. Every opener (a standalone
// engine, or one of a cluster's instances sharing the file) keeps a marker file in `<dbPath>.live/`
// holding its host, pid, mode and the time it last refreshed it, rewritten (atomically) every few
// seconds and removed on close. No document data goes there.
//
// A marker counts as live when its process is alive (same host: judged by pid, at once, so a
// process killed with -9 stops counting immediately), or, for another host, when it was refreshed
// within `staleMs` by the writer's clock. Clocks of machines sharing the folder must agree to within
// `staleMs - periodMs` (25 s by default); a marker dated in the future counts as fresh.
//
// Openers write their own marker before they look at the others', so of two processes opening at
// the same moment at least one sees the other (both may refuse; a retry settles it).
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { isProcessAlive } from "@bear/core";

export type PresenceMode = "exclusive" | "shared";

/** One process that has the database open. */
export interface Presence {
  readonly host: string;
  readonly pid: number;
  readonly mode: PresenceMode;
  /** When it last refreshed its marker (its own clock, ms since the epoch). */
  readonly at: number;
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

/** Ids of markers this process holds (kept on globalThis, as core's pid locks are, for bundled copies). */
const HELD = Symbol.for("@bear/workflow-engine:presence-markers");
const registry = globalThis as { [HELD]?: Set<string> };
const heldHere: Set<string> = (registry[HELD] ??= new Set());

export const presenceDirOf = (dbPath: string): string => `${path.resolve(dbPath)}.live`;

/** Writes this process's marker and keeps it fresh (the timer never keeps the process alive). */
export function announcePresence(dbPath: string, mode: PresenceMode, timing: PresenceTiming = {}): PresenceMarker {
  const dir = presenceDirOf(dbPath);
  const file = path.join(dir, `${safeHost(os.hostname())}.${process.pid}.${randomBytes(6).toString("hex")}.json`);
  const write = (): void => {
    // The folder may have gone with another opener's last marker meanwhile: make it again.
    for (let round = 0; ; round++) {
      fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
      try {
        return writeAtomically(file, JSON.stringify({ host: os.hostname(), pid: process.pid, mode, at: Date.now() } satisfies Presence));
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== "ENOENT" || round >= 2) throw error;
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
  try {
    names = fs.readdirSync(dir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return [];
    throw error;
  }
  const live: Presence[] = [];
  for (const name of names) {
    const file = path.join(dir, name);
    if (file === self?.file || !MARKER.test(name)) continue;
    const presence = readMarker(file);
    if (presence === undefined) continue; // removed meanwhile, or not ours
    if (isLive(file, presence, timing.staleMs ?? DEFAULT_STALE_MS)) live.push(presence);
    else if (timing.prune !== false) fs.rmSync(file, { force: true });
  }
  return live;
}

/** "host-a pid 12 (seen 3 s ago)" for messages. */
export function describePresence(presence: Presence, now = Date.now()): string {
  const where = presence.host === os.hostname() ? `process ${presence.pid}` : `process ${presence.pid} on ${presence.host}`;
  return `${where} (seen ${Math.max(0, Math.round((now - presence.at) / 1000))} s ago)`;
}

function isLive(file: string, presence: Presence, staleMs: number): boolean {
  if (presence.host !== os.hostname()) return Date.now() - presence.at < staleMs;
  if (presence.pid === process.pid) return heldHere.has(file);
  return isProcessAlive(presence.pid);
}

function readMarker(file: string): Presence | undefined {
  let text: string;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw error;
  }
  try {
    const value = JSON.parse(text) as Partial<Presence>;
    const valid =
      typeof value.host === "string" &&
      Number.isSafeInteger(value.pid) &&
      (value.pid as number) > 0 &&
      (value.mode === "exclusive" || value.mode === "shared") &&
      Number.isFinite(value.at);
    return valid ? (value as Presence) : undefined;
  } catch {
    return undefined; // written whole by rename, so only a foreign file reads as garbage
  }
}

function writeAtomically(file: string, text: string): void {
  const temp = `${file}.${randomBytes(4).toString("hex")}.tmp`;
  try {
    fs.writeFileSync(temp, text, { mode: 0o600 });
    fs.renameSync(temp, file);
  } finally {
    fs.rmSync(temp, { force: true });
  }
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
