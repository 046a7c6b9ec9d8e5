/** What the cache holds; each kind has its own time to live and its own statistics. */
export type CacheKind = "embedding" | "search" | "generation" | "review";
export const CACHE_KINDS: readonly CacheKind[] = ["embedding", "search", "generation", "review"];

/**
 * What identifies a cached value: its kind and every input the value depends on (model id, text,
 * options, index version, …). Parts are hashed with a workspace secret before they are used, so
 * no key ever holds the text it was made from.
 */
export interface CacheKey {
  readonly kind: CacheKind;
  readonly parts: readonly unknown[];
}

/** Turns values into bytes and back (L2 stores bytes; L1 counts them against its byte cap). */
export interface CacheCodec<T> {
  encode(value: T): Uint8Array;
  decode(bytes: Uint8Array): T;
}

export interface CacheOptions<T> {
  /** Default: JSON. */
  readonly codec?: CacheCodec<T>;
  /** 0: no caching, 1: memory only, 2: memory and L2 (disk or Redis). Default 2, as in the architecture's `get_or_compute`. */
  readonly level?: 0 | 1 | 2;
  /** Time to live of a value stored by this call; default: the kind's. */
  readonly ttlMs?: number;
}

/** Counters of one kind (since the cache was created). */
export interface CacheKindStats {
  readonly l1Hits: number;
  readonly l2Hits: number;
  readonly misses: number;
  /** Values stored. */
  readonly sets: number;
  /** Values dropped from L1 to stay under its byte cap. */
  readonly evictions: number;
  /** Values found but past their time to live (counted as misses too). */
  readonly expired: number;
}

export interface CacheStats {
  /** This process's counts. */
  readonly kinds: Readonly<Record<CacheKind, CacheKindStats>>;
  /**
   * Counts of every process that used this L2 since it was created (each adds its own when it closes
   * its cache), this process's included; null without an L2 that keeps them.
   */
  readonly lifetime: Readonly<Record<CacheKind, CacheKindStats>> | null;
  readonly l1: { readonly entries: number; readonly bytes: number; readonly maxBytes: number };
  readonly l2: CacheStoreStats | null;
}

/** What an L2 store reports about itself. */
export interface CacheStoreStats {
  readonly backend: string;
  /** True when values are sealed (encrypted) before they reach the store. */
  readonly sealed: boolean;
  readonly entries?: number;
  readonly bytes?: number;
  readonly maxBytes?: number;
  /** Values the store dropped to stay under its cap (this process). */
  readonly evictions?: number;
  /** Where it lives, without secrets (a folder, or a Redis URL without its password). */
  readonly location?: string;
  /** Why the store could not report (e.g. Redis unreachable). */
  readonly error?: string;
}

/**
 * The multi-level cache (architecture: "Caching and Memoization"): an in-process LRU (L1) in front
 * of a shared store (L2: the workspace's disk, or Redis when clustered). Implemented by
 * `TieredCache`; bound by the workspace so every package shares one.
 */
export const Cache = Symbol.for("@bear/core:Cache");
export interface Cache {
  /** The cached value of `key`, else `compute()`'s result, stored (concurrent callers of one key share one computation). */
  getOrCompute<T>(key: CacheKey, compute: () => Promise<T>, options?: CacheOptions<T>): Promise<T>;
  /** The cached values of many keys of one kind in one round trip (undefined where missing). */
  getMany<T>(keys: readonly CacheKey[], options?: CacheOptions<T>): Promise<(T | undefined)[]>;
  setMany<T>(entries: readonly { readonly key: CacheKey; readonly value: T }[], options?: CacheOptions<T>): Promise<void>;
  /** Drops every value (of one kind, when given), in memory and in L2. */
  clear(kind?: CacheKind): Promise<void>;
  stats(): Promise<CacheStats>;
}

/** An L2 key: the kind and the keyed hash of the parts (hex); never the parts themselves. */
export interface StoreKey {
  readonly kind: CacheKind;
  readonly hash: string;
}

/** The second level: bytes by keyed hash, with an expiry. Values arrive already sealed when the workspace is encrypted. */
export interface CacheStore {
  readonly backend: string;
  getMany(keys: readonly StoreKey[]): Promise<(Uint8Array | undefined)[]>;
  setMany(entries: readonly { readonly key: StoreKey; readonly value: Uint8Array; readonly expiresAt: number }[]): Promise<void>;
  clear(kind?: CacheKind): Promise<void>;
  /**
   * Changes whenever any process clears the store, so other processes drop what they hold in
   * memory too (checked at most once a second).
   */
  epoch(): Promise<string>;
  stats(): Promise<Omit<CacheStoreStats, "sealed">>;
  /** Adds one process's counts to the totals the store keeps for every process (optional). */
  addCounters?(delta: Readonly<Record<CacheKind, CacheKindStats>>): Promise<void>;
  /** The totals `addCounters` built up, if any. */
  counters?(): Promise<Record<CacheKind, CacheKindStats> | undefined>;
  dispose(): Promise<void>;
}

/** Encrypts L2 values at rest (the workspace passes its envelope cipher when it is encrypted). */
export interface CacheSealer {
  seal(plaintext: Uint8Array): Uint8Array;
  /** Throws on a wrong key or any altered byte. */
  open(sealed: Uint8Array): Uint8Array;
  /** Zeroes the key the sealer holds, if it owns one (TieredCache.dispose calls it); it seals and opens nothing after. */
  dispose?(): void;
}
