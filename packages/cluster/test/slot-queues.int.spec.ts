import { afterAll, beforeAll, expect, it } from "@jest/globals";
import { Redis } from "ioredis";
import { InProcessExecutor, type StepHandler } from "@bear/workflow-engine";
import { ClusterNode, covers, liveWorkers, parseRedisUrl, StepWorker, stepQueueName } from "../src/index";
import { QueueExecutor } from "../src/queue/queue-executor";
import { WorkerDirectory, type StepRoute } from "../src/workers/worker-directory";
import { contentCipherFromKey as keyCipher } from "@bear/security";
import { until } from "./fixtures/child";
import { startTestRedis, type TestRedis } from "./fixtures/redis-server";
import { tempDir, testRegistry } from "./fixtures/test-cluster";

// The balancer sends a step to a slot of a worker it believes free, from its own view: the worker's
// last report and the jobs this instance sent. Another instance's job, or this instance's aborted
// attempt the worker still runs, is not in that view: a step sent to such a slot must not wait
// behind the job there (it goes where a worker is free at once).

let redis: TestRedis;
beforeAll(async () => {
  redis = await startTestRedis();
});
afterAll(async () => {
  await redis.kill();
});

/** `test.nap`: sleeps `ms`, honouring its signal only when `stubborn` is false (a handler slow to notice a cancel). */
const nap: StepHandler<{ ms: number; stubborn?: boolean }> = {
  type: "test.nap",
  execute: async (ctx) => {
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(resolve, ctx.parameters.ms);
      if (ctx.parameters.stubborn !== true) ctx.signal.addEventListener("abort", () => (clearTimeout(timer), reject(new Error("aborted"))));
    });
    return { slept: ctx.parameters.ms };
  },
};
const registry = testRegistry([nap as StepHandler<never>]);
const noProgress = (): void => undefined;

/** A worker with two slots that reports only as it starts (so every sender's view of it stays that report). */
async function startWorker(node: ClusterNode, id: string, reportMs = 60_000): Promise<StepWorker> {
  const worker = new StepWorker({ endpoint: node.endpoint, executor: new InProcessExecutor(registry), stepTypes: registry.types(), concurrency: 2, payloads: node.payloads, lockDurationMs: 2_000, stalledIntervalMs: 1_000, reportMs, id });
  await worker.start();
  return worker;
}

/**
 * An API instance's executor (its own balancer view and reply channel) over `node`'s connections;
 * `startedHere` as for a run started there; `refreshMs`: how long its view of the workers' reports lasts;
 * `workers`: another balancer view (a previous release's routing).
 */
function instance(node: ClusterNode, startedHere: boolean, refreshMs = 60_000, workers = new WorkerDirectory(node.redis, { refreshMs })): { executor: QueueExecutor; close: () => Promise<void> } {
  const subscriber = new Redis({ host: "127.0.0.1", port: redis.port, password: redis.password });
  const executor = new QueueExecutor({
    endpoint: parseRedisUrl(redis.url),
    local: undefined as never,
    payloads: node.payloads,
    redis: node.redis,
    subscriber,
    workers,
    startedHere: () => startedHere,
  });
  return {
    executor,
    close: async () => {
      await executor.close();
      subscriber.disconnect();
    },
  };
}

it("a worker with several slots names no single direct queue, so an API instance that reads only that one uses the capability queues", async () => {
  // An API instance of the release before slot queues sends every step for a worker with a free slot to
  // `report.directQueue`; with slot 0's queue named there (read one job at a time) its second step waited for the
  // first (review rev-a: two 1 s steps took 1,100 and 2,108 ms). A one-slot worker still names its queue.
  const shared = node();
  const [two, one] = [await startWorker(shared, "slots-2"), new StepWorker({ endpoint: shared.endpoint, executor: new InProcessExecutor(registry), stepTypes: registry.types(), concurrency: 1, payloads: shared.payloads, reportMs: 60_000, id: "slots-1" })];
  await one.start();
  try {
    expect(two.report().directQueues).toHaveLength(2);
    expect(two.report().directQueue).toBeUndefined();
    expect(one.report()).toMatchObject({ directQueue: one.report().directQueues?.[0], directQueues: [expect.any(String)] });
    // a sender of this release still finds both (serves() reads directQueues)
    const directory = new WorkerDirectory(shared.redis, { refreshMs: 0 });
    for (const queue of [...two.report().directQueues!, ...one.report().directQueues!]) expect(await directory.serves(queue)).toBe(true);
  } finally {
    await Promise.all([two.close(), one.close()]);
    await shared.close();
  }
});

/**
 * How an API instance of the release before slot queues (a284b24) routes a step: to the `directQueue` of a live
 * capable worker whose slots are not all taken (its report's running count plus the steps it sent there and that
 * have not settled), with no count of the queue's jobs behind the add; else to the capability queue. It knows no
 * `directQueues` (nor `slotJobs`).
 */
class PreviousReleaseDirectory {
  readonly #inFlight = new Map<string, number>();
  constructor(private readonly redis: Redis) {}
  async route(capability: string): Promise<StepRoute> {
    const reports = await liveWorkers(this.redis);
    const free = reports.find((r) => covers(r.capabilities, capability) && r.directQueue !== undefined && r.running + (this.#inFlight.get(r.id) ?? 0) < r.concurrency);
    if (free?.directQueue === undefined) return { queue: stepQueueName(capability), release: () => undefined };
    this.#inFlight.set(free.id, (this.#inFlight.get(free.id) ?? 0) + 1);
    let released = false;
    const release = (): void => {
      if (!released) this.#inFlight.set(free.id, (this.#inFlight.get(free.id) ?? 1) - 1);
      released = true;
    };
    return { queue: free.directQueue, release };
  }
  async serves(queue: string): Promise<boolean> {
    return (await liveWorkers(this.redis)).some((r) => r.directQueue === queue);
  }
}

it("in a rolling upgrade, two steps an API instance of the previous release sends at once to a worker with two slots run side by side", async () => {
  // Workers are upgraded first (the version hint tells users so): an older sender then reads only `directQueue`.
  // A two-slot worker that named slot 0's queue there (909caa5) had both steps queued on it, read one job at a
  // time: the second 2 s step ended after ~4 s (review rev-a's probe, 1 s steps: 1,100 and 2,108 ms).
  const shared = node();
  const worker = await startWorker(shared, "slots-old-sender");
  const old = instance(shared, true, 60_000, new PreviousReleaseDirectory(shared.redis) as unknown as WorkerDirectory);
  try {
    const started = Date.now();
    const ends = await Promise.all(
      [0, 1].map(async (i) => {
        const out = await old.executor.execute({ runId: `old-sender-${i}`, stepId: "s", type: "test.nap", parameters: { ms: 2_000 }, attempt: 1 }, { signal: new AbortController().signal, onProgress: noProgress });
        expect(out).toEqual({ slept: 2_000 });
        return Date.now() - started;
      }),
    );
    // side by side: each ends ~2 s after the start; serialised on one slot's queue, the second ends after ~4 s
    expect(Math.max(...ends)).toBeLessThan(3_500);
    expect(worker.report().completed).toBe(2);
  } finally {
    await old.close();
    await worker.close({ force: true });
    await shared.close();
  }
});

function node(): ClusterNode {
  return new ClusterNode({ redisUrl: redis.url, payloadDir: tempDir("bear-slots-"), keyCipher, waitForWorkerMs: 5_000 });
}

it.each([true, false])("two API instances (runs started there: %s): a step sent to a slot the other instance just filled does not wait behind its step", async (startedHere) => {
  const shared = node();
  const worker = await startWorker(shared, `slots-two-${startedHere}`);
  const a = instance(shared, startedHere);
  const b = instance(shared, startedHere);
  try {
    const long = a.executor.execute({ runId: `long-${startedHere}`, stepId: "s", type: "test.nap", parameters: { ms: 3_000 }, attempt: 1 }, { signal: new AbortController().signal, onProgress: noProgress });
    await until(() => worker.report().running === 1, 2_000, "the long step to start");
    const started = Date.now();
    await expect(b.executor.execute({ runId: `short-${startedHere}`, stepId: "s", type: "test.nap", parameters: { ms: 50 }, attempt: 1 }, { signal: new AbortController().signal, onProgress: noProgress })).resolves.toEqual({ slept: 50 });
    // the worker's other slot was free all along: not behind the 3 s step (a direct queue per slot without a check: ~3,000 ms)
    expect(Date.now() - started).toBeLessThan(1_500);
    await expect(long).resolves.toEqual({ slept: 3_000 });
  } finally {
    await Promise.all([a.close(), b.close()]);
    await worker.close({ force: true });
    await shared.close();
  }
});

it.each([true, false])("a retry after a cancel (runs started here: %s) does not queue behind its first attempt, which the worker is still aborting", async (startedHere) => {
  const shared = node();
  // reports often: the report lists the aborted attempt as running until the handler gives up
  const worker = await startWorker(shared, `slots-retry-${startedHere}`, 200);
  const api = instance(shared, startedHere);
  try {
    const cancel = new AbortController();
    const first = api.executor.execute({ runId: `retry-${startedHere}`, stepId: "s", type: "test.nap", parameters: { ms: 2_500, stubborn: true }, attempt: 1 }, { signal: cancel.signal, onProgress: noProgress });
    await until(() => worker.report().running === 1, 2_000, "the first attempt to start");
    cancel.abort(new Error("cancelled by the user"));
    await expect(first).rejects.toThrow("cancelled by the user");
    const started = Date.now();
    await expect(api.executor.execute({ runId: `retry-${startedHere}`, stepId: "s", type: "test.nap", parameters: { ms: 50 }, attempt: 2 }, { signal: new AbortController().signal, onProgress: noProgress })).resolves.toEqual({ slept: 50 });
    // the first attempt's handler ignores the cancel for 2.5 s; the worker's other slot is free (a slot freed by the abort: ~2,400 ms)
    expect(Date.now() - started).toBeLessThan(1_500);
  } finally {
    await api.close();
    await worker.close({ force: true });
    await shared.close();
  }
});

it("workers that restart (a new id each time) leave no Redis connection of the API instance behind", async () => {
  const shared = node();
  const api = instance(shared, true, 100);
  const probe = new Redis({ host: "127.0.0.1", port: redis.port, password: redis.password });
  const clients = async (): Promise<number> => String(await probe.call("CLIENT", "LIST")).trim().split("\n").length;
  try {
    const counts: number[] = [];
    for (let round = 0; round < 4; round++) {
      const worker = await startWorker(shared, `slots-restart-${round}`, 200);
      // two steps at once: both slots are used
      const steps = [0, 1].map((i) => api.executor.execute({ runId: `restart-${round}-${i}`, stepId: "s", type: "test.nap", parameters: { ms: 100 }, attempt: 1 }, { signal: new AbortController().signal, onProgress: noProgress }));
      await expect(Promise.all(steps)).resolves.toEqual([{ slept: 100 }, { slept: 100 }]);
      await worker.close({ force: true });
      // the worker's own connections close with it
      let last = -1;
      await until(async () => {
        const now = await clients();
        const stable = now === last;
        last = now;
        return stable;
      }, 5_000, "the worker's connections to close");
      counts.push(last);
    }
    // the instance opened what it needs for the first worker; later workers' queues add no connection
    expect(counts.slice(1)).toEqual([counts[0], counts[0], counts[0]]);
  } finally {
    probe.disconnect();
    await api.close();
    await shared.close();
  }
}, 60_000);
