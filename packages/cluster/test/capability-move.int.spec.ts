import path from "node:path";
import { afterAll, beforeAll, expect, it } from "@jest/globals";
import { Queue, Worker } from "bullmq";
import { Redis } from "ioredis";
import { InProcessExecutor } from "@bear/workflow-engine";
import { parseRedisUrl, StepWorker } from "../src/index";
import { QueueExecutor } from "../src/queue/queue-executor";
import { removeOrKeep } from "../src/queue/remove-or-keep";
import { directQueueName, QUEUE_PREFIX } from "../src/queue/step-job";
import type { WorkerDirectory } from "../src/workers/worker-directory";
import { until } from "./fixtures/child";
import { recordingLogger } from "./fixtures/recording-logger";
import { startTestRedis, type TestRedis } from "./fixtures/redis-server";
import { inProcessCluster, tempDir } from "./fixtures/test-cluster";
import { readLog, sleepRegistry } from "./fixtures/test-steps";

// A directed job whose worker stopped reporting moves to the capability queue; its worker may still
// take it at that moment. It is taken off the direct queue first (refused while a worker holds it),
// so the attempt never runs on both queues.

let redis: TestRedis;
beforeAll(async () => {
  redis = await startTestRedis();
});
afterAll(async () => {
  await redis.kill();
});

it("a direct worker taking its job while the job moves to the capability queue: the attempt runs once", async () => {
  const dir = tempDir("bear-move-");
  const log = path.join(dir, "exec.log");
  const cluster = await inProcessCluster(redis.url, sleepRegistry(log, "engine"), { payloadDir: path.join(dir, "payloads"), workers: 0 });
  const plain = new Redis(redis.url);
  const subscriber = new Redis(redis.url);
  let late: StepWorker | undefined;
  // the late worker starts (and takes its direct queue's job, if it is still there) at the executor's
  // first act of the move: the lock check of the old order, or the route's SET of the new one
  let started: Promise<void> | undefined;
  const wakeLateWorker = (): Promise<void> =>
    (started ??= (async () => {
      late = new StepWorker({ endpoint: cluster.node.endpoint, executor: new InProcessExecutor(sleepRegistry(log, "late")), stepTypes: ["test.sleep"], concurrency: 1, payloads: cluster.node.payloads, id: "late", reportMs: 200 });
      await late.start();
      await until(() => readLog(log).some((l) => l.what === "start"), 1_500, "the late worker to start the job").catch(() => undefined);
    })());
  const redisSeen = new Proxy(plain, {
    get(target, prop) {
      if (prop === "exists") return async (...args: [string]) => Promise.all([target.exists(...args), wakeLateWorker()]).then(([n]) => n);
      if (prop === "set") return async (...args: Parameters<Redis["set"]>) => wakeLateWorker().then(() => target.set(...args));
      const value: unknown = Reflect.get(target, prop);
      return typeof value === "function" ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  });
  // the balancer chose worker 'late', which has stopped reporting
  const workers = { route: async () => ({ queue: directQueueName("late"), release: () => undefined }), serves: async () => false } as unknown as WorkerDirectory;
  const executor = new QueueExecutor({ endpoint: parseRedisUrl(redis.url), local: undefined as never, payloads: cluster.node.payloads, redis: redisSeen, subscriber, workers, workerCheckMs: 200 });
  try {
    const task = { runId: "move-1", stepId: "s", type: "test.sleep", parameters: { ms: 1_000, label: "s" }, attempt: 1 };
    await expect(executor.execute(task, { signal: new AbortController().signal, onProgress: () => undefined })).resolves.toEqual({ label: "s", by: "late" });
    await new Promise((r) => setTimeout(r, 1_500)); // a second copy would have started and ended by now
    expect(readLog(log).filter((l) => l.what === "start")).toHaveLength(1);
  } finally {
    await executor.close();
    await late?.close({ force: true });
    plain.disconnect();
    subscriber.disconnect();
    await cluster.close();
  }
}, 30_000);

// The one way QueueExecutor takes a job back (a dead worker's direct job moving to the capability
// queue; a takeover's second copy of an attempt): a job a worker holds is kept, and so is one when
// Redis does not answer; neither is swallowed (before, #send ignored both: `.catch(() => undefined)`).
it("removes a waiting job; keeps one a worker holds, and one it cannot reach Redis for, saying so", async () => {
  const connection = { host: "127.0.0.1", port: redis.port, password: redis.password };
  const queue = new Queue("step.test.remove", { connection, prefix: QUEUE_PREFIX });
  const { logger, lines, warnings } = recordingLogger();
  let release: () => void = () => undefined;
  const held = new Promise<void>((resolve) => (release = resolve));
  let worker: Worker | undefined;
  try {
    await queue.add("x", {}, { jobId: "waiting|s|1" });
    expect(await removeOrKeep(queue, "waiting|s|1", logger, "test")).toBe(true);
    expect(await queue.getJob("waiting|s|1")).toBeUndefined();
    expect(lines).toEqual([]);

    await queue.add("x", {}, { jobId: "held|s|1" });
    worker = new Worker("step.test.remove", () => held, { connection, prefix: QUEUE_PREFIX, lockDuration: 10_000 });
    await until(async () => (await queue.getJob("held|s|1"))?.processedOn !== undefined, 10_000, "the worker to take the job");
    expect(await removeOrKeep(queue, "held|s|1", logger, "its worker stopped reporting")).toBe(false);
    expect(await (await queue.getJob("held|s|1"))!.getState()).toBe("active");
    expect(lines).toEqual([expect.objectContaining({ level: "info", fields: { jobId: "held|s|1", queue: "step.test.remove" }, message: expect.stringContaining("not removed (its worker stopped reporting)") })]);
    release();
    await until(async () => (await (await queue.getJob("held|s|1"))!.getState()) === "completed", 10_000, "the held job to complete");
  } finally {
    release();
    await worker?.close();
    await queue.close();
  }
  // a queue whose connection is gone: the call fails, the job is kept (false), a warning says why
  expect(await removeOrKeep(queue, "held|s|1", logger, "test")).toBe(false);
  expect(warnings).toEqual([expect.objectContaining({ fields: expect.objectContaining({ jobId: "held|s|1", reason: expect.stringMatching(/closed/i) }), message: expect.stringContaining("could not remove a step job (test)") })]);
}, 30_000);
