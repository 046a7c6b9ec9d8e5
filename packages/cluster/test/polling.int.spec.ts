import path from "node:path";
import { afterAll, beforeAll, expect, it } from "@jest/globals";
import { Redis } from "ioredis";
import { parseRedisUrl } from "../src/index";
import { QueueExecutor } from "../src/queue/queue-executor";
import { startTestRedis, type TestRedis } from "./fixtures/redis-server";
import { inProcessCluster, tempDir } from "./fixtures/test-cluster";
import { chainWorkflow, sleepRegistry } from "./fixtures/test-steps";

// What an API instance asks Redis while nothing is amiss: the outcome of a step comes on the reply
// channel, so its job's state (a safety net) is read every few seconds, not every second; and a scan of the run leases is one
// script however many runs are in flight. Both were paid per second of every step and run out: the
// API's CPU per contract grew with how long the steps waited for a worker (issue 22).

let redis: TestRedis;
beforeAll(async () => {
  redis = await startTestRedis();
});
afterAll(async () => {
  await redis.kill();
});

/** A client whose pipelines (the executor's reads of a job's state: one pipeline each) are counted. */
function countingPipelines(url: string): { client: Redis; reads: () => number } {
  const client = new Redis(url);
  let reads = 0;
  const pipeline = client.pipeline.bind(client);
  client.pipeline = ((...args: Parameters<Redis["pipeline"]>) => {
    reads++;
    return pipeline(...args);
  }) as Redis["pipeline"];
  return { client, reads: () => reads };
}

it("a step out for 2.2 s whose reply comes to this executor: its job's state is read every 4 × workerCheckMs (2–3 times), not every workerCheckMs (10–11)", async () => {
  const dir = tempDir("bear-polling-");
  const cluster = await inProcessCluster(redis.url, sleepRegistry(path.join(dir, "exec.log"), "w"), { payloadDir: path.join(dir, "payloads"), workers: 1 });
  const { client, reads } = countingPipelines(redis.url);
  const subscriber = new Redis(redis.url);
  // workerCheckMs 200 and the default lostJobMs (15 s): a read every 800 ms; the run started here
  // (startedHere), so its attempts were sent by nobody else and their replies come here
  const executor = new QueueExecutor({ endpoint: parseRedisUrl(redis.url), local: undefined as never, payloads: cluster.node.payloads, redis: client, subscriber, workers: cluster.node.workers, workerCheckMs: 200, startedHere: () => true });
  try {
    const task = { runId: "poll-1", stepId: "s", type: "test.sleep", parameters: { ms: 2_200, label: "slow" }, attempt: 1 };
    await expect(executor.execute(task, { signal: new AbortController().signal, onProgress: () => undefined })).resolves.toEqual({ label: "slow", by: "w" });
    // reads at ~0.8, 1.6 s (and 2.4 s, racing the reply); read every 200 ms it was 10–11
    expect(reads()).toBeGreaterThanOrEqual(2);
    expect(reads()).toBeLessThanOrEqual(4);
  } finally {
    await executor.close();
    client.disconnect();
    subscriber.disconnect();
    await cluster.close();
  }
}, 30_000);

it("six runs in flight: each lease scan is one command, and every run's lease is held while it runs", async () => {
  const dir = tempDir("bear-polling-");
  const cluster = await inProcessCluster(redis.url, sleepRegistry(path.join(dir, "exec.log"), "w"), { payloadDir: path.join(dir, "payloads"), workers: 1, concurrency: 6 });
  // the node's own client: the scans' commands (scanMs 200) by name
  const sent = new Map<string, number>();
  const client = cluster.node.redis as unknown as { sendCommand(command: { name: string }): unknown };
  const send = client.sendCommand.bind(client);
  client.sendCommand = (command) => {
    sent.set(command.name, (sent.get(command.name) ?? 0) + 1);
    return send(command);
  };
  try {
    const runs = Array.from({ length: 6 }, () => cluster.engine.start(chainWorkflow(1, 1_600), {}));
    await new Promise((r) => setTimeout(r, 900));
    const owners = await Promise.all(runs.map((run) => cluster.node.runs.owner(run.runId)));
    expect(owners).toEqual(runs.map(() => cluster.node.runs.instanceId));
    const results = await Promise.all(runs.map((run) => run.result));
    expect(results.map((r) => r.status)).toEqual(runs.map(() => "completed"));
    // ~8 scans with runs out: one script each, plus one release a run (a script per run per scan: 40+)
    const scripts = (sent.get("eval") ?? 0) + (sent.get("evalsha") ?? 0) + (sent.get("set") ?? 0);
    expect(scripts).toBeGreaterThanOrEqual(6);
    expect(scripts).toBeLessThanOrEqual(22);
    await new Promise((r) => setTimeout(r, 100)); // the releases, sent as each run completed
    expect(await Promise.all(runs.map((run) => cluster.node.runs.owner(run.runId)))).toEqual(runs.map(() => null));
  } finally {
    await cluster.close();
  }
}, 30_000);
