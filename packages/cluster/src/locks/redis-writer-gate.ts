import os from "node:os";
import { randomUUID } from "node:crypto";
import { setTimeout as sleep } from "node:timers/promises";
import type { Redis } from "ioredis";
import { LockError, silentLogger, type Logger, type WriterGate, type WriterGateHold, type WriterGateWaitOptions } from "@bear/core";

/** Renews the lease if this holder still has it; 0 when it lapsed (and maybe went to another). */
const RENEW = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('pexpire', KEYS[1], ARGV[2]) else return 0 end`;
/** Releases the lease if this holder still has it. */
const RELEASE = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end`;

export interface RedisWriterGateOptions {
  readonly redis: Redis;
  /** What is guarded: the Redis key is `bear:writer:<name>`. */
  readonly name: string;
  /** Where Redis is, for messages (the URL without its password). */
  readonly display: string;
  /** A holder that stops renewing (killed, or cut off from Redis) loses the gate after this long (ms, default 15 s). */
  readonly leaseMs?: number;
  /** How often a waiting writer looks again (ms, default 50). */
  readonly pollMs?: number;
  readonly logger?: Logger;
}

/**
 * The index's writer lock across machines: a lease in the cluster's Redis (SET NX PX with a token
 * naming this process, renewed every third of the lease, released only by its holder). A holder
 * killed mid-commit loses it when the lease lapses; LanceDB's commits are atomic, so the next
 * writer finds either the whole commit or none of it, and rag's recovery runs under the lock.
 * Limit: a holder stalled longer than the lease (a frozen VM) may overlap the next one — its
 * renewal then fails and it logs an error; keep the lease well above the longest pause.
 */
export class RedisWriterGate implements WriterGate {
  readonly description: string;
  readonly #options: RedisWriterGateOptions;
  readonly #key: string;
  readonly #leaseMs: number;
  readonly #logger: Logger;

  constructor(options: RedisWriterGateOptions) {
    this.#options = options;
    this.#key = `bear:writer:${options.name}`;
    this.#leaseMs = options.leaseMs ?? 15_000;
    this.#logger = (options.logger ?? silentLogger).child({ name: "cluster:RedisWriterGate" });
    this.description = `${options.name}, in Redis at ${options.display}`;
  }

  async tryAcquire(): Promise<WriterGateHold | undefined> {
    const token = `${os.hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
    const ok = await this.#options.redis.set(this.#key, token, "PX", this.#leaseMs, "NX");
    return ok === "OK" ? this.#hold(token) : undefined;
  }

  async acquire(options: WriterGateWaitOptions): Promise<WriterGateHold> {
    const deadline = Date.now() + options.waitMs;
    let waited = false;
    for (;;) {
      options.signal?.throwIfAborted();
      const hold = await this.tryAcquire();
      if (hold) return hold;
      const holder = (await this.#options.redis.get(this.#key)) ?? undefined;
      if (!waited) {
        waited = true;
        options.onWait?.(holder);
      }
      if (Date.now() >= deadline) {
        throw new LockError("LOCK_BUSY", `${this.#options.name} is being written by ${holder ?? "another process"} (cluster lock in Redis at ${this.#options.display}); gave up after ${options.waitMs} ms`, this.#key, {
          hint: "Another machine of the cluster is committing; try again when it is done, or raise the wait.",
          details: holder === undefined ? {} : { holder },
        });
      }
      await sleep(this.#options.pollMs ?? 50, undefined, options.signal ? { signal: options.signal } : {});
    }
  }

  #hold(token: string): WriterGateHold {
    const { redis } = this.#options;
    const renew = setInterval(() => {
      redis
        .eval(RENEW, 1, this.#key, token, String(this.#leaseMs))
        .then((kept) => {
          if (kept === 0) this.#logger.error({ key: this.#key }, "the cluster writer lease lapsed while held (this process stalled or lost Redis): another writer may have started");
        })
        .catch(() => undefined);
    }, Math.max(100, Math.floor(this.#leaseMs / 3)));
    renew.unref();
    let released: Promise<void> | undefined;
    return {
      release: () =>
        (released ??= (async () => {
          clearInterval(renew);
          await redis.eval(RELEASE, 1, this.#key, token).catch(() => undefined);
        })()),
    };
  }
}
