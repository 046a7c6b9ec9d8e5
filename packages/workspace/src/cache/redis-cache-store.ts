import { allowNetwork, CACHE_KINDS, type CacheKind, type CacheKindStats, type CacheStore, type CacheStoreStats, type Logger, type StoreKey } from "@bear/core";
import { parseRedisUrl, redisOptions, type RedisEndpoint } from "@bear/cluster";
import type { Redis } from "ioredis";

export interface RedisCacheStoreOptions {
  /**
   * redis://[user]:password@host:port[/db]: loopback or a private address, always with a password,
   * checked as the cluster's (REDIS_URL_INVALID / REDIS_URL_INSECURE otherwise, naming
   * `cache.redisUrl`); the client is made from the checked endpoint, never from the URL text. The
   * offline guard lets it reach a private address, the user's explicit choice, as it does the cluster's.
   */
  readonly url: string;
  /** Keys are `bear:cache:<namespace>:<kind>:<hash>`: one Redis serves several workspaces apart. */
  readonly namespace: string;
  /** How long a command (and the first connection) may take before it counts as a miss. Default 1000 ms. */
  readonly timeoutMs?: number;
  readonly logger: Logger;
}

const SCAN_LIMIT = 100_000;

/**
 * L2 in Redis (several BEAR instances share it), through ioredis. Values expire with Redis's own
 * per-key TTL (PX); the byte cap is Redis's `maxmemory` (set an eviction policy such as
 * `allkeys-lru` on a Redis used only as a cache). Commands do not queue while Redis is away: they
 * fail at once and the cache computes instead; ioredis reconnects in the background.
 */
export class RedisCacheStore implements CacheStore {
  readonly backend = "redis";
  readonly #endpoint: RedisEndpoint;
  readonly #prefix: string;
  readonly #timeoutMs: number;
  readonly #logger: Logger;
  #client: Promise<Redis> | undefined;
  #lastErrorLog = 0;
  #disposed = false;

  constructor(options: RedisCacheStoreOptions) {
    if (!/^[a-z0-9]{1,32}$/.test(options.namespace)) throw new RangeError(`the Redis cache namespace must be 1-32 lower-case letters or digits, not '${options.namespace}'`);
    this.#endpoint = parseRedisUrl(options.url, "cache.redisUrl");
    this.#prefix = `bear:cache:${options.namespace}:`;
    this.#timeoutMs = options.timeoutMs ?? 1000;
    this.#logger = options.logger.child({ name: "workspace:RedisCacheStore" });
  }

  async getMany(keys: readonly StoreKey[]): Promise<(Uint8Array | undefined)[]> {
    if (keys.length === 0) return [];
    const values = await (await this.#redis()).mgetBuffer(...keys.map((k) => this.#key(k))).catch((error: unknown) => {
      throw refused("read", error);
    });
    return values.map((v) => v ?? undefined);
  }

  async setMany(entries: readonly { readonly key: StoreKey; readonly value: Uint8Array; readonly expiresAt: number }[]): Promise<void> {
    const redis = await this.#redis();
    const now = Date.now();
    const pipeline = redis.pipeline();
    for (const e of entries) {
      const ttl = Math.floor(e.expiresAt - now);
      if (ttl > 0) pipeline.set(this.#key(e.key), Buffer.from(e.value.buffer, e.value.byteOffset, e.value.byteLength), "PX", ttl);
    }
    const results =
      (await pipeline.exec().catch((error: unknown) => {
        throw refused("write", error);
      })) ?? [];
    const failed = results.find(([error]) => error);
    if (failed) throw refused("write", failed[0]);
  }

  async clear(kind?: CacheKind): Promise<void> {
    const redis = await this.#redis();
    for await (const batch of this.#scan(redis, `${this.#prefix}${kind ?? "*"}:*`)) if (batch.length > 0) await redis.unlink(...batch);
    await redis.incr(`${this.#prefix}epoch`);
  }

  async epoch(): Promise<string> {
    return (await (await this.#redis()).get(`${this.#prefix}epoch`)) ?? "0";
  }

  async stats(): Promise<Omit<CacheStoreStats, "sealed">> {
    const redis = await this.#redis();
    let entries = 0;
    for await (const batch of this.#scan(redis, `${this.#prefix}*:*`)) {
      entries += batch.length;
      if (entries >= SCAN_LIMIT) break;
    }
    return { backend: this.backend, entries, location: this.#endpoint.display };
  }

  async addCounters(delta: Readonly<Record<CacheKind, CacheKindStats>>): Promise<void> {
    const pipeline = (await this.#redis()).pipeline();
    for (const kind of CACHE_KINDS) for (const [name, n] of Object.entries(delta[kind] ?? {})) if (n !== 0) pipeline.hincrby(`${this.#prefix}counters`, `${kind}.${name}`, n);
    await pipeline.exec();
  }

  async counters(): Promise<Record<CacheKind, CacheKindStats> | undefined> {
    const fields = await (await this.#redis()).hgetall(`${this.#prefix}counters`);
    if (Object.keys(fields).length === 0) return undefined;
    const out: Record<string, Record<string, number>> = {};
    for (const [field, value] of Object.entries(fields)) {
      const [kind, name] = field.split(".");
      if (kind && name) (out[kind] ??= {})[name] = Number(value);
    }
    return out as unknown as Record<CacheKind, CacheKindStats>;
  }

  async dispose(): Promise<void> {
    if (this.#disposed) return;
    this.#disposed = true;
    const client = await this.#client?.catch(() => undefined);
    if (!client) return;
    await client.quit().catch(() => client.disconnect());
  }

  #key(key: StoreKey): string {
    return `${this.#prefix}${key.kind}:${key.hash}`;
  }

  async *#scan(redis: Redis, match: string): AsyncGenerator<string[]> {
    let cursor = "0";
    do {
      const [next, keys] = await redis.scan(cursor, "MATCH", match, "COUNT", 1000);
      cursor = next;
      yield keys;
    } while (cursor !== "0");
  }

  /** The client, connected on first use (ioredis is loaded only when a Redis URL is configured). */
  async #redis(): Promise<Redis> {
    if (this.#disposed) throw new Error("the Redis cache store is disposed");
    this.#client ??= (async () => {
      const { Redis } = await import("ioredis");
      const client = new Redis({
        ...redisOptions(this.#endpoint),
        lazyConnect: true,
        enableOfflineQueue: false,
        maxRetriesPerRequest: 1,
        connectTimeout: this.#timeoutMs,
        commandTimeout: this.#timeoutMs,
        retryStrategy: (attempt) => Math.min(100 * attempt, 2000),
      });
      client.on("error", (error: Error) => {
        // ioredis reports every failed reconnect: log at most one line a minute.
        if (Date.now() - this.#lastErrorLog < 60_000) return;
        this.#lastErrorLog = Date.now();
        this.#logger.warn({ err: { message: error.message }, redis: this.#endpoint.display }, "the Redis cache is unreachable; computing instead until it is back");
      });
      // A failed first connection is retried in the background (retryStrategy), in the same network allowance.
      const connect = (): Promise<void> => client.connect().catch(() => undefined);
      void (this.#endpoint.loopback ? connect() : allowNetwork(connect, `Redis cache at ${this.#endpoint.display}`));
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, this.#timeoutMs);
        timer.unref();
        client.once("ready", () => {
          clearTimeout(timer);
          resolve();
        });
      });
      return client;
    })();
    return this.#client;
  }
}

/**
 * Redis's refusal as an error of its own: ioredis's errors carry the failed command, whose arguments
 * are the cached value (a review report, search passages), and would reach any log they are passed to.
 */
function refused(act: "read" | "write", error: unknown): Error {
  const { message, code } = (error ?? {}) as { message?: unknown; code?: unknown };
  return Object.assign(new Error(`Redis refused the cache ${act}: ${typeof message === "string" ? message.slice(0, 200) : "unknown error"}`), {
    ...(typeof code === "string" ? { code } : {}),
  });
}
