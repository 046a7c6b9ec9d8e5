import { createHmac } from "node:crypto";
import type { CacheKey } from "./cache";

/**
 * JSON with object keys sorted (and undefined members left out), so equal inputs give equal keys
 * whatever order their options were written in. Typed arrays are written as their bytes.
 */
export function stableStringify(value: unknown): string {
  if (value === undefined) return "null";
  if (value === null || typeof value !== "object") {
    if (typeof value === "bigint") return `"${value}n"`;
    if (typeof value === "function" || typeof value === "symbol") throw new TypeError(`a cache key part cannot be a ${typeof value}`);
    return JSON.stringify(value);
  }
  if (ArrayBuffer.isView(value)) return `"bytes:${Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString("base64")}"`;
  if (Array.isArray(value)) return `[${value.map(stableStringify).join(",")}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${stableStringify(v)}`).join(",")}}`;
}

/** The keyed hash (HMAC-SHA256, hex) of a key: what L1 and L2 store under; the parts cannot be recovered from it. */
export function hashCacheKey(secret: Uint8Array, key: CacheKey): string {
  const mac = createHmac("sha256", secret).update(key.kind).update("\0");
  for (const part of key.parts) mac.update(typeof part === "string" ? `s${part.length}:${part}` : `j${stableStringify(part)}`).update("\0");
  return mac.digest("hex");
}
