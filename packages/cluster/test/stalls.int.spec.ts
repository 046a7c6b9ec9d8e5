// A CPU-bound step handler blocks its worker's event loop: BullMQ's lock renewal (a timer on that
// loop) cannot run, so without the LockKeeper thread the job's lock expired, the worker looked dead
// (no report), and the step was taken away and run a second time — under load, three times, until
// BullMQ failed it as "job stalled more than allowable limit".
import path from "node:path";
import vm from "node:vm";
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { Redis } from "ioredis";
import { InProcessExecutor, WorkflowEngine } from "@bear/workflow-engine";
import { ClusterNode, parseRedisUrl, StepWorker } from "../src/index";
import { stepJobId } from "../src/queue/step-job";
import { LockKeeper, SLOT_READER } from "../src/workers/lock-keeper";
import { killHard, startChild, until } from "./fixtures/child";
import { contentCipherFromKey as keyCipher } from "@bear/security";
import { startTestRedis, type TestRedis } from "./fixtures/redis-server";
import { inProcessCluster, tempDir } from "./fixtures/test-cluster";
import { readLog, sleepRegistry } from "./fixtures/test-steps";

let redis: TestRedis;
let client: Redis;
beforeAll(async () => {
  redis = await startTestRedis();
  client = new Redis({ port: redis.port, host: "127.0.0.1", password: redis.password });
});
afterAll(async () => {
  client.disconnect();
  await redis.kill();
});

/** Holds this thread for `ms` without yielding (no timer of this thread runs meanwhile). */
function block(ms: number): void {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    // busy
  }
}

/** A BullMQ-style lock taken now, as moveToActive takes it: token, expiring after `ms`. */
async function lock(queueKey: string, jobId: string, ms: number): Promise<string> {
  const token = `token-${jobId}`;
  await client.set(`${queueKey}:${jobId}:lock`, token, "PX", ms);
  await client.sadd(`${queueKey}:stalled`, jobId);
  return token;
}

describe("CPU-bound handlers and job locks", () => {
  it("the keeper thread renews a held lock while this thread's event loop is blocked 4x past its duration", async () => {
    const keeper = new LockKeeper({ endpoint: parseRedisUrl(redis.url), lockDurationMs: 500, maxBlockedMs: 60_000 });
    try {
      await keeper.ready;
      const token = await lock("bear:keeper-a", "1", 500);
      const loose = await lock("bear:keeper-a", "2", 500); // not held: expires as BullMQ's would on a blocked loop
      keeper.hold("bear:keeper-a", "1", token);
      await new Promise((r) => setTimeout(r, 50)); // the thread has the message
      block(2_000);
      expect(await client.get("bear:keeper-a:1:lock")).toBe(token);
      expect(await client.sismember("bear:keeper-a:stalled", "1")).toBe(0); // as BullMQ's extendLock does
      expect(await client.get("bear:keeper-a:2:lock")).toBeNull();
      expect(loose).toBe("token-2");
      // released: the lock is left to expire (BullMQ's moveToFinished deletes it first in practice)
      keeper.release("bear:keeper-a", "1");
      await until(async () => (await client.get("bear:keeper-a:1:lock")) === null, 5_000, "the released lock to expire");
    } finally {
      await keeper.close();
    }
  });

  it("locks past the shared-memory slots go by message, and a slot freed and reused renews its new lock only", async () => {
    const keeper = new LockKeeper({ endpoint: parseRedisUrl(redis.url), lockDurationMs: 500, maxBlockedMs: 60_000, slots: 2 });
    try {
      await keeper.ready;
      const tokens = await Promise.all(["1", "2", "3"].map((id) => lock("bear:keeper-s", id, 500)));
      ["1", "2", "3"].forEach((id, i) => keeper.hold("bear:keeper-s", id, tokens[i]!)); // '3' has no slot
      keeper.release("bear:keeper-s", "1"); // its slot is free again, and taken by '4'
      const token4 = await lock("bear:keeper-s", "4", 500);
      keeper.hold("bear:keeper-s", "4", token4);
      await new Promise((r) => setTimeout(r, 50));
      block(2_000);
      expect(await client.get("bear:keeper-s:1:lock")).toBeNull();
      expect(await client.get("bear:keeper-s:2:lock")).toBe(tokens[1]);
      expect(await client.get("bear:keeper-s:3:lock")).toBe(tokens[2]);
      expect(await client.get("bear:keeper-s:4:lock")).toBe(token4);
      for (const id of ["2", "3", "4"]) keeper.release("bear:keeper-s", id);
      await until(async () => (await client.exists("bear:keeper-s:2:lock", "bear:keeper-s:3:lock", "bear:keeper-s:4:lock")) === 0, 5_000, "the released locks to expire");
    } finally {
      await keeper.close();
    }
  });

  it("a lock first held by message and then taken into a slot is released by message too (its renewal stops)", async () => {
    const keeper = new LockKeeper({ endpoint: parseRedisUrl(redis.url), lockDurationMs: 300, maxBlockedMs: 60_000, slots: 1 });
    try {
      await keeper.ready;
      const tokenA = await lock("bear:keeper-m", "a", 300);
      keeper.hold("bear:keeper-m", "a", tokenA); // the one slot
      keeper.hold("bear:keeper-m", "b", "token-b-1"); // no slot: by message
      keeper.release("bear:keeper-m", "a"); // the slot is free again
      keeper.hold("bear:keeper-m", "b", "token-b-2"); // b taken again, now into the slot
      await client.set("bear:keeper-m:b:lock", "token-b-2", "PX", 300);
      await new Promise((r) => setTimeout(r, 700)); // several renewals (every 100 ms)
      expect(await client.get("bear:keeper-m:b:lock")).toBe("token-b-2");
      keeper.release("bear:keeper-m", "b");
      // had the first hold of b been left with the thread, it would extend a lock holding its old token
      await client.set("bear:keeper-m:b:lock", "token-b-1");
      await new Promise((r) => setTimeout(r, 500));
      expect(await client.pttl("bear:keeper-m:b:lock")).toBe(-1);
    } finally {
      await keeper.close();
    }
  });

  it("the keeper thread's slot reader reads every slot anew at each tick (a copy is never kept)", () => {
    const slots = 2;
    const size = 1_024;
    const seq = new Int32Array(new SharedArrayBuffer(4 * slots));
    const lens = new Int32Array(new SharedArrayBuffer(4 * slots));
    const bytes = new Uint8Array(new SharedArrayBuffer(size * slots));
    const write = (slot: number, value: object, number: number): void => {
      const encoded = new TextEncoder().encode(JSON.stringify(value));
      bytes.set(encoded, slot * size);
      Atomics.store(lens, slot, encoded.length);
      Atomics.store(seq, slot, number);
    };
    const read = (vm.runInThisContext(SLOT_READER) as (s: Int32Array, l: Int32Array, b: Uint8Array) => () => unknown[])(seq, lens, bytes);
    write(1, { lockKey: "q:1:lock", token: "aaaa" }, 7);
    expect(read()).toEqual([{ lockKey: "q:1:lock", token: "aaaa" }]);
    // the same number over other bytes: what a torn copy on a weakly ordered CPU would have been
    // kept as; the next tick must read the slot's bytes again, not the copy of the last tick
    write(1, { lockKey: "q:1:lock", token: "bbbb" }, 7);
    expect(read()).toEqual([{ lockKey: "q:1:lock", token: "bbbb" }]);
    Atomics.store(lens, 1, size + 1); // a length past the slot is not read
    expect(read()).toEqual([]);
    write(0, { lockKey: "q:2:lock", token: "cccc" }, 8);
    Atomics.store(seq, 1, 0); // freed
    expect(read()).toEqual([{ lockKey: "q:2:lock", token: "cccc" }]);
  });

  it("a lock whose token changed is not renewed, and a loop blocked longer than maxBlockedMs loses its locks", async () => {
    const keeper = new LockKeeper({ endpoint: parseRedisUrl(redis.url), lockDurationMs: 400, maxBlockedMs: 700 });
    try {
      await keeper.ready;
      const token = await lock("bear:keeper-b", "1", 400);
      keeper.hold("bear:keeper-b", "1", token);
      keeper.hold("bear:keeper-b", "2", "not-the-token");
      await client.set("bear:keeper-b:2:lock", "someone-else", "PX", 400);
      await new Promise((r) => setTimeout(r, 50));
      block(1_600); // a stuck handler: past maxBlockedMs the keeper stops, and the lock expires
      expect(await client.get("bear:keeper-b:1:lock")).toBeNull();
      expect(await client.get("bear:keeper-b:2:lock")).toBeNull();
    } finally {
      await keeper.close();
    }
  });

  it("a step whose handler blocks its worker's event loop 2.5x past the lock keeps its worker: run once, recorded once", async () => {
    const dir = tempDir("bear-stalls-");
    const log = path.join(dir, "exec.log");
    const payloadDir = path.join(dir, "payloads");
    const registry = sleepRegistry(log, "api");
    const node = new ClusterNode({ redisUrl: redis.url, payloadDir, keyCipher, leaseMs: 2_000, scanMs: 200, waitForWorkerMs: 10_000 });
    const engine = await WorkflowEngine.open({ dbPath: path.join(dir, "workflows.db"), sharedDatabase: true, resumeOnOpen: false, registry, executor: node.decorate(new InProcessExecutor(registry)), coordination: node.runs });
    await node.attach(engine);
    // the busy worker: lock 2 s, reports every 200 ms (dead after 1 s of silence), stalled checks every second
    const busy = await startChild("worker-child.ts", [redis.url, payloadDir, log, "busy"]);
    let other: StepWorker | undefined;
    try {
      const handle = engine.start({ name: "busy", steps: [{ id: "s0", type: "test.busy", parameters: { ms: 5_000 } }] });
      await until(() => readLog(log).some((l) => l.key === "s0" && l.what === "start"), 15_000, "the busy worker to start s0");
      // a second worker that would take the step if its lock expired or its worker looked dead
      other = new StepWorker({
        endpoint: node.endpoint,
        executor: new InProcessExecutor(sleepRegistry(log, "other")),
        stepTypes: ["test.sleep", "test.busy"],
        concurrency: 2,
        payloads: node.payloads,
        lockDurationMs: 2_000,
        stalledIntervalMs: 1_000,
        reportMs: 200,
        id: "other",
      });
      await other.start();
      const result = await handle.result;
      expect(result.error).toBeUndefined();
      expect(result.status).toBe("completed");
      expect(result.outputs["s0"]).toEqual({ by: "busy" });
      const s0 = readLog(log).filter((l) => l.key === "s0");
      expect(s0.map((l) => `${l.who} ${l.what}`)).toEqual(["busy start", "busy end"]);
      expect(engine.history(handle.runId).filter((e) => e.type === "step.completed")).toHaveLength(1);
      expect(engine.getRun(handle.runId).steps.find((s) => s.key === "s0")?.attempt).toBe(1);
    } finally {
      await killHard(busy.proc);
      await other?.close({ force: true });
      await engine.dispose({ suspend: true });
      await node.close();
    }
  }, 60_000);
});

describe("a lost job lock", () => {
  // A running step whose job lock is found gone at a renewal (Redis lost the job, or another worker took
  // it) is aborted, since the attempt is sent again elsewhere (ed1880f). BullMQ's renewal said so; the
  // LockKeeper thread's renewals (which keep locks through a blocked event loop) now say so too. Such an
  // abort is no failure of the worker: it is not counted in the history the balancer predicts from.
  it("the keeper's renewal reports a held lock that is another's or gone; not one released, nor one renewed", async () => {
    const lost: string[] = [];
    const keeper = new LockKeeper({ endpoint: parseRedisUrl(redis.url), lockDurationMs: 300, maxBlockedMs: 60_000, onLost: (queueKey, jobId) => lost.push(`${queueKey} ${jobId}`) });
    try {
      await keeper.ready;
      for (const id of ["kept", "taken", "gone", "released"]) {
        await client.set(`bear:lost-q:${id}:lock`, `token-${id}`, "PX", 5_000);
        keeper.hold("bear:lost-q", id, `token-${id}`);
      }
      keeper.release("bear:lost-q", "released");
      await client.set("bear:lost-q:released:lock", "someone-else", "PX", 5_000);
      await new Promise((r) => setTimeout(r, 400)); // a renewal or more: all four ours
      expect(lost).toEqual([]);
      await client.set("bear:lost-q:taken:lock", "another-worker", "PX", 5_000); // another worker took it
      await client.del("bear:lost-q:gone:lock"); // Redis lost it
      await until(() => lost.includes("bear:lost-q taken") && lost.includes("bear:lost-q gone"), 3_000, "both losses to be reported");
      expect(new Set(lost)).toEqual(new Set(["bear:lost-q taken", "bear:lost-q gone"]));
      expect(await client.get("bear:lost-q:kept:lock")).toBe("token-kept");
    } finally {
      await keeper.close();
    }
  });

  it("a handler aborted for its lost lock is no failure of its worker: the history the balancer reads counts only the run that completed", async () => {
    const dir = tempDir("bear-lock-lost-");
    const log = path.join(dir, "exec.log");
    const cluster = await inProcessCluster(redis.url, sleepRegistry(log, "w"), { payloadDir: path.join(dir, "payloads"), concurrency: 1, lockDurationMs: 1_500 });
    try {
      const worker = cluster.workers[0]!;
      const run = cluster.engine.run({ name: "one", steps: [{ id: "s", type: "test.sleep", parameters: { ms: 4_000, label: "s" } }] }, {}, { runId: "lock-lost-1" });
      await until(() => readLog(log).some((l) => l.what === "start"), 10_000, "the step to start");
      // Redis loses the running job's lock (as a FLUSHALL of the key, or another worker's takeover, would)
      // (on whichever queue the balancer sent it to: the worker's direct queue, or the capability queue when busy)
      const locks = await client.keys(`bear:*:${stepJobId("lock-lost-1", "s", 1)}:lock`);
      expect(locks).toHaveLength(1);
      expect(await client.del(locks[0]!)).toBe(1);
      await until(() => worker.report().running === 0, 5_000, "the handler to be aborted");
      expect(readLog(log).map((l) => l.what)).toEqual(["start"]); // aborted: no end
      expect(worker.report()).toMatchObject({ failed: 0, completed: 0 });
      expect(worker.report().history).toEqual({});
      // the attempt runs again (stalled-job recovery) and completes: one sample, a success
      await expect(run).resolves.toMatchObject({ status: "completed", outputs: { s: { label: "s", by: "w" } } });
      await until(() => worker.report().completed === 1, 5_000, "the report to count the completed run");
      expect(worker.report()).toMatchObject({ failed: 0, completed: 1, history: { "test.sleep": { samples: 1, successes: 1 } } });
    } finally {
      await cluster.close();
    }
  }, 60_000);
});
