import { createHmac } from "node:crypto";

/**
 * The id an audit record gives a text or file that has no document id (a pasted contract, a file
 * `bear review` or `bear redact` read): an HMAC under a key derived from the workspace's hash key.
 * A plain SHA-256 would let anyone who reads the audit log confirm a guessed text (a short
 * settlement figure, a name in a template) was reviewed; the same text still gets the same id in
 * one workspace, so its records can be followed.
 */
export function contentIdOf(key: Uint8Array, content: string | Uint8Array): string {
  return createHmac("sha256", key).update(content).digest("hex").slice(0, 24);
}
