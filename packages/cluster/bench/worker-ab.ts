// Same-run A/B of the review worker's process settings (node/V8 flags, environment): one worker
// process per variant, each with its own Redis and API engine in this process, batches of contracts
// alternating between the variants (the order rotating each round), so a load that moves moves them
// alike. What is compared is what the 2-workers-vs-1 ratio depends on (README, *Benchmark*): per
// contract, the worker's main-thread CPU (what one worker alone is bound by) and the CPU of its other
// threads (V8's GC and compiler threads, libuv's pool, the lock keeper: what competes for the cores
// once two workers are busy), its GC pauses by kind, and its resident memory.
// Usage: cd packages/cluster && nice -n 10 npx tsx --tsconfig ../../tsconfig.base.json bench/worker-ab.ts
//   AB_VARIANTS='default|--max-semi-space-size=32|--single-threaded-gc' (variants separated by '|',
//   each a space-separated list of node flags, `default` none; `KEY=value` words go to the environment)
//   AB_CONTRACTS=120 per variant, AB_BATCH=10, AB_WARM_UP=16, AB_PROF=<dir> (workers' CPU and heap profiles),
//   AB_TOGETHER=1 (the variants review each batch at the same time instead of one after another)
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { InProcessExecutor, WorkflowEngine, type Executor } from "@bear/workflow-engine";
import { ClusterNode } from "../src/index";
import { contentCipherFromKey as keyCipher } from "@bear/security";
import { startTestRedis, type TestRedis } from "../test/fixtures/redis-server";
import { REVIEW_WORKFLOW, reviewRegistry } from "./review-steps";
import { ownCpu, redisCpu, startWorker, workerVariant, type WorkerHandle, type WorkerSample } from "./worker-process";

const PER_VARIANT = Number(process.env.AB_CONTRACTS ?? 120);
const BATCH = Number(process.env.AB_BATCH ?? 10);
const WARM_UP = Number(process.env.AB_WARM_UP ?? 16);
const RUNS_IN_FLIGHT = 8;
const TOGETHER = process.env.AB_TOGETHER === "1";
const variants = (process.env.AB_VARIANTS ?? "default|--max-semi-space-size=32").split("|").map((v) => v.trim()).filter((v) => v !== "");
const cuad = path.resolve(import.meta.dirname, "../../../../shared/data/cuad_train/full_contract_txt");
const corpus = fs.readdirSync(cuad).filter((f) => f.endsWith(".txt")).sort();
const texts = corpus.slice(0, PER_VARIANT).map((f) => fs.readFileSync(path.join(cuad, f), "utf8"));
/** Warm-up contracts: those after the measured ones, so a long warm-up never reviews a measured contract first. */
const warmTexts = corpus.slice(PER_VARIANT).map((f) => fs.readFileSync(path.join(cuad, f), "utf8"));
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "bear-worker-ab-"));
const registry = reviewRegistry();

interface Side {
  readonly name: string;
  readonly redis: TestRedis;
  readonly node: ClusterNode;
  readonly engine: WorkflowEngine;
  readonly worker: WorkerHandle;
  /** Per batch: contracts, wall s, API s, Redis s, worker main-thread s, worker other threads s, and the GC by kind. */
  readonly batches: Array<{ contracts: number; seconds: number; api: number; redis: number; main: number; other: number; gc: Record<string, { n: number; ms: number }>; tids: Record<string, number> }>;
  peakRssMb: number;
  /** Contracts reviewed before the figures start (AB_WARM_UP, or the variant's BENCH_WARM_UP=<n>). */
  readonly warmUp: number;
}

const sides: Side[] = [];
for (const [i, variant] of variants.entries()) {
  const { flags, env, warmUp } = workerVariant(variant);
  const prof = process.env.AB_PROF ? ["--cpu-prof", "--heap-prof", `--cpu-prof-dir=${process.env.AB_PROF}/v${i}`, `--heap-prof-dir=${process.env.AB_PROF}/v${i}`] : [];
  const redis = await startTestRedis({ fsync: "everysec" });
  const payloadDir = path.join(tmp, `payloads-${i}`);
  const node = new ClusterNode({ redisUrl: redis.url, payloadDir, keyCipher, waitForWorkerMs: 60_000 });
  const engine = WorkflowEngine.inMemory({ registry, maxParallelSteps: 4, keepEvents: false, executor: node.decorate(new InProcessExecutor(registry)) as Executor, coordination: node.runs });
  await node.attach(engine);
  const worker = await startWorker({ url: redis.url, payloadDir, id: `ab-${i}`, concurrency: 2, nodeArgs: [...flags, ...prof], env });
  sides.push({ name: variant, redis, node, engine, worker, batches: [], peakRssMb: 0, warmUp: warmUp ?? WARM_UP });
}
await new Promise((r) => setTimeout(r, 1_500));

async function review(engine: WorkflowEngine, batch: readonly string[]): Promise<void> {
  let next = 0;
  const lane = async (): Promise<void> => {
    while (next < batch.length) {
      const result = await engine.run(REVIEW_WORKFLOW, { text: batch[next++]!, format: "json" });
      if (result.status !== "completed") throw new Error(`a review failed: ${JSON.stringify(result.error)}`);
    }
  };
  await Promise.all(Array.from({ length: RUNS_IN_FLIGHT }, lane));
}

// warm-up: each worker compiles the handlers and fills its caches (texts past the corpus's end start again at its start)
for (const side of sides) await review(side.engine, Array.from({ length: side.warmUp }, (_, i) => warmTexts[i % warmTexts.length]!));

const diffGc = (a: WorkerSample, b: WorkerSample): Record<string, { n: number; ms: number }> =>
  Object.fromEntries(Object.entries(a.gcKinds ?? {}).map(([k, v]) => [k, { n: v.n - (b.gcKinds?.[k]?.n ?? 0), ms: v.ms - (b.gcKinds?.[k]?.ms ?? 0) }]));
const loads: number[] = [];
for (let start = 0, round = 0; start < PER_VARIANT; start += BATCH, round++) {
  const batch = texts.slice(start, Math.min(PER_VARIANT, start + BATCH));
  const measure = async (side: Side): Promise<void> => {
    const before = await side.worker.sample();
    const [r0, a0, s] = [await redisCpu(side.node.redis), ownCpu(), performance.now()];
    await review(side.engine, batch);
    const [seconds, api, rc] = [(performance.now() - s) / 1000, ownCpu() - a0, (await redisCpu(side.node.redis)) - r0];
    const after = await side.worker.sample();
    const main = (after.threads.main ?? 0) - (before.threads.main ?? 0);
    const tids = Object.fromEntries(Object.entries(after.tids ?? {}).map(([t, c]) => [t, c - (before.tids?.[t] ?? 0)]));
    side.batches.push({ contracts: batch.length, seconds, api, redis: rc, main, other: Object.values(after.threads).reduce((x, y) => x + y, 0) - Object.values(before.threads).reduce((x, y) => x + y, 0) - main, gc: diffGc(after, before), tids });
    side.peakRssMb = Math.max(side.peakRssMb, after.peakRssMb ?? 0);
  };
  // AB_TOGETHER=1: every variant reviews the batch at the same time (each sees the same machine at every
  // moment; the API's CPU is then shared and not per variant); else one after another, the order rotating
  if (TOGETHER) await Promise.all(sides.map(measure));
  else for (let k = 0; k < sides.length; k++) await measure(sides[(k + round) % sides.length]!);
  loads.push(os.loadavg()[0]!);
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 === 1 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};
/** Sum over the batches, per contract (ms). */
const perContract = (side: Side, pick: (b: Side["batches"][number]) => number): number => (side.batches.reduce((a, b) => a + pick(b), 0) * 1000) / side.batches.reduce((a, b) => a + b.contracts, 0);
/** Median over the batches of a per-contract figure (ms), and its min–max. */
const batchMedian = (side: Side, pick: (b: Side["batches"][number]) => number): string => {
  const xs = side.batches.map((b) => (pick(b) * 1000) / b.contracts);
  return `${median(xs).toFixed(1)} (${Math.min(...xs).toFixed(0)}–${Math.max(...xs).toFixed(0)})`;
};
console.log(`node ${process.version}, ${os.cpus().length} vCPU (shared); one worker process per variant (concurrency 2), each with its own Redis; ${RUNS_IN_FLIGHT} runs in flight; ${PER_VARIANT} cuad_train contracts per variant in batches of ${BATCH}, ${TOGETHER ? "variants at the same time" : "variants alternating (order rotating)"}, warm-up ${WARM_UP}; load (1 min) ${Math.min(...loads).toFixed(1)}–${Math.max(...loads).toFixed(1)}`);
console.log("| worker variant | worker main thread CPU ms per contract: mean, median of batches (min–max) | other threads | worker total | GC per contract: scavenges (pause ms), mark-sweeps (ms), incremental marking (ms) | API ms | Redis ms | peak RSS MiB | contracts/s (wall, load-bound) |");
console.log("|---|---|---|---|---|---|---|---|---|");
for (const side of sides) {
  const contracts = side.batches.reduce((a, b) => a + b.contracts, 0);
  const gc = (kind: string): string => {
    const n = side.batches.reduce((a, b) => a + (b.gc[kind]?.n ?? 0), 0) / contracts;
    const ms = side.batches.reduce((a, b) => a + (b.gc[kind]?.ms ?? 0), 0) / contracts;
    return `${n.toFixed(2)} (${ms.toFixed(2)})`;
  };
  console.log(
    `| ${side.name} | ${perContract(side, (b) => b.main).toFixed(1)}, ${batchMedian(side, (b) => b.main)} | ${perContract(side, (b) => b.other).toFixed(1)}, ${batchMedian(side, (b) => b.other)} | ${perContract(side, (b) => b.main + b.other).toFixed(1)} | ${gc("scavenge")}, ${gc("markSweep")}, ${gc("incremental")} | ${perContract(side, (b) => b.api).toFixed(1)} | ${perContract(side, (b) => b.redis).toFixed(1)} | ${side.peakRssMb} | ${(contracts / side.batches.reduce((a, b) => a + b.seconds, 0)).toFixed(2)} |`,
  );
}
console.log("worker CPU ms per contract by thread (id offset from the process's; +1… V8's platform workers first, then libuv's pool and the lock keeper as first used):");
for (const side of sides) {
  const tids: Record<string, number> = {};
  for (const b of side.batches) for (const [t, c] of Object.entries(b.tids)) tids[t] = (tids[t] ?? 0) + c;
  const contracts = side.batches.reduce((a, b) => a + b.contracts, 0);
  console.log(`  ${side.name}: ${Object.entries(tids).filter(([, c]) => c > 0).sort((a, b) => b[1] - a[1]).map(([t, c]) => `${t} ${((c * 1000) / contracts).toFixed(1)}`).join(", ")}`);
}
// same-round ratios against the first variant: main thread, other threads
if (sides.length > 1) {
  const base = sides[0]!;
  for (const side of sides.slice(1)) {
    const ratio = (pick: (b: Side["batches"][number]) => number): string => {
      const xs = side.batches.map((b, i) => pick(b) / b.contracts / (pick(base.batches[i]!) / base.batches[i]!.contracts)).filter(Number.isFinite);
      return `${median(xs).toFixed(3)}x`;
    };
    console.log(`${side.name} / ${base.name}, median of same-round ratios: main thread ${ratio((b) => b.main)}, other threads ${ratio((b) => b.other)}, worker total ${ratio((b) => b.main + b.other)}`);
  }
}

await Promise.all(sides.map((s) => s.worker.stop()));
for (const side of sides) {
  await side.engine.dispose();
  await side.node.close();
  await side.redis.kill();
}
fs.rmSync(tmp, { recursive: true, force: true });
process.exit(0);
