import { hkdfSync } from "node:crypto";
import { InvalidArgumentError } from "@bear/core";

/**
 * A 32-byte key for one purpose, derived from a workspace key with HKDF-SHA256, so one stored
 * secret serves several jobs without any two of them sharing a key (e.g. document ids from the
 * pseudonym key: `deriveKey(hashKey, "rag/document-id")`).
 */
export function deriveKey(master: Uint8Array, purpose: string): Buffer {
  if (master.length < 32) throw new InvalidArgumentError("master key", `${master.length} bytes`, "at least 32 bytes");
  if (!/^[a-z0-9][a-z0-9/._-]{0,63}$/.test(purpose)) throw new InvalidArgumentError("key purpose", purpose, "a short lower-case label such as 'rag/document-id'");
  return Buffer.from(hkdfSync("sha256", master, Buffer.alloc(0), `bear:${purpose}`, 32));
}
