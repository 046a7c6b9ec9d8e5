import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";
import { closeSync, createReadStream, createWriteStream, openSync, readSync } from "node:fs";
import fs from "node:fs/promises";
import path from "node:path";
import { Readable, Writable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { confinePath, type AuditSink } from "@bear/core";
import { DecryptionError } from "../errors";
import type { KeyEncryptionKey } from "./key-encryption-key";
import { SecureBuffer } from "./secure-buffer";

/**
 * Layout of an encrypted object (89-byte header, ciphertext, 16-byte GCM tag):
 *   magic "BEARENC1" (8) | version (1) | kek id (8) | wrap iv (12) | wrapped data key (32) | wrap tag (16) | data iv (12)
 * The data key is random per object, wrapped by the KEK with AES-256-GCM (AAD = data iv). The
 * data is AES-256-GCM with AAD = magic | version | data iv, so re-wrapping the key (rotation)
 * rewrites bytes 9..76 in place and never touches the ciphertext.
 */
const MAGIC = Buffer.from("BEARENC1");
const VERSION = 1;
export const HEADER_BYTES = 8 + 1 + 8 + 12 + 32 + 16 + 12;
const TAG_BYTES = 16;
const WRAP_START = 9;
const DATA_IV_AT = HEADER_BYTES - 12;

/** Whether a file begins as an object this cipher seals does (its magic): tells a sealed file from one in clear, without a key. */
export function isSealedFile(file: string): boolean {
  const fd = openSync(file, "r");
  try {
    const head = Buffer.alloc(MAGIC.length);
    return readSync(fd, head, 0, head.length, 0) === head.length && head.equals(MAGIC);
  } finally {
    closeSync(fd);
  }
}

interface Header {
  readonly kekId: Buffer;
  readonly wrapIv: Buffer;
  readonly wrapped: Buffer;
  readonly wrapTag: Buffer;
  readonly dataIv: Buffer;
}

function parseHeader(buf: Buffer, what: string): Header {
  if (buf.length < HEADER_BYTES + TAG_BYTES || !buf.subarray(0, 8).equals(MAGIC)) throw new DecryptionError(what, "not a BEAR encrypted object (bad magic or too short)");
  if (buf[8] !== VERSION) throw new DecryptionError(what, `unsupported format version ${buf[8]}`);
  return {
    kekId: buf.subarray(9, 17),
    wrapIv: buf.subarray(17, 29),
    wrapped: buf.subarray(29, 61),
    wrapTag: buf.subarray(61, 77),
    dataIv: buf.subarray(DATA_IV_AT, HEADER_BYTES),
  };
}

function aadOf(dataIv: Buffer): Buffer {
  return Buffer.concat([MAGIC, Buffer.from([VERSION]), dataIv]);
}

function wrap(kek: KeyEncryptionKey, dataKey: Buffer, dataIv: Buffer): Buffer {
  const wrapIv = randomBytes(12);
  const c = createCipheriv("aes-256-gcm", kek.bytes, wrapIv);
  c.setAAD(dataIv);
  const wrapped = Buffer.concat([c.update(dataKey), c.final()]);
  return Buffer.concat([Buffer.from(kek.id, "hex"), wrapIv, wrapped, c.getAuthTag()]);
}

function unwrap(kek: KeyEncryptionKey, h: Header, what: string): SecureBuffer {
  if (h.kekId.toString("hex") !== kek.id)
    throw new DecryptionError(what, `it was encrypted under key ${h.kekId.toString("hex")}, not the key given (${kek.id})`);
  try {
    const d = createDecipheriv("aes-256-gcm", kek.bytes, h.wrapIv);
    d.setAAD(h.dataIv);
    d.setAuthTag(h.wrapTag);
    return SecureBuffer.adopt(Buffer.concat([d.update(h.wrapped), d.final()]));
  } catch (cause) {
    throw new DecryptionError(what, "the wrapped data key fails authentication (wrong key or tampered header)", { cause });
  }
}

function newHeader(kek: KeyEncryptionKey, dataKey: Buffer, dataIv: Buffer): Buffer {
  return Buffer.concat([MAGIC, Buffer.from([VERSION]), wrap(kek, dataKey, dataIv), dataIv]);
}

export interface EnvelopeCipherOptions {
  /** When set, every file path must lie inside this folder (confinePath). */
  readonly root?: string;
  /**
   * Where key use is recorded: each file encryption, decryption (including failures: a wrong key
   * or tampering) and re-wrap appends a `key.use` event naming the operation and the key ids,
   * never the file name or its content.
   */
  readonly audit?: AuditSink;
}

/** Envelope encryption (AES-256-GCM) of buffers and files, streaming for large files. */
export class EnvelopeCipher {
  constructor(
    private readonly kek: KeyEncryptionKey,
    private readonly options: EnvelopeCipherOptions = {},
  ) {}

  private path(p: string): string {
    return this.options.root ? confinePath(this.options.root, p) : path.resolve(p);
  }

  encrypt(plaintext: Uint8Array): Buffer {
    using dataKey = SecureBuffer.random(32);
    const dataIv = randomBytes(12);
    const c = createCipheriv("aes-256-gcm", dataKey.buffer, dataIv);
    c.setAAD(aadOf(dataIv));
    return Buffer.concat([newHeader(this.kek, dataKey.buffer, dataIv), c.update(plaintext), c.final(), c.getAuthTag()]);
  }

  decrypt(object: Uint8Array, what = "buffer"): Buffer {
    const buf = Buffer.from(object.buffer, object.byteOffset, object.byteLength);
    const h = parseHeader(buf, what);
    using dataKey = unwrap(this.kek, h, what);
    try {
      const d = createDecipheriv("aes-256-gcm", dataKey.buffer, h.dataIv);
      d.setAAD(aadOf(h.dataIv));
      d.setAuthTag(buf.subarray(buf.length - TAG_BYTES));
      return Buffer.concat([d.update(buf.subarray(HEADER_BYTES, buf.length - TAG_BYTES)), d.final()]);
    } catch (cause) {
      throw new DecryptionError(what, "the data fails authentication (tampered or truncated)", { cause });
    }
  }

  /** Streams `source` into the encrypted `target` (written to a temp file, then renamed). */
  async encryptFile(source: string, target: string): Promise<void> {
    return this.audited("encrypt-file", () => this.encryptFileNow(source, target));
  }

  /** Runs a file operation and records the key use (success or failure) when an audit sink is set. */
  private async audited(operation: string, run: () => Promise<void>, next?: KeyEncryptionKey): Promise<void> {
    const details = { operation, kek: `k-${this.kek.id}`, ...(next ? { next: `k-${next.id}` } : {}) };
    try {
      await run();
    } catch (error) {
      await this.options.audit?.record({ action: "key.use", outcome: "failure", details: { ...details, error: error instanceof DecryptionError ? error.code : "io" } });
      throw error;
    }
    await this.options.audit?.record({ action: "key.use", outcome: "success", details });
  }

  private async encryptFileNow(source: string, target: string): Promise<void> {
    const src = this.path(source);
    const dst = this.path(target);
    using dataKey = SecureBuffer.random(32);
    const dataIv = randomBytes(12);
    const c = createCipheriv("aes-256-gcm", dataKey.buffer, dataIv);
    c.setAAD(aadOf(dataIv));
    const header = newHeader(this.kek, dataKey.buffer, dataIv);
    const tmp = `${dst}.tmp-${randomBytes(6).toString("hex")}`;
    try {
      const out = createWriteStream(tmp, { flags: "wx", mode: 0o600 });
      out.write(header);
      await pipeline(createReadStream(src, { highWaterMark: 1 << 20 }), c, async function* (chunks: AsyncIterable<Buffer>) {
        for await (const chunk of chunks) yield chunk;
        yield c.getAuthTag();
      }, out);
      await fs.rename(tmp, dst);
    } catch (error) {
      await fs.rm(tmp, { force: true });
      throw error;
    }
  }

  /**
   * Streams the decryption of `source` into `target` in two passes: the first only checks the GCM
   * tag (plaintext is discarded in memory), so a wrong key or any tampered byte fails before a
   * single byte of plaintext reaches the disk. The second pass writes to a temp file that is renamed
   * only after the tag verifies again (the file could change between passes); on any failure
   * nothing is left at `target`. Costs a second read of the file, not a second write.
   */
  async decryptFile(source: string, target: string): Promise<void> {
    return this.audited("decrypt-file", () => this.decryptFileNow(source, target));
  }

  private async decryptFileNow(source: string, target: string): Promise<void> {
    const src = this.path(source);
    const dst = this.path(target);
    const what = path.basename(source);
    const handle = await fs.open(src, "r");
    let h: Header;
    let size: number;
    const tag = Buffer.alloc(TAG_BYTES);
    try {
      size = (await handle.stat()).size;
      const head = Buffer.alloc(HEADER_BYTES);
      await handle.read(head, 0, HEADER_BYTES, 0);
      if (size < HEADER_BYTES + TAG_BYTES) throw new DecryptionError(what, `file is too short (${size} bytes)`);
      await handle.read(tag, 0, TAG_BYTES, size - TAG_BYTES);
      h = parseHeader(Buffer.concat([head, tag]), what);
    } finally {
      await handle.close();
    }
    using dataKey = unwrap(this.kek, h, what);
    const decipher = (): ReturnType<typeof createDecipheriv> => {
      const d = createDecipheriv("aes-256-gcm", dataKey.buffer, h.dataIv);
      d.setAAD(aadOf(h.dataIv));
      d.setAuthTag(tag);
      return d;
    };
    const body = (): NodeJS.ReadableStream => {
      const end = size - TAG_BYTES - 1;
      return end >= HEADER_BYTES ? createReadStream(src, { start: HEADER_BYTES, end, highWaterMark: 1 << 20 }) : Readable.from([]);
    };
    // pass 1: authenticate without writing anything
    try {
      await pipeline(body(), decipher(), new Writable({ write: (chunk: Buffer, _enc, cb) => (chunk.fill(0), cb()) }));
    } catch (cause) {
      throw new DecryptionError(what, "the data fails authentication (tampered or truncated); no plaintext was written", { cause });
    }
    // pass 2: write, and rename only once the tag verifies again
    const tmp = `${dst}.tmp-${randomBytes(6).toString("hex")}`;
    try {
      await pipeline(body(), decipher(), createWriteStream(tmp, { flags: "wx", mode: 0o600 }));
      await fs.rename(tmp, dst);
    } catch (cause) {
      await fs.rm(tmp, { force: true });
      if (cause instanceof DecryptionError) throw cause;
      throw new DecryptionError(what, "the data changed while it was being decrypted and fails authentication; the partial output was removed", { cause });
    }
  }

  /** Re-wraps the data key of an encrypted file (or buffer) under `next` without touching the data. */
  async rewrapFile(file: string, next: KeyEncryptionKey): Promise<void> {
    return this.audited("rewrap", () => this.rewrapFileNow(file, next), next);
  }

  private async rewrapFileNow(file: string, next: KeyEncryptionKey): Promise<void> {
    const p = this.path(file);
    const handle = await fs.open(p, "r+");
    try {
      const head = Buffer.alloc(HEADER_BYTES + TAG_BYTES);
      await handle.read(head, 0, HEADER_BYTES, 0);
      const h = parseHeader(head, path.basename(file));
      using dataKey = unwrap(this.kek, h, path.basename(file));
      const wrapped = wrap(next, dataKey.buffer, Buffer.from(h.dataIv));
      await handle.write(wrapped, 0, wrapped.length, WRAP_START);
      await handle.sync();
    } finally {
      await handle.close();
    }
  }

  rewrap(object: Uint8Array, next: KeyEncryptionKey): Buffer {
    const buf = Buffer.from(object);
    const h = parseHeader(buf, "buffer");
    using dataKey = unwrap(this.kek, h, "buffer");
    wrap(next, dataKey.buffer, Buffer.from(h.dataIv)).copy(buf, WRAP_START);
    return buf;
  }
}
