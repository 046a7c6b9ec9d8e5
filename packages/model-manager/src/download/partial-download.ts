import { randomBytes } from "node:crypto";
import { constants } from "node:fs";
import fs from "node:fs/promises";
import { noHardLinks } from "@bear/core";
import { DownloadError } from "../errors";

/**
 * What a `.partial` file was downloaded from, kept beside it (`<name>.partial.json`). A partial file is resumed
 * only when this record names the same source and the server can prove the file is unchanged (`If-Range` with the
 * validator recorded here): bytes of two different files must never be spliced into one model.
 */
export interface PartialRecord {
  readonly version: 1;
  /** The source the user asked for (a URL or hf: reference), as given. */
  readonly source: string;
  /** The strong ETag or the Last-Modified date of the first answer; without one the partial is never resumed. */
  readonly validator?: string;
  /** The whole file's length, when the server announced it. */
  readonly totalBytes?: number;
}

export interface PartialState {
  /** Bytes in the `.partial` file (0 when there is none, or when something other than a regular file is in its place). */
  readonly bytes: number;
  /** Whether anything is in the partial's place: a file, or a symlink or directory never read as a download. */
  readonly occupied: boolean;
  readonly record: PartialRecord | undefined;
}

const recordPath = (partialPath: string) => `${partialPath}.json`;
/** How long an empty lock counts as held: the time between creating it and writing the pid into it, with room. */
const EMPTY_LOCK_GRACE_MS = 10_000;

function parseRecord(text: string): PartialRecord | undefined {
  try {
    const value = JSON.parse(text) as Partial<PartialRecord>;
    if (value.version !== 1 || typeof value.source !== "string") return undefined;
    if (value.validator !== undefined && typeof value.validator !== "string") return undefined;
    if (value.totalBytes !== undefined && !(Number.isSafeInteger(value.totalBytes) && value.totalBytes >= 0)) return undefined;
    return { version: 1, source: value.source, ...(value.validator ? { validator: value.validator } : {}), ...(value.totalBytes !== undefined ? { totalBytes: value.totalBytes } : {}) };
  } catch {
    return undefined;
  }
}

/** Flags that create or truncate a file and never write through a symlink planted in its place. */
export const NO_FOLLOW_WRITE = constants.O_WRONLY | constants.O_CREAT | constants.O_NOFOLLOW;

export async function readPartial(partialPath: string): Promise<PartialState> {
  // lstat: a symlink in the partial's place is never read as a download (it is discarded)
  const stats = await fs.lstat(partialPath).catch(() => undefined);
  if (stats !== undefined && !stats.isFile()) return { bytes: 0, occupied: true, record: undefined };
  const text = await fs.readFile(recordPath(partialPath), "utf8").catch(() => undefined);
  return { bytes: stats?.size ?? 0, occupied: stats !== undefined, record: text === undefined ? undefined : parseRecord(text) };
}

export async function writePartialRecord(partialPath: string, record: PartialRecord): Promise<void> {
  await fs.writeFile(recordPath(partialPath), JSON.stringify(record), { mode: 0o600, flag: NO_FOLLOW_WRITE | constants.O_TRUNC });
}

export async function discardPartial(partialPath: string): Promise<void> {
  await Promise.all([fs.rm(partialPath, { force: true }), fs.rm(recordPath(partialPath), { force: true })]);
}

/** True when `state` may be continued for `source`: same source, a validator to send with If-Range, bytes short of the end. */
export function isResumable(state: PartialState, source: string): boolean {
  const { record, bytes } = state;
  if (bytes === 0 || record === undefined || record.source !== source || record.validator === undefined) return false;
  return record.totalBytes === undefined || bytes < record.totalBytes;
}

/**
 * True when `state` holds the whole file of `source` (every announced byte arrived; only its placement failed):
 * it is verified and placed again without fetching it twice.
 */
export function isComplete(state: PartialState, source: string): boolean {
  const { record, bytes } = state;
  return record !== undefined && record.source === source && record.totalBytes !== undefined && bytes === record.totalBytes && bytes > 0;
}

/** A validator the server's answer carries that proves a later range comes from the same file (weak ETags do not). */
export function validatorOf(headers: Record<string, string | string[] | undefined>): string | undefined {
  const etag = headers.etag;
  if (typeof etag === "string" && etag.length > 0 && etag.length <= 512 && !etag.startsWith("W/")) return etag;
  const modified = headers["last-modified"];
  if (typeof modified === "string" && modified.length > 0 && modified.length <= 100 && Number.isFinite(Date.parse(modified))) return modified;
  return undefined;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/**
 * Takes the one-writer lock of a download target (`<name>.pull-lock`, created exclusively, holding the pid): two
 * pulls to one name would otherwise write one `.partial` from two streams. A lock whose process is gone is taken over.
 * Returns the release function.
 */
export async function lockDownload(finalPath: string, source: string): Promise<() => Promise<void>> {
  const lockPath = `${finalPath}.pull-lock`;
  for (let attempt = 0; attempt < 2; attempt++) {
    // The pid is written to a file of our own first and linked into place: the lock never exists without its holder.
    const mine = `${lockPath}.${process.pid}.${randomBytes(4).toString("hex")}`;
    await fs.writeFile(mine, String(process.pid), { mode: 0o600, flag: "wx" });
    try {
      try {
        await fs.link(mine, lockPath);
      } catch (error) {
        if (!noHardLinks(error)) throw error;
        // no hard links here: create the lock exclusively and write the pid into it (an empty lock is judged below)
        await fs.writeFile(lockPath, String(process.pid), { mode: 0o600, flag: "wx" });
      }
      return () => fs.rm(lockPath, { force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
      const text = await fs.readFile(lockPath, "utf8").catch(() => "");
      const age = await fs.stat(lockPath).then((st) => Date.now() - st.mtimeMs, () => Infinity);
      const pid = Number(text);
      // an empty lock a moment old is one being written (the exclusive-create fallback): held
      if ((text === "" && age < EMPTY_LOCK_GRACE_MS) || (Number.isSafeInteger(pid) && pid > 0 && isAlive(pid))) {
        throw new DownloadError(source, `another download to the same file is running (process ${text === "" ? "starting" : pid})`, undefined, "Wait for it to finish, or save this one under another name (--name).");
      }
      await fs.rm(lockPath, { force: true }); // its process is gone
    } finally {
      await fs.rm(mine, { force: true });
    }
  }
  throw new DownloadError(source, "could not take the download lock", undefined, "Run the pull again.");
}
