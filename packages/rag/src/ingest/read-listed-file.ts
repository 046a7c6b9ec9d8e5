import { constants } from "node:fs";
import fs from "node:fs/promises";
import { confinePath } from "@bear/core";
import { ExtractionError } from "../errors";

/** Bytes read from the handle per call (a file's announced size is read in one go when it is smaller). */
const READ_STEP = 1 << 20;

/**
 * Reads a file the folder walk listed (rev12 #1). Minutes may pass between the listing and this read,
 * so the file is opened once, by handle, and only that handle is trusted:
 *
 * - `O_NOFOLLOW`: a file swapped for a symbolic link since the listing is refused (a link leading out
 *   of `root` as PATH_OUTSIDE_WORKSPACE, like one present at the listing);
 * - `O_NONBLOCK` and `fstat`: anything but a regular file (a FIFO, a device, a socket) is refused
 *   without waiting for a writer that never comes;
 * - the path is confined again and must still name the opened file (same device and inode): a parent
 *   folder swapped for a link, which `O_NOFOLLOW` does not see, is refused;
 * - at most `maxBytes` + 1 bytes are read from the handle: a file that grows past the limit after the
 *   `fstat` is refused as too large, never read whole.
 */
export async function readListedFile(root: string, file: string, maxBytes: number): Promise<Uint8Array> {
  let handle: fs.FileHandle;
  try {
    handle = await fs.open(file, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ELOOP") {
      confinePath(root, file, "the folder being ingested"); // a link leading out: PATH_OUTSIDE_WORKSPACE
      throw changed(file, "it became a symbolic link after the folder was listed", error);
    }
    throw error;
  }
  try {
    const stat = await handle.stat({ bigint: true });
    if (!stat.isFile()) {
      throw new ExtractionError("RAG_FILE_UNREADABLE", file, `'${file}' is not a regular file (a FIFO, device or socket is never read)`, {
        hint: "Ingest regular files only; other files are ingested as usual.",
        details: { reason: "not-a-regular-file" },
      });
    }
    if (stat.size > BigInt(maxBytes)) throw tooLarge(file, `is ${stat.size} bytes`, maxBytes);
    const real = confinePath(root, file, "the folder being ingested");
    const named = await fs.stat(real, { bigint: true }).catch(() => undefined);
    if (!named || named.dev !== stat.dev || named.ino !== stat.ino) throw changed(file, "its path no longer names the file that was opened (a folder on the way was replaced)");
    return await readAtMost(handle, file, Number(stat.size), maxBytes);
  } finally {
    await handle.close();
  }
}

/** The handle's bytes, refusing past `maxBytes` (reads one byte more to know). */
async function readAtMost(handle: fs.FileHandle, file: string, announced: number, maxBytes: number): Promise<Uint8Array> {
  const parts: Uint8Array[] = [];
  let total = 0;
  for (let want = Math.min(announced, maxBytes) + 1; ; want = Math.min(READ_STEP, maxBytes + 1 - total)) {
    const buffer = new Uint8Array(want);
    let filled = 0;
    while (filled < want) {
      const { bytesRead } = await handle.read(buffer, filled, want - filled, null);
      if (bytesRead === 0) break;
      filled += bytesRead;
    }
    parts.push(filled === want ? buffer : buffer.subarray(0, filled));
    total += filled;
    if (total > maxBytes) throw tooLarge(file, "grew past the limit while it was read", maxBytes);
    if (filled < want) break;
  }
  return parts.length === 1 ? parts[0]! : Buffer.concat(parts);
}

function tooLarge(file: string, what: string, maxBytes: number): ExtractionError {
  return new ExtractionError("RAG_FILE_TOO_LARGE", file, `file '${file}' ${what}, over the ${maxBytes}-byte limit`, {
    hint: "Split the file, or raise maxFileBytes in the rag config.",
  });
}

function changed(file: string, why: string, cause?: unknown): ExtractionError {
  return new ExtractionError("RAG_FILE_UNREADABLE", file, `'${file}' was not read: ${why}`, {
    hint: "Ingest the folder again once nothing else is changing it.",
    details: { reason: "changed-after-listing" },
    ...(cause ? { cause } : {}),
  });
}
