import { createCipheriv, createDecipheriv, createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import { VaultAccessDeniedError, VaultTokenUnknownError } from "../errors";
import { SecureBuffer } from "../crypto/secure-buffer";

interface Sealed {
  readonly iv: string;
  readonly data: string;
  readonly tag: string;
  /** The matter the value was tokenized in (bound into the seal as additional data); none for a token made outside a matter. */
  readonly matter?: string;
}

/** The additional data a value is sealed with: its token, and its matter when it has one (a moved or edited matter fails to open). */
const aadOf = (token: string, matter: string | undefined): Buffer => Buffer.from(matter === undefined ? token : `${token}|${matter}`);

/** Serialised vault: ciphertexts only, safe to write to disk beside the scrubbed text. */
export interface TokenVaultSnapshot {
  readonly version: 1;
  readonly keyCheck: string;
  readonly entries: Readonly<Record<string, Sealed>>;
}

/**
 * Keeps the originals of tokenized values, each sealed with AES-256-GCM under the vault key.
 * Opening a value needs the key again: the vault checks it (constant time) before decrypting.
 */
export class TokenVault {
  private readonly key: SecureBuffer;
  private readonly keyCheck: Buffer;
  private readonly entries = new Map<string, Sealed>();
  private readonly byValue = new Map<string, string>();

  /** `key` is 32 bytes; it is copied into a SecureBuffer the vault owns. */
  constructor(key: Uint8Array, snapshot?: TokenVaultSnapshot) {
    if (key.length !== 32) throw new VaultAccessDeniedError(`the vault key must be 32 bytes, got ${key.length}`);
    this.key = SecureBuffer.from(key);
    this.keyCheck = TokenVault.check(key);
    if (snapshot) {
      if (!timingSafeEqual(Buffer.from(snapshot.keyCheck, "base64"), this.keyCheck))
        throw new VaultAccessDeniedError("the key does not open this vault");
      for (const [token, sealed] of Object.entries(snapshot.entries)) this.entries.set(token, sealed);
    }
  }

  private static check(key: Uint8Array): Buffer {
    return createHmac("sha256", key).update("@bear/security:TokenVault:key-check").digest();
  }

  get size(): number {
    return this.entries.size;
  }

  /**
   * A token for `value` (the same value of the same type gets the same token within this vault and matter). With a
   * `matter` the token belongs to it: `open` with another matter, or with none from a caller bound to one, refuses it.
   */
  tokenize(type: string, value: string, matter?: string): string {
    const lookup = createHmac("sha256", this.key.buffer).update(matter === undefined ? `${type}\0${value}` : `${type}\0${value}\0matter\0${matter}`).digest("hex");
    const existing = this.byValue.get(lookup);
    if (existing) return existing;
    const token = `<TOK_${type}_${randomBytes(6).toString("hex")}>`;
    const iv = randomBytes(12);
    const cipher = createCipheriv("aes-256-gcm", this.key.buffer, iv);
    cipher.setAAD(aadOf(token, matter));
    const data = Buffer.concat([cipher.update(value, "utf8"), cipher.final()]);
    this.entries.set(token, { iv: iv.toString("base64"), data: data.toString("base64"), tag: cipher.getAuthTag().toString("base64"), ...(matter === undefined ? {} : { matter }) });
    this.byValue.set(lookup, token);
    return token;
  }

  /**
   * The original value of `token`; `key` must be the vault key. With `matter` (a restore on behalf of a principal
   * authorized in that matter) only that matter's tokens open: another matter's, or one made outside any matter, is
   * refused (VAULT_ACCESS_DENIED). Without it (the workspace owner) every token opens.
   */
  open(token: string, key: Uint8Array, matter?: string): string {
    if (key.length !== 32 || !timingSafeEqual(TokenVault.check(key), this.keyCheck)) throw new VaultAccessDeniedError("wrong vault key");
    const sealed = this.entries.get(token);
    if (!sealed) throw new VaultTokenUnknownError(token);
    if (matter !== undefined && sealed.matter !== matter) throw new VaultAccessDeniedError(`token '${token}' does not belong to matter '${matter.slice(0, 64)}'`, { details: { reason: "matter" } });
    try {
      const decipher = createDecipheriv("aes-256-gcm", key, Buffer.from(sealed.iv, "base64"));
      decipher.setAAD(aadOf(token, sealed.matter));
      decipher.setAuthTag(Buffer.from(sealed.tag, "base64"));
      return Buffer.concat([decipher.update(Buffer.from(sealed.data, "base64")), decipher.final()]).toString("utf8");
    } catch (cause) {
      throw new VaultAccessDeniedError(`vault entry for '${token}' fails authentication (tampered)`, { cause });
    }
  }

  snapshot(): TokenVaultSnapshot {
    return { version: 1, keyCheck: this.keyCheck.toString("base64"), entries: Object.fromEntries(this.entries) };
  }

  dispose(): void {
    this.key.dispose();
    this.entries.clear();
    this.byValue.clear();
  }
}

export const TOKEN_PATTERN = /<TOK_[A-Z0-9_]+?_[0-9a-f]{12}>/g;
