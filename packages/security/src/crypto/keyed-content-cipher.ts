import { createCipheriv, createDecipheriv, createHmac, hkdfSync, randomBytes, type CipherGCM } from "node:crypto";
import type { ContentCipher } from "@bear/core";
import { DecryptionError, KeyError } from "../errors";
import { KeyEncryptionKey } from "./key-encryption-key";
import { SecureBuffer } from "./secure-buffer";

const PREFIX = "b1.";
const AAD = Buffer.from("@bear/security:sealed-content:v1");
const IV_BYTES = 12;
const TAG_BYTES = 16;
/** 80 bits: collisions between distinct terms of one workspace are negligible (birthday bound ~2^40 terms). */
const BLIND_BYTES = 10;

/** The label and the NUL that ends it before a context, as text (the label is ASCII: its bytes are these characters). */
const AAD_WITH_CONTEXT = `${AAD.toString("latin1")}\0`;

/** The authenticated data: the fixed label, then the caller's context after a NUL (values sealed without one keep the label alone). */
function aad(context: string | undefined): Buffer {
  if (context === undefined) return AAD;
  if (typeof context !== "string") throw new KeyError(`a context is a string, got ${typeof context}`);
  return Buffer.from(AAD_WITH_CONTEXT + context, "utf8");
}

/** A sealing context made ready before it is needed: AES-256-GCM under the sealing key with its own fresh random nonce, used once. */
interface PreparedSeal {
  readonly iv: Buffer;
  readonly cipher: CipherGCM;
}

function subkey(kek: KeyEncryptionKey, purpose: string): SecureBuffer {
  return SecureBuffer.adopt(Buffer.from(hkdfSync("sha256", kek.bytes, Buffer.from("@bear/security:content-cipher"), Buffer.from(purpose), 32)));
}

/**
 * core's `ContentCipher` under a workspace key: AES-256-GCM with a random nonce per value for
 * sealed text, and HMAC-SHA256 blind tokens for the full-text index. Both keys are derived from
 * the KEK with HKDF, one per purpose, so a blind token reveals nothing about the sealing key.
 *
 * What a blind index gives away, honestly: equal terms have equal tokens, so someone holding the
 * index (without the key) sees term frequencies and co-occurrence, not the words.
 */
export class KeyedContentCipher implements ContentCipher, Disposable {
  readonly keyId: string;
  readonly #sealKey: SecureBuffer;
  readonly #blindKey: SecureBuffer;
  /**
   * The next seal's context, made after a seal, once the caller's work is done (setImmediate), and
   * taken by the next seal. A cluster step seals its parameters right before its job is sent and its
   * output right before its result is: making the context there (a fresh nonce, the key schedule,
   * OpenSSL's cipher lookup) was most of a seal's cost on that path, ~0.1 ms of a step's 2 ms. Each
   * context is taken out of this field before it is used, so it seals exactly one value, and its
   * nonce is a fresh random one as before: the sealed form is unchanged.
   */
  #prepared: PreparedSeal | undefined;
  #preparing = false;

  constructor(kek: KeyEncryptionKey) {
    this.keyId = kek.id;
    this.#sealKey = subkey(kek, "seal");
    this.#blindKey = subkey(kek, "blind");
  }

  /** `context`, when given, is authenticated with the value (AAD) and must be given again to open it. */
  seal(plaintext: string, context?: string): string {
    if (typeof plaintext !== "string") throw new KeyError(`seal() takes a string, got ${typeof plaintext}`);
    const additional = aad(context);
    // taken out before use: a context seals one value, even if this seal throws half-way
    const { iv, cipher } = this.#prepared ?? this.#prepare();
    this.#prepared = undefined;
    this.#prepareSoon();
    cipher.setAAD(additional);
    const head = cipher.update(plaintext, "utf8");
    const tail = cipher.final(); // empty for GCM (a stream mode), kept for form's sake
    const out = Buffer.allocUnsafe(IV_BYTES + TAG_BYTES + head.length + tail.length);
    iv.copy(out, 0);
    cipher.getAuthTag().copy(out, IV_BYTES);
    head.copy(out, IV_BYTES + TAG_BYTES);
    tail.copy(out, IV_BYTES + TAG_BYTES + head.length);
    return PREFIX + out.toString("base64url");
  }

  /** A new sealing context (throws DisposedError once disposed: the key is gone). */
  #prepare(): PreparedSeal {
    const iv = randomBytes(IV_BYTES);
    return { iv, cipher: createCipheriv("aes-256-gcm", this.#sealKey.buffer, iv) };
  }

  /** Makes the next seal's context once the current turn of the event loop is done (off the caller's path). */
  #prepareSoon(): void {
    if (this.#preparing) return;
    this.#preparing = true;
    setImmediate(() => {
      this.#preparing = false;
      if (this.#prepared !== undefined || this.#sealKey.disposed) return;
      this.#prepared = this.#prepare();
    });
  }

  /** Whether the next seal's context is ready (it is made after a seal, once the event loop turns). */
  get sealPrepared(): boolean {
    return this.#prepared !== undefined;
  }

  open(sealed: string, context?: string): string {
    if (typeof sealed !== "string" || !sealed.startsWith(PREFIX)) throw new DecryptionError("sealed content", "it is not sealed content (missing the 'b1.' prefix)");
    const raw = Buffer.from(sealed.slice(PREFIX.length), "base64url");
    if (raw.length < IV_BYTES + TAG_BYTES) throw new DecryptionError("sealed content", `it is truncated (${raw.length} bytes)`);
    const decipher = createDecipheriv("aes-256-gcm", this.#sealKey.buffer, raw.subarray(0, IV_BYTES));
    decipher.setAAD(aad(context));
    decipher.setAuthTag(raw.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
    try {
      return Buffer.concat([decipher.update(raw.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]).toString("utf8");
    } catch (cause) {
      const why = context === undefined ? "the key is wrong or the data was altered" : "the key is wrong, the data was altered, or it was sealed for another context";
      throw new DecryptionError("sealed content", `${why} (authentication failed)`, { cause });
    }
  }

  blindTerm(term: string): string {
    return createHmac("sha256", this.#blindKey.buffer).update(term.normalize("NFC"), "utf8").digest().subarray(0, BLIND_BYTES).toString("hex");
  }

  dispose(): void {
    // The prepared context holds an AES key schedule of the sealing key in OpenSSL's memory. Finishing it
    // frees its OpenSSL context at once (node resets it in final(), and OpenSSL cleanses a GCM context as
    // it frees it), instead of whenever the garbage collector gets to the object.
    const prepared = this.#prepared;
    this.#prepared = undefined;
    try {
      prepared?.cipher.final();
    } catch {
      // already finished: nothing left to free
    }
    this.#sealKey.dispose();
    this.#blindKey.dispose();
  }

  [Symbol.dispose](): void {
    this.dispose();
  }
}

/**
 * The content cipher over a raw 32-byte key (a cluster's payload key file, say): the sealing and
 * blinding keys are derived from it at once, and the KeyEncryptionKey made for that is disposed
 * (zeroised) before this returns, so the cipher's own derived keys are all that stays in memory.
 * `key` is the caller's: zero it when done. Throws KeyError unless it is 32 bytes.
 */
export function contentCipherFromKey(key: Uint8Array): KeyedContentCipher {
  const kek = KeyEncryptionKey.fromBytes(key);
  try {
    return new KeyedContentCipher(kek);
  } finally {
    kek.dispose();
  }
}
