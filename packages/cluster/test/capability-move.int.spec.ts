import path from "node:path";
import { afterAll, beforeAll, expect, it } from "@jest/globals";
import { Queue, Worker } from "bullmq";
import { Redis } from "ioredis";
import { InProcessExecutor } from "@bear/workflow-engine";
import { parseRedisUrl, StepWorker } from "../src/index";
import { QueueExecutor } from "../src/queue/queue-executor";
import { addRouted, moveRoute } from "../src/queue/routed-jobs";
import { directQueueName, QUEUE_PREFIX } from "../src/queue/step-job";
import type { WorkerDirectory } from "../src/workers/worker-directory";
import { until } from "./fixtures/child";
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
  // first act of the move: its read of the job's state (before the one script that takes the job off
  // the direct queue and moves its record; the lock check or the route's SET of the older orders)
  let started: Promise<void> | undefined;
  const wakeLateWorker = (): Promise<void> =>
    (started ??= (async () => {
      late = new StepWorker({ endpoint: cluster.node.endpoint, executor: new InProcessExecutor(sleepRegistry(log, "late")), stepTypes: ["test.sleep"], concurrency: 1, payloads: cluster.node.payloads, id: "late", reportMs: 200 });
      await late.start();
      await until(() => readLog(log).some((l) => l.what === "start"), 1_500, "the late worker to start the job").catch(() => undefined);
    })());
  const redisSeen = new Proxy(plain, {
    get(target, prop) {
      if (prop === "pipeline") {
        return () => {
          const pipeline = target.pipeline();
          const exec = pipeline.exec.bind(pipeline);
          return Object.assign(pipeline, { exec: async () => (await wakeLateWorker(), exec()) });
        };
      }
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
// queue; a job that waits behind another on a slot): one script removes the job and moves its route
// record, so a late sender following the old record cannot add it back there; a job a worker holds is
// kept with its record, and a call that cannot reach Redis fails (the executor logs it and keeps the job).
it("moveRoute removes a waiting job and moves its record in one step; keeps one a worker holds, and one finished, with its record; fails without Redis", async () => {
  const connection = { host: "127.0.0.1", port: redis.port, password: redis.password };
  const queue = new Queue("direct.test-remove", { connection, prefix: QUEUE_PREFIX });
  const plain = new Redis(redis.url);
  const options = (jobId: string) => ({ jobId, attempts: 1 });
  let release: () => void = () => undefined;
  const held = new Promise<void>((resolve) => (release = resolve));
  let worker: Worker | undefined;
  try {
    const client = await queue.getBackend().client;
    await addRouted(client, queue, "x", {}, options("waiting|s|1"), 60, false);
    expect(await plain.get("bear:route:waiting|s|1")).toBe("direct.test-remove");
    expect(await moveRoute(client, queue, "waiting|s|1", "step.test", 60)).toBe(true);
    expect(await queue.getJob("waiting|s|1")).toBeUndefined();
    expect(await plain.get("bear:route:waiting|s|1")).toBe("step.test");
    // a late sender following the old record adds nothing there: it is told where the attempt is
    await expect(addRouted(client, queue, "x", {}, options("waiting|s|1"), 60, false)).resolves.toEqual({ added: false, recorded: "step.test" });
    expect(await queue.getJob("waiting|s|1")).toBeUndefined();

    await addRouted(client, queue, "x", {}, options("held|s|1"), 60, false);
    worker = new Worker("direct.test-remove", () => held, { connection, prefix: QUEUE_PREFIX, lockDuration: 10_000 });
    await until(async () => (await queue.getJob("held|s|1"))?.processedOn !== undefined, 10_000, "the worker to take the job");
    expect(await moveRoute(client, queue, "held|s|1", "step.test", 60)).toBe(false);
    expect(await (await queue.getJob("held|s|1"))!.getState()).toBe("active");
    expect(await plain.get("bear:route:held|s|1")).toBe("direct.test-remove");
    release();
    await until(async () => (await (await queue.getJob("held|s|1"))!.getState()) === "completed", 10_000, "the held job to complete");
    // a finished job stays: moved, it would run again on the new queue (it finished after its sender read its state)
    expect(await moveRoute(client, queue, "held|s|1", "step.test", 60)).toBe(false);
    expect(await (await queue.getJob("held|s|1"))!.getState()).toBe("completed");
    expect(await plain.get("bear:route:held|s|1")).toBe("direct.test-remove");
    // a queue whose connection is gone: the call fails (the job is kept)
    await queue.close();
    await expect(moveRoute(client, queue, "held|s|1", "step.test", 60)).rejects.toThrow(/closed/i);
  } finally {
    release();
    await worker?.close();
    await queue.close();
    plain.disconnect();
  }
}, 30_000);
