/** Bytes counted for an entry besides its value: the key string and the bookkeeping around it. */
export const ENTRY_OVERHEAD_BYTES = 96;

interface Entry<K extends string, V> {
  readonly value: V;
  readonly size: number;
  readonly expiresAt: number;
  readonly tag: K;
}

/** What `get` found. */
export type LruLookup<V = Uint8Array> = { readonly value: V } | { readonly expired: true } | undefined;

/**
 * A least-recently-used map under a byte cap (values plus a fixed overhead per entry). A value
 * larger than the whole cap is not kept. Each entry carries a tag (its cache kind) so one tag can be
 * cleared, and an expiry checked on read. Values are bytes by default; another value type gives
 * `valueBytes`, what one value is counted at (a string: two bytes a character).
 */
export class ByteLru<K extends string = string, V = Uint8Array> {
  readonly maxBytes: number;
  readonly #entries = new Map<string, Entry<K, V>>();
  #bytes = 0;
  /** Called once for each entry dropped to make room. */
  readonly #onEvict: (tag: K) => void;
  readonly #valueBytes: (value: V) => number;

  constructor(maxBytes: number, onEvict: (tag: K) => void = () => undefined, valueBytes: (value: V) => number = (value) => (value as Uint8Array).byteLength) {
    if (!Number.isFinite(maxBytes) || maxBytes < 0) throw new RangeError(`maxBytes must be a finite number ≥ 0, not ${maxBytes}`);
    this.maxBytes = maxBytes;
    this.#onEvict = onEvict;
    this.#valueBytes = valueBytes;
  }

  get bytes(): number {
    return this.#bytes;
  }

  get size(): number {
    return this.#entries.size;
  }

  /** Size an entry of bytes is counted at. */
  static sizeOf(key: string, value: Uint8Array): number {
    return ENTRY_OVERHEAD_BYTES + key.length + value.byteLength;
  }

  get(key: string, now: number): LruLookup<V> {
    const entry = this.#entries.get(key);
    if (!entry) return undefined;
    if (entry.expiresAt <= now) {
      this.#remove(key, entry);
      return { expired: true };
    }
    // Re-insert: a Map iterates in insertion order, so the first key is the least recently used.
    this.#entries.delete(key);
    this.#entries.set(key, entry);
    return { value: entry.value };
  }

  set(key: string, value: V, expiresAt: number, tag: K): void {
    const existing = this.#entries.get(key);
    if (existing) this.#remove(key, existing);
    const size = ENTRY_OVERHEAD_BYTES + key.length + this.#valueBytes(value);
    if (size > this.maxBytes) return;
    while (this.#bytes + size > this.maxBytes) {
      const [oldestKey, oldest] = this.#entries.entries().next().value as [string, Entry<K, V>];
      this.#remove(oldestKey, oldest);
      this.#onEvict(oldest.tag);
    }
    this.#entries.set(key, { value, size, expiresAt, tag });
    this.#bytes += size;
  }

  delete(key: string): boolean {
    const entry = this.#entries.get(key);
    if (!entry) return false;
    this.#remove(key, entry);
    return true;
  }

  /** Drops every entry, or those with `tag`. */
  clear(tag?: K): void {
    if (tag === undefined) {
      this.#entries.clear();
      this.#bytes = 0;
      return;
    }
    for (const [key, entry] of this.#entries) if (entry.tag === tag) this.#remove(key, entry);
  }

  /** Sum of the sizes of the entries held, recomputed (for tests of the accounting). */
  recount(): number {
    let total = 0;
    for (const entry of this.#entries.values()) total += entry.size;
    return total;
  }

  keys(): string[] {
    return [...this.#entries.keys()];
  }

  #remove(key: string, entry: Entry<K, V>): void {
    this.#entries.delete(key);
    this.#bytes -= entry.size;
  }
}
