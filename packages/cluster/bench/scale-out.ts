// Scale-out benchmark: the built-in contract_review workflow over CUAD contracts, in-process vs
// through BullMQ with 1 and 2 worker processes, and the queue's overhead per step.
// Usage (from the repository root): cd packages/cluster && nice -n 10 npx tsx --tsconfig ../../tsconfig.base.json --expose-gc bench/scale-out.ts
// (BENCH_CONTRACTS=200 per run, BENCH_ROUNDS=3 rounds of a 1-worker and a 2-worker run, alternating;
// BENCH_NOOP_STEPS=500 of each no-op kind, interleaved; BENCH_WARM_UP=16; BENCH_AFFINITY=1 and
// BENCH_COPIED=1 add the "run affinity" and "values copied" rows, BENCH_CACHE=0 leaves out the cache
// figures; bench/modes-ab.ts compares those modes batch by batch; BENCH_STORE=sqlite (default: the
// product's run store, workflows.db in WAL shared by the API instances, as `bear serve --redis` opens
// it) or memory (an in-memory store, the figures of the sessions before the tenth))
import { execFileSync, spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { Queue, QueueEvents } from "bullmq";
import { InProcessExecutor, WorkflowEngine, type Executor } from "@bear/workflow-engine";
import { bullConnection } from "../src/connection/redis-connection";
import { ClusterNode, parseRedisUrl } from "../src/index";
import { contentCipherFromKey as keyCipher } from "@bear/security";
import { startTestRedis } from "../test/fixtures/redis-server";
import { REVIEW_WORKFLOW, reviewRegistry } from "./review-steps";
import { ownCpu, redisCpu, startWorker, workerVariant } from "./worker-process";

const CONTRACTS = Number(process.env.BENCH_CONTRACTS ?? 200);
const NOOP_STEPS = Number(process.env.BENCH_NOOP_STEPS ?? 500);
/** Rounds of the 1- and 2-worker runs (alternating), and blocks the no-op run's paired figures are split into for their spread. */
const ROUNDS = Math.max(1, Number(process.env.BENCH_ROUNDS ?? 3));
const NOOP_BLOCKS = 5;
/** Redis's AOF fsync policy: everysec (Redis's default with AOF on, the README's deployment) or always. */
const FSYNC = process.env.BENCH_FSYNC === "always" ? "always" : "everysec";
const WORKER_CONCURRENCY = 2;
/** The run store: SQLite as the product opens it (`bear serve --redis`: shared, WAL, no resume at open), or in memory. */
const STORE = process.env.BENCH_STORE === "memory" ? "memory" : "sqlite";
/** Contracts reviewed per worker before each run's figures start (compiling the handlers, filling caches). */
const WARM_UP = Number(process.env.BENCH_WARM_UP ?? 16);
const RUNS_IN_FLIGHT = 8;
/** Node flags for the review workers' processes (BENCH_WORKER_FLAGS, space-separated: e.g. a V8 heap setting to try; `KEY=value` words go to their environment). */
const WORKER_FLAGS = workerVariant(process.env.BENCH_WORKER_FLAGS ?? "");
/**
 * BENCH_COMPARE_FLAGS: a second worker setting (same form) whose 1- and 2-worker runs alternate with the first's in
 * every round, so one run gives both settings' goal figures under the same load (e.g. BEAR_WORKER_TUNING=off for the
 * workers as before their process settings).
 */
const COMPARE_FLAGS = process.env.BENCH_COMPARE_FLAGS === undefined ? undefined : workerVariant(process.env.BENCH_COMPARE_FLAGS);
const VARIANTS = COMPARE_FLAGS === undefined ? [WORKER_FLAGS] : [WORKER_FLAGS, COMPARE_FLAGS];
/** The label of a worker setting in the output. */
const variantName = (v: number): string => (v === 0 ? process.env.BENCH_WORKER_FLAGS || "default" : process.env.BENCH_COMPARE_FLAGS || "default");
const cuad = path.resolve(import.meta.dirname, "../../../../shared/data/cuad_train/full_contract_txt");
const corpus = fs
  .readdirSync(cuad)
  .filter((f) => f.endsWith(".txt"))
  .sort();
const texts = corpus.slice(0, CONTRACTS).map((f) => fs.readFileSync(path.join(cuad, f), "utf8"));
/**
 * What the workers are warmed with: other contracts than the measured ones (those after them, while the corpus
 * lasts), so a long warm-up never reviews a measured contract first.
 */
const warmTexts = corpus.slice(CONTRACTS).map((f) => fs.readFileSync(path.join(cuad, f), "utf8"));
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "bear-scale-out-"));
const payloadDir = path.join(tmp, "payloads");
const registry = reviewRegistry();
let databases = 0;
/** An engine on the bench's run store (STORE): each its own workflows.db in the temp folder, as one API instance's. */
async function openEngine(options: { executor?: Executor; coordination?: ClusterNode["runs"]; maxParallelSteps?: number }, store: "memory" | "sqlite" = STORE): Promise<WorkflowEngine> {
  if (store === "memory") return WorkflowEngine.inMemory({ registry, keepEvents: false, ...options });
  return WorkflowEngine.open({ dbPath: path.join(tmp, `workflows-${databases++}.db`), sharedDatabase: true, resumeOnOpen: false, registry, ...options });
}
/** The machine's load (`uptime`): at the start, after the review runs, at the end. */
const uptime = (): string => {
  try {
    return execFileSync("uptime", { encoding: "utf8" }).trim().replace(/\s+/g, " ");
  } catch {
    return `load average: ${os.loadavg().map((l) => l.toFixed(2)).join(", ")}`;
  }
};
const uptimeAtStart = uptime();

function pct(values: number[], p: number): number {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))] ?? NaN;
}

/** Reviews every contract (or the first `count`), RUNS_IN_FLIGHT runs at a time; returns contracts/s and per-contract wall times. */
async function reviewAll(engine: WorkflowEngine, count = texts.length, from: readonly string[] = texts): Promise<{ perSecond: number; seconds: number; latencies: number[] }> {
  const latencies: number[] = [];
  let next = 0;
  const t0 = performance.now();
  const lane = async (): Promise<void> => {
    while (next < count) {
      const text = from[next++ % from.length]!;
      const s = performance.now();
      const result = await engine.run(REVIEW_WORKFLOW, { text, format: "json" });
      if (result.status !== "completed") throw new Error(`a review failed: ${JSON.stringify(result.error)}`);
      latencies.push(performance.now() - s);
    }
  };
  await Promise.all(Array.from({ length: RUNS_IN_FLIGHT }, lane));
  const seconds = (performance.now() - t0) / 1000;
  return { perSecond: count / seconds, seconds, latencies };
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
async function rawBullmqPeer(url: string, concurrency: number): Promise<{ once: (i: number) => Promise<number>; stop: () => Promise<{ jobs: number; cpuSeconds: number }>; cpuMs: number[] }> {
  const name = `raw.noop.c${concurrency}`;
  const proc = spawn(process.execPath, ["--import", "tsx", path.join(import.meta.dirname, "raw-bullmq-worker.ts"), url, name, String(concurrency)], { stdio: ["ignore", "pipe", "inherit"] });
  let out = "";
  await new Promise<void>((resolve, reject) => {
    proc.stdout!.on("data", (d: Buffer) => (out += d.toString()).includes("ready") && resolve());
    proc.once("exit", (code) => reject(new Error(`raw worker exited ${code}`)));
  });
  const connection = bullConnection(parseRedisUrl(url));
  const queue = new Queue(name, { connection, prefix: "bear-raw" });
  const events = new QueueEvents(name, { connection, prefix: "bear-raw" });
  await Promise.all([queue.waitUntilReady(), events.waitUntilReady()]);
  const waiters = new Map<string, () => void>();
  events.on("completed", ({ jobId }) => waiters.get(jobId)?.());
  const cpuMs: number[] = [];
  return {
    cpuMs,
    once: async (i) => {
      const jobId = `raw-${i}`;
      const c = process.cpuUsage();
      const s = performance.now();
      const done = new Promise<void>((r) => waiters.set(jobId, r));
      await queue.add(name, { i }, { jobId, attempts: 1, removeOnComplete: { age: 3600 } });
      await done;
      waiters.delete(jobId);
      const t = performance.now() - s;
      const used = process.cpuUsage(c);
      if (i >= 0) cpuMs.push((used.user + used.system) / 1000);
      return t;
    },
    stop: async () => {
      out = "";
      const stats = new Promise<{ jobs: number; cpuSeconds: number }>((done) => proc.once("exit", () => done(JSON.parse(out.trim().split("\n").pop() ?? "{}") as { jobs: number; cpuSeconds: number })));
      proc.kill("SIGTERM");
      await Promise.all([queue.close(), events.close()]);
      return stats;
    },
  };
}

/** CPU per contract (ms) of each process, and the total as cores busy over the run. */
function cpuColumn(seconds: number, api: number, workers: readonly number[], redisSeconds: number | undefined): string {
  const per = (x: number): string => `${Math.round((x * 1000) / texts.length)}`;
  const parts = [`API ${per(api)}`, ...workers.map((w, i) => `w${i + 1} ${per(w)}`), ...(redisSeconds === undefined ? [] : [`Redis ${per(redisSeconds)}`])];
  const total = api + workers.reduce((a, b) => a + b, 0) + (redisSeconds ?? 0);
  return `${parts.join(", ")} (${(total / seconds).toFixed(2)} cores)`;
}

const rows: string[][] = [];
const fmt = (n: number, d = 2): string => n.toFixed(d);
const line = (times: number[]): string => `p50 ${fmt(pct(times, 50), 3)} ms, p95 ${fmt(pct(times, 95), 3)} ms, p99 ${fmt(pct(times, 99), 3)} ms`;

// 1. in-process (no Redis): today's default (BENCH_CONTRACTS=0 measures the no-op steps only)
if (texts.length > 0) {
  const engine = await openEngine({ maxParallelSteps: 4 });
  await reviewAll(engine, WARM_UP);
  const cpu0 = ownCpu();
  const r = await reviewAll(engine);
  rows.push(["in-process (no Redis)", fmt(r.perSecond), fmt(r.seconds, 1), `${fmt(pct(r.latencies, 50), 0)} / ${fmt(pct(r.latencies, 95), 0)} / ${fmt(pct(r.latencies, 99), 0)}`, "-", cpuColumn(r.seconds, ownCpu() - cpu0, [], undefined), `${Math.round(process.memoryUsage().rss / 1048576)}`]);
  await engine.dispose();
}

const redis = await startTestRedis({ fsync: FSYNC });
const node = new ClusterNode({ redisUrl: redis.url, payloadDir, keyCipher, waitForWorkerMs: 60_000 });
const engine = await openEngine({ maxParallelSteps: 4, executor: node.decorate(new InProcessExecutor(registry)), coordination: node.runs });
await node.attach(engine);
/**
 * A variant on the other run store (BENCH_STORE=memory|sqlite among BENCH_COMPARE_FLAGS' words): its own API instance
 * (node and engine) on the same Redis, so both stores' goal figures come from one run.
 */
const otherStore = VARIANTS.map((v) => v.store).find((s) => s !== undefined && s !== STORE);
const otherNode = otherStore === undefined ? undefined : new ClusterNode({ redisUrl: redis.url, payloadDir, keyCipher, waitForWorkerMs: 60_000 });
const otherEngine = otherNode === undefined ? undefined : await openEngine({ maxParallelSteps: 4, executor: otherNode.decorate(new InProcessExecutor(registry)), coordination: otherNode.runs }, otherStore);
if (otherNode && otherEngine) await otherNode.attach(otherEngine);

const redisVersion = /redis_version:(\S+)/.exec(await node.redis.info("server"))?.[1] ?? "?";
// the same run, before this round: each step's payload file carries its own copy of the contract
// text and of the earlier outputs it names (BENCH_COPIED=0 leaves this scenario out)
const copiedNode = new ClusterNode({ redisUrl: redis.url, payloadDir, keyCipher, waitForWorkerMs: 60_000, shareValues: false });
const copiedEngine = await openEngine({ maxParallelSteps: 4, executor: copiedNode.decorate(new InProcessExecutor(registry)), coordination: copiedNode.runs });
await copiedNode.attach(copiedEngine);
// the same run with run affinity (the default before): a run's steps go to its home worker while it
// has a free slot (BENCH_AFFINITY=0 leaves this scenario out)
const anyNode = new ClusterNode({ redisUrl: redis.url, payloadDir, keyCipher, waitForWorkerMs: 60_000, runAffinity: true });
const anyEngine = await openEngine({ maxParallelSteps: 4, executor: anyNode.decorate(new InProcessExecutor(registry)), coordination: anyNode.runs });
await anyNode.attach(anyEngine);
type Values = "shared" | "copied" | "affinity";
interface Scenario {
  readonly count: number;
  readonly values: Values;
  readonly round: number;
  /** Index into VARIANTS: the workers' process settings. */
  readonly variant: number;
}
// The goal's two runs, 1 and 2 workers, alternate over ROUNDS rounds (the order swapping each round,
// fresh worker processes each run), so the ratio is read as a median of same-round pairs with its
// spread, not from one pair whose load or warm-up moved between the two runs. The mode rows
// (affinity, copied; opt-in) run once after the rounds.
const scenarios: Scenario[] =
  texts.length === 0
    ? []
    : [
        // with a second worker setting, each round runs both settings' pairs, the settings' order swapping too
        ...Array.from({ length: ROUNDS }, (_, round) =>
          (round % 2 === 0 ? VARIANTS.map((_v, i) => i) : VARIANTS.map((_v, i) => VARIANTS.length - 1 - i)).flatMap((variant) => (round % 2 === 0 ? [1, 2] : [2, 1]).map((count) => ({ count, values: "shared" as const, round, variant }))),
        ).flat(),
        ...(process.env.BENCH_AFFINITY === "1" ? [{ count: 2, values: "affinity" as const, round: -1, variant: 0 }] : []),
        ...(process.env.BENCH_COPIED === "1" ? [{ count: 2, values: "copied" as const, round: -1, variant: 0 }] : []),
      ];
/** Per scenario run (`<count> <values> <round>`): contracts/s, API CPU ms per contract, CPU ms per contract [API + Redis, each worker], payload files read. */
const byRun: Record<string, { perSecond: number; apiMs: number; other: number; workers: number[]; mainThreads: number[]; gcMs: number[]; reads: { files: number; kb: number } }> = {};
for (const { count, values, round, variant } of scenarios) {
  const setting = VARIANTS[variant]!;
  const workers = await Promise.all(Array.from({ length: count }, (_, i) => startWorker({ url: redis.url, payloadDir, id: `w${count}-${values}-${round}-${variant}-${i}`, concurrency: WORKER_CONCURRENCY, values: values === "copied" ? "copied" : "shared", nodeArgs: setting.flags, env: setting.env })));
  await new Promise((r) => setTimeout(r, 1_500)); // reports published
  const reviewer = values === "copied" ? copiedEngine : values === "affinity" ? anyEngine : setting.store !== undefined && setting.store !== STORE ? otherEngine! : engine;
  // warm-up, left out of the figures: a long-lived worker has compiled its handlers long ago — WARM_UP
  // contracts per worker, so two workers start as warm as one (with WARM_UP for both, each had half)
  await reviewAll(reviewer, (setting.warmUp ?? WARM_UP) * count, warmTexts.length > 0 ? warmTexts : texts);
  const [samples0, redisCpu0, apiCpu0] = [await Promise.all(workers.map((w) => w.sample())), await redisCpu(node.redis), ownCpu()];
  const r = await reviewAll(reviewer);
  const [apiCpu, redisCpuUsed] = [ownCpu() - apiCpu0, (await redisCpu(node.redis)) - redisCpu0];
  const samples1 = await Promise.all(workers.map((w) => w.sample()));
  const stats = await Promise.all(workers.map((w) => w.stop()));
  const workerCpu = stats.map((st, i) => st.cpuSeconds - samples0[i]!.cpuSeconds);
  byRun[`${count} ${values} ${round} ${variant}`] = {
    perSecond: r.perSecond,
    apiMs: (apiCpu * 1000) / texts.length,
    other: ((apiCpu + redisCpuUsed) * 1000) / texts.length,
    workers: workerCpu.map((w) => (w * 1000) / texts.length),
    // each worker's main thread (the rest of its CPU is on V8's GC and compiler threads, libuv's pool and the lock keeper's thread)
    mainThreads: samples1.map((s1, i) => ((s1.threads.main ?? NaN) - (samples0[i]!.threads.main ?? NaN)) * 1000 / texts.length),
    gcMs: samples1.map((s1, i) => (s1.gcMs - samples0[i]!.gcMs) / texts.length),
    reads: {
      files: stats.reduce((n, st, i) => n + st.reads.files - samples0[i]!.reads.files, 0) / texts.length,
      kb: stats.reduce((n, st, i) => n + st.reads.chars - samples0[i]!.reads.chars, 0) / 1000 / texts.length,
    },
  };
  rows.push([
    `${round >= 0 ? `round ${round + 1}: ` : ""}BullMQ, ${count} worker process${count > 1 ? "es" : ""} (concurrency ${WORKER_CONCURRENCY})${values === "copied" ? ", values copied per step" : values === "affinity" ? ", run affinity (before)" : ""}${VARIANTS.length > 1 ? `, workers: ${variantName(variant)}` : ""}`,
    fmt(r.perSecond),
    fmt(r.seconds, 1),
    `${fmt(pct(r.latencies, 50), 0)} / ${fmt(pct(r.latencies, 95), 0)} / ${fmt(pct(r.latencies, 99), 0)}`,
    stats.map((s, i) => s.completed - samples0[i]!.completed).join(" + "),
    cpuColumn(r.seconds, apiCpu, workerCpu, redisCpuUsed),
    `${Math.round(process.memoryUsage().rss / 1048576)} (workers ${stats.map((s) => s.peakRssMb).join(", ")})`,
  ]);
  // each run's row as it ends too (stderr), so a run stopped early still leaves its figures
  console.error(`| ${rows.at(-1)!.join(" | ")} | main threads ${byRun[`${count} ${values} ${round} ${variant}`]!.mainThreads.map((m) => m.toFixed(0)).join(" + ")} |`);
}
const uptimeAfterReviews = uptime();
await copiedEngine.dispose();
await copiedNode.close();
await otherEngine?.dispose();
await otherNode?.close();
await anyEngine.dispose();
await anyNode.close();

// 2. queue overhead per step: a no-op step through the queue minus the same step in-process, paired:
// each round of the loop runs one of each — in-process, through BEAR's queue, and the two bare
// BullMQ peers — in an order that rotates, so every kind sees the same machine load and the same
// neighbours; the overhead is the median of the per-round differences (BEAR − in-process, and
// BEAR − bare job for BEAR's own part), with the spread of that median over blocks of the run
const local = await openEngine({});
await noopSteps(local, 50);
const worker = await startWorker({ url: redis.url, payloadDir, id: "noop", concurrency: WORKER_CONCURRENCY });
// peers: a bare BullMQ worker with the concurrency BEAR's worker has, and one with concurrency 1
// (BullMQ's own loop makes one more Redis round trip before a job when a worker has free slots)
const raw = await rawBullmqPeer(redis.url, WORKER_CONCURRENCY);
const raw1 = await rawBullmqPeer(redis.url, 1);
await new Promise((r) => setTimeout(r, 1_500));
await noopSteps(engine, 50); // warm-up: queues, connections
for (let i = 0; i < 50; i++) {
  await raw.once(-1 - i);
  await raw1.once(-1 - i);
}
const localTimes: number[] = [];
const queuedTimes: number[] = [];
const queuedCpuMs: number[] = [];
const rawTimes: number[] = [];
const raw1Times: number[] = [];
const { cpuSeconds: workerCpu0, completed: workerSteps0 } = await worker.sample();
const kinds: Array<() => Promise<void>> = [
  async () => void localTimes.push(...(await noopSteps(local, 1))),
  async () => {
    const c = process.cpuUsage();
    queuedTimes.push(...(await noopSteps(engine, 1)));
    const used = process.cpuUsage(c);
    queuedCpuMs.push((used.user + used.system) / 1000);
  },
  async () => void rawTimes.push(await raw.once(rawTimes.length)),
  async () => void raw1Times.push(await raw1.once(raw1Times.length)),
];
for (let i = 0; i < NOOP_STEPS; i++) for (let k = 0; k < kinds.length; k++) await kinds[(i + k) % kinds.length]!();
const noopWorker = await worker.stop();
const rawWorker = await raw.stop();
await raw1.stop();
await local.dispose();
const overhead = queuedTimes.map((t, i) => t - localTimes[i]!);
const ownPart = queuedTimes.map((t, i) => t - rawTimes[i]!);
const sum = (xs: number[]): number => xs.reduce((a, b) => a + b, 0);
// the worker's CPU over the warm-up and the measured steps, per step
const perStepMs = (cpuSeconds: number, steps: number): string => fmt((cpuSeconds * 1000) / steps, 3);

console.log(`node ${process.version}, ${os.cpus().length} vCPU (shared); ${texts.length} cuad_train contracts, ${RUNS_IN_FLIGHT} runs in flight, payload files (no text in Redis); Redis ${redisVersion}, AOF on, appendfsync ${FSYNC}; run store ${STORE === "sqlite" ? "SQLite (workflows.db, WAL, shared, as bear serve --redis)" : "in memory"}`);
console.log(`uptime at the start: ${uptimeAtStart}`);
console.log(`uptime after the review runs: ${uptimeAfterReviews}`);
console.log(`uptime at the end (no-op steps): ${uptime()}`);
console.log("| scenario | contracts/s | wall s | per-contract p50 / p95 / p99 ms | steps per worker | CPU ms per contract | rss MiB |");
console.log("|---|---|---|---|---|---|---|");
for (const r of rows) console.log(`| ${r.join(" | ")} |`);
/** The median (the mean of the middle two of an even count). */
const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 === 1 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};
/** Median and spread (min–max) of a list of figures. */
const spread = (xs: number[], d = 2, unit = ""): string => `median ${fmt(median(xs), d)}${unit} (${fmt(Math.min(...xs), d)}–${fmt(Math.max(...xs), d)}${unit} over ${xs.length})`;
/** What a run's CPU per contract gives on an idle 2-core machine: a worker process is one thread, so it is bound by its own CPU per contract, or by everything over the 2 cores. */
const projectedRate = (run: { other: number; workers: number[] }): number => 1000 / Math.max(...run.workers, (run.other + sum(run.workers)) / 2);
/**
 * The same, with each worker bound by its main thread's CPU, not its process's: a worker's process also
 * runs V8's GC and compiler threads, libuv's pool and the lock keeper's thread beside its main thread,
 * on the other core, so one worker alone reviews faster than 1000 / (its process's CPU per contract).
 */
const projectedByThread = (run: { other: number; workers: number[]; mainThreads: number[] }): number => 1000 / Math.max(...run.mainThreads, (run.other + sum(run.workers)) / 2);
const roundsOf = (variant: number): Array<{ one: (typeof byRun)[string]; two: (typeof byRun)[string] }> =>
  Array.from({ length: ROUNDS }, (_, round) => ({ one: byRun[`1 shared ${round} ${variant}`]!, two: byRun[`2 shared ${round} ${variant}`]! }));
if (texts.length > 0) {
  for (let variant = 0; variant < VARIANTS.length; variant++) {
    const rounds = roundsOf(variant);
    if (VARIANTS.length > 1) console.log(`workers: ${variantName(variant)}`);
    const wall = rounds.map((r) => r.two.perSecond / r.one.perSecond);
    const projected = rounds.map((r) => projectedRate(r.two) / projectedRate(r.one));
    const projectedThreads = rounds.map((r) => projectedByThread(r.two) / projectedByThread(r.one));
    // On a loaded machine each run gets whatever share of the cores the others leave it, so the
    // wall-clock ratio says little; the CPU each process spent per contract depends on load much less.
    console.log(`2 workers vs 1, wall clock, per round (same-round pairs, the order alternating): ${wall.map((x) => fmt(x)).join(", ")}; ${spread(wall, 2, "x")} (goal 1.7x; meaningful only on an otherwise idle machine)`);
    console.log(`2 workers vs 1, projected from each process's CPU per contract for an idle 2-core machine (one worker is bound by its own CPU: a worker is one thread; two by the larger of either worker's and everything over 2 cores), per round: ${projected.map((x) => fmt(x)).join(", ")}; ${spread(projected, 2, "x")}`);
    console.log(`2 workers vs 1, projected with each worker bound by its main thread's CPU (its GC, compiler, libuv and lock-keeper threads run beside it on the other core), per round: ${projectedThreads.map((x) => fmt(x)).join(", ")}; ${spread(projectedThreads, 2, "x")}`);
    console.log(`workers' main threads, CPU ms per contract: 1 worker ${spread(rounds.map((r) => r.one.mainThreads[0]!), 0)} (its other threads ${spread(rounds.map((r) => r.one.workers[0]! - r.one.mainThreads[0]!), 0)}); 2 workers, each ${spread(rounds.flatMap((r) => r.two.mainThreads), 0)} (other threads ${spread(rounds.flatMap((r) => r.two.workers.map((w, i) => w - r.two.mainThreads[i]!)), 0)})`);
    console.log(`CPU ms per contract: 1 worker ${spread(rounds.map((r) => r.one.workers[0]!), 0)}; 2 workers, each ${spread(rounds.flatMap((r) => r.two.workers), 0)}; API + Redis with 1 worker ${spread(rounds.map((r) => r.one.other), 0)}, with 2 ${spread(rounds.map((r) => r.two.other), 0)}`);
    // what the second worker adds per contract: garbage collection (each worker its own heap) and payload files read (each worker reads the run's shared files it needs)
    console.log(`workers' GC ms per contract (all workers): 1 worker ${spread(rounds.map((r) => sum(r.one.gcMs)), 1)}, 2 workers ${spread(rounds.map((r) => sum(r.two.gcMs)), 1)}; payload files read per contract: 1 worker ${spread(rounds.map((r) => r.one.reads.files), 1)} (${fmt(median(rounds.map((r) => r.one.reads.kb)), 0)} kB), 2 workers ${spread(rounds.map((r) => r.two.reads.files), 1)} (${fmt(median(rounds.map((r) => r.two.reads.kb)), 0)} kB)`);
  }
  if (VARIANTS.length > 1) {
    // the two settings' same-round figures: 2-worker throughput and the ratio
    const [a, b] = [roundsOf(0), roundsOf(1)];
    const twoWall = a.map((r, i) => r.two.perSecond / b[i]!.two.perSecond);
    const oneWall = a.map((r, i) => r.one.perSecond / b[i]!.one.perSecond);
    const twoCpu = a.map((r, i) => (r.two.other + sum(r.two.workers)) / (b[i]!.two.other + sum(b[i]!.two.workers)));
    console.log(`${variantName(0)} / ${variantName(1)}, same round: 2 workers' contracts/s ${spread(twoWall, 3, "x")}; 1 worker's contracts/s ${spread(oneWall, 3, "x")}; 2 workers' total CPU per contract (workers + API + Redis) ${spread(twoCpu, 3, "x")}`);
  }
  const rounds = roundsOf(0);
  const homed = byRun["2 affinity -1 0"];
  if (homed !== undefined) {
    const off = rounds.at(-1)!.two;
    console.log(
      `run affinity on vs off (2 workers; the last round's run, so the load moves between them: bench/modes-ab.ts alternates them): payload files read by the workers per contract ${fmt(homed.reads.files, 1)} (${fmt(homed.reads.kb, 0)} kB) vs ${fmt(off.reads.files, 1)} (${fmt(off.reads.kb, 0)} kB) (1 worker: ${fmt(rounds.at(-1)!.one.reads.files, 1)}); workers' CPU per contract ${Math.round(sum(homed.workers))} vs ${Math.round(sum(off.workers))} ms`,
    );
  }
  const copied = byRun["2 copied -1 0"];
  if (copied !== undefined) {
    const off = rounds.at(-1)!.two;
    console.log(`run input referred to once vs copied into every step (2 workers, the last round's run): ${fmt(off.perSecond / copied.perSecond)}x contracts/s, API CPU per contract ${fmt(off.apiMs, 1)} vs ${fmt(copied.apiMs, 1)} ms`);
  }
}
/** The spread of a paired figure's median over BLOCKS consecutive blocks of the no-op run. */
const blockMedians = (xs: number[]): number[] => {
  const size = Math.ceil(xs.length / NOOP_BLOCKS);
  return Array.from({ length: Math.ceil(xs.length / size) }, (_, b) => median(xs.slice(b * size, (b + 1) * size)));
};
console.log(`no-op steps: ${NOOP_STEPS} of each kind, interleaved one by one (in-process, BEAR, bare job concurrency ${WORKER_CONCURRENCY}, bare job concurrency 1; the order rotating)`);
console.log(`no-op step, in-process: ${line(localTimes)}`);
console.log(`no-op step through BullMQ (run → job → worker, concurrency ${WORKER_CONCURRENCY} → result → run): ${line(queuedTimes)}`);
console.log(`peer, a bare BullMQ job (add → worker process, concurrency ${WORKER_CONCURRENCY} like BEAR's → completed event, no BEAR): ${line(rawTimes)}; BEAR's step / bare job p50: ${fmt(pct(queuedTimes, 50) / pct(rawTimes, 50))}x`);
console.log(`peer, a bare BullMQ job, worker concurrency 1: ${line(raw1Times)}; BEAR's step / this p50: ${fmt(pct(queuedTimes, 50) / pct(raw1Times, 50))}x`);
console.log(
  `CPU per step (ms): BEAR API ${fmt(sum(queuedCpuMs) / NOOP_STEPS, 3)} + worker ${perStepMs(noopWorker.cpuSeconds - workerCpu0, noopWorker.completed - workerSteps0)}; bare BullMQ (concurrency ${WORKER_CONCURRENCY}) producer ${fmt(sum(raw.cpuMs) / NOOP_STEPS, 3)} + worker ${perStepMs(rawWorker.cpuSeconds, rawWorker.jobs)} (worker figures include idle polling)`,
);
console.log(`queue overhead per step (BEAR's step − the in-process step of the same round): p50 ${fmt(pct(overhead, 50), 3)} ms, p95 ${fmt(pct(overhead, 95), 3)} ms, p99 ${fmt(pct(overhead, 99), 3)} ms (goal p50 <= 2 ms); p50 per block of ${Math.ceil(NOOP_STEPS / NOOP_BLOCKS)}: ${spread(blockMedians(overhead), 3, " ms")}`);
console.log(`BEAR's own part (BEAR's step − the bare job of the same round): p50 ${fmt(pct(ownPart, 50), 3)} ms; per block: ${spread(blockMedians(ownPart), 3, " ms")}`);

await engine.dispose();
await node.close();
await redis.kill();
fs.rmSync(tmp, { recursive: true, force: true });

// 3. the cache's hit latency, L1 (memory) and L2 (disk, Redis; plain and sealed): the workspace's
// cache bench (packages/workspace/bench/cache.ts --tiers), run here so one output holds every figure
if (process.env.BENCH_CACHE !== "0") {
  const workspaceDir = path.resolve(import.meta.dirname, "../../workspace");
  const cache = spawn(process.execPath, ["--import", "tsx", path.join(workspaceDir, "bench/cache.ts"), "--tiers"], {
    cwd: workspaceDir,
    env: { ...process.env, TSX_TSCONFIG_PATH: path.resolve(workspaceDir, "../../tsconfig.base.json") },
    stdio: ["ignore", "pipe", "inherit"],
  });
  let out = "";
  cache.stdout!.on("data", (d: Buffer) => (out += d.toString()));
  const code = await new Promise<number | null>((resolve) => cache.once("exit", resolve));
  console.log(`cache hit latency (packages/workspace/bench/cache.ts --tiers, a search result's hits and a vector${code === 0 ? "" : `; it exited ${code}`}):`);
  for (const l of out.split("\n").filter((x) => /^L[12] hit/.test(x))) console.log(`  ${l}`);
}
