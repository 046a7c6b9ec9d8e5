// Are the workers ever idle while steps wait? Reviews contracts with 1 and then 2 worker processes
// (alternating over rounds, like scale-out.ts) and puts, on the machine's one clock, every step the
// API has out (execute called → settled) beside every handler running on a worker (its start → end),
// then sweeps that timeline: each worker's busy share of the run, how many steps the API had out,
// and how long a worker sat idle while a step it could run was out but running nowhere (queued,
// in transit, or its result on its way back). Also each worker's event-loop utilisation and CPU.
// Usage: cd packages/cluster && nice -n 10 npx tsx --tsconfig ../../tsconfig.base.json bench/utilisation.ts
//   (UTIL_CONTRACTS=80 per run, UTIL_ROUNDS=2, UTIL_WARM_UP=8 per worker, UTIL_IN_FLIGHT=8 runs at once)
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { InProcessExecutor, WorkflowEngine, type Executor } from "@bear/workflow-engine";
import { ClusterNode } from "../src/index";
import { contentCipherFromKey as keyCipher } from "@bear/security";
import { startTestRedis } from "../test/fixtures/redis-server";
import { REVIEW_WORKFLOW, reviewRegistry } from "./review-steps";
import { ownCpu, redisCpu, startWorker, threadCpu } from "./worker-process";

const CONTRACTS = Number(process.env.UTIL_CONTRACTS ?? 80);
const ROUNDS = Number(process.env.UTIL_ROUNDS ?? 2);
const WARM_UP = Number(process.env.UTIL_WARM_UP ?? 8);
const IN_FLIGHT = Number(process.env.UTIL_IN_FLIGHT ?? 8);
const cuad = path.resolve(import.meta.dirname, "../../../../shared/data/cuad_train/full_contract_txt");
const texts = fs.readdirSync(cuad).filter((f) => f.endsWith(".txt")).sort().slice(0, CONTRACTS).map((f) => fs.readFileSync(path.join(cuad, f), "utf8"));
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "bear-utilisation-"));
const payloadDir = path.join(tmp, "payloads");
const registry = reviewRegistry();
const clock = (): number => performance.timeOrigin + performance.now();

const redis = await startTestRedis({ fsync: "everysec" });
const node = new ClusterNode({ redisUrl: redis.url, payloadDir, keyCipher, waitForWorkerMs: 60_000 });
const queued = node.decorate(new InProcessExecutor(registry));
/** The API's steps out: start, end pairs (execute called → settled). */
let apiSpans: number[] = [];
const executor: Executor = {
  joinsInterruptedAttempts: true,
  execute: async (task, options) => {
    const start = clock();
    try {
      return await queued.execute(task, options);
    } finally {
      apiSpans.push(start, clock());
    }
  },
};
const engine = WorkflowEngine.inMemory({ registry, maxParallelSteps: 4, keepEvents: false, executor, coordination: node.runs });
await node.attach(engine);

async function reviewAll(count: number): Promise<number> {
  let next = 0;
  const t0 = performance.now();
  const lane = async (): Promise<void> => {
    while (next < count) {
      const result = await engine.run(REVIEW_WORKFLOW, { text: texts[next++ % texts.length]!, format: "json" });
      if (result.status !== "completed") throw new Error(`a review failed: ${JSON.stringify(result.error)}`);
    }
  };
  await Promise.all(Array.from({ length: IN_FLIGHT }, lane));
  return (performance.now() - t0) / 1000;
}

/** Time-weighted sweep of +1/−1 events: for each instant, the API's steps out and each worker's handlers running. */
function sweep(from: number, to: number, api: number[], workers: number[][]) {
  type Ev = { t: number; who: number; d: number }; // who −1: the API
  const evs: Ev[] = [];
  const add = (spans: number[], who: number): void => {
    for (let i = 0; i < spans.length; i += 2) {
      const s = Math.max(spans[i]!, from);
      const e = Math.min(spans[i + 1]!, to);
      if (e <= s) continue;
      evs.push({ t: s, who, d: 1 }, { t: e, who, d: -1 });
    }
  };
  add(api, -1);
  workers.forEach((w, i) => add(w, i));
  evs.sort((a, b) => a.t - b.t || a.d - b.d);
  const running = workers.map(() => 0);
  let out = 0;
  let t = from;
  const busy = workers.map(() => 0);
  let idleWhileWaiting = 0; // worker-ms idle while a step is out and running nowhere
  let outMs = 0;
  let starved = 0; // ms with fewer steps out than workers
  let allBusy = 0;
  const span = (until: number): void => {
    const dt = until - t;
    if (dt <= 0) return;
    const runningSteps = running.reduce((a, b) => a + b, 0);
    const waiting = Math.max(0, out - runningSteps);
    running.forEach((r, i) => {
      if (r > 0) busy[i]! += dt;
      else if (waiting > 0) idleWhileWaiting += dt;
    });
    if (running.every((r) => r > 0)) allBusy += dt;
    if (out < workers.length) starved += dt;
    outMs += out * dt;
    t = until;
  };
  for (const ev of evs) {
    span(ev.t);
    if (ev.who < 0) out += ev.d;
    else running[ev.who]! += ev.d;
  }
  span(to);
  const wall = to - from;
  return { wall, busy: busy.map((b) => b / wall), allBusy: allBusy / wall, idleWhileWaiting: idleWhileWaiting / (wall * workers.length), meanOut: outMs / wall, starved: starved / wall };
}

const pct = (x: number): string => `${(100 * x).toFixed(1)}%`;
console.log(`node ${process.version}; ${CONTRACTS} contracts per run, ${IN_FLIGHT} runs in flight, warm-up ${WARM_UP} per worker; ${os.loadavg()[0]!.toFixed(1)} load at the start`);
console.log("| run | contracts/s | workers busy (a handler running) | all workers busy | no handler running on a worker while a step is out and running on none (share of worker time: the step's path on the worker, or idle) | steps out at the API (mean; < workers) | event loop utilisation | CPU ms per contract: API + Redis, workers | workers' CPU ms per contract by thread | the API's by thread |");
console.log("|---|---|---|---|---|---|---|---|---|---|");
for (let round = 0; round < ROUNDS; round++) {
  for (const count of round % 2 === 0 ? [1, 2] : [2, 1]) {
    const files = Array.from({ length: count }, (_, i) => path.join(tmp, `timeline-${round}-${count}-${i}.json`));
    const workers = await Promise.all(files.map((file, i) => startWorker({ url: redis.url, payloadDir, id: `u${round}-${count}-${i}`, concurrency: 2, env: { BENCH_TIMELINE: file } })));
    await new Promise((r) => setTimeout(r, 1_500));
    await reviewAll(WARM_UP * count);
    const s0 = await Promise.all(workers.map((w) => w.sample()));
    const [api0, redis0, apiThreads0] = [ownCpu(), await redisCpu(node.redis), threadCpu()];
    apiSpans = [];
    const from = clock();
    const seconds = await reviewAll(texts.length);
    const to = clock();
    const [apiCpu, redisUsed] = [ownCpu() - api0, (await redisCpu(node.redis)) - redis0];
    const per = (s: number): string => ((s * 1000) / texts.length).toFixed(1);
    const apiThreads = threadCpu();
    const apiByThread = Object.entries(apiThreads).map(([name, cpu]) => [name, cpu - (apiThreads0[name] ?? 0)] as const).filter(([, cpu]) => cpu > 0).sort((a, b) => b[1] - a[1]).map(([name, cpu]) => `${name} ${per(cpu)}`).join(", ");
    const s0t = s0;
    const s1 = await Promise.all(workers.map((w) => w.sample()));
    const byThread = s1.map((s, i) =>
      Object.entries(s.threads)
        .map(([name, cpu]) => [name, cpu - (s0t[i]!.threads[name] ?? 0)] as const)
        .filter(([, cpu]) => cpu > 0)
        .sort((a, b) => b[1] - a[1])
        .map(([name, cpu]) => `${name} ${per(cpu)}`)
        .join(", "),
    );
    await Promise.all(workers.map((w) => w.stop()));
    const spans = files.map((f) => JSON.parse(fs.readFileSync(f, "utf8")) as number[]);
    const r = sweep(from, to, apiSpans, spans);
    console.log(
      `| round ${round + 1}, ${count} worker${count > 1 ? "s" : ""} | ${(texts.length / seconds).toFixed(2)} | ${r.busy.map(pct).join(" + ")} | ${pct(r.allBusy)} | ${pct(r.idleWhileWaiting)} | ${r.meanOut.toFixed(2)}; ${pct(r.starved)} | ${s1.map((s) => s.elu.toFixed(3)).join(" + ")} | ${per(apiCpu + redisUsed)}, ${s1.map((s, i) => per(s.cpuSeconds - s0[i]!.cpuSeconds)).join(" + ")} | ${byThread.join("; ")} | ${apiByThread} |`,
    );
  }
}
console.log(`load at the end: ${os.loadavg()[0]!.toFixed(1)}`);
await engine.dispose();
await node.close();
await redis.kill();
fs.rmSync(tmp, { recursive: true, force: true });
process.exit(0); // the workers' connections and timers must not keep the bench alive
