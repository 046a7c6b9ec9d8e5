// Where a no-op step's wall time goes, hop by hop: BEAR's step through the queue and a bare BullMQ
// job (worker concurrency 2 both), one after the other, with Redis's MONITOR clock stamping every
// command each client sends (and each PUBLISH a script makes). For each kind, the median time from
// the step's start (this process's clock: the same wall clock as Redis's on one machine) to each
// command on its path, and to its end; commands are named by the connection that sent them.
// Usage: cd packages/cluster && nice -n 10 npx tsx --tsconfig ../../tsconfig.base.json bench/step-timeline.ts   (TIMELINE_STEPS=300)
import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { Queue, QueueEvents } from "bullmq";
import { Redis } from "ioredis";
import { InProcessExecutor, WorkflowEngine, type Executor } from "@bear/workflow-engine";
import { contentCipherFromKey as keyCipher } from "@bear/security";
import { bullConnection } from "../src/connection/redis-connection";
import { ClusterNode, parseRedisUrl } from "../src/index";
import { startTestRedis } from "../test/fixtures/redis-server";
import { reviewRegistry } from "./review-steps";
import { startWorker } from "./worker-process";

const STEPS = Number(process.env.TIMELINE_STEPS ?? 300);
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "bear-step-timeline-"));
const payloadDir = path.join(tmp, "payloads");
const registry = reviewRegistry();
const redis = await startTestRedis({ fsync: "everysec" });
const endpoint = parseRedisUrl(redis.url);
/** Wall-clock ms with µs resolution, comparable with MONITOR's stamps. */
const now = (): number => performance.timeOrigin + performance.now();

const node = new ClusterNode({ redisUrl: redis.url, payloadDir, keyCipher, waitForWorkerMs: 30_000 });
const engine = WorkflowEngine.inMemory({ registry, keepEvents: false, executor: node.decorate(new InProcessExecutor(registry)) as Executor, coordination: node.runs });
await node.attach(engine);
const worker = await startWorker({ url: redis.url, payloadDir, id: "timeline", concurrency: 2 });
const rawProc = spawn(process.execPath, ["--import", "tsx", path.join(import.meta.dirname, "raw-bullmq-worker.ts"), redis.url, "raw.timeline", "2"], { stdio: ["ignore", "pipe", "inherit"] });
await new Promise<void>((resolve) => rawProc.stdout!.on("data", (d: Buffer) => d.toString().includes("ready") && resolve()));
const queue = new Queue("raw.timeline", { connection: bullConnection(endpoint), prefix: "bear-raw" });
const events = new QueueEvents("raw.timeline", { connection: bullConnection(endpoint), prefix: "bear-raw" });
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
    await queue.add("raw.timeline", {}, { jobId, attempts: 1, removeOnComplete: { age: 3600 } });
    await done;
    waiters.delete(jobId);
  },
};
for (let i = 0; i < 50; i++) {
  await kinds.bear();
  await kinds.bare(-1 - i);
}

interface Seen {
  readonly at: number;
  readonly port: string;
  readonly label: string;
}
const seen: Seen[] = [];
const monitor = await new Redis({ host: endpoint.host, port: endpoint.port, password: endpoint.password! }).monitor();
monitor.on("monitor", (time: string, args: string[], source: string) => {
  const cmd = (args[0] ?? "").toLowerCase();
  if (source === "lua" && cmd !== "publish") return;
  seen.push({ at: Number(time) * 1000, port: source === "lua" ? "lua" : source.split(":").pop()!, label: label(args) });
});
await new Promise((r) => setTimeout(r, 200));
const windows: Array<{ kind: "bear" | "bare"; start: number; end: number }> = [];
for (let i = 0; i < STEPS; i++) {
  for (const kind of i % 2 === 0 ? (["bear", "bare"] as const) : (["bare", "bear"] as const)) {
    const start = now();
    await kinds[kind](i);
    windows.push({ kind, start, end: now() });
  }
}
await new Promise((r) => setTimeout(r, 200));
monitor.disconnect();

/** A command's name and what it touches, ids left out (BullMQ's scripts by their number of keys and first key). */
function label(args: string[]): string {
  const cmd = (args[0] ?? "").toLowerCase();
  const key = (k: string | undefined): string => (k ?? "").replace(/^(bear(-raw)?):[^:]+:/, "$1:Q:").replace(/:[^:]*\|.*$/, ":<job>").replace(/:raw-\d+$/, ":<job>").replace(/[0-9a-f]{16}$/, "<id>");
  if (cmd === "evalsha") return `evalsha/${args[2]} ${key(args[3])}`;
  if (cmd === "publish") return `publish ${key(args[1])}`;
  return `${cmd} ${key(args[1])}`;
}

// the connections: named by the first commands each sent
const ports = new Map<string, Set<string>>();
for (const s of seen) {
  const set = ports.get(s.port) ?? new Set<string>();
  if (set.size < 3) set.add(s.label);
  ports.set(s.port, set);
}
const portName = new Map([...ports.keys()].map((p, i) => [p, p === "lua" ? "(script)" : `c${i + 1}`]));
console.log(`node ${process.version}, ${os.cpus().length} vCPU (shared); ${STEPS} steps of each kind, alternating; load ${os.loadavg().map((l) => l.toFixed(1)).join(" / ")}`);
console.log("connections:");
for (const [p, labels] of ports) console.log(`  ${portName.get(p)}: ${[...labels].join("; ")}`);
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[xs.length >> 1] ?? NaN;
for (const kind of ["bear", "bare"] as const) {
  const mine = windows.filter((w) => w.kind === kind);
  const offsets = new Map<string, number[]>();
  for (const w of mine) {
    const counts = new Map<string, number>();
    for (const s of seen) {
      if (s.at < w.start - 0.05 || s.at > w.end) continue;
      const name = `${portName.get(s.port)} ${s.label}`;
      const n = (counts.get(name) ?? 0) + 1;
      counts.set(name, n);
      const k = `${name} #${n}`;
      offsets.set(k, [...(offsets.get(k) ?? []), s.at - w.start]);
    }
  }
  console.log(`\n${kind === "bear" ? "BEAR's no-op step" : "a bare BullMQ job"}: median ms from the step's start (commands seen in at least half the steps; share of steps)`);
  const rows = [...offsets].filter(([, xs]) => xs.length >= mine.length / 2).map(([k, xs]) => ({ k, at: median(xs), share: xs.length / mine.length }));
  for (const r of rows.sort((a, b) => a.at - b.at)) console.log(`  ${r.at.toFixed(3).padStart(7)}  ${r.k} (${Math.round(r.share * 100)}%)`);
  console.log(`  ${median(mine.map((w) => w.end - w.start)).toFixed(3).padStart(7)}  end (the run's result here)`);
}

await engine.dispose();
await node.close();
// the worker gone before its Redis (a worker whose Redis is gone waits for it for ever)
const workerExited = new Promise((r) => worker.proc.once("exit", r));
await worker.stop();
await Promise.race([workerExited, new Promise((r) => setTimeout(r, 5_000))]);
worker.proc.kill("SIGKILL");
rawProc.kill("SIGTERM");
await Promise.all([queue.close(), events.close()]);
await redis.kill();
fs.rmSync(tmp, { recursive: true, force: true });
process.exit(0);
