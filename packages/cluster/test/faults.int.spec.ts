import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { Redis } from "ioredis";
import { InProcessExecutor, WorkflowEngine } from "@bear/workflow-engine";
import { checkRedis, ClusterError, ClusterNode, parseRedisUrl, StepWorker, type FilePayloads } from "../src/index";
import { killHard, startChild, until } from "./fixtures/child";
import { cutProxy } from "./fixtures/cut-proxy";
import { contentCipherFromKey as keyCipher } from "@bear/security";
import { startTestRedis, freePort, type TestRedis } from "./fixtures/redis-server";
import { tempDir } from "./fixtures/test-cluster";
import { completedOnce } from "./fixtures/run-checks";
import { chainWorkflow, readLog, sleepRegistry } from "./fixtures/test-steps";

let redis: TestRedis;
beforeAll(async () => {
  redis = await startTestRedis();
});
afterAll(async () => {
  await redis.kill();
});

/** An API instance in this process: engine on the shared database, in the cluster. */
async function instance(dbPath: string, payloadDir: string, log: string, who: string) {
  const registry = sleepRegistry(log, who);
  const node = new ClusterNode({ redisUrl: redis.url, payloadDir, keyCipher, leaseMs: 2_000, scanMs: 200, waitForWorkerMs: 10_000, instanceId: who });
  const engine = await WorkflowEngine.open({ dbPath, sharedDatabase: true, resumeOnOpen: false, registry, executor: node.decorate(new InProcessExecutor(registry)), coordination: node.runs });
  await node.attach(engine);
  return { node, engine, registry, close: async () => (await engine.dispose({ suspend: true }), await node.close()) };
}

async function worker(payloadDir: string, log: string, who: string, node: ClusterNode) {
  const w = new StepWorker({
    endpoint: node.endpoint,
    executor: new InProcessExecutor(sleepRegistry(log, who)),
    stepTypes: ["test.sleep"],
    concurrency: 4,
    payloads: node.payloads,
    lockDurationMs: 2_000,
    stalledIntervalMs: 1_000,
    reportMs: 200,
    id: who,
  });
  await w.start();
  return w;
}

describe("faults", () => {
  it("kill -9 of the worker a step was directed to: the step moves to a live worker as the same attempt and is recorded once", async () => {
    const dir = tempDir("bear-faults-");
    const log = path.join(dir, "exec.log");
    const payloadDir = path.join(dir, "payloads");
    const api = await instance(path.join(dir, "workflows.db"), payloadDir, log, "api");
    const doomed = await startChild("worker-child.ts", [redis.url, payloadDir, log, "doomed"]);
    let survivor: StepWorker | undefined;
    try {
      const handle = api.engine.start(chainWorkflow(2, 1_500));
      await until(() => readLog(log).some((l) => l.key === "s0" && l.who === "doomed" && l.what === "start"), 15_000, "the doomed worker to start s0");
      await killHard(doomed.proc);
      survivor = await worker(payloadDir, log, "survivor", api.node);
      const result = await handle.result;
      expect(result.status).toBe("completed");
      completedOnce(api.engine, handle.runId, ["s0", "s1"]);
      const s0 = readLog(log).filter((l) => l.key === "s0");
      expect(s0.filter((l) => l.what === "end").map((l) => l.who)).toEqual(["survivor"]);
      expect(s0.filter((l) => l.what === "start").map((l) => l.who)).toEqual(["doomed", "survivor"]);
      expect(api.engine.getRun(handle.runId).steps.find((s) => s.key === "s0")?.attempt).toBe(1);
    } finally {
      await killHard(doomed.proc);
      await survivor?.close({ force: true });
      await api.close();
    }
  }, 60_000);

  it("kill -9 of an API instance mid-run: another instance resumes it, each step runs and is recorded once", async () => {
    const dir = tempDir("bear-faults-");
    const log = path.join(dir, "exec.log");
    const payloadDir = path.join(dir, "payloads");
    const dbPath = path.join(dir, "workflows.db");
    const doomed = await startChild("instance-child.ts", [redis.url, dbPath, payloadDir, log, "doomed-api", "5", "600"]);
    const runId = doomed.lines.find((l) => l.startsWith("run "))!.slice(4);
    const api = await instance(dbPath, payloadDir, log, "api-2");
    const w = await worker(payloadDir, log, "worker", api.node);
    try {
      await until(() => readLog(log).some((l) => l.key === "s1" && l.what === "start"), 20_000, "s1 to start");
      await killHard(doomed.proc);
      await until(() => api.engine.getRun(runId).status === "completed", 30_000, "the other instance to finish the run");
      expect(api.node.runs.takenOver).toContain(runId);
      const keys = ["s0", "s1", "s2", "s3", "s4"];
      completedOnce(api.engine, runId, keys);
      // the step in flight when the instance died was joined, not run again
      for (const key of keys) expect(readLog(log).filter((l) => l.key === key && l.what === "start")).toHaveLength(1);
      // the run's payload files, those the dead instance wrote included, are removed at its end
      const left = (): string[] => (fs.readdirSync(payloadDir, { recursive: true }) as string[]).filter((f) => f.includes(`${runId}+`));
      await until(() => left().length === 0, 5_000, "the resumed run's payload files to be removed");
    } finally {
      await killHard(doomed.proc);
      await w.close({ force: true });
      await api.close();
    }
  }, 60_000);

  // The record of the attempt's queue and the job's add are one script (routed-jobs.ts): an instance
  // killed at any point leaves both or neither, never the job without its record (the resumed run
  // would send the attempt a second time) nor the job on a queue its record does not name. (Before,
  // the record went first in the same write: killed between the two, the record alone.)
  it.each([
    ["cut at the first command naming the attempt", "|s0|1", true],
    ["cut at the first command holding the job's data", '"key":"s0"', true],
  ])("an API instance killed right after sending a step (%s): the instance that resumes the run sends or joins the attempt on the recorded queue, once", async (_case, marker, jobSent) => {
    const dir = tempDir("bear-faults-");
    const log = path.join(dir, "exec.log");
    const payloadDir = path.join(dir, "payloads");
    const dbPath = path.join(dir, "workflows.db");
    const api = await instance(dbPath, payloadDir, log, "api-2");
    const workers = [await worker(payloadDir, log, "w0", api.node), await worker(payloadDir, log, "w1", api.node)];
    // the doomed instance talks to Redis through a proxy that goes silent once the command holding
    // the marker has been passed on (the route record names the job id run|s0|1; the add's job data
    // holds "key":"s0"): the instance "dies" the instant that command left it
    const proxy = await cutProxy(redis.port, marker);
    const doomed = await startChild("instance-child.ts", [`redis://:${redis.password}@127.0.0.1:${proxy.port}`, dbPath, payloadDir, log, "doomed-api", "2", "300"]);
    const runId = doomed.lines.find((l) => l.startsWith("run "))!.slice(4);
    try {
      await proxy.cut;
      await killHard(doomed.proc);
      const jobId = `${runId}|s0|1`;
      const client = new Redis({ host: "127.0.0.1", port: redis.port, password: redis.password });
      try {
        const queues = (await client.keys(`bear:*:${jobId}`)).map((k) => k.slice("bear:".length, -(jobId.length + 1))).filter((q) => q !== "route");
        const recorded = await client.get(`bear:route:${jobId}`);
        expect(recorded).toMatch(/^(direct|step)\./);
        expect(queues).toEqual(jobSent ? [recorded] : []);
      } finally {
        client.disconnect();
      }
      await until(() => api.engine.getRun(runId).status === "completed", 30_000, "the other instance to resume and finish the run");
      expect(api.node.runs.takenOver).toContain(runId);
      completedOnce(api.engine, runId, ["s0", "s1"]);
      for (const key of ["s0", "s1"]) expect(readLog(log).filter((l) => l.run === runId && l.key === key && l.what === "start")).toHaveLength(1);
    } finally {
      await killHard(doomed.proc);
      await proxy.close();
      await Promise.all(workers.map((w) => w.close({ force: true })));
      await api.close();
    }
  }, 60_000);

  it("Redis restarting mid-run: clients reconnect and the run completes with nothing lost", async () => {
    const dir = tempDir("bear-faults-");
    const log = path.join(dir, "exec.log");
    const payloadDir = path.join(dir, "payloads");
    const api = await instance(path.join(dir, "workflows.db"), payloadDir, log, "api");
    const w = await worker(payloadDir, log, "worker", api.node);
    try {
      const handle = api.engine.start(chainWorkflow(4, 400));
      await until(() => readLog(log).some((l) => l.key === "s1" && l.what === "start"), 15_000, "s1 to start");
      await redis.stop();
      await new Promise((r) => setTimeout(r, 1_000));
      await redis.start();
      const result = await handle.result;
      expect(result.status).toBe("completed");
      completedOnce(api.engine, handle.runId, ["s0", "s1", "s2", "s3"]);
    } finally {
      await w.close({ force: true });
      await api.close();
    }
  }, 60_000);

  it("close() with Redis gone silent still ends within its bound, disconnects and zeroises the payload key", async () => {
    const dir = tempDir("bear-close-");
    // silent from the run's first lease on: releasing it at close would wait for ever
    const proxy = await cutProxy(redis.port, "bear:run-owner:");
    const registry = sleepRegistry(path.join(dir, "exec.log"), "api");
    const node = new ClusterNode({ redisUrl: `redis://:${redis.password}@127.0.0.1:${proxy.port}`, payloadDir: path.join(dir, "payloads"), keyCipher, leaseMs: 2_000, scanMs: 100, waitForWorkerMs: 60_000 });
    const engine = await WorkflowEngine.open({ dbPath: path.join(dir, "workflows.db"), sharedDatabase: true, resumeOnOpen: false, registry, executor: node.decorate(new InProcessExecutor(registry)), coordination: node.runs });
    try {
      await node.attach(engine);
      const payloads = node.payloads as FilePayloads;
      expect(payloads.jobSeal).toBeDefined(); // the payload key is in memory
      const handle = engine.start(chainWorkflow(1, 100));
      handle.result.catch(() => undefined);
      await proxy.cut;
      const started = Date.now();
      await node.close({ release: true, timeoutMs: 500 });
      expect(Date.now() - started).toBeLessThan(3_000);
      expect(() => payloads.jobSeal).toThrow(expect.objectContaining({ code: "DISPOSED" }));
      await until(() => node.redis.status === "end" && node.subscriber.status === "end", 3_000, "the clients to disconnect");
    } finally {
      await engine.dispose({ suspend: true });
      await proxy.close();
    }
  }, 20_000);

  it("close() whose leaving fails fast (a NOAUTH from Redis) still drops the queues' connections; a bad timeoutMs is refused", async () => {
    const dir = tempDir("bear-close-fails-");
    const admin = new Redis(redis.url);
    const clients = async () => ((await admin.client("LIST")) as string).trim().split("\n").length;
    const before = await clients();
    const registry = sleepRegistry(path.join(dir, "exec.log"), "api");
    const node = new ClusterNode({ redisUrl: redis.url, payloadDir: path.join(dir, "payloads"), keyCipher, leaseMs: 2_000, scanMs: 100, waitForWorkerMs: 60_000 });
    const engine = await WorkflowEngine.open({ dbPath: path.join(dir, "workflows.db"), sharedDatabase: true, resumeOnOpen: false, registry, executor: node.decorate(new InProcessExecutor(registry)), coordination: node.runs });
    // the stubbed leave below never stops the runs' lease timer: the real close does, after the test
    let cleanUp: (() => Promise<void>) | undefined;
    try {
      await node.attach(engine);
      // a step run through a worker: the queue executor now holds its queue's BullMQ connections
      const w = await worker(path.join(dir, "payloads"), path.join(dir, "exec.log"), "w", node);
      await expect(engine.start(chainWorkflow(1, 50)).result).resolves.toMatchObject({ status: "completed" });
      await w.close({ force: true });
      expect(await clients()).toBeGreaterThan(before + 2);
      await expect(node.close({ timeoutMs: Number.NaN })).rejects.toMatchObject({ code: "CLUSTER_OPTION_INVALID" });
      await expect(node.close({ timeoutMs: -1 })).rejects.toMatchObject({ code: "CLUSTER_OPTION_INVALID" });
      // setTimeout fires at once above 2^31-1 ms
      await expect(node.close({ timeoutMs: 3e9 })).rejects.toMatchObject({ code: "CLUSTER_OPTION_INVALID" });
      // leaving is refused at once, as a Redis that lost our credentials would refuse it
      const closeRuns = node.runs.close.bind(node.runs);
      Object.assign(node.runs, { close: () => Promise.reject(new Error("NOAUTH Authentication required.")) });
      cleanUp = closeRuns;
      const started = Date.now();
      await expect(node.close({ release: true, timeoutMs: 30_000 })).rejects.toThrow(/NOAUTH/);
      expect(Date.now() - started).toBeLessThan(3_000);
      // every connection of the node, the queues' included, is gone well before the 30 s bound
      await until(async () => (await clients()) === before, 5_000, "all the node's connections to close");
    } finally {
      await cleanUp?.();
      await engine.dispose({ suspend: true });
      admin.disconnect();
    }
  }, 30_000);

  it("an unreachable Redis or a wrong password is a clear error; a remote Redis without a password is refused", async () => {
    const port = await freePort();
    await expect(checkRedis(parseRedisUrl(`redis://:pw@127.0.0.1:${port}`), 1_000)).rejects.toThrow(new RegExp(`Redis at redis://127.0.0.1:${port}/0 is unreachable \\(ECONNREFUSED\\)`));
    await expect(checkRedis(parseRedisUrl(`redis://:wrong@127.0.0.1:${redis.port}`), 1_000)).rejects.toThrow(/refused the credentials/);
    expect(() => parseRedisUrl("redis://10.0.0.5:6379")).toThrow(ClusterError);
    expect(() => parseRedisUrl("redis://10.0.0.5:6379")).toThrow(/'redis:\/\/10.0.0.5:6379' has no password: a password is required$/);
    expect(() => parseRedisUrl("redis://:pw@8.8.8.8:6379")).toThrow(/neither loopback nor a private address/);
    expect(parseRedisUrl("redis://:pw@10.0.0.5:6379").display).toBe("redis://10.0.0.5:6379/0");
    await expect(checkRedis(parseRedisUrl(redis.url))).resolves.toMatchObject({ appendOnly: true });
  });
});
