import { createCipheriv, createDecipheriv, createHash, hkdfSync, randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import type { ContentCipher, DocumentKeyring } from "@bear/core";
import { DataKeyDestroyedError, DecryptionError, KeyError } from "../errors";
import { EnvelopeCipher } from "./envelope-cipher";
import { KeyEncryptionKey } from "./key-encryption-key";
import { SecureBuffer } from "./secure-buffer";

const PREFIX = "d1.";
const IV_BYTES = 12;
const TAG_BYTES = 16;
const KEY_BYTES = 32;
/** A key file: wrap iv | wrap tag | wrapped data key. */
const FILE_BYTES = IV_BYTES + TAG_BYTES + KEY_BYTES;

function derive(key: Buffer, purpose: string): Buffer {
  return Buffer.from(hkdfSync("sha256", key, Buffer.from("@bear/security:data-keyring"), Buffer.from(purpose), 32));
}

function gcmSeal(key: Buffer, plaintext: Buffer, aad: Buffer): Buffer {
  const iv = randomBytes(IV_BYTES);
  const c = createCipheriv("aes-256-gcm", key, iv);
  c.setAAD(aad);
  const body = Buffer.concat([c.update(plaintext), c.final()]);
  return Buffer.concat([iv, c.getAuthTag(), body]);
}

function gcmOpen(key: Buffer, sealed: Buffer, aad: Buffer): Buffer {
  const d = createDecipheriv("aes-256-gcm", key, sealed.subarray(0, IV_BYTES));
  d.setAAD(aad);
  d.setAuthTag(sealed.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
  return Buffer.concat([d.update(sealed.subarray(IV_BYTES + TAG_BYTES)), d.final()]);
}

export interface DataKeyringOptions {
  /** The folder of key files (one per document, 0600, in a 0700 folder). */
  readonly dir: string;
  /** The workspace key every data key is wrapped with. */
  readonly kek: KeyEncryptionKey;
  /** Opens text sealed before documents had keys of their own (the workspace's ContentCipher). */
  readonly legacy?: ContentCipher;
}

/**
 * core's DocumentKeyring: one random 256-bit data key per document, wrapped (AES-256-GCM, the
 * document id as AAD) by the workspace key in a file of its own, `<dir>/<sha256 of the id>.key`.
 * Text is sealed under the document's key (AES-256-GCM, the id as AAD, prefix `d1.`); `destroy`
 * overwrites the key file with random bytes, syncs it and unlinks it, so whatever was sealed for
 * the document, wherever a copy of it lies, cannot be opened with the workspace key any more.
 *
 * A file per key: creating one never rewrites the others, two processes never lose each other's
 * keys (the file is linked into place atomically and never replaced), and a destroy is one unlink.
 * What it cannot do: a copy of the key folder made before the delete (a backup of the whole
 * workspace) still holds the wrapped key; and flash or copy-on-write storage may keep the old
 * blocks of an overwritten file. Keep the key folder out of long-lived backups for shredding to
 * reach them.
 */
export class DataKeyring implements DocumentKeyring {
  readonly #dir: string;
  readonly #wrapKey: SecureBuffer;
  readonly #legacy: ContentCipher | undefined;
  /** Keys in use, by document: the data key and its derived sealing key (derived once, not per value). */
  readonly #keys = new Map<string, { readonly raw: SecureBuffer; readonly seal: SecureBuffer }>();

  constructor(options: DataKeyringOptions) {
    this.#dir = path.resolve(options.dir);
    this.#wrapKey = SecureBuffer.adopt(derive(options.kek.bytes, "wrap"));
    this.#legacy = options.legacy;
  }

  seal(documentId: string, plaintext: string): string {
    if (typeof plaintext !== "string") throw new KeyError(`seal() takes a string, got ${typeof plaintext}`);
    return PREFIX + gcmSeal(this.#dataKey(documentId, true).seal.buffer, Buffer.from(plaintext, "utf8"), this.#aad(documentId)).toString("base64url");
  }

  open(documentId: string, sealed: string): string {
    if (typeof sealed === "string" && !sealed.startsWith(PREFIX) && this.#legacy) return this.#legacy.open(sealed);
    if (typeof sealed !== "string" || !sealed.startsWith(PREFIX)) throw new DecryptionError("sealed document content", "it is not sealed document content (missing the 'd1.' prefix)");
    const raw = Buffer.from(sealed.slice(PREFIX.length), "base64url");
    if (raw.length < IV_BYTES + TAG_BYTES) throw new DecryptionError("sealed document content", `it is truncated (${raw.length} bytes)`);
    const key = this.#dataKey(documentId, false).seal;
    try {
      return gcmOpen(key.buffer, raw, this.#aad(documentId)).toString("utf8");
    } catch (cause) {
      throw new DecryptionError("sealed document content", "the data key does not open it or the data was altered (authentication failed)", { cause });
    }
  }

  /** An EnvelopeCipher for the document's files (an uploaded original), under a key derived from its data key. */
  envelopeFor(documentId: string): EnvelopeCipher {
    return new EnvelopeCipher(KeyEncryptionKey.fromBytes(derive(this.#dataKey(documentId, true).raw.buffer, "files")));
  }

  /** True while the document has a data key. */
  has(documentId: string): boolean {
    return fs.existsSync(this.#file(documentId));
  }

  destroy(documentId: string): boolean {
    this.#forget(documentId);
    const file = this.#file(documentId);
    let fd: number;
    try {
      fd = fs.openSync(file, "r+");
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") return false;
      throw error;
    }
    try {
      // Overwrite the wrapped key before unlinking, so the freed blocks do not hold it (on storage that rewrites in place).
      fs.writeSync(fd, randomBytes(Math.max(FILE_BYTES, fs.fstatSync(fd).size)), 0, undefined, 0);
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
    fs.unlinkSync(file);
    this.#syncDir();
    return true;
  }

  /** Forgets the keys held in memory (zeroed). */
  dispose(): void {
    for (const id of [...this.#keys.keys()]) this.#forget(id);
    this.#wrapKey.dispose();
  }

  #forget(documentId: string): void {
    const keys = this.#keys.get(documentId);
    keys?.raw.dispose();
    keys?.seal.dispose();
    this.#keys.delete(documentId);
  }

  #aad(documentId: string): Buffer {
    return Buffer.from(`@bear/security:document:${documentId}`, "utf8");
  }

  #file(documentId: string): string {
    return path.join(this.#dir, `${createHash("sha256").update(`@bear/security:data-key:${documentId}`).digest("hex")}.key`);
  }

  /**
   * The document's keys: from memory, its file, or (when `create`) a new key stored first. Sealing
   * checks the file is still there (another process may have destroyed it: a destroyed key never
   * seals anything again); opening trusts memory, the rows of a deleted document being gone.
   */
  #dataKey(documentId: string, create: boolean): { readonly raw: SecureBuffer; readonly seal: SecureBuffer } {
    const file = this.#file(documentId);
    const cached = this.#keys.get(documentId);
    if (cached && (!create || fs.existsSync(file))) return cached;
    if (cached) this.#forget(documentId);
    let wrapped: Buffer;
    try {
      wrapped = fs.readFileSync(file);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
      if (!create) throw new DataKeyDestroyedError(documentId);
      wrapped = this.#create(documentId, file);
    }
    if (wrapped.length !== FILE_BYTES) throw new KeyError(`the data key file of document '${documentId}' is damaged (${wrapped.length} bytes, expected ${FILE_BYTES})`);
    let raw: SecureBuffer;
    try {
      raw = SecureBuffer.adopt(gcmOpen(this.#wrapKey.buffer, wrapped, this.#aad(documentId)));
    } catch (cause) {
      throw new DecryptionError(`data key of document '${documentId}'`, "the workspace key does not unwrap it (another workspace's key, or an altered file)", { cause });
    }
    const keys = { raw, seal: SecureBuffer.adopt(derive(raw.buffer, "seal")) };
    this.#keys.set(documentId, keys);
    return keys;
  }

  /** Writes a new wrapped key to a private temporary file and links it into place (another process's key wins a race). */
  #create(documentId: string, file: string): Buffer {
    fs.mkdirSync(this.#dir, { recursive: true, mode: 0o700 });
    using key = SecureBuffer.random(KEY_BYTES);
    const wrapped = gcmSeal(this.#wrapKey.buffer, key.buffer, this.#aad(documentId));
    const tmp = `${file}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`;
    fs.writeFileSync(tmp, wrapped, { mode: 0o600, flush: true });
    try {
      fs.linkSync(tmp, file);
      this.#syncDir();
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
      return fs.readFileSync(file);
    } finally {
      fs.rmSync(tmp, { force: true });
    }
    return wrapped;
  }

  #syncDir(): void {
    try {
      const fd = fs.openSync(this.#dir, "r");
      try {
        fs.fsyncSync(fd);
      } finally {
        fs.closeSync(fd);
      }
    } catch {
      // not every platform syncs a directory; the file itself was synced
    }
  }
}
