import { afterAll, beforeAll, describe, expect, it, jest } from "@jest/globals";
import { Redis } from "ioredis";
import { AdaptiveLoadBalancer } from "@bear/agents";
import { WorkerDirectory } from "../src/workers/worker-directory";
import { publishWorkerReport, type WorkerReport } from "../src/workers/worker-presence";
import { startTestRedis, type TestRedis } from "./fixtures/redis-server";

let redis: TestRedis;
let client: Redis;
beforeAll(async () => {
  redis = await startTestRedis();
  client = new Redis({ host: "127.0.0.1", port: redis.port, password: redis.password });
});
afterAll(async () => {
  client.disconnect();
  await redis.kill();
});

/** A report of worker `w` (2 slots) running `jobs`, taken now. */
function report(jobs: readonly string[]): WorkerReport {
  return { id: "w", host: "h", pid: 1, capabilities: ["t"], concurrency: 2, running: jobs.length, runningJobs: jobs, completed: 0, failed: 0, history: {}, startedAt: 0, seenAt: Date.now(), directQueue: "direct.w" };
}

const tick = (): Promise<void> => new Promise((r) => setTimeout(r, 5));

describe("WorkerDirectory's count of a worker's slots", () => {
  it("a job sent just before the worker's report but not yet started there still holds a slot", async () => {
    const directory = new WorkerDirectory(client, { refreshMs: 0 });
    await publishWorkerReport(client, report([]), 60_000);
    const a = await directory.route("t", undefined, "run-a", "a|s|1");
    expect(a.queue).toBe("direct.w");
    await tick();
    // the worker reports after 'a' was sent, before it took 'a' from its queue: nothing running
    await publishWorkerReport(client, report([]), 60_000);
    const b = await directory.route("t", undefined, "run-b", "b|s|1");
    expect(b.queue).toBe("direct.w");
    // both slots are taken ('a' on its way, 'b'): the next step waits in the capability queue
    expect((await directory.route("t", undefined, "run-c", "c|s|1")).queue).toBe("step.t");
    // 'a' runs and finishes; the report still lists it: its slot is free again, 'b' still holds one
    await publishWorkerReport(client, report(["a|s|1"]), 60_000);
    a.release();
    const d = await directory.route("t", undefined, "run-d", "d|s|1");
    expect(d.queue).toBe("direct.w");
    expect((await directory.route("t", undefined, "run-e", "e|s|1")).queue).toBe("step.t");
    // the next report lists what runs now ('b' and 'd'); 'a' is forgotten
    await publishWorkerReport(client, report(["b|s|1", "d|s|1"]), 60_000);
    expect((await directory.route("t", undefined, "run-f", "f|s|1")).queue).toBe("step.t");
    b.release();
    d.release();
    await publishWorkerReport(client, report([]), 60_000);
    expect((await directory.route("t", undefined, "run-g", "g|s|1")).queue).toBe("direct.w");
  });
});

/** A report of worker `v` with a direct queue per slot, `slots` the job running on each (null: idle). */
function slotReport(slots: ReadonlyArray<string | null>): WorkerReport {
  const jobs = slots.filter((j): j is string => j !== null);
  return { ...report(jobs), id: "v", directQueue: "direct.v", directQueues: ["direct.v", "direct.v#1"], slotJobs: slots };
}

describe("WorkerDirectory's choice of a worker's slot (a direct queue per slot)", () => {
  it("sends each step to a slot with nothing running or on its way there, and one freed by a settled job before the report says so", async () => {
    await client.hdel("bear:workers", "w");
    const directory = new WorkerDirectory(client, { refreshMs: 0 });
    await publishWorkerReport(client, slotReport([null, null]), 60_000);
    const a = await directory.route("t", undefined, "run-a", "a|s|1");
    expect(a.queue).toBe("direct.v");
    // 'a' is on its way to slot 0: the next step takes slot 1, the one after waits in the capability queue
    const b = await directory.route("t", undefined, "run-b", "b|s|1");
    expect(b.queue).toBe("direct.v#1");
    expect((await directory.route("t", undefined, "run-c", "c|s|1")).queue).toBe("step.t");
    // both run; 'a' settles before the next report: its slot is free again, 'b''s is not
    await publishWorkerReport(client, slotReport(["a|s|1", "b|s|1"]), 60_000);
    a.release();
    const d = await directory.route("t", undefined, "run-d", "d|s|1");
    expect(d.queue).toBe("direct.v");
    expect((await directory.route("t", undefined, "run-e", "e|s|1")).queue).toBe("step.t");
    b.release();
    d.release();
    // another instance's job runs on slot 0: this instance (which never sent it) sends to slot 1
    await publishWorkerReport(client, slotReport(["x|s|1", null]), 60_000);
    const other = new WorkerDirectory(client, { refreshMs: 0 });
    expect((await other.route("t", undefined, "run-f", "f|s|1")).queue).toBe("direct.v#1");
    expect(await other.serves("direct.v#1")).toBe(true);
    expect(await other.serves("direct.v#2")).toBe(false);
  });
});

describe("WorkerDirectory: a cancelled step's slot", () => {
  it("stays taken while the worker's report lists its job running (the worker may still be aborting it), and is free once it does not", async () => {
    await client.hdel("bear:workers", "w");
    const directory = new WorkerDirectory(client, { refreshMs: 0 });
    await publishWorkerReport(client, slotReport([null, null]), 60_000);
    const a = await directory.route("t", undefined, "run-a", "a|s|1");
    expect(a.queue).toBe("direct.v");
    await publishWorkerReport(client, slotReport(["a|s|1", null]), 60_000);
    a.release(true);
    // slot 0 still runs 'a' (aborting): the next step takes slot 1, the one after the capability queue
    const b = await directory.route("t", undefined, "run-b", "b|s|1");
    expect(b.queue).toBe("direct.v#1");
    expect((await directory.route("t", undefined, "run-c", "c|s|1")).queue).toBe("step.t");
    b.release();
    // the worker has given 'a' up: its slot is free again
    await publishWorkerReport(client, slotReport([null, null]), 60_000);
    expect((await directory.route("t", undefined, "run-d", "d|s|1")).queue).toBe("direct.v");
  });
});

describe("WorkerDirectory with one capable worker", () => {
  it("routes as the balancer's ranking would, without ranking: a free slot while one is free, else the capability queue", async () => {
    await client.hdel("bear:workers", "w", "v");
    const rank = jest.spyOn(AdaptiveLoadBalancer.prototype, "rank");
    try {
      const directory = new WorkerDirectory(client, { refreshMs: 0 });
      await publishWorkerReport(client, slotReport([null, null]), 60_000);
      const a = await directory.route("t", undefined, "run-a", "a|s|1");
      const b = await directory.route("t", undefined, "run-b", "b|s|1");
      expect([a.queue, b.queue]).toEqual(["direct.v", "direct.v#1"]);
      // both slots taken: busy, as the balancer scores a worker running as many jobs as it has slots
      expect((await directory.route("t", undefined, "run-c", "c|s|1")).queue).toBe("step.t");
      a.release();
      await publishWorkerReport(client, slotReport([null, "b|s|1"]), 60_000);
      expect((await directory.route("t", undefined, "run-d", "d|s|1")).queue).toBe("direct.v");
      expect(rank).not.toHaveBeenCalled();
      // a second capable worker: the balancer ranks the two
      await publishWorkerReport(client, { ...slotReport([null, null]), id: "u", directQueue: "direct.u", directQueues: ["direct.u", "direct.u#1"] }, 60_000);
      expect((await directory.route("t", undefined, "run-e", "e|s|1")).queue).toMatch(/^direct\.u/);
      expect(rank).toHaveBeenCalledTimes(1);
    } finally {
      rank.mockRestore();
      await client.hdel("bear:workers", "u", "v");
    }
  });
});
