import fs from "node:fs";
import path from "node:path";
import { createCipheriv, createDecipheriv, createHash, randomBytes } from "node:crypto";
import type { ContentCipher } from "@bear/core";
import { ClusterError } from "../errors";

/** The key file's name in the payload folder (the shard folders are two hex digits: no clash). */
export const PAYLOAD_KEY_FILE = ".payload-key";

/**
 * The cluster's own payload key, for a workspace that is not encrypted: AES-256-GCM over the small
 * payloads that travel inside jobs, so Redis (a network service, with its AOF on disk) holds no
 * document text in the clear. The key is a file of the shared folder the payload files are written
 * to (mode 0600), made by whichever process needs it first: written under a temporary name and
 * hard-linked into place, so two processes racing both end up with the first one's key. Whoever can
 * read that folder can read the unencrypted workspace anyway; with an encrypted workspace the
 * workspace's own cipher is used instead and this file is never made.
 */
export function payloadKeyCipher(dir: string): ContentCipher {
  const key = readOrMakeKey(path.join(dir, PAYLOAD_KEY_FILE));
  const keyId = createHash("sha256").update(key).digest("hex").slice(0, 16);
  return {
    keyId,
    seal(plaintext) {
      const iv = randomBytes(12);
      const cipher = createCipheriv("aes-256-gcm", key, iv);
      const body = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final()]);
      return Buffer.concat([iv, cipher.getAuthTag(), body]).toString("base64");
    },
    open(sealed) {
      const raw = Buffer.from(sealed, "base64");
      if (raw.length < 28) throw new Error("too short to be sealed");
      const decipher = createDecipheriv("aes-256-gcm", key, raw.subarray(0, 12));
      decipher.setAuthTag(raw.subarray(12, 28));
      return Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString("utf8");
    },
    blindTerm() {
      throw new Error("the payload key only seals payloads");
    },
  };
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

function readKey(file: string): Buffer | undefined {
  let text: string;
  try {
    text = fs.readFileSync(file, "utf8").trim();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw error;
  }
  if (!/^[0-9a-f]{64}$/.test(text)) throw new ClusterError("STEP_PAYLOAD_INVALID", `the cluster's payload key '${file}' is not 64 hex digits`, { hint: "Remove the file while no API instance or worker runs; the next one makes a new key.", retryable: false });
  return Buffer.from(text, "hex");
}
