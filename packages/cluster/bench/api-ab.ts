// Same-run A/B of the API side against another checkout's build (default /work/main's): one process
// holds both — this package's source (with @bear/workflow-engine's) and the other checkout's built
// @bear/cluster and @bear/workflow-engine — on one Redis and the same worker processes; batches of
// contracts alternate between the two (the order swapping each round), so the machine's load moves
// them alike. What is compared is the CPU this process spent per contract while each side's batch
// ran (the API's: its runs, payloads, replies, GC), the workers' and Redis's, not the wall clock.
// Usage: cd packages/cluster && TSX_TSCONFIG_PATH=../../tsconfig.base.json nice -n 10 node --import tsx bench/api-ab.ts
//   (AB_BEFORE=/work/main: a checkout whose packages/{cluster,workflow-engine}/dist are built; AB_AFTER=<checkout>: the after side
//   from that checkout's build instead of this source;
//   AB_CONTRACTS=120 per side, AB_BATCH=10, AB_WORKERS=2; AB_PROF=<dir>: a V8 CPU profile of this process;
//   AB_STORE=sqlite: each side's engine keeps its runs in a workflows.db of its own, as `bear serve --redis` does; default memory;
//   AB_BEFORE_STORE=memory|sqlite: the before side's store, when it differs — e.g. AB_BEFORE=<this checkout> AB_BEFORE_STORE=memory
//   AB_STORE=sqlite: what the run store costs the API in the cluster, both sides this build;
//   AB_PREFILL=<n>: after the warm-up, each SQLite side's workflows.db gets n more finished runs, copies of the warm-up's
//   reviews under new ids (the rows its own engine wrote), as a database that has served a data room holds)
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { performance } from "node:perf_hooks";
import { randomUUID } from "node:crypto";
import * as engineAfter from "@bear/workflow-engine";
import { contentCipherFromKey as keyCipher } from "@bear/security";
import * as clusterAfter from "../src/index";
import { startTestRedis } from "../test/fixtures/redis-server";
import { REVIEW_WORKFLOW, reviewRegistry } from "./review-steps";
import { ownCpu, redisCpu, startWorker } from "./worker-process";

const BEFORE = process.env.AB_BEFORE ?? "/work/main";
const PER_SIDE = Number(process.env.AB_CONTRACTS ?? 120);
const BATCH = Number(process.env.AB_BATCH ?? 10);
const WORKERS = Number(process.env.AB_WORKERS ?? 2);
const RUNS_IN_FLIGHT = 8;
const STORE = process.env.AB_STORE === "sqlite" ? "sqlite" : "memory";
const BEFORE_STORE = process.env.AB_BEFORE_STORE === undefined ? STORE : process.env.AB_BEFORE_STORE === "sqlite" ? "sqlite" : "memory";
/**
 * AB_AFTER=<checkout>: the after side from that checkout's build too, not this source through tsx (which read
 * 1.02-1.07x the API's CPU of the same code built, in the fourteenth session: compare builds for changes that small).
 */
const AFTER = process.env.AB_AFTER;
const load = async <T>(checkout: string, pkg: string): Promise<T> => (await import(pathToFileURL(path.join(checkout, "packages", pkg, "dist/index.js")).href)) as T;
const engineBefore = await load<typeof engineAfter>(BEFORE, "workflow-engine");
const clusterBefore = await load<typeof clusterAfter>(BEFORE, "cluster");
const engineAfterSide = AFTER ? await load<typeof engineAfter>(AFTER, "workflow-engine") : engineAfter;
const clusterAfterSide = AFTER ? await load<typeof clusterAfter>(AFTER, "cluster") : clusterAfter;

const cuad = path.resolve(import.meta.dirname, "../../../../shared/data/cuad_train/full_contract_txt");
const texts = fs
  .readdirSync(cuad)
  .filter((f) => f.endsWith(".txt"))
  .sort()
  .slice(0, Math.max(PER_SIDE, 8))
  .map((f) => fs.readFileSync(path.join(cuad, f), "utf8"));
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "bear-api-ab-"));
const payloadDir = path.join(tmp, "payloads");
const registry = reviewRegistry();
const redis = await startTestRedis({ fsync: "everysec" });

interface Side {
  readonly node: { readonly redis: Parameters<typeof redisCpu>[0]; close(): Promise<void> };
  readonly engine: { run(definition: unknown, inputs: Record<string, unknown>): Promise<{ status: string; error?: unknown }>; dispose(): Promise<void> };
}
/** Each SQLite side's workflows.db. */
const sideDb = new Map<string, string>();
async function side(name: string, engineLib: typeof engineAfter, clusterLib: typeof clusterAfter, store: "sqlite" | "memory"): Promise<Side> {
  sideDb.set(name, path.join(tmp, `workflows-${name}.db`));
  const node = new clusterLib.ClusterNode({ redisUrl: redis.url, payloadDir, keyCipher, waitForWorkerMs: 60_000 });
  const executor = node.decorate(new engineLib.InProcessExecutor(registry as never)) as never;
  const engine =
    store === "sqlite"
      ? await engineLib.WorkflowEngine.open({ dbPath: sideDb.get(name)!, sharedDatabase: true, resumeOnOpen: false, registry: registry as never, maxParallelSteps: 4, executor, coordination: node.runs as never })
      : engineLib.WorkflowEngine.inMemory({ registry: registry as never, maxParallelSteps: 4, keepEvents: false, executor, coordination: node.runs as never });
  await node.attach(engine as never);
  return { node, engine };
}
const sides = new Map<string, Side>([
  ["before", await side("before", engineBefore, clusterBefore, BEFORE_STORE)],
  ["after", await side("after", engineAfterSide, clusterAfterSide, STORE)],
]);
const workers = await Promise.all(Array.from({ length: WORKERS }, (_, i) => startWorker({ url: redis.url, payloadDir, id: `api-ab-${i}`, concurrency: 2 })));
await new Promise((r) => setTimeout(r, 1_500));

async function review(engine: Side["engine"], batch: readonly string[]): Promise<void> {
  let next = 0;
  const lane = async (): Promise<void> => {
    while (next < batch.length) {
      const result = await engine.run(REVIEW_WORKFLOW, { text: batch[next++]!, format: "json" });
      if (result.status !== "completed") throw new Error(`a review failed: ${JSON.stringify(result.error)}`);
    }
  };
  await Promise.all(Array.from({ length: RUNS_IN_FLIGHT }, lane));
}

for (const { engine } of sides.values()) await review(engine, texts.slice(0, 8)); // warm-up
const PREFILL = Number(process.env.AB_PREFILL ?? 0);
if (PREFILL > 0 && BEFORE_STORE === "sqlite") await prefill(engineBefore, sideDb.get("before")!, PREFILL);
if (PREFILL > 0 && STORE === "sqlite") await prefill(engineAfterSide, sideDb.get("after")!, PREFILL);
const profiler = process.env.AB_PROF ? await startProfiler() : undefined;
const names = [...sides.keys()];
const totals = new Map(names.map((n) => [n, { contracts: 0, seconds: 0, api: [] as number[], redis: 0, workers: 0, gcMs: 0 }]));
const loads: number[] = [];
for (let start = 0, round = 0; start < PER_SIDE; start += BATCH, round++) {
  const batch = texts.slice(start, Math.min(PER_SIDE, start + BATCH));
  for (const name of round % 2 === 0 ? names : [...names].reverse()) {
    const { node, engine } = sides.get(name)!;
    const t = totals.get(name)!;
    const before = await Promise.all(workers.map((w) => w.sample()));
    const [r0, a0, s] = [await redisCpu(node.redis), ownCpu(), performance.now()];
    await review(engine, batch);
    const [seconds, api, rc] = [(performance.now() - s) / 1000, ownCpu() - a0, (await redisCpu(node.redis)) - r0];
    const after = await Promise.all(workers.map((w) => w.sample()));
    t.contracts += batch.length;
    t.seconds += seconds;
    t.api.push((api * 1000) / batch.length);
    t.redis += rc;
    after.forEach((a, i) => {
      t.workers += a.cpuSeconds - before[i]!.cpuSeconds;
      t.gcMs += a.gcMs - before[i]!.gcMs;
    });
  }
  loads.push(os.loadavg()[0]!);
}
await profiler?.();

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 === 1 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};
console.log(`node ${process.version}, ${os.cpus().length} vCPU (shared); before = ${BEFORE}'s build, after = ${AFTER ? `${AFTER}'s build` : "this checkout's source"}; ${WORKERS} worker processes (concurrency 2), ${RUNS_IN_FLIGHT} runs in flight; ${PER_SIDE} cuad_train contracts per side in batches of ${BATCH}, alternating; run store ${BEFORE_STORE === STORE ? STORE : `${BEFORE_STORE} (before), ${STORE} (after)`}; load (1 min) ${Math.min(...loads).toFixed(1)}–${Math.max(...loads).toFixed(1)}`);
console.log("| side | API CPU ms per contract: mean (median of batches, min–max) | Redis ms | workers' CPU ms (all) | workers' GC ms | contracts/s (wall, load-bound) |");
console.log("|---|---|---|---|---|---|");
for (const name of names) {
  const t = totals.get(name)!;
  const per = (x: number): string => ((x * 1000) / t.contracts).toFixed(1);
  const mean = t.api.reduce((a, b) => a + b, 0) / t.api.length;
  console.log(`| ${name} | ${mean.toFixed(1)} (${median(t.api).toFixed(1)}, ${Math.min(...t.api).toFixed(1)}–${Math.max(...t.api).toFixed(1)}) | ${per(t.redis)} | ${per(t.workers)} | ${(t.gcMs / t.contracts).toFixed(1)} | ${(t.contracts / t.seconds).toFixed(2)} |`);
}
const [b, a] = names.map((n) => totals.get(n)!.api);
console.log(`after / before, API CPU per contract, per round (same-round pairs): median ${median(a!.map((x, i) => x / b![i]!)).toFixed(3)}x`);

await Promise.all(workers.map((w) => w.stop()));
// each worker closes its queues before it exits: Redis must outlive that (or the worker waits on it for ever)
await Promise.all(workers.map((w) => (w.proc.exitCode !== null ? undefined : new Promise((r) => w.proc.once("exit", r)))));
for (const { node, engine } of sides.values()) {
  await engine.dispose();
  await node.close();
}
await redis.kill();
fs.rmSync(tmp, { recursive: true, force: true });
process.exit(0);

/**
 * Adds `n` finished runs to a side's database, copies of the reviews already there under new random ids,
 * written through a second store of that side's own build on the file (WAL, shared), so in its schema.
 */
async function prefill(lib: typeof engineAfter, dbPath: string, n: number): Promise<void> {
  const store = await lib.SqliteRunStore.open({ dbPath, shared: true, presence: false });
  try {
    const sources = store.listRuns({ status: "completed", limit: 100 }).map((run) => ({ run, steps: store.getSteps(run.id), events: store.getEvents(run.id) }));
    for (let i = 0; i < n; i++) {
      const { run, steps, events } = sources[i % sources.length]!;
      const id = `prefill-${randomUUID()}`;
      store.insertRun({ ...run, id, definition: run.definition, inputs: run.inputs });
      for (const step of steps) store.saveStep({ ...step, runId: id });
      for (const event of events) store.appendEvent({ ...event, runId: id });
      if (i % 20 === 19) store.flush();
    }
  } finally {
    store.close();
  }
}

/** A V8 CPU profile of this process over the measured batches, written to AB_PROF. */
async function startProfiler(): Promise<() => Promise<void>> {
  const { Session } = await import("node:inspector/promises");
  const session = new Session();
  session.connect();
  await session.post("Profiler.enable");
  await session.post("Profiler.start");
  return async () => {
    const { profile } = await session.post("Profiler.stop");
    fs.mkdirSync(process.env.AB_PROF!, { recursive: true });
    fs.writeFileSync(path.join(process.env.AB_PROF!, `api-ab-${Date.now()}.cpuprofile`), JSON.stringify(profile));
    session.disconnect();
  };
}
