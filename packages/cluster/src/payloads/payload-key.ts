import fs from "node:fs";
import path from "node:path";
import { randomBytes } from "node:crypto";
import type { ContentCipher } from "@bear/core";
import { ClusterError } from "../errors";

/** The key file's name in the payload folder (the shard folders are two hex digits: no clash). */
export const PAYLOAD_KEY_FILE = ".payload-key";

/**
 * Makes the cipher that seals with a 32-byte key: @bear/security's `contentCipherFromKey` (the
 * workspace, which composes the packages, gives it; this package cannot depend on security).
 */
export type PayloadKeyCipher = (key: Uint8Array) => ContentCipher;

/**
 * The cluster's own payload key, for a workspace that is not encrypted: it seals the small payloads
 * that travel inside jobs (with `keyCipher`, bound to their run, step, attempt and matter), so
 * Redis (a network service, with its AOF on disk) holds no document text in the clear. The key is a
 * file of the shared folder the payload files are written to (mode 0600), made by whichever process
 * needs it first: written under a temporary name and hard-linked into place, so two processes
 * racing both end up with the first one's key (an exclusive create where the share refuses hard
 * links, e.g. SMB). Whoever can read that folder can read the unencrypted workspace anyway; with
 * an encrypted workspace the workspace's own cipher is used instead and this file is never made.
 */
export function payloadKeyCipher(dir: string, keyCipher: PayloadKeyCipher): ContentCipher {
  const key = readOrMakeKey(path.join(dir, PAYLOAD_KEY_FILE));
  try {
    return keyCipher(key);
  } finally {
    key.fill(0);
  }
}

function readOrMakeKey(file: string): Buffer {
  const existing = readKey(file);
  if (existing) return existing;
  fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  const key = randomBytes(32).toString("hex");
  const tmp = `${file}.${randomBytes(4).toString("hex")}.tmp`;
  // flushed before it is linked: a crash must not leave an empty key in place for ever
  fs.writeFileSync(tmp, key, { mode: 0o600, flush: true });
  try {
    fs.linkSync(tmp, file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "EPERM" || code === "ENOTSUP" || code === "ENOSYS") writeExclusive(file, key); // no hard links here (SMB)
    else if (code !== "EEXIST") throw error;
  } finally {
    fs.rmSync(tmp, { force: true });
  }
  // ours, or the one another process linked first
  return readKey(file)!;
}

/** Creates `file` with `text` unless it exists (another process made the key first). */
function writeExclusive(file: string, text: string): void {
  let fd: number;
  try {
    fd = fs.openSync(file, "wx", 0o600);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "EEXIST") return;
    throw error;
  }
  try {
    fs.writeSync(fd, text);
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}

/**
 * The key in `file`, or undefined when there is none. A file still being written by the process
 * that made it by exclusive create (shares without hard links: the name exists before its 64 hex
 * digits do) is waited for, up to KEY_WAIT_MS.
 */
function readKey(file: string): Buffer | undefined {
  const deadline = Date.now() + KEY_WAIT_MS;
  for (;;) {
    let text: string;
    try {
      text = fs.readFileSync(file, "utf8").trim();
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
      throw error;
    }
    if (/^[0-9a-f]{64}$/.test(text)) return Buffer.from(text, "hex");
    if (!/^[0-9a-f]{0,63}$/.test(text) || Date.now() >= deadline) throw badKey(file, "is not 64 hex digits");
    // short and unchanged for longer than a writer takes: its maker was stopped between create and write
    if (Date.now() - fs.statSync(file).mtimeMs > KEY_WAIT_MS) throw badKey(file, `holds ${text.length} of its 64 hex digits and has not changed for over ${KEY_WAIT_MS / 1000} s (the process that made it was stopped while writing it)`);
    Atomics.wait(PAUSE, 0, 0, 20); // being written: look again shortly (synchronous, like the rest of the key's making)
  }
}

function badKey(file: string, why: string): ClusterError {
  return new ClusterError("STEP_PAYLOAD_INVALID", `the cluster's payload key '${file}' ${why}`, { hint: `Remove '${file}' while no API instance or worker runs; the next one makes a new key.`, retryable: false });
}

/** How long a key file still being written (fewer than 64 hex digits) is waited for (ms). */
const KEY_WAIT_MS = 2_000;
const PAUSE = new Int32Array(new SharedArrayBuffer(4));
