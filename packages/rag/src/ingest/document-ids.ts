import { createHash, createHmac } from "node:crypto";
import { DisposedError, InvalidArgumentError } from "@bear/core";

/**
 * Document ids. With a workspace secret (`documentIdKey`, ≥ 32 bytes) an id is
 * HMAC-SHA256(key, matter \0 path), so nobody without the key can compute the id of a guessed file.
 * Without one it is SHA-256(matter \0 path), as before: fine for an embedder's own index, derivable
 * by anyone who can guess the matter and path.
 *
 * Indexes written before a key was given keep working by a stable fallback: a file whose document
 * already exists under its unkeyed id keeps that id (re-ingest updates it in place, links and audit
 * records stay valid); new documents get keyed ids. The apps answer 404 alike for "not yours" and
 * "does not exist", so an old, derivable id confirms nothing.
 */
export class DocumentIds {
  readonly #key: Buffer | undefined;
  #disposed = false;

  constructor(key?: Uint8Array) {
    if (key !== undefined && key.length < 32) throw new InvalidArgumentError("documentIdKey", `${key.length} bytes`, "at least 32 bytes (a workspace secret)");
    this.#key = key === undefined ? undefined : Buffer.from(key);
  }

  get keyed(): boolean {
    return this.#key !== undefined;
  }

  /** The id a new document gets. */
  of(matter: string, absolutePath: string): string {
    if (this.#disposed) throw new DisposedError("the document id key");
    const input = `${matter}\0${absolutePath}`;
    return (this.#key ? createHmac("sha256", this.#key).update(input) : createHash("sha256").update(input)).digest("hex").slice(0, 24);
  }

  /** The unkeyed id an index written without a key used (the fallback candidate). */
  legacyOf(matter: string, absolutePath: string): string | undefined {
    return this.#key ? createHash("sha256").update(`${matter}\0${absolutePath}`).digest("hex").slice(0, 24) : undefined;
  }

  /** The id of `absolutePath` in `matter`: its existing unkeyed id if `exists` says so, else `of()`. */
  resolve(matter: string, absolutePath: string, exists: (id: string) => boolean): string {
    const id = this.of(matter, absolutePath);
    if (exists(id)) return id;
    const legacy = this.legacyOf(matter, absolutePath);
    return legacy !== undefined && exists(legacy) ? legacy : id;
  }

  /** Zeroes its copy of the key (the caller's is the caller's); no id is computed after. */
  dispose(): void {
    this.#disposed = true;
    this.#key?.fill(0);
  }
}
