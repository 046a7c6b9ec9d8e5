// The no-op step of this package's source against another revision's, in one process so both see
// the same machine load: each side has its own Redis, worker process (concurrency 2) and engine,
// and their steps alternate one by one with a bare BullMQ job (the peer). Prints p50 / p95 per
// step, the API's CPU per step (this process, measured around each step), each worker's CPU, and
// each side's Redis: its CPU and the commands it ran per step (INFO cpu / commandstats over the
// measured steps; Redis 7 counts the commands a script runs beside the EVALSHA that ran it).
// Usage: cd packages/cluster && nice -n 10 npx tsx --tsconfig ../../tsconfig.base.json bench/step-ab.ts [--before=main] [--steps=600] [--gap=0] [--before-security=/work/main/packages/security]
import { execFileSync, spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { Queue, QueueEvents } from "bullmq";
import { Redis } from "ioredis";
import { InProcessExecutor, WorkflowEngine, type Executor } from "@bear/workflow-engine";
import { contentCipherFromKey as ownKeyCipher } from "@bear/security";
import { bullConnection } from "../src/connection/redis-connection";
import { parseRedisUrl } from "../src/index";
import { startTestRedis } from "../test/fixtures/redis-server";
import type * as Cluster from "../src/index";
import { reviewRegistry } from "./review-steps";

const arg = (name: string, fallback: string): string => process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3) ?? fallback;
const BEFORE = arg("before", "main");
const STEPS = Number(arg("steps", "600"));
/**
 * A pause before each step (ms, default 0: back to back). A side's worker may still be busy when the
 * next side's step starts (BullMQ's wake-up after a job, the completed event): back to back, that
 * trailing work lands in the next step's window on a 2-core machine, so a side that leaves less of it
 * makes the other side look faster; with a pause it is done before the next step starts.
 */
const GAP = Number(arg("gap", "0"));
/**
 * `--before-security=<dir>`: the before side seals with another build of @bear/security (its
 * `dist/index.js`, e.g. /work/main/packages/security), in its API and its worker, so a change to the
 * payload cipher is compared in one run too. Default: both sides seal with this tree's.
 */
const BEFORE_SECURITY = arg("before-security", "");
const here = import.meta.dirname;
// the other revision's src, where its imports resolve as this package's do
const beforeDir = path.join(here, `.step-ab-${BEFORE.replace(/[^A-Za-z0-9_.-]/g, "_")}`);
fs.rmSync(beforeDir, { recursive: true, force: true });
fs.mkdirSync(beforeDir);
execFileSync("sh", ["-c", `git archive ${JSON.stringify(BEFORE)} src | tar -x -C ${JSON.stringify(beforeDir)}`], { cwd: path.resolve(here, "..") });
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "bear-step-ab-"));
const registry = reviewRegistry();
const load = (): string => os.loadavg().map((l) => l.toFixed(1)).join(" / ");

function child(args: string[]): { proc: ReturnType<typeof spawn>; ready: Promise<void>; out: () => string } {
  const proc = spawn(process.execPath, ["--import", "tsx", ...args], { stdio: ["ignore", "pipe", "inherit"] });
  let out = "";
  const ready = new Promise<void>((resolve, reject) => {
    proc.stdout!.on("data", (d: Buffer) => (out += d.toString()).includes("ready") && resolve());
    proc.once("exit", (code) => reject(new Error(`a bench child exited ${code}`)));
  });
  return { proc, ready, out: () => out };
}

interface Side {
  readonly name: string;
  readonly times: number[];
  cpuMs: number;
  run(): Promise<void>;
  stop(): Promise<number | undefined>;
  /** Its Redis's CPU (s) and calls per command so far. */
  redisStats?(): Promise<RedisStats>;
}

interface RedisStats {
  readonly cpu: number;
  readonly calls: Map<string, number>;
}

/** Redis's CPU and its calls per command (those run inside scripts included). */
async function redisStats(client: Redis): Promise<RedisStats> {
  const info = await client.info("all");
  const num = (k: string): number => Number(new RegExp(`${k}:([0-9.]+)`).exec(info)?.[1] ?? 0);
  const calls = new Map<string, number>();
  for (const m of info.matchAll(/^cmdstat_([^:]+):calls=(\d+)/gm)) calls.set(m[1]!, Number(m[2]));
  return { cpu: num("used_cpu_sys") + num("used_cpu_user"), calls };
}

async function side(name: string, src: string, security = ""): Promise<Side> {
  const mod = (await import(path.join(src, "index.ts"))) as typeof Cluster;
  const keyCipher = security === "" ? ownKeyCipher : ((await import(path.join(security, "dist/index.js"))) as { contentCipherFromKey: typeof ownKeyCipher }).contentCipherFromKey;
  const redis = await startTestRedis({ fsync: "everysec" });
  const payloadDir = path.join(tmp, name);
  const worker = child([path.join(here, "step-ab-worker.ts"), src, redis.url, payloadDir, `ab-${name}`, security]);
  await worker.ready;
  const node = new mod.ClusterNode({ redisUrl: redis.url, payloadDir, keyCipher, waitForWorkerMs: 30_000 });
  const engine = WorkflowEngine.inMemory({ registry, keepEvents: false, executor: node.decorate(new InProcessExecutor(registry)) as Executor, coordination: node.runs });
  await node.attach(engine);
  const wf = { name: "noop", steps: [{ id: "n", type: "bench.noop", parameters: {} }] };
  const stats = new Redis(redis.url);
  return {
    name,
    redisStats: () => redisStats(stats),
    times: [],
    cpuMs: 0,
    run: async () => {
      const r = await engine.run(wf);
      if (r.status !== "completed") throw new Error(`a no-op step failed (${name})`);
    },
    stop: async () => {
      const exited = new Promise((r) => worker.proc.once("exit", r));
      worker.proc.kill("SIGTERM");
      await exited;
      await engine.dispose();
      await node.close();
      stats.disconnect();
      await redis.kill();
      const cpu = /cpu ([\d.]+) steps (\d+)/.exec(worker.out());
      return cpu ? Number(cpu[1]) / Number(cpu[2]) : undefined;
    },
  };
}

const sides = [await side(`before (${BEFORE}${BEFORE_SECURITY === "" ? "" : ", its security"})`, beforeDir + "/src", BEFORE_SECURITY), await side("after (this tree)", path.resolve(here, "../src"))];
// the peer: a bare BullMQ job, on a Redis of its own
const peerRedis = await startTestRedis({ fsync: "everysec" });
const endpoint = parseRedisUrl(peerRedis.url);
const rawWorker = child([path.join(here, "raw-bullmq-worker.ts"), peerRedis.url, "raw.ab", "2"]);
await rawWorker.ready;
const queue = new Queue("raw.ab", { connection: bullConnection(endpoint), prefix: "bear-raw" });
const events = new QueueEvents("raw.ab", { connection: bullConnection(endpoint), prefix: "bear-raw" });
await Promise.all([queue.waitUntilReady(), events.waitUntilReady()]);
const waiters = new Map<string, () => void>();
events.on("completed", ({ jobId }) => waiters.get(jobId)?.());
let rawId = 0;
const peer: Side = {
  name: "bare BullMQ job",
  times: [],
  cpuMs: 0,
  run: async () => {
    const jobId = `raw-${rawId++}`;
    const done = new Promise<void>((r) => waiters.set(jobId, r));
    await queue.add("raw.ab", {}, { jobId, attempts: 1, removeOnComplete: { age: 3600 } });
    await done;
    waiters.delete(jobId);
  },
  stop: async () => {
    rawWorker.proc.kill("SIGTERM");
    await Promise.all([queue.close(), events.close()]);
    await peerRedis.kill();
    return undefined;
  },
};
const all = [...sides, peer];
/** Every order of the three sides (6). */
const orders: Side[][] = all.flatMap((first) => all.filter((s) => s !== first).flatMap((second) => [[first, second, ...all.filter((s) => s !== first && s !== second)]]));
await new Promise((r) => setTimeout(r, 1_500)); // the workers' reports
for (let i = 0; i < 100; i++) for (const s of all) await s.run(); // warm-up
const loadBefore = load();
const redisBefore = await Promise.all(sides.map((s) => s.redisStats!()));
for (let i = 0; i < STEPS; i++) {
  // the order goes through every permutation of the three, so each side runs right after each other
  // side as often (a side's trailing work lands in the next step: see GAP)
  for (const s of orders[i % orders.length]!) {
    if (GAP > 0) await new Promise((r) => setTimeout(r, GAP));
    const cpu = process.cpuUsage();
    const t = performance.now();
    await s.run();
    s.times.push(performance.now() - t);
    const used = process.cpuUsage(cpu);
    s.cpuMs += (used.user + used.system) / 1000;
  }
}
const redisAfter = await Promise.all(sides.map((s) => s.redisStats!()));
const pct = (xs: number[], p: number): number => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * p))]!;
console.log(`node ${process.version}, ${os.cpus().length} vCPU (shared); ${STEPS} no-op steps per side, interleaved${GAP > 0 ? `, ${GAP} ms apart` : " back to back"}; load ${loadBefore} at the start, ${load()} at the end`);
for (const s of all) {
  const workerMs = await s.stop();
  console.log(`${s.name.padEnd(22)} p50 ${pct(s.times, 0.5).toFixed(3)} ms, p95 ${pct(s.times, 0.95).toFixed(3)} ms; API CPU per step ${(s.cpuMs / STEPS).toFixed(3)} ms${workerMs === undefined ? "" : `; worker CPU per step ${workerMs.toFixed(3)} ms (idle polling included)`}`);
}
// the two sides' steps of the same round, paired: what a load that moves moves for both cancels out
const [before, after] = sides as [Side, Side];
const paired = after.times.map((t, i) => t - before.times[i]!);
const halves = [paired.slice(0, paired.length >> 1), paired.slice(paired.length >> 1)].map((h) => pct(h, 0.5).toFixed(3));
console.log(`after − before, paired per round: median ${pct(paired, 0.5).toFixed(3)} ms (halves of the run: ${halves.join(", ")} ms)`);
// Redis per step of each side (the stats' own INFO calls left out)
sides.forEach((s, i) => {
  const [before, after] = [redisBefore[i]!, redisAfter[i]!];
  const calls = [...after.calls].map(([c, n]) => [c, (n - (before.calls.get(c) ?? 0)) / STEPS] as const).filter(([c, n]) => c !== "info" && n >= 0.05);
  const total = calls.reduce((a, [, n]) => a + n, 0);
  console.log(`${s.name.padEnd(22)} Redis CPU per step ${(((after.cpu - before.cpu) * 1000) / STEPS).toFixed(3)} ms; commands per step ${total.toFixed(2)}: ${calls.sort((a, b) => b[1] - a[1]).map(([c, n]) => `${c} ${n.toFixed(2)}`).join(", ")}`);
});
fs.rmSync(tmp, { recursive: true, force: true });
fs.rmSync(beforeDir, { recursive: true, force: true });
process.exit(0);
