// Where a no-op step's time goes, on both sides, BEAR's step beside a bare BullMQ job (worker
// concurrency 1: BullMQ's shortest path, as BEAR's slot Workers), alternating one by one. Every
// process stamps its Redis commands (written / reply read), pub/sub messages and named calls on the
// machine's monotonic clock with its own CPU time (probe.ts); per hop: the median time from the
// step's start and the median CPU the stamping process spent since its previous stamp on the step's
// path. Then the Redis commands per step of each side and each process's CPU per step.
// Usage: cd packages/cluster && nice -n 10 npx tsx --tsconfig ../../tsconfig.base.json bench/step-breakdown.ts   (BREAKDOWN_STEPS=400)
import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { probeMethod, probing, stamp, stamps, type Stamp } from "./probe";
import { Queue, QueueEvents } from "bullmq";
import { InProcessExecutor, WorkflowEngine, type Executor } from "@bear/workflow-engine";
import { contentCipherFromKey as keyCipher } from "@bear/security";
import { bullConnection } from "../src/connection/redis-connection";
import { ClusterNode, FilePayloads, QueueExecutor, WorkerDirectory, parseRedisUrl } from "../src/index";
import { startTestRedis } from "../test/fixtures/redis-server";
import { reviewRegistry } from "./review-steps";
import { startWorker } from "./worker-process";

const STEPS = Number(process.env.BREAKDOWN_STEPS ?? 400);
/** BREAKDOWN_PROF=<dir>: the BEAR worker writes a V8 CPU profile there (100 µs samples). */
const PROF = process.env.BREAKDOWN_PROF;
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "bear-step-breakdown-"));
const payloadDir = path.join(tmp, "payloads");
const registry = reviewRegistry();
const redis = await startTestRedis({ fsync: "everysec" });
const endpoint = parseRedisUrl(redis.url);

probeMethod(QueueExecutor.prototype, "execute", "executor.execute");
probeMethod(WorkerDirectory.prototype, "route", "route");
probeMethod(FilePayloads.prototype, "put", "payload.put");
probeMethod(FilePayloads.prototype, "get", "payload.get");

const node = new ClusterNode({ redisUrl: redis.url, payloadDir, keyCipher, waitForWorkerMs: 30_000 });
const engine = WorkflowEngine.inMemory({ registry, keepEvents: false, executor: node.decorate(new InProcessExecutor(registry)) as Executor, coordination: node.runs });
await node.attach(engine);
const workerOut = path.join(tmp, "worker-stamps.json");
const rawOut = path.join(tmp, "raw-stamps.json");
const worker = await startWorker({ url: redis.url, payloadDir, id: "breakdown", concurrency: 2, script: "breakdown-worker.ts", env: { PROBE_OUT: workerOut }, nodeArgs: PROF ? ["--cpu-prof", `--cpu-prof-dir=${PROF}`, "--cpu-prof-interval=100"] : [] });
const rawProc = spawn(process.execPath, ["--import", "tsx", path.join(import.meta.dirname, "breakdown-raw-worker.ts"), redis.url, "raw.breakdown", "1"], { stdio: ["ignore", "pipe", "inherit"], env: { ...process.env, PROBE_OUT: rawOut } });
await new Promise<void>((resolve) => rawProc.stdout!.on("data", (d: Buffer) => d.toString().includes("ready") && resolve()));
const queue = new Queue("raw.breakdown", { connection: bullConnection(endpoint), prefix: "bear-raw" });
const events = new QueueEvents("raw.breakdown", { connection: bullConnection(endpoint), prefix: "bear-raw" });
await Promise.all([queue.waitUntilReady(), events.waitUntilReady()]);
const waiters = new Map<string, () => void>();
events.on("completed", ({ jobId }) => waiters.get(jobId)?.());
await new Promise((r) => setTimeout(r, 1_500));

const wf = { name: "noop", steps: [{ id: "n", type: "bench.noop", parameters: {} }] };
const kinds = {
  bear: async (): Promise<void> => {
    if ((await engine.run(wf)).status !== "completed") throw new Error("a no-op step failed");
  },
  bare: async (i: number): Promise<void> => {
    const jobId = `raw-${i}`;
    const done = new Promise<void>((r) => waiters.set(jobId, r));
    await queue.add("raw.breakdown", {}, { jobId, attempts: 1, removeOnComplete: { age: 3600 } });
    await done;
    stamp("completed seen");
    waiters.delete(jobId);
  },
};
probing(false);
for (let i = 0; i < 50; i++) {
  await kinds.bear();
  await kinds.bare(-1 - i);
}
probing(true);
const nowUs = (): number => Number(process.hrtime.bigint() / 1000n);
const windows: Array<{ kind: "bear" | "bare"; start: number; end: number; cpu: number }> = [];
const loadStart = os.loadavg()[0]!;
for (let i = 0; i < STEPS; i++) {
  for (const kind of i % 2 === 0 ? (["bear", "bare"] as const) : (["bare", "bear"] as const)) {
    // a gap between steps, as the interleaved bench leaves: each step starts with its worker idle
    await new Promise((r) => setTimeout(r, 2));
    const c = process.cpuUsage();
    const start = nowUs();
    stamp("start");
    await kinds[kind](i);
    stamp("end");
    const used = process.cpuUsage(c);
    windows.push({ kind, start, end: nowUs(), cpu: used.user + used.system });
  }
}
probing(false);
const loadEnd = os.loadavg()[0]!;
await engine.dispose();
await node.close();
const exited = new Promise((r) => worker.proc.once("exit", r));
await worker.stop();
await Promise.race([exited, new Promise((r) => setTimeout(r, 5_000))]);
const rawExited = new Promise((r) => rawProc.once("exit", r));
rawProc.kill("SIGTERM");
await Promise.race([rawExited, new Promise((r) => setTimeout(r, 5_000))]);
await Promise.all([queue.close(), events.close()]);
await redis.kill();

const sides: Record<"bear" | "bare", { api: Stamp[]; worker: Stamp[] }> = {
  bear: { api: stamps, worker: JSON.parse(fs.readFileSync(workerOut, "utf8")) as Stamp[] },
  bare: { api: stamps, worker: JSON.parse(fs.readFileSync(rawOut, "utf8")) as Stamp[] },
};
fs.rmSync(tmp, { recursive: true, force: true });

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length === 0 ? NaN : s.length % 2 === 1 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};
/** Stamps of `list` in [from, to] (a sorted list: binary search for the first). */
function within(list: Stamp[], from: number, to: number): Stamp[] {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (list[mid]!.t < from) lo = mid + 1;
    else hi = mid;
  }
  const out: Stamp[] = [];
  for (let i = lo; i < list.length && list[i]!.t <= to; i++) out.push(list[i]!);
  return out;
}
for (const side of Object.values(sides)) side.worker.sort((a, b) => a.t - b.t);

console.log(`node ${process.version}, ${os.cpus().length} vCPU (shared); ${STEPS} steps of each kind, alternating, 2 ms apart; load ${loadStart.toFixed(1)} → ${loadEnd.toFixed(1)}`);
console.log("Stamps cost ~2 µs each (a getrusage per stamp): figures are for comparing hops, not the goal's p50.");
for (const kind of ["bear", "bare"] as const) {
  const mine = windows.filter((w) => w.kind === kind);
  const { api, worker: wk } = sides[kind];
  const hops = new Map<string, { at: number[]; cpu: number[] }>();
  const counts = { api: new Map<string, number>(), worker: new Map<string, number>() };
  const workerCpu: number[] = [];
  for (const w of mine) {
    const seenNames = new Map<string, number>();
    const merged = [...within(api, w.start, w.end).map((s) => ({ ...s, side: "API" as const })), ...within(wk, w.start, w.end).map((s) => ({ ...s, side: "worker" as const }))].sort((a, b) => a.t - b.t);
    const lastCpu = { API: NaN, worker: NaN };
    for (const s of merged) {
      const base = `${s.side} ${s.conn ? `${s.conn} ` : ""}${s.ev}`;
      const n = (seenNames.get(base) ?? 0) + 1;
      seenNames.set(base, n);
      const key = n === 1 ? base : `${base} #${n}`;
      const hop = hops.get(key) ?? { at: [], cpu: [] };
      hop.at.push((s.t - w.start) / 1000);
      if (!Number.isNaN(lastCpu[s.side])) hop.cpu.push((s.cpu - lastCpu[s.side]) / 1000);
      lastCpu[s.side] = s.cpu;
      hops.set(key, hop);
      if (s.ev.startsWith("> ")) {
        const c = s.side === "API" ? counts.api : counts.worker;
        c.set(s.ev.slice(2), (c.get(s.ev.slice(2)) ?? 0) + 1);
      }
    }
    const ws = merged.filter((s) => s.side === "worker");
    if (ws.length > 1) workerCpu.push((ws.at(-1)!.cpu - ws[0]!.cpu) / 1000);
  }
  console.log(`\n${kind === "bear" ? "BEAR's no-op step (engine.run → the run's result)" : "a bare BullMQ job (add → completed event), worker concurrency 1"}: ms from the step's start, median over ${mine.length} (hops seen in at least half the steps); CPU: ms the stamping process spent since its previous stamp on the path`);
  const rows = [...hops].filter(([, h]) => h.at.length >= mine.length / 2).map(([k, h]) => ({ k, at: median(h.at), cpu: median(h.cpu), share: h.at.length / mine.length }));
  for (const r of rows.sort((a, b) => a.at - b.at)) console.log(`  ${r.at.toFixed(3).padStart(7)}  cpu ${Number.isNaN(r.cpu) ? "  -  " : r.cpu.toFixed(3)}  ${r.k}${r.share < 0.99 ? ` (${Math.round(r.share * 100)}%)` : ""}`);
  console.log(`  ${median(mine.map((w) => (w.end - w.start) / 1000)).toFixed(3).padStart(7)}  end; API CPU per step (mean) ${(mine.reduce((a, w) => a + w.cpu, 0) / mine.length / 1000).toFixed(3)} ms, worker CPU between its first and last stamp in the step (median) ${median(workerCpu).toFixed(3)} ms`);
  const per = (m: Map<string, number>): string =>
    [...m]
      .sort((a, b) => b[1] - a[1])
      .map(([k, v]) => `${k} ${(v / mine.length).toFixed(2)}`)
      .join(", ");
  console.log(`  Redis commands per step written inside the step's window: API ${per(counts.api)}; worker ${per(counts.worker)}`);
}
process.exit(0);
