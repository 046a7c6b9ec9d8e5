// Reading one marker of `<dbPath>.live/` without trusting it: the folder is shared (a network
// share, a container volume), so an entry may be anything. Only a regular file of at most 1 KiB is
// read, opened with O_NOFOLLOW | O_NONBLOCK (a symlink is not followed, a FIFO does not block) and
// checked again on the open descriptor; anything else reads as "not a marker" (not live).
import fs from "node:fs";
import { isProcessScope, isProcessStart } from "@bear/core";
import type { Presence } from "./store-presence";

/** A marker as read: the opener it announces, and the random id of the process that wrote it. */
export interface MarkerContent {
  readonly presence: Presence;
  /** Absent in markers of writers before the id was added. */
  readonly id: string | undefined;
  /** Where the writer's pid means the writer (process-identity's scope), and its start time there; absent off Linux and in older markers. */
  readonly scope: string | undefined;
  readonly start: string | undefined;
}

export const MAX_MARKER_BYTES = 1024;
const MAX_HOST_CHARS = 255;
const OPEN_FLAGS = fs.constants.O_RDONLY | (fs.constants.O_NOFOLLOW ?? 0) | (fs.constants.O_NONBLOCK ?? 0);
// Control and format characters (newlines, escapes, bidi overrides) never reach a message.
const UNPRINTABLE = /[\p{Cc}\p{Cf}]/gu;

/** The marker in `file`, or undefined if it is gone, not a small regular file, or not a marker. */
export function readMarkerFile(file: string): MarkerContent | undefined {
  const text = readSmallRegularFile(file);
  if (text === undefined) return undefined;
  let value: Record<string, unknown>;
  try {
    value = JSON.parse(text) as Record<string, unknown>;
  } catch {
    return undefined; // written whole by rename, so only a foreign file reads as garbage
  }
  const { host, pid, mode, at, id, scope, start } = value;
  if (typeof host !== "string" || !Number.isSafeInteger(pid) || (pid as number) <= 0) return undefined;
  if ((mode !== "exclusive" && mode !== "shared") || typeof at !== "number" || !Number.isFinite(at)) return undefined;
  const cleanHost = host.replace(UNPRINTABLE, "").slice(0, MAX_HOST_CHARS);
  const identity = isProcessScope(scope) && isProcessStart(start) ? { scope, start } : { scope: undefined, start: undefined };
  return { presence: { host: cleanHost, pid: pid as number, mode, at }, id: typeof id === "string" ? id : undefined, ...identity };
}

function readSmallRegularFile(file: string): string | undefined {
  let fd: number;
  try {
    const stat = fs.lstatSync(file);
    if (!stat.isFile() || stat.size > MAX_MARKER_BYTES) return undefined;
    fd = fs.openSync(file, OPEN_FLAGS);
  } catch {
    return undefined; // gone meanwhile, replaced by a symlink (ELOOP), unreadable: not a marker
  }
  try {
    const stat = fs.fstatSync(fd);
    if (!stat.isFile() || stat.size > MAX_MARKER_BYTES) return undefined;
    const buffer = Buffer.alloc(MAX_MARKER_BYTES + 1);
    const length = fs.readSync(fd, buffer, 0, buffer.length, 0);
    return length > MAX_MARKER_BYTES ? undefined : buffer.toString("utf8", 0, length);
  } catch {
    return undefined;
  } finally {
    fs.closeSync(fd);
  }
}
