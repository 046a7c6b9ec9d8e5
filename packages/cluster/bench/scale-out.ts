// Scale-out benchmark: the built-in contract_review workflow over CUAD contracts, in-process vs
// through BullMQ with 1 and 2 worker processes, and the queue's overhead per step.
// Usage: nice -n 10 npx tsx --expose-gc bench/scale-out.ts   (BENCH_CONTRACTS=200, BENCH_NOOP_STEPS=500)
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { Queue, QueueEvents } from "bullmq";
import { InProcessExecutor, WorkflowEngine, type Executor } from "@bear/workflow-engine";
import { bullConnection } from "../src/connection/redis-connection";
import { ClusterNode, parseRedisUrl } from "../src/index";
import { startTestRedis } from "../test/fixtures/redis-server";
import { REVIEW_WORKFLOW, reviewRegistry } from "./review-steps";

const CONTRACTS = Number(process.env.BENCH_CONTRACTS ?? 200);
const NOOP_STEPS = Number(process.env.BENCH_NOOP_STEPS ?? 500);
const WORKER_CONCURRENCY = 2;
const RUNS_IN_FLIGHT = 8;
const cuad = path.resolve(import.meta.dirname, "../../../../shared/data/cuad_train/full_contract_txt");
const texts = fs
  .readdirSync(cuad)
  .filter((f) => f.endsWith(".txt"))
  .sort()
  .slice(0, CONTRACTS)
  .map((f) => fs.readFileSync(path.join(cuad, f), "utf8"));
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "bear-scale-out-"));
const payloadDir = path.join(tmp, "payloads");
const registry = reviewRegistry();

function pct(values: number[], p: number): number {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))] ?? NaN;
}

function startWorker(url: string, id: string): Promise<{ proc: ChildProcess; stop: () => Promise<{ peakRssMb: number; completed: number }> }> {
  const proc = spawn(process.execPath, ["--import", "tsx", path.join(import.meta.dirname, "review-worker.ts"), url, payloadDir, id, String(WORKER_CONCURRENCY)], { stdio: ["ignore", "pipe", "inherit"] });
  let out = "";
  return new Promise((resolve, reject) => {
    proc.stdout!.on("data", (d: Buffer) => {
      out += d.toString();
      if (out.includes("ready\n") && !out.includes("{")) {
        out = "";
        resolve({
          proc,
          stop: () =>
            new Promise((done) => {
              proc.stdout!.on("data", () => undefined);
              proc.once("exit", () => done(JSON.parse(out.trim().split("\n").pop() ?? "{}") as { peakRssMb: number; completed: number }));
              proc.kill("SIGTERM");
            }),
        });
      }
    });
    proc.once("exit", (code) => reject(new Error(`worker ${id} exited ${code}`)));
  });
}

/** Reviews every contract, RUNS_IN_FLIGHT runs at a time; returns contracts/s and per-contract wall times. */
async function reviewAll(engine: WorkflowEngine): Promise<{ perSecond: number; seconds: number; latencies: number[] }> {
  const latencies: number[] = [];
  let next = 0;
  const t0 = performance.now();
  const lane = async (): Promise<void> => {
    while (next < texts.length) {
      const text = texts[next++]!;
      const s = performance.now();
      const result = await engine.run(REVIEW_WORKFLOW, { text, format: "json" });
      if (result.status !== "completed") throw new Error(`a review failed: ${JSON.stringify(result.error)}`);
      latencies.push(performance.now() - s);
    }
  };
  await Promise.all(Array.from({ length: RUNS_IN_FLIGHT }, lane));
  const seconds = (performance.now() - t0) / 1000;
  return { perSecond: texts.length / seconds, seconds, latencies };
}

/** Single-step no-op runs, one after another: the time per step, for the queue's overhead. */
async function noopSteps(engine: WorkflowEngine, n: number): Promise<number[]> {
  const times: number[] = [];
  const wf = { name: "noop", steps: [{ id: "n", type: "bench.noop", parameters: {} }] };
  for (let i = 0; i < n; i++) {
    const s = performance.now();
    const r = await engine.run(wf);
    if (r.status !== "completed") throw new Error("noop failed");
    times.push(performance.now() - s);
  }
  return times;
}

/**
 * The peer: the same no-op as a bare BullMQ job (add → a worker process → completed event), no
 * BEAR. Returns a function timing one job, so the bench can interleave it with BEAR's steps.
 */
async function rawBullmqPeer(url: string): Promise<{ once: (i: number) => Promise<number>; stop: () => Promise<void> }> {
  const name = "raw.noop";
  const proc = spawn(process.execPath, ["--import", "tsx", path.join(import.meta.dirname, "raw-bullmq-worker.ts"), url, name], { stdio: ["ignore", "pipe", "inherit"] });
  await new Promise<void>((resolve, reject) => {
    proc.stdout!.on("data", (d: Buffer) => d.toString().includes("ready") && resolve());
    proc.once("exit", (code) => reject(new Error(`raw worker exited ${code}`)));
  });
  const connection = bullConnection(parseRedisUrl(url));
  const queue = new Queue(name, { connection, prefix: "bear-raw" });
  const events = new QueueEvents(name, { connection, prefix: "bear-raw" });
  await Promise.all([queue.waitUntilReady(), events.waitUntilReady()]);
  const waiters = new Map<string, () => void>();
  events.on("completed", ({ jobId }) => waiters.get(jobId)?.());
  return {
    once: async (i) => {
      const jobId = `raw-${i}`;
      const s = performance.now();
      const done = new Promise<void>((r) => waiters.set(jobId, r));
      await queue.add(name, { i }, { jobId, attempts: 1, removeOnComplete: { age: 3600 } });
      await done;
      waiters.delete(jobId);
      return performance.now() - s;
    },
    stop: async () => {
      proc.kill("SIGTERM");
      await Promise.all([queue.close(), events.close()]);
    },
  };
}

const rows: string[][] = [];
const fmt = (n: number, d = 2): string => n.toFixed(d);

// 1. in-process (no Redis): today's default
{
  const engine = WorkflowEngine.inMemory({ registry, maxParallelSteps: 4, keepEvents: false });
  const r = await reviewAll(engine);
  rows.push(["in-process (no Redis)", fmt(r.perSecond), fmt(r.seconds, 1), `${fmt(pct(r.latencies, 50), 0)} / ${fmt(pct(r.latencies, 95), 0)} / ${fmt(pct(r.latencies, 99), 0)}`, "-", `${Math.round(process.memoryUsage().rss / 1048576)}`]);
  await engine.dispose();
}

const redis = await startTestRedis();
const node = new ClusterNode({ redisUrl: redis.url, payloadDir, waitForWorkerMs: 60_000 });
const engine = WorkflowEngine.inMemory({ registry, maxParallelSteps: 4, keepEvents: false, executor: node.decorate(new InProcessExecutor(registry)) as Executor, coordination: node.runs });
await node.attach(engine);

const byWorkers: Record<number, number> = {};
for (const count of [1, 2]) {
  const workers = await Promise.all(Array.from({ length: count }, (_, i) => startWorker(redis.url, `w${count}-${i}`)));
  await new Promise((r) => setTimeout(r, 1_500)); // reports published
  const r = await reviewAll(engine);
  byWorkers[count] = r.perSecond;
  const stats = await Promise.all(workers.map((w) => w.stop()));
  rows.push([
    `BullMQ, ${count} worker process${count > 1 ? "es" : ""} (concurrency ${WORKER_CONCURRENCY})`,
    fmt(r.perSecond),
    fmt(r.seconds, 1),
    `${fmt(pct(r.latencies, 50), 0)} / ${fmt(pct(r.latencies, 95), 0)} / ${fmt(pct(r.latencies, 99), 0)}`,
    stats.map((s) => s.completed).join(" + "),
    `${Math.round(process.memoryUsage().rss / 1048576)} (workers ${stats.map((s) => s.peakRssMb).join(", ")})`,
  ]);
}

// 2. queue overhead per step: a no-op step through the queue minus the same step in-process, with
// a bare BullMQ job (the peer) interleaved one by one so both see the same machine load
const local = WorkflowEngine.inMemory({ registry, keepEvents: false });
await noopSteps(local, 50);
const localTimes = await noopSteps(local, NOOP_STEPS);
const worker = await startWorker(redis.url, "noop");
const raw = await rawBullmqPeer(redis.url);
await new Promise((r) => setTimeout(r, 1_500));
await noopSteps(engine, 50); // warm-up: queues, connections
for (let i = 0; i < 50; i++) await raw.once(-1 - i);
const queuedTimes: number[] = [];
const rawTimes: number[] = [];
for (let i = 0; i < NOOP_STEPS; i++) {
  queuedTimes.push(...(await noopSteps(engine, 1)));
  rawTimes.push(await raw.once(i));
}
await worker.stop();
await raw.stop();
const overhead = queuedTimes.map((t) => t - pct(localTimes, 50));

console.log(`node ${process.version}, ${os.cpus().length} vCPU (shared), load ${os.loadavg()[0]!.toFixed(1)}; ${texts.length} cuad_train contracts, ${RUNS_IN_FLIGHT} runs in flight, payload files (no text in Redis)`);
console.log("| scenario | contracts/s | wall s | per-contract p50 / p95 / p99 ms | steps per worker | rss MiB |");
console.log("|---|---|---|---|---|---|");
for (const r of rows) console.log(`| ${r.join(" | ")} |`);
console.log(`2 workers vs 1: ${fmt(byWorkers[2]! / byWorkers[1]!)}x (goal 1.7x)`);
console.log(`no-op step, in-process: p50 ${fmt(pct(localTimes, 50), 3)} ms, p95 ${fmt(pct(localTimes, 95), 3)} ms, p99 ${fmt(pct(localTimes, 99), 3)} ms (${NOOP_STEPS} runs)`);
console.log(`no-op step through BullMQ (run → job → worker → result → run): p50 ${fmt(pct(queuedTimes, 50), 3)} ms, p95 ${fmt(pct(queuedTimes, 95), 3)} ms, p99 ${fmt(pct(queuedTimes, 99), 3)} ms`);
console.log(`peer, a bare BullMQ job (add → worker process → completed event, no BEAR): p50 ${fmt(pct(rawTimes, 50), 3)} ms, p95 ${fmt(pct(rawTimes, 95), 3)} ms, p99 ${fmt(pct(rawTimes, 99), 3)} ms; BEAR's step through BullMQ / bare job p50: ${fmt(pct(queuedTimes, 50) / pct(rawTimes, 50))}x`);
console.log(`queue overhead per step (the difference): p50 ${fmt(pct(overhead, 50), 3)} ms, p95 ${fmt(pct(overhead, 95), 3)} ms, p99 ${fmt(pct(overhead, 99), 3)} ms (goal p50 <= 2 ms)`);

await engine.dispose();
await node.close();
await redis.kill();
fs.rmSync(tmp, { recursive: true, force: true });
