// Same-run A/B of the API's routing and payload modes on the same two worker processes: run
// affinity on / off, values shared / copied. Batches of contracts alternate between the modes (the
// order rotating each round), so the machine's load moves them alike; what is compared is the CPU
// each process spent per contract (workers, API, Redis), the payload files the workers read and
// the workers' GC time, not the wall clock.
// Usage: cd packages/cluster && nice -n 10 npx tsx --tsconfig ../../tsconfig.base.json bench/modes-ab.ts
//   (AB_CONTRACTS=120 contracts per mode, AB_BATCH=10, AB_MODES=on,off,copied-on,copied-off,
//   AB_WORKER_PROF=<dir>: the workers write V8 CPU profiles there)
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { InProcessExecutor, WorkflowEngine, type Executor } from "@bear/workflow-engine";
import { ClusterNode } from "../src/index";
import { contentCipherFromKey as keyCipher } from "@bear/security";
import { startTestRedis } from "../test/fixtures/redis-server";
import { REVIEW_WORKFLOW, reviewRegistry } from "./review-steps";
import { ownCpu, redisCpu, startWorker } from "./worker-process";

const PER_MODE = Number(process.env.AB_CONTRACTS ?? 120);
const BATCH = Number(process.env.AB_BATCH ?? 10);
const WORKERS = Number(process.env.AB_WORKERS ?? 2);
const RUNS_IN_FLIGHT = 8;
const MODES: Record<string, { runAffinity: boolean; shareValues: boolean }> = {
  on: { runAffinity: true, shareValues: true },
  off: { runAffinity: false, shareValues: true },
  "copied-on": { runAffinity: true, shareValues: false },
  "copied-off": { runAffinity: false, shareValues: false },
};
const modes = (process.env.AB_MODES ?? "on,off,copied-on,copied-off").split(",").filter((m) => m in MODES);
const cuad = path.resolve(import.meta.dirname, "../../../../shared/data/cuad_train/full_contract_txt");
const files = fs.readdirSync(cuad).filter((f) => f.endsWith(".txt")).sort();
const texts = files.slice(0, Math.max(PER_MODE, 40)).map((f) => fs.readFileSync(path.join(cuad, f), "utf8"));
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "bear-modes-ab-"));
const payloadDir = path.join(tmp, "payloads");
const registry = reviewRegistry();

const redis = await startTestRedis({ fsync: "everysec" });
const engines = new Map<string, { node: ClusterNode; engine: WorkflowEngine }>();
for (const mode of modes) {
  const node = new ClusterNode({ redisUrl: redis.url, payloadDir, keyCipher, waitForWorkerMs: 60_000, ...MODES[mode]! });
  const engine = WorkflowEngine.inMemory({ registry, maxParallelSteps: 4, keepEvents: false, executor: node.decorate(new InProcessExecutor(registry)) as Executor, coordination: node.runs });
  await node.attach(engine);
  engines.set(mode, { node, engine });
}
const nodeArgs = process.env.AB_WORKER_PROF ? ["--cpu-prof", `--cpu-prof-dir=${process.env.AB_WORKER_PROF}`] : [];
const workers = await Promise.all(Array.from({ length: WORKERS }, (_, i) => startWorker({ url: redis.url, payloadDir, id: `ab-${i}`, concurrency: 2, nodeArgs })));
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

// warm-up: every mode compiles the same handlers on the same workers
for (const mode of modes) await review(engines.get(mode)!.engine, texts.slice(0, 8));

const totals = new Map(modes.map((m) => [m, { contracts: 0, seconds: 0, api: 0, redis: 0, workers: Array.from({ length: WORKERS }, () => ({ cpu: 0, steps: 0, gcMs: 0, files: 0, chars: 0 })) }]));
const loads: number[] = [];
for (let start = 0, round = 0; start < PER_MODE; start += BATCH, round++) {
  const batch = texts.slice(start, Math.min(PER_MODE, start + BATCH));
  const order = modes.map((_, i) => modes[(i + round) % modes.length]!);
  for (const mode of order) {
    const t = totals.get(mode)!;
    const before = await Promise.all(workers.map((w) => w.sample()));
    const [r0, a0, s] = [await redisCpu(engines.get(mode)!.node.redis), ownCpu(), performance.now()];
    await review(engines.get(mode)!.engine, batch);
    const [seconds, api, rc] = [(performance.now() - s) / 1000, ownCpu() - a0, (await redisCpu(engines.get(mode)!.node.redis)) - r0];
    const after = await Promise.all(workers.map((w) => w.sample()));
    t.contracts += batch.length;
    t.seconds += seconds;
    t.api += api;
    t.redis += rc;
    after.forEach((a, i) => {
      const b = before[i]!;
      const wt = t.workers[i]!;
      wt.cpu += a.cpuSeconds - b.cpuSeconds;
      wt.steps += a.completed - b.completed;
      wt.gcMs += a.gcMs - b.gcMs;
      wt.files += a.reads.files - b.reads.files;
      wt.chars += a.reads.chars - b.reads.chars;
    });
  }
  loads.push(os.loadavg()[0]!);
}

console.log(`node ${process.version}, ${os.cpus().length} vCPU (shared); ${WORKERS} worker processes (concurrency 2), ${RUNS_IN_FLIGHT} runs in flight; ${PER_MODE} cuad_train contracts per mode in batches of ${BATCH}, modes alternating; load (1 min) ${Math.min(...loads).toFixed(1)}–${Math.max(...loads).toFixed(1)}`);
console.log("| mode | contracts/s (wall, load-bound) | workers' CPU ms per contract (each) | workers' GC ms per contract | API ms | Redis ms | files read per contract (kB) | steps per worker |");
console.log("|---|---|---|---|---|---|---|---|");
for (const mode of modes) {
  const t = totals.get(mode)!;
  const per = (x: number): number => (x * 1000) / t.contracts;
  const cpu = t.workers.reduce((a, w) => a + w.cpu, 0);
  console.log(
    `| ${mode} | ${(t.contracts / t.seconds).toFixed(2)} | ${per(cpu).toFixed(1)} (${t.workers.map((w) => per(w.cpu).toFixed(0)).join(" + ")}) | ${(t.workers.reduce((a, w) => a + w.gcMs, 0) / t.contracts).toFixed(1)} | ${per(t.api).toFixed(1)} | ${per(t.redis).toFixed(1)} | ${(t.workers.reduce((a, w) => a + w.files, 0) / t.contracts).toFixed(2)} (${(t.workers.reduce((a, w) => a + w.chars, 0) / 1000 / t.contracts).toFixed(0)}) | ${t.workers.map((w) => w.steps).join(" + ")} |`,
  );
}

await Promise.all(workers.map((w) => w.stop()));
for (const { node, engine } of engines.values()) {
  await engine.dispose();
  await node.close();
}
await redis.kill();
fs.rmSync(tmp, { recursive: true, force: true });
process.exit(0);
