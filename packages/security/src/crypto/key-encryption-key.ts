import { createHmac, randomBytes, scrypt as scryptCb, type ScryptOptions } from "node:crypto";
import fs from "node:fs/promises";
import { KeyError } from "../errors";
import { SecureBuffer } from "./secure-buffer";

export interface ScryptParams {
  /** CPU/memory cost, a power of two. Default 2^17 (128 MiB with r = 8): OWASP's recommended minimum. */
  readonly N: number;
  readonly r: number;
  readonly p: number;
}
export const DEFAULT_SCRYPT: ScryptParams = { N: 2 ** 17, r: 8, p: 1 };
/** The weakest parameters accepted (for tests and slow machines); below this a passphrase is brute-forceable. */
export const MIN_SCRYPT_N = 2 ** 14;

function scrypt(password: string, salt: Uint8Array, keylen: number, options: ScryptOptions): Promise<Buffer> {
  return new Promise((resolve, reject) => scryptCb(password, salt, keylen, options, (err, key) => (err ? reject(err) : resolve(key))));
}

/** A per-workspace salt: 16 random bytes, stored beside the encrypted data (it is not secret). */
export function newSalt(): Buffer {
  return randomBytes(16);
}

/**
 * The key that wraps every object's data key. From a passphrase (scrypt) or from a key file
 * (32 random bytes, raw / hex / base64). Its `id` tells which KEK wrapped an object.
 */
export class KeyEncryptionKey implements Disposable {
  readonly id: string;

  private constructor(private readonly secret: SecureBuffer) {
    this.id = createHmac("sha256", secret.buffer).update("@bear/security:kek-id").digest("hex").slice(0, 16);
  }

  static async fromPassphrase(passphrase: string, salt: Uint8Array, params: ScryptParams = DEFAULT_SCRYPT): Promise<KeyEncryptionKey> {
    if (typeof passphrase !== "string" || passphrase.length < 8) throw new KeyError(`passphrase is too short (${passphrase?.length ?? 0} characters, need at least 8)`);
    if (!salt || salt.length < 16) throw new KeyError(`salt is too short (${salt?.length ?? 0} bytes, need at least 16)`);
    if (params.N < MIN_SCRYPT_N || (params.N & (params.N - 1)) !== 0) throw new KeyError(`scrypt N=${params.N} is too weak or not a power of two (minimum ${MIN_SCRYPT_N})`);
    const key = await scrypt(passphrase.normalize("NFKC"), salt, 32, { N: params.N, r: params.r, p: params.p, maxmem: 256 * params.N * params.r + 16 * 1024 * 1024 });
    return new KeyEncryptionKey(SecureBuffer.adopt(key));
  }

  static fromBytes(bytes: Uint8Array): KeyEncryptionKey {
    if (bytes.length !== 32) throw new KeyError(`a key must be 32 bytes, got ${bytes.length}`);
    return new KeyEncryptionKey(SecureBuffer.from(bytes));
  }

  /** Reads a key file holding 32 bytes: raw, or as 64 hex characters, or as base64. */
  static async fromKeyFile(file: string): Promise<KeyEncryptionKey> {
    let raw: Buffer;
    try {
      raw = await fs.readFile(file);
    } catch (cause) {
      throw new KeyError(`cannot read key file '${file}'`, { cause });
    }
    try {
      if (raw.length === 32) return KeyEncryptionKey.fromBytes(raw);
      const text = raw.toString("utf8").trim();
      const decoded = /^[0-9a-fA-F]{64}$/.test(text) ? Buffer.from(text, "hex") : Buffer.from(text, "base64");
      if (decoded.length !== 32) throw new KeyError(`key file '${file}' does not hold 32 bytes (found ${raw.length} bytes)`);
      const kek = KeyEncryptionKey.fromBytes(decoded);
      decoded.fill(0);
      return kek;
    } finally {
      raw.fill(0);
    }
  }

  /** Writes a new random key file (mode 0600). */
  static async generateKeyFile(file: string): Promise<void> {
    const key = randomBytes(32);
    await fs.writeFile(file, key.toString("base64"), { mode: 0o600, flag: "wx" });
    key.fill(0);
  }

  /** @internal the raw key for wrapping; do not keep it. */
  get bytes(): Buffer {
    return this.secret.buffer;
  }

  dispose(): void {
    this.secret.dispose();
  }

  [Symbol.dispose](): void {
    this.dispose();
  }
}
