import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { Job, Queue } from "bullmq";
import { Redis } from "ioredis";
import { InProcessExecutor } from "@bear/workflow-engine";
import { parseRedisUrl, StepWorker } from "../src/index";
import { QueueExecutor } from "../src/queue/queue-executor";
import { directQueueName, QUEUE_PREFIX, stepJobId, stepQueueName } from "../src/queue/step-job";
import { WorkerDirectory } from "../src/workers/worker-directory";
import { until } from "./fixtures/child";
import { cutProxy } from "./fixtures/cut-proxy";
import { recordingLogger } from "./fixtures/recording-logger";
import { startTestRedis, type TestRedis } from "./fixtures/redis-server";
import { completedOnce } from "./fixtures/run-checks";
import { inProcessCluster, tempDir } from "./fixtures/test-cluster";
import { chainWorkflow, readLog, sleepRegistry } from "./fixtures/test-steps";

// "Nothing lost" (issue 22 item 3) where Redis itself loses what it held: a job gone from Redis is
// sent again by its id; a reply that does not parse is checked against the job; and "once": two
// senders of one attempt on two queues run it once.

let redis: TestRedis;
beforeAll(async () => {
  redis = await startTestRedis();
});
afterAll(async () => {
  await redis.kill();
});

const LOST = /Redis lost a step's job/;
const MOVED = /the chosen worker stopped reporting/;

/** Awaits `promise` at most `ms` (a step waiting for ever fails the test instead of hanging it). */
async function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`${what} did not settle within ${ms} ms`)), ms)));
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** A two-step chain whose first step Redis loses while a worker runs it (`lose`); the run must still complete, each step recorded once. */
async function runLosingFirstStep(server: TestRedis, lose: (admin: Redis, jobId: string) => Promise<void>, expected?: readonly RegExp[]): Promise<void> {
  const dir = tempDir("bear-lost-");
  const log = path.join(dir, "exec.log");
  const { logger, lines } = recordingLogger();
  const cluster = await inProcessCluster(server.url, sleepRegistry(log, "w"), { payloadDir: path.join(dir, "payloads"), logger });
  const admin = new Redis({ host: "127.0.0.1", port: server.port, password: server.password, maxRetriesPerRequest: null });
  try {
    // a step longer than the time to find the job lost: the worker running the lost job must abort it
    const handle = cluster.engine.start(chainWorkflow(2, 4_000));
    await until(() => readLog(log).some((l) => l.key === "s0" && l.what === "start"), 10_000, "s0 to start");
    await lose(admin, stepJobId(handle.runId, "s0", 1));
    const result = await within(handle.result, 20_000, "the run");
    expect(result.status).toBe("completed");
    completedOnce(cluster.engine, handle.runId, ["s0", "s1"]);
    // the lost attempt was sent again as itself (attempt 1, not a retry) and ran to its end
    const s0 = readLog(log).filter((l) => l.key === "s0");
    expect(s0.every((l) => l.attempt === 1)).toBe(true);
    // and ran to its end once: the worker that ran the lost job aborted it when its lock renewal found it gone
    expect(s0.filter((l) => l.what === "end")).toHaveLength(1);
    // sent again once, as lost, or (the worker's report lost too) as the job of a worker that stopped reporting
    const resent = lines.filter((l) => (expected ?? [LOST, MOVED]).some((m) => m.test(l.message)));
    expect(resent).toHaveLength(1);
    expect(resent[0]!.fields).toMatchObject({ jobId: stepJobId(handle.runId, "s0", 1) });
    expect(JSON.stringify(lines)).not.toContain("step 0"); // no parameter in a log line
  } finally {
    admin.disconnect();
    await cluster.close();
  }
}

describe("lost jobs and bad replies", () => {
  it("a job Redis loses mid-step (FLUSHALL): found missing at two checks, it is sent again by its id; the step completes, recorded once", async () => {
    await runLosingFirstStep(redis, async (admin) => void (await admin.flushall()));
  }, 40_000);

  it("a job lost with Redis's last writes (a crash under appendfsync everysec; workers' reports kept): sent again by its id after two checks, logged once, recorded once", async () => {
    await runLosingFirstStep(
      redis,
      async (admin, jobId) => {
        const route = `bear:route:${jobId}`;
        const queue = (await admin.get(route))!;
        // the job, its lock, its place in the active list and its route record, as if never written
        await admin.multi().del(`bear:${queue}:${jobId}`, `bear:${queue}:${jobId}:lock`, route).lrem(`bear:${queue}:active`, 0, jobId).exec();
      },
      [LOST],
    );
  }, 40_000);

  it("a Redis without AOF restarting mid-step (every job lost): the step is sent again when Redis is back and the run completes, each step recorded once", async () => {
    const volatile = await startTestRedis({ appendOnly: false });
    try {
      await runLosingFirstStep(volatile, async () => {
        await volatile.stop();
        await new Promise((r) => setTimeout(r, 500));
        await volatile.start();
      });
    } finally {
      await volatile.kill();
    }
  }, 40_000);

  it("a job that is only waiting for a busy worker is never taken for lost (no second job, no warning)", async () => {
    const dir = tempDir("bear-not-lost-");
    const log = path.join(dir, "exec.log");
    const { logger, warnings } = recordingLogger();
    const cluster = await inProcessCluster(redis.url, sleepRegistry(log, "w"), { payloadDir: path.join(dir, "payloads"), concurrency: 1, logger });
    try {
      // one slot: the second step waits in the queue for over two checks
      const steps = [0, 1].map((i) => cluster.node.runStep("test.sleep", { ms: 2_500, label: `s${i}` }, { matter: null }));
      await expect(Promise.all(steps)).resolves.toHaveLength(2);
      expect(readLog(log).filter((l) => l.what === "start")).toHaveLength(2);
      expect(warnings.filter((w) => LOST.test(w.message))).toEqual([]);
    } finally {
      await cluster.close();
    }
  }, 30_000);

  it("a reply on the step's channel that does not parse as a step result is checked against the job: the step gets the job's own result", async () => {
    const dir = tempDir("bear-bad-reply-");
    const log = path.join(dir, "exec.log");
    const cluster = await inProcessCluster(redis.url, sleepRegistry(log, "w"), { payloadDir: path.join(dir, "payloads") });
    const queue = new Queue(stepQueueName("test.sleep"), { connection: { host: "127.0.0.1", port: redis.port, password: redis.password }, prefix: QUEUE_PREFIX });
    try {
      const step = cluster.node.runStep("test.sleep", { ms: 1_000, label: "real" }, { matter: null });
      await until(() => readLog(log).some((l) => l.what === "start"), 10_000, "the step to start");
      const { run, key, attempt } = readLog(log)[0]!;
      const jobId = stepJobId(run, key, attempt);
      // the job went to the worker's direct queue or to the capability queue: its data names the reply channel
      const queueName = await cluster.node.redis.get(`bear:route:${jobId}`);
      const holder = queueName === queue.name ? queue : new Queue(queueName!, { connection: { host: "127.0.0.1", port: redis.port, password: redis.password }, prefix: QUEUE_PREFIX });
      try {
        const job = await Job.fromId(holder, jobId);
        const reply = (job!.data as { reply: string }).reply;
        for (const forged of [{ jobId, result: { output: "not a payload reference" } }, { jobId, result: null }]) {
          expect(await cluster.node.redis.publish(`bear:step-reply:${reply}`, JSON.stringify(forged))).toBe(1);
        }
      } finally {
        if (holder !== queue) await holder.close();
      }
      await expect(within(step, 10_000, "the step")).resolves.toMatchObject({ label: "real", by: "w" });
    } finally {
      await queue.close();
      await cluster.close();
    }
  }, 30_000);

  it("two instances sending one attempt to two queues (one stalled past its lease, its run taken over): the job is added only on the recorded queue and runs once; both get its result", async () => {
    const dir = tempDir("bear-race-");
    const log = path.join(dir, "exec.log");
    const { logger, lines } = recordingLogger();
    // instance B (the one that took the run over), and the worker B's job goes to
    const cluster = await inProcessCluster(redis.url, sleepRegistry(log, "engine"), { payloadDir: path.join(dir, "payloads"), workers: 0 });
    const sleeper = async (who: string): Promise<StepWorker> => {
      const w = new StepWorker({ endpoint: cluster.node.endpoint, executor: new InProcessExecutor(sleepRegistry(log, who)), stepTypes: ["test.sleep"], concurrency: 1, payloads: cluster.node.payloads, id: who, reportMs: 200, logger });
      await w.start();
      return w;
    };
    const workers = [await sleeper("w1")];
    const task = { runId: "race-1", stepId: "s", type: "test.sleep", parameters: { ms: 2_500, label: "s" }, attempt: 1 };
    const jobId = stepJobId(task.runId, "s", 1);
    const options = { signal: new AbortController().signal, onProgress: () => undefined };
    // instance A, which started the run and stalled: it believes nobody else sent the attempt (record
    // and job in one round trip), and stalls again right after that round trip (its connection to
    // Redis holds what it sends next for 1.5 s), so its own job is on a worker's queue meanwhile
    const proxy = await cutProxy(redis.port, `bear:route:${jobId}`, { pauseMs: 1_500 });
    const plain = new Redis(redis.url);
    const subscriber = new Redis(redis.url);
    const directory = new WorkerDirectory(plain, { refreshMs: 100 });
    const stalled = new QueueExecutor({ endpoint: parseRedisUrl(`redis://:${redis.password}@127.0.0.1:${proxy.port}`), local: undefined as never, payloads: cluster.node.payloads, redis: plain, subscriber, workers: directory, startedHere: () => true, logger });
    try {
      const fromB = cluster.node.decorate(undefined as never).execute(task, options);
      await until(() => readLog(log).some((l) => l.run === task.runId && l.who === "w1" && l.what === "start"), 10_000, "w1 to start the attempt B sent");
      expect(await plain.get(`bear:route:${jobId}`)).toBe(directQueueName("w1"));
      workers.push(await sleeper("w2"));
      // A's balancer sees w1 busy and w2 free: A sends the attempt to w2's queue
      await until(async () => (await directory.rank("test.sleep")).some((r) => r.agentId === "w2" && r.available) && !(await directory.rank("test.sleep")).some((r) => r.agentId === "w1" && r.available), 5_000, "A to see w1 busy and w2 free");
      const fromA = stalled.execute(task, options);
      await proxy.cut;
      await expect(within(Promise.all([fromA, fromB]), 15_000, "both senders")).resolves.toEqual([
        { label: "s", by: "w1" },
        { label: "s", by: "w1" },
      ]);
      // A's send added nothing to w2's queue (the record names w1's: one script records and adds only
      // there), so w2 had nothing to take, nor to refuse; A joined the job on w1's queue
      expect(readLog(log).filter((l) => l.run === task.runId && l.what === "start").map((l) => l.who)).toEqual(["w1"]);
      const w2Queue = new Queue(directQueueName("w2"), { connection: { host: "127.0.0.1", port: redis.port, password: redis.password }, prefix: QUEUE_PREFIX });
      expect(await w2Queue.getJob(jobId).finally(() => w2Queue.close())).toBeUndefined();
      expect(lines.filter((l) => /recorded on another queue/.test(l.message))).toEqual([]);
      expect(lines.filter((l) => /sent by another instance first/.test(l.message)).map((l) => l.fields)).toEqual([{ jobId, queue: directQueueName("w1") }]);
    } finally {
      await stalled.close();
      plain.disconnect();
      subscriber.disconnect();
      await proxy.close();
      await Promise.all(workers.map((w) => w.close({ force: true })));
      await cluster.close();
    }
  }, 40_000);
});
