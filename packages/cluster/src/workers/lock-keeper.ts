import { createRequire } from "node:module";
import { Worker } from "node:worker_threads";
import { redisOptions } from "../connection/redis-connection";
import type { RedisEndpoint } from "../connection/redis-url";

export interface LockKeeperOptions {
  readonly endpoint: RedisEndpoint;
  /** The jobs' lock duration (ms): each held lock is extended to this every third of it. */
  readonly lockDurationMs: number;
  /**
   * How long this thread's event loop may be blocked before the keeper stops renewing (ms): a
   * handler stuck for longer loses its jobs to other workers, as a dead worker's would.
   */
  readonly maxBlockedMs: number;
  /** Locks held through shared memory at once (default 256); past them a message carries each. */
  readonly slots?: number;
  /**
   * A renewal found a held lock no longer this worker's (its value is another token, or it is gone:
   * Redis lost the job, or another worker took it): called once per such renewal while the lock is
   * still held here, so the worker aborts the job's handler (one attempt must not run twice side by side).
   */
  readonly onLost?: (queueKey: string, jobId: string) => void;
}

/** What the keeper thread is told: hold or release a job's lock, refresh a key while held, stop. */
type KeeperMessage =
  | { readonly op: "hold"; readonly lockKey: string; readonly stalledKey: string; readonly jobId: string; readonly token: string }
  | { readonly op: "release"; readonly lockKey: string }
  | { readonly op: "alive"; readonly key: string; readonly ttlMs: number };

/** What the keeper thread tells: it is connected, or renewals found these locks (key and token) not this worker's. */
type KeeperReport = "ready" | { readonly op: "lost"; readonly locks: ReadonlyArray<{ readonly lockKey: string; readonly token: string }> };

/** Bytes of one slot: a held lock as JSON (queue keys, job id and token are well under this). */
const SLOT_BYTES = 1_024;

/**
 * The keeper thread's reader of the slots, as JavaScript source: `(seq, lens, bytes) => () => locks`.
 * Slot i holds a lock's JSON while seq[i] is non-zero; the main thread frees a slot (seq 0) before
 * it rewrites it and gives it a new number after, and writes every byte with Atomics.store. The
 * reader is a seqlock: it loads the number, copies the bytes with Atomics.load, and keeps the copy
 * only if the number is unchanged. Every access is sequentially consistent, so on a weakly ordered
 * CPU (ARM) no byte load can be satisfied after the second load of the number; and nothing is
 * cached between ticks: each tick reads every slot anew, so a copy that was wrong could cost one
 * renewal at most (a lock lasts three ticks), never every renewal after it.
 */
export const SLOT_READER = `(seq, lens, bytes) => {
  const decoder = new TextDecoder();
  const size = bytes.length / seq.length;
  const copy = new Uint8Array(size);
  return () => {
    const out = [];
    for (let i = 0; i < seq.length; i++) {
      const before = Atomics.load(seq, i);
      if (before === 0) continue;
      const len = Atomics.load(lens, i);
      if (len <= 0 || len > size) continue;
      for (let b = 0, at = i * size; b < len; b++) copy[b] = Atomics.load(bytes, at + b);
      if (Atomics.load(seq, i) !== before) continue; // rewritten meanwhile: read again next tick
      try {
        out.push(JSON.parse(decoder.decode(copy.subarray(0, len))));
      } catch {}
    }
    return out;
  };
}`;

/**
 * The keeper thread, as CommonJS evaluated in a worker thread (no file to build or locate): its own
 * ioredis client extends the held locks with BullMQ's own extendLock script (lock value must still
 * be this worker's token; the job leaves the stalled set) and refreshes the worker's liveness key
 * (only while it exists: a removed worker is not brought back). It does nothing while the main
 * thread's heartbeat is older than maxBlockedMs.
 *
 * The held locks are read from shared memory at each tick (see SLOT_READER); those past the slots
 * come by message.
 */
const THREAD_SOURCE = `
const { parentPort, workerData } = require("node:worker_threads");
const { Redis } = require(workerData.ioredis);
const EXTEND = 'if redis.call("GET", KEYS[1]) == ARGV[1] then if redis.call("SET", KEYS[1], ARGV[1], "PX", ARGV[2]) then redis.call("SREM", KEYS[2], ARGV[3]) return 1 end end return 0';
const o = workerData.options;
const redis = new Redis({ ...o, maxRetriesPerRequest: null, retryStrategy: (n) => Math.min(100 * n, 2000) });
redis.on("error", () => undefined);
redis.once("ready", () => parentPort.postMessage("ready"));
const beat = new BigInt64Array(workerData.heartbeat);
const seq = new Int32Array(workerData.seq);
const lens = new Int32Array(workerData.lens);
const bytes = new Uint8Array(workerData.bytes);
const held = new Map();
const readSlots = (${SLOT_READER})(seq, lens, bytes);
let alive;
const tick = () => {
  if (Date.now() - Number(Atomics.load(beat, 0)) > workerData.maxBlockedMs) return;
  const locks = [...held.values(), ...readSlots()];
  if (locks.length === 0 && !alive) return;
  const p = redis.pipeline();
  for (const h of locks) p.eval(EXTEND, 2, h.lockKey, h.stalledKey, h.token, String(workerData.lockDurationMs), h.jobId);
  if (alive) p.set(alive.key, "1", "PX", alive.ttlMs, "XX");
  // a lock whose renewal answered 0 is no longer this worker's: the main thread aborts its job (an error is no answer)
  p.exec()
    .then((replies) => {
      const lost = locks.filter((h, i) => replies && replies[i] && replies[i][0] === null && replies[i][1] === 0).map((h) => ({ lockKey: h.lockKey, token: h.token }));
      if (lost.length > 0) parentPort.postMessage({ op: "lost", locks: lost });
    })
    .catch(() => undefined);
};
setInterval(tick, workerData.renewMs);
parentPort.on("message", (m) => {
  if (m.op === "hold") held.set(m.lockKey, m);
  else if (m.op === "release") held.delete(m.lockKey);
  else if (m.op === "alive") alive = m;
});
`;

/**
 * Keeps a worker's BullMQ job locks (and its liveness key) renewed from a thread of its own. BullMQ
 * renews locks with a timer on the worker's event loop; a CPU-bound step handler that blocks the
 * loop past the lock duration (a long contract on a loaded machine) lost its lock, another worker's
 * stalled-job check took the job and ran it again, and after three times BullMQ failed it ("job
 * stalled more than allowable limit"). This thread's loop is never blocked by handlers, so a lock
 * lasts exactly as long as its worker process lives (kill -9 still frees it after the lock
 * duration) — or until its event loop has been blocked for `maxBlockedMs` (a stuck handler).
 */
export class LockKeeper {
  readonly #thread: Worker;
  readonly #heartbeat: BigInt64Array;
  readonly #beat: ReturnType<typeof setInterval>;
  /**
   * Held locks in shared memory: a message to the thread per job started and per job finished
   * cost this thread ~0.1 ms of CPU each (a structured clone and a wake-up of the other thread);
   * writing a slot costs a few microseconds, and the thread reads the slots when it renews.
   */
  readonly #seq: Int32Array;
  readonly #lens: Int32Array;
  readonly #bytes: Uint8Array;
  readonly #encoder = new TextEncoder();
  readonly #free: number[];
  /** A lock's JSON before it is copied into its slot. */
  readonly #scratch = new Uint8Array(SLOT_BYTES);
  /** lock key → its slot. */
  readonly #slotOf = new Map<string, number>();
  /** lock key → the held lock's queue key, job id and token (to tell a lost lock from one released or taken again since). */
  readonly #held = new Map<string, { readonly queueKey: string; readonly jobId: string; readonly token: string }>();
  /** Locks the thread was told of by message (no slot was free): released by message too. */
  readonly #byMessage = new Set<string>();
  #nextSeq = 0;
  /** Resolves once the thread is connected to Redis (locks held before are renewed from then on). */
  readonly ready: Promise<void>;

  constructor(options: LockKeeperOptions) {
    const { endpoint } = options;
    const shared = new SharedArrayBuffer(8);
    this.#heartbeat = new BigInt64Array(shared);
    this.#touch();
    const renewMs = Math.max(50, Math.floor(options.lockDurationMs / 3));
    const slots = options.slots ?? 256;
    const seq = new SharedArrayBuffer(4 * slots);
    const lens = new SharedArrayBuffer(4 * slots);
    const bytes = new SharedArrayBuffer(SLOT_BYTES * slots);
    this.#seq = new Int32Array(seq);
    this.#lens = new Int32Array(lens);
    this.#bytes = new Uint8Array(bytes);
    this.#free = Array.from({ length: slots }, (_, i) => slots - 1 - i);
    // the main thread's heartbeat: the keeper stops renewing when it is older than maxBlockedMs
    this.#beat = setInterval(() => this.#touch(), Math.min(1_000, renewMs));
    this.#beat.unref();
    this.#thread = new Worker(THREAD_SOURCE, {
      eval: true,
      workerData: {
        ioredis: createRequire(import.meta.url).resolve("ioredis"),
        // BEAR's client settings, less the retry function (a worker thread takes data only; it sets its own)
        options: (({ retryStrategy: _retry, ...data }) => data)(redisOptions(endpoint)),
        heartbeat: shared,
        seq,
        lens,
        bytes,
        lockDurationMs: options.lockDurationMs,
        maxBlockedMs: options.maxBlockedMs,
        renewMs,
      },
    });
    this.#thread.unref(); // never keeps the process alive
    this.#thread.on("error", () => undefined); // a lost keeper only means BullMQ's own renewal is left
    this.ready = new Promise((resolve) => this.#thread.once("message", () => resolve()));
    const onLost = options.onLost;
    this.#thread.on("message", (report: KeeperReport) => {
      if (report === "ready" || !onLost) return;
      for (const { lockKey, token } of report.locks) {
        const held = this.#held.get(lockKey);
        // released meanwhile (its job finished, BullMQ deleted the lock), or taken again with a new token: not lost
        if (held?.token === token) onLost(held.queueKey, held.jobId);
      }
    });
  }

  #touch(): void {
    Atomics.store(this.#heartbeat, 0, BigInt(Date.now()));
  }

  /** Keeps the lock of a job this worker took (BullMQ's lock key, its token) until release(). */
  hold(queueKey: string, jobId: string, token: string): void {
    const lock = { lockKey: `${queueKey}:${jobId}:lock`, stalledKey: `${queueKey}:stalled`, jobId, token };
    // taken again (a new token): the old hold goes first, wherever it is
    if (this.#slotOf.has(lock.lockKey) || this.#byMessage.has(lock.lockKey)) this.release(queueKey, jobId);
    this.#held.set(lock.lockKey, { queueKey, jobId, token });
    const slot = this.#free.pop();
    if (slot !== undefined) {
      const json = JSON.stringify(lock);
      const { read, written } = this.#encoder.encodeInto(json, this.#scratch);
      if (read === json.length) {
        // the slot is free (seq 0): bytes first, then its length and number, each with Atomics.store (see SLOT_READER)
        const at = slot * SLOT_BYTES;
        for (let b = 0; b < written; b++) Atomics.store(this.#bytes, at + b, this.#scratch[b]!);
        Atomics.store(this.#lens, slot, written);
        this.#nextSeq = (this.#nextSeq % 0x7fffffff) + 1; // never 0 (a free slot)
        Atomics.store(this.#seq, slot, this.#nextSeq);
        this.#slotOf.set(lock.lockKey, slot);
        return;
      }
      this.#free.push(slot); // too long for a slot
    }
    this.#byMessage.add(lock.lockKey);
    this.#post({ op: "hold", ...lock });
  }

  release(queueKey: string, jobId: string): void {
    const lockKey = `${queueKey}:${jobId}:lock`;
    this.#held.delete(lockKey);
    if (this.#byMessage.delete(lockKey)) this.#post({ op: "release", lockKey });
    const slot = this.#slotOf.get(lockKey);
    if (slot === undefined) return;
    this.#slotOf.delete(lockKey);
    Atomics.store(this.#seq, slot, 0);
    this.#free.push(slot);
  }

  /** Also refreshes `key` (the worker's liveness key) while it exists, so a blocked loop does not look like a dead worker. */
  keepAlive(key: string, ttlMs: number): void {
    this.#post({ op: "alive", key, ttlMs });
  }

  #post(message: KeeperMessage): void {
    this.#thread.postMessage(message);
  }

  /** Stops renewing: locks still held expire after the lock duration (another worker takes their jobs). */
  async close(): Promise<void> {
    clearInterval(this.#beat);
    await this.#thread.terminate();
  }
}
