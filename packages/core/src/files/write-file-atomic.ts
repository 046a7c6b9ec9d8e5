// A file written whole or not at all: readers see the old content or the new, never a part.
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";

export interface WriteFileAtomicOptions {
  /** The file's permission bits, set exactly (the umask does not narrow them). Default 0o600. */
  readonly mode?: number;
  /**
   * Also fsync the folder after the rename, so the new name survives a power cut (default true).
   * Off for files that are rewritten every few seconds and whose loss after a crash is harmless.
   */
  readonly syncFolder?: boolean;
}

/**
 * Writes `data` to `file` through a temporary file `<file>.<16 hex>.tmp` in the same folder (unguessable, created with
 * O_EXCL|O_NOFOLLOW so nothing planted there is followed or reused), fsynced, then renamed over `file`.
 * On any failure (open, write, ENOSPC, fsync, rename) the temporary file is removed and the old `file` is
 * untouched; the error is the file system's, rethrown as it came.
 */
export function writeFileAtomicSync(file: string, data: string | Uint8Array, options: WriteFileAtomicOptions = {}): void {
  const mode = options.mode ?? 0o600;
  const temp = `${file}.${randomBytes(8).toString("hex")}.tmp`;
  const { O_WRONLY, O_CREAT, O_EXCL, O_NOFOLLOW } = fs.constants;
  const fd = fs.openSync(temp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW, mode);
  let open = true;
  try {
    fs.fchmodSync(fd, mode);
    fs.writeFileSync(fd, data);
    fs.fsyncSync(fd);
    open = false;
    fs.closeSync(fd);
    fs.renameSync(temp, file);
  } catch (error) {
    if (open) closeQuietly(fd);
    fs.rmSync(temp, { force: true });
    throw error;
  }
  if (options.syncFolder ?? true) syncFolder(path.dirname(file));
}

function closeQuietly(fd: number): void {
  try {
    fs.closeSync(fd);
  } catch {
    // The write's error is the one to report.
  }
}

/** fsync of a folder; platforms that cannot (Windows: EPERM/EISDIR) keep the rename without it. */
function syncFolder(dir: string): void {
  let fd: number;
  try {
    fd = fs.openSync(dir, fs.constants.O_RDONLY);
  } catch (error) {
    if (isUnsupported(error)) return;
    throw error;
  }
  try {
    fs.fsyncSync(fd);
  } catch (error) {
    if (!isUnsupported(error)) throw error;
  } finally {
    fs.closeSync(fd);
  }
}

function isUnsupported(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException).code;
  return code === "EPERM" || code === "EISDIR" || code === "EINVAL";
}
