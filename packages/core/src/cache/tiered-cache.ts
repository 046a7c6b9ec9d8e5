import { loggableError } from "../logging/loggable-error";
import { silentLogger, type Logger } from "../logging/logger";
import { ByteLru } from "./byte-lru";
import { CACHE_KINDS, type Cache, type CacheCodec, type CacheKey, type CacheKind, type CacheKindStats, type CacheOptions, type CacheSealer, type CacheStats, type CacheStore, type StoreKey } from "./cache";
import { jsonCodec } from "./cache-codecs";
import { hashCacheKey } from "./cache-key";

const HOUR = 3_600_000;

/** Time to live of each kind unless configured: embeddings depend only on model and text; search results also end at the next commit. */
export const DEFAULT_CACHE_TTL_MS: Readonly<Record<CacheKind, number>> = {
  embedding: 30 * 24 * HOUR,
  search: 24 * HOUR,
  generation: 7 * 24 * HOUR,
  review: 7 * 24 * HOUR,
};

export interface TieredCacheOptions {
  /** A secret of ≥ 32 bytes: keys are HMAC-SHA256(secret, kind, parts), so they cannot be traced back to text. */
  readonly secret: Uint8Array;
  /** L1 byte cap (values plus ~100 bytes per entry). */
  readonly maxMemoryBytes: number;
  /** L2: the workspace disk or Redis. Omit for memory only. */
  readonly store?: CacheStore;
  /** Seals values before they reach L2 (an encrypted workspace's cipher). */
  readonly sealer?: CacheSealer;
  readonly ttlMs?: Partial<Record<CacheKind, number>>;
  /**
   * Kinds kept in L1 only, never written to or read from L2 (e.g. generations in an encrypted
   * workspace: their prompts quote passages of documents that a delete must be able to shred).
   */
  readonly memoryOnlyKinds?: readonly CacheKind[];
  /** How often (at most) L2 is asked whether another process cleared it. Default 1000 ms. */
  readonly epochCheckMs?: number;
  readonly now?: () => number;
  readonly logger?: Logger;
}

type Counters = { -readonly [K in keyof CacheKindStats]: number };
const HASH_BYTES = 32;
const COUNTER_NAMES: readonly (keyof CacheKindStats)[] = ["l1Hits", "l2Hits", "misses", "sets", "evictions", "expired"];
const zeroCounters = (): Record<CacheKind, Counters> => Object.fromEntries(CACHE_KINDS.map((k) => [k, { l1Hits: 0, l2Hits: 0, misses: 0, sets: 0, evictions: 0, expired: 0 }])) as Record<CacheKind, Counters>;
/** a + sign * b, per kind and counter. */
function combine(a: Readonly<Record<CacheKind, CacheKindStats>>, b: Readonly<Record<CacheKind, CacheKindStats>>, sign = 1): Record<CacheKind, Counters> {
  const out = zeroCounters();
  for (const k of CACHE_KINDS) for (const c of COUNTER_NAMES) out[k][c] = (a[k]?.[c] ?? 0) + sign * (b[k]?.[c] ?? 0);
  return out;
}
const json = jsonCodec<unknown>();

/**
 * The multi-level cache: an in-process byte-capped LRU (L1) in front of an optional shared store
 * (L2), as the architecture's `IntelligentCacheManager.get_or_compute` describes. L1 keeps encoded
 * bytes, so a hit hands out a fresh copy (no caller can alter what another gets) and the byte cap
 * is exact. A miss in L1 that hits L2 is promoted to L1. L2 failures (a full disk, Redis down) are
 * logged and count as misses: the cache never fails the work it caches.
 */
export class TieredCache implements Cache, AsyncDisposable {
  readonly #secret: Buffer;
  readonly #l1: ByteLru<CacheKind>;
  readonly #store: CacheStore | undefined;
  readonly #sealer: CacheSealer | undefined;
  readonly #ttl: Readonly<Record<CacheKind, number>>;
  readonly #memoryOnly: ReadonlySet<CacheKind>;
  readonly #epochCheckMs: number;
  readonly #now: () => number;
  readonly #logger: Logger;
  readonly #counters = zeroCounters();
  /** The counts already added to the store's totals. */
  #flushed = zeroCounters();
  readonly #inflight = new Map<string, Promise<unknown>>();
  #epoch: string | undefined;
  #epochCheckedAt = 0;
  #disposed = false;

  constructor(options: TieredCacheOptions) {
    if (options.secret.byteLength < 32) throw new RangeError(`the cache secret must have at least 32 bytes, not ${options.secret.byteLength}`);
    this.#secret = Buffer.from(options.secret);
    this.#l1 = new ByteLru<CacheKind>(options.maxMemoryBytes, (kind) => this.#counters[kind].evictions++);
    this.#store = options.store;
    this.#sealer = options.sealer;
    this.#ttl = { ...DEFAULT_CACHE_TTL_MS, ...options.ttlMs };
    this.#memoryOnly = new Set(options.memoryOnlyKinds ?? []);
    this.#epochCheckMs = options.epochCheckMs ?? 1000;
    this.#now = options.now ?? Date.now;
    this.#logger = (options.logger ?? silentLogger).child({ name: "core:TieredCache" });
  }

  /** The L2 store's kind ("disk", "redis"), or undefined when memory only. */
  get backend(): string | undefined {
    return this.#store?.backend;
  }

  async getOrCompute<T>(key: CacheKey, compute: () => Promise<T>, options: CacheOptions<T> = {}): Promise<T> {
    const level = options.level ?? 2;
    if (level === 0 || this.#disposed) return compute();
    const codec = options.codec ?? (json as CacheCodec<T>);
    const hash = hashCacheKey(this.#secret, key);
    const id = `${key.kind}/${hash}`;
    const pending = this.#inflight.get(id);
    if (pending) {
      this.#counters[key.kind].l1Hits++;
      return pending as Promise<T>;
    }
    const run = (async () => {
      const [found] = await this.#lookup([{ kind: key.kind, hash }], level);
      if (found) return codec.decode(found);
      const value = await compute();
      if (value !== undefined) await this.#store1([{ key: { kind: key.kind, hash }, bytes: codec.encode(value) }], level, options.ttlMs);
      return value;
    })();
    this.#inflight.set(id, run);
    try {
      return await run;
    } finally {
      this.#inflight.delete(id);
    }
  }

  async getMany<T>(keys: readonly CacheKey[], options: CacheOptions<T> = {}): Promise<(T | undefined)[]> {
    const level = options.level ?? 2;
    if (level === 0 || this.#disposed || keys.length === 0) return keys.map(() => undefined);
    const codec = options.codec ?? (json as CacheCodec<T>);
    const found = await this.#lookup(keys.map((k) => ({ kind: k.kind, hash: hashCacheKey(this.#secret, k) })), level);
    return found.map((bytes) => (bytes ? codec.decode(bytes) : undefined));
  }

  async setMany<T>(entries: readonly { readonly key: CacheKey; readonly value: T }[], options: CacheOptions<T> = {}): Promise<void> {
    const level = options.level ?? 2;
    if (level === 0 || this.#disposed || entries.length === 0) return;
    const codec = options.codec ?? (json as CacheCodec<T>);
    await this.#store1(
      entries.map((e) => ({ key: { kind: e.key.kind, hash: hashCacheKey(this.#secret, e.key) }, bytes: codec.encode(e.value) })),
      level,
      options.ttlMs,
    );
  }

  async clear(kind?: CacheKind): Promise<void> {
    this.#l1.clear(kind);
    if (this.#store) await this.#store.clear(kind);
    if (this.#store) this.#epoch = await this.#store.epoch().catch(() => this.#epoch);
  }

  async stats(): Promise<CacheStats> {
    const kinds = Object.fromEntries(CACHE_KINDS.map((k) => [k, { ...this.#counters[k] }])) as Record<CacheKind, CacheKindStats>;
    const l1 = { entries: this.#l1.size, bytes: this.#l1.bytes, maxBytes: this.#l1.maxBytes };
    if (!this.#store) return { kinds, l1, l2: null, lifetime: null };
    const sealed = this.#sealer !== undefined;
    let lifetime: Record<CacheKind, CacheKindStats> | null = null;
    try {
      if (this.#store.counters) lifetime = combine(combine((await this.#store.counters()) ?? zeroCounters(), this.#counters), this.#flushed, -1);
      return { kinds, l1, l2: { ...(await this.#store.stats()), sealed }, lifetime };
    } catch (error) {
      return { kinds, l1, l2: { backend: this.#store.backend, sealed, error: error instanceof Error ? error.message : String(error) }, lifetime };
    }
  }

  /** Adds this process's counts since the last flush to the store's totals (done on dispose). */
  async flushCounters(): Promise<void> {
    if (!this.#store?.addCounters) return;
    const delta = combine(this.#counters, this.#flushed, -1);
    if (!CACHE_KINDS.some((k) => COUNTER_NAMES.some((c) => delta[k][c] !== 0))) return;
    await this.#store.addCounters(delta);
    this.#flushed = combine(this.#counters, zeroCounters());
  }

  /** Drops L1, keeps the counts, closes the store, and zeroes the key secret's copy and the sealer's key (nothing is hashed or sealed after). */
  async dispose(): Promise<void> {
    if (this.#disposed) return;
    this.#disposed = true;
    this.#l1.clear();
    this.#secret.fill(0);
    this.#sealer?.dispose?.();
    await this.flushCounters().catch((error: unknown) => this.#logger.debug({ err: error }, "the cache's counts were not kept"));
    await this.#store?.dispose();
  }

  [Symbol.asyncDispose](): Promise<void> {
    return this.dispose();
  }

  /** L1, then (level 2) L2 for what L1 lacks; L2 hits are promoted. */
  async #lookup(keys: readonly StoreKey[], level: 1 | 2): Promise<(Uint8Array | undefined)[]> {
    await this.#checkEpoch();
    const now = this.#now();
    const out: (Uint8Array | undefined)[] = [];
    const missing: number[] = [];
    keys.forEach((key, i) => {
      const found = this.#l1.get(`${key.kind}/${key.hash}`, now);
      if (found && "value" in found) {
        this.#counters[key.kind].l1Hits++;
        out[i] = found.value;
      } else {
        if (found) this.#counters[key.kind].expired++;
        missing.push(i);
      }
    });
    const fromStore = missing.filter((i) => !this.#memoryOnly.has(keys[i]!.kind));
    if (fromStore.length > 0 && level === 2 && this.#store) {
      let stored: (Uint8Array | undefined)[] = [];
      try {
        stored = await this.#store.getMany(fromStore.map((i) => keys[i]!));
      } catch (error) {
        this.#logger.warn({ err: loggableError(error), backend: this.#store.backend }, "the L2 cache cannot be read; computing instead");
      }
      fromStore.forEach((i, j) => {
        const key = keys[i]!;
        const raw = stored[j];
        const value = raw ? this.#unseal(key, raw) : undefined;
        if (!value) return;
        this.#counters[key.kind].l2Hits++;
        // Promoted with the kind's full time to live: L2 dropped it if it had expired.
        this.#l1.set(`${key.kind}/${key.hash}`, value, now + this.#ttl[key.kind], key.kind);
        out[i] = value;
      });
    }
    keys.forEach((key, i) => {
      if (!out[i]) this.#counters[key.kind].misses++;
    });
    return keys.map((_, i) => out[i]);
  }

  async #store1(entries: readonly { key: StoreKey; bytes: Uint8Array }[], level: 1 | 2, ttlMs: number | undefined): Promise<void> {
    // a value computed while the cache was disposed: kept nowhere (its sealer's key is gone)
    if (this.#disposed) return;
    const now = this.#now();
    const stored = entries.map(({ key, bytes }) => {
      const expiresAt = now + (ttlMs ?? this.#ttl[key.kind]);
      this.#counters[key.kind].sets++;
      this.#l1.set(`${key.kind}/${key.hash}`, bytes, expiresAt, key.kind);
      return { key, value: bytes, expiresAt };
    });
    const toStore = stored.filter((e) => !this.#memoryOnly.has(e.key.kind));
    if (level < 2 || !this.#store || toStore.length === 0) return;
    try {
      await this.#store.setMany(toStore.map((e) => ({ ...e, value: this.#seal(e.key, e.value) })));
    } catch (error) {
      this.#logger.warn({ err: loggableError(error), backend: this.#store.backend }, "the L2 cache cannot be written; the values stay in memory only");
    }
  }

  /** Sealed values carry their key's hash inside the ciphertext, so one entry cannot be passed off as another. */
  #seal(key: StoreKey, value: Uint8Array): Uint8Array {
    if (!this.#sealer) return value;
    return this.#sealer.seal(Buffer.concat([Buffer.from(key.hash, "hex"), value]));
  }

  #unseal(key: StoreKey, stored: Uint8Array): Uint8Array | undefined {
    if (!this.#sealer) return stored;
    try {
      const plain = this.#sealer.open(stored);
      if (plain.byteLength < HASH_BYTES || !Buffer.from(plain.buffer, plain.byteOffset, HASH_BYTES).equals(Buffer.from(key.hash, "hex"))) return undefined;
      return plain.subarray(HASH_BYTES);
    } catch {
      // Another key (a re-created workspace) or an altered byte: a miss, never a wrong value.
      return undefined;
    }
  }

  /** Drops L1 when another process cleared L2 (`bear cache clear` beside a running server). */
  async #checkEpoch(): Promise<void> {
    if (!this.#store) return;
    const now = Date.now();
    if (now - this.#epochCheckedAt < this.#epochCheckMs) return;
    this.#epochCheckedAt = now;
    try {
      const epoch = await this.#store.epoch();
      if (this.#epoch !== undefined && epoch !== this.#epoch) this.#l1.clear();
      this.#epoch = epoch;
    } catch {
      // L2 unreachable: its errors are reported where it is read.
    }
  }
}
