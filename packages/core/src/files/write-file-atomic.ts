// A file written whole or not at all: readers see the old content or the new, never a part.
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { noHardLinks } from "./no-hard-links";

export interface WriteFileAtomicOptions {
  /** The file's permission bits, set exactly (the umask does not narrow them). Default 0o600. */
  readonly mode?: number;
  /**
   * fsync the file before the rename and its folder after (default true), so the new content survives a power cut.
   * Off for files whose loss after a crash is harmless and that are written on a hot path (a status other processes
   * poll, a payload its job re-creates): readers still see the old content or the new, never a part.
   */
  readonly durable?: boolean;
  /**
   * Also fsync the folder after the rename, so the new name survives a power cut (default: `durable`).
   * Off for files that are rewritten every few seconds and whose loss after a crash is harmless.
   */
  readonly syncFolder?: boolean;
  /**
   * Whether an existing `file` is replaced (default true). With false the write fails with EEXIST when anything has
   * the name, a dangling symlink included, also when it appears between a caller's check and the write: the file is
   * hard-linked into place, which never follows or replaces a link (on file systems without hard links, the name is
   * claimed by an exclusive create first, then the whole file renamed over the claim).
   */
  readonly replace?: boolean;
}

/** Longest file name (bytes) on Linux, macOS and Windows file systems. */
const NAME_MAX = 255;
/** `.<16 hex>.tmp` */
const SUFFIX_BYTES = 21;

/**
 * Writes `data` to `file` through a temporary file `<file>.<16 hex>.tmp` in the same folder (unguessable, created with
 * O_EXCL|O_NOFOLLOW so nothing planted there is followed or reused; a name within 21 bytes of the 255-byte limit is
 * shortened in the temporary name only), fsynced, then renamed over `file`. Two writers of one file never share a
 * temporary file: the last rename wins and the file is always one writer's whole content.
 *
 * On any failure before the rename (open, write, ENOSPC, EFBIG, fsync, rename) the temporary file is removed and the
 * old `file` is untouched; the error is the file system's, rethrown as it came (a failure to remove the temporary file
 * never replaces it). Once the rename is done the file is written: a failing folder fsync (EACCES on a folder this
 * process may write but not read, EIO) is not reported as a failed write.
 */
export function writeFileAtomicSync(file: string, data: string | Uint8Array, options: WriteFileAtomicOptions = {}): void {
  const { mode, durable, syncFolder, replace } = settle(options);
  const temp = tempPathOf(file);
  const fd = fs.openSync(temp, TEMP_FLAGS, mode);
  let open = true;
  try {
    fs.fchmodSync(fd, mode);
    fs.writeFileSync(fd, data);
    if (durable) fs.fsyncSync(fd);
    open = false;
    fs.closeSync(fd);
    if (replace) fs.renameSync(temp, file);
    else placeNewSync(temp, file);
  } catch (error) {
    if (open) ignoreFailure(() => fs.closeSync(fd));
    ignoreFailure(() => fs.rmSync(temp, { force: true }));
    throw error;
  }
  if (syncFolder) ignoreFailure(() => fsyncFolderSync(path.dirname(file)));
}

/** `writeFileAtomicSync` off the event loop (for large files): the same temporary name, checks and clean-up. */
export async function writeFileAtomic(file: string, data: string | Uint8Array, options: WriteFileAtomicOptions = {}): Promise<void> {
  const { mode, durable, syncFolder, replace } = settle(options);
  const temp = tempPathOf(file);
  const handle = await fs.promises.open(temp, TEMP_FLAGS, mode);
  let open = true;
  try {
    await handle.chmod(mode);
    await handle.writeFile(data);
    if (durable) await handle.sync();
    open = false;
    await handle.close();
    if (replace) await fs.promises.rename(temp, file);
    else await placeNew(temp, file);
  } catch (error) {
    if (open) await handle.close().catch(() => undefined);
    await fs.promises.rm(temp, { force: true }).catch(() => undefined);
    throw error;
  }
  if (syncFolder) await fsyncFolder(path.dirname(file)).catch(() => undefined);
}

const { O_WRONLY, O_CREAT, O_EXCL, O_NOFOLLOW } = fs.constants;
const TEMP_FLAGS = O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW;

function settle(options: WriteFileAtomicOptions): { mode: number; durable: boolean; syncFolder: boolean; replace: boolean } {
  const durable = options.durable ?? true;
  return { mode: options.mode ?? 0o600, durable, syncFolder: options.syncFolder ?? durable, replace: options.replace ?? true };
}

const CLAIM_FLAGS = O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW;

/** Puts the finished temporary file at `file` only if nothing has that name (EEXIST otherwise); the temporary name goes. */
function placeNewSync(temp: string, file: string): void {
  try {
    fs.linkSync(temp, file);
  } catch (error) {
    if (!noHardLinks(error)) throw error;
    fs.closeSync(fs.openSync(file, CLAIM_FLAGS, 0o600));
    try {
      fs.renameSync(temp, file);
    } catch (renameError) {
      ignoreFailure(() => fs.rmSync(file, { force: true }));
      throw renameError;
    }
    return;
  }
  ignoreFailure(() => fs.rmSync(temp, { force: true }));
}

async function placeNew(temp: string, file: string): Promise<void> {
  try {
    await fs.promises.link(temp, file);
  } catch (error) {
    if (!noHardLinks(error)) throw error;
    await (await fs.promises.open(file, CLAIM_FLAGS, 0o600)).close();
    try {
      await fs.promises.rename(temp, file);
    } catch (renameError) {
      await fs.promises.rm(file, { force: true }).catch(() => undefined);
      throw renameError;
    }
    return;
  }
  await fs.promises.rm(temp, { force: true }).catch(() => undefined);
}

/** `<file>.<16 hex>.tmp` beside `file`, its name cut (at a character boundary) so it stays within NAME_MAX bytes. */
function tempPathOf(file: string): string {
  const base = path.basename(file);
  const room = NAME_MAX - SUFFIX_BYTES;
  let stem = base;
  if (Buffer.byteLength(base) > room) {
    stem = "";
    let bytes = 0;
    for (const ch of base) {
      bytes += Buffer.byteLength(ch);
      if (bytes > room) break;
      stem += ch;
    }
  }
  return path.join(path.dirname(file), `${stem}.${randomBytes(8).toString("hex")}.tmp`);
}

function ignoreFailure(act: () => void): void {
  try {
    act();
  } catch {
    // The caller's outcome (the first error, or the finished rename) is the one to report.
  }
}

/** fsync of a folder (where a platform cannot, as on Windows, the rename stands without it). */
function fsyncFolderSync(dir: string): void {
  const fd = fs.openSync(dir, fs.constants.O_RDONLY);
  try {
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}

async function fsyncFolder(dir: string): Promise<void> {
  const handle = await fs.promises.open(dir, fs.constants.O_RDONLY);
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}
