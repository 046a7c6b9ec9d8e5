// Where a no-op step's time goes, BEAR's step through the queue beside a bare BullMQ job (the same
// worker concurrency): Redis commands per step by command (MONITOR), and the API process's CPU per
// step by package (V8's sampling profiler, this process only; the workers are other processes).
// Usage: nice -n 10 npx tsx --tsconfig ../../tsconfig.base.json bench/step-trace.ts   (TRACE_STEPS=300, TRACE_CONTRACTS=20, TRACE_FUNCTIONS=1 splits
// BEAR's files by function, TRACE_PROFILES=<dir> writes the API's V8 profiles there, TRACE_HEAP=1 prints the API's
// allocations per step by function: the garbage collector's work; TRACE_COMMANDS=0 leaves out the MONITOR count)
import { spawn } from "node:child_process";
import fs from "node:fs";
import { Session } from "node:inspector/promises";
import os from "node:os";
import path from "node:path";
import { PerformanceObserver } from "node:perf_hooks";
import { Queue, QueueEvents } from "bullmq";
import { Redis } from "ioredis";
import { InProcessExecutor, WorkflowEngine, type Executor } from "@bear/workflow-engine";
import { bullConnection } from "../src/connection/redis-connection";
import { ClusterNode, parseRedisUrl } from "../src/index";
import { contentCipherFromKey as keyCipher } from "@bear/security";
import { startTestRedis } from "../test/fixtures/redis-server";
import { REVIEW_WORKFLOW, reviewRegistry } from "./review-steps";

const STEPS = Number(process.env.TRACE_STEPS ?? 300);
/** Contracts reviewed (4 at a time) for the API's CPU per contract by package and function. */
const CONTRACTS = Number(process.env.TRACE_CONTRACTS ?? 20);
const cuad = path.resolve(import.meta.dirname, "../../../../shared/data/cuad_train/full_contract_txt");
const CONCURRENCY = 2;
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "bear-step-trace-"));
const payloadDir = path.join(tmp, "payloads");
const registry = reviewRegistry();
const redis = await startTestRedis({ fsync: "everysec" });
const endpoint = parseRedisUrl(redis.url);
const children: Array<() => Promise<void>> = [];

function child(script: string, args: string[]): Promise<void> {
  const proc = spawn(process.execPath, ["--import", "tsx", path.join(import.meta.dirname, script), redis.url, ...args], { stdio: ["ignore", "pipe", "inherit"] });
  // stopped before Redis goes: a worker whose Redis is gone would wait for it for ever
  children.push(
    () =>
      new Promise((done) => {
        if (proc.exitCode !== null) return done();
        const force = setTimeout(() => proc.kill("SIGKILL"), 5_000);
        proc.once("exit", () => (clearTimeout(force), done()));
        proc.kill("SIGTERM");
      }),
  );
  return new Promise((resolve, reject) => {
    proc.stdout!.on("data", (d: Buffer) => d.toString().includes("ready") && resolve());
    proc.once("exit", (code) => reject(new Error(`${script} exited ${code}`)));
  });
}

/** Redis commands sent by clients (not from inside Lua scripts) while `fn` runs. */
async function commands(fn: () => Promise<void>): Promise<string[]> {
  const monitor = await new Redis({ host: endpoint.host, port: endpoint.port, password: endpoint.password! }).monitor();
  const seen: string[] = [];
  monitor.on("monitor", (_time: string, args: string[], source: string) => {
    if (source !== "lua") seen.push(commandName(args));
  });
  await new Promise((r) => setTimeout(r, 100));
  await fn();
  await new Promise((r) => setTimeout(r, 100));
  monitor.disconnect();
  return seen;
}

function commandName(args: string[]): string {
  const cmd = (args[0] ?? "").toLowerCase();
  // BullMQ's Lua scripts by sha (add, moveToActive, moveToFinished, stalled checks, …)
  if (cmd === "evalsha") return `evalsha ${(args[1] ?? "").slice(0, 8)}`;
  if (cmd === "eval") return `eval ${(args[1] ?? "").slice(0, 40).replace(/\s+/g, " ")}`;
  if (cmd === "set" || cmd === "get" || cmd === "hset") return `${cmd} ${(args[1] ?? "").replace(/:[^:]*$/, ":…")}`;
  return cmd;
}

function countTable(title: string, seen: string[]): void {
  const counts = new Map<string, number>();
  for (const c of seen) if (c !== "info" && c !== "ping" && c !== "client") counts.set(c, (counts.get(c) ?? 0) + 1);
  const total = [...counts.values()].reduce((a, b) => a + b, 0);
  console.log(`\n${title}: ${(total / STEPS).toFixed(2)} commands per step`);
  for (const [k, v] of [...counts].sort((a, b) => b[1] - a[1])) if (v / STEPS >= 0.02) console.log(`  ${(v / STEPS).toFixed(2).padStart(5)}  ${k}`);
}

let profiles = 0;
interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string };
  children?: number[];
}

/**
 * CPU of this process while `fn` runs, by package (self time of the sampled functions), in ms per
 * step (`units` steps; or per contract for the review); `functions` also splits BEAR's files by function.
 */
async function profiled(session: Session, fn: () => Promise<void>, units = STEPS, functions = false): Promise<{ perStepMs: number; byPackage: Map<string, number>; units: number }> {
  await session.post("Profiler.start");
  const cpu = process.cpuUsage();
  await fn();
  const used = process.cpuUsage(cpu);
  const { profile } = (await session.post("Profiler.stop")) as unknown as { profile: { nodes: ProfileNode[]; samples: number[]; timeDeltas: number[] } };
  // TRACE_PROFILES=<dir>: each profile as a .cpuprofile file too (Chrome's DevTools, or any reader of V8 profiles)
  if (process.env.TRACE_PROFILES) fs.writeFileSync(path.join(process.env.TRACE_PROFILES, `api-${++profiles}.cpuprofile`), JSON.stringify(profile));
  const nodes = new Map(profile.nodes.map((n) => [n.id, n]));
  const byPackage = new Map<string, number>();
  profile.samples.forEach((id, i) => {
    const frame = nodes.get(id)!.callFrame;
    if (frame.functionName === "(idle)" || frame.functionName === "(program)") return;
    const url = frame.url;
    const where = url.includes("node_modules/")
      ? url.split("node_modules/").pop()!.split("/").slice(0, url.split("node_modules/").pop()!.startsWith("@") ? 2 : 1).join("/")
      : url.includes("/packages/")
        ? `@bear/${url.split("/packages/")[1]!.split("/")[0]} ${path.basename(url)}${functions ? ` ${frame.functionName || "(anonymous)"}` : ""}`
        : url.startsWith("node:")
          ? url
          : frame.functionName.startsWith("(")
            ? frame.functionName
            : `native ${frame.functionName}`;
    byPackage.set(where, (byPackage.get(where) ?? 0) + (profile.timeDeltas[i] ?? 0) / 1000);
  });
  return { perStepMs: (used.user + used.system) / 1000 / units, byPackage, units };
}

function profileTable(title: string, p: { perStepMs: number; byPackage: Map<string, number>; units: number }, unit = "step"): void {
  console.log(`\n${title}: ${p.perStepMs.toFixed(3)} ms CPU per ${unit} in the API process; sampled self time per ${unit}:`);
  for (const [k, v] of [...p.byPackage].sort((a, b) => b[1] - a[1]).slice(0, 25)) console.log(`  ${((v / p.units) * 1000).toFixed(0).padStart(5)} µs  ${k}`);
}

interface HeapNode {
  callFrame: { functionName: string; url: string; lineNumber: number };
  selfSize: number;
  children: HeapNode[];
}

/** Bytes allocated by this process while `fn` runs (V8's sampling heap profiler, every 4 kB), by allocating function. */
async function allocated(session: Session, fn: () => Promise<void>): Promise<Map<string, number>> {
  // objects collected before the profile is read count too: what the garbage collector had to deal with
  await session.post("HeapProfiler.startSampling", { samplingInterval: 4096, includeObjectsCollectedByMajorGC: true, includeObjectsCollectedByMinorGC: true } as never);
  const gc = new Map<string, { n: number; ms: number }>();
  const observer = new PerformanceObserver((list) => {
    for (const e of list.getEntries()) {
      const kind = ({ 1: "minor", 2: "major", 4: "incremental", 8: "weak callbacks" } as Record<number, string>)[((e as unknown as { detail?: { kind?: number } }).detail)?.kind ?? 0] ?? "other";
      const g = gc.get(kind) ?? { n: 0, ms: 0 };
      g.n++;
      g.ms += e.duration;
      gc.set(kind, g);
    }
  });
  observer.observe({ entryTypes: ["gc"] });
  await fn();
  await new Promise((r) => setImmediate(r));
  observer.disconnect();
  console.log(`\ngarbage collections: ${[...gc].map(([k, g]) => `${k} ${g.n} (${((g.ms / STEPS) * 1000).toFixed(0)} µs per step)`).join(", ")}`);
  const { profile } = (await session.post("HeapProfiler.stopSampling")) as unknown as { profile: { head: HeapNode } };
  const bySite = new Map<string, number>();
  const walk = (n: HeapNode, caller: string): void => {
    const f = n.callFrame;
    const here = `${f.functionName || "(anonymous)"} ${f.url.split("/").slice(-2).join("/")}:${f.lineNumber + 1}`;
    if (n.selfSize > 0) bySite.set(`${here} < ${caller}`, (bySite.get(`${here} < ${caller}`) ?? 0) + n.selfSize);
    for (const c of n.children) walk(c, here);
  };
  walk(profile.head, "");
  return bySite;
}

function heapTable(title: string, bySite: Map<string, number>): void {
  const total = [...bySite.values()].reduce((a, b) => a + b, 0);
  console.log(`\n${title}: ${(total / STEPS / 1024).toFixed(1)} kB allocated per step in the API process (sampled); by allocating function < its caller:`);
  for (const [k, v] of [...bySite].sort((a, b) => b[1] - a[1]).slice(0, 30)) console.log(`  ${(v / STEPS / 1024).toFixed(2).padStart(7)} kB  ${k}`);
}

const node = new ClusterNode({ redisUrl: redis.url, payloadDir, keyCipher, waitForWorkerMs: 30_000 });
const engine = WorkflowEngine.inMemory({ registry, keepEvents: false, executor: node.decorate(new InProcessExecutor(registry)) as Executor, coordination: node.runs });
await node.attach(engine);
await child("review-worker.ts", [payloadDir, "trace", String(CONCURRENCY)]);
await child("raw-bullmq-worker.ts", ["raw.trace", String(CONCURRENCY)]);
const queue = new Queue("raw.trace", { connection: bullConnection(endpoint), prefix: "bear-raw" });
const events = new QueueEvents("raw.trace", { connection: bullConnection(endpoint), prefix: "bear-raw" });
await Promise.all([queue.waitUntilReady(), events.waitUntilReady()]);
const waiters = new Map<string, () => void>();
events.on("completed", ({ jobId }) => waiters.get(jobId)?.());
let rawId = 0;
const bare = async (): Promise<void> => {
  const jobId = `raw-${rawId++}`;
  const done = new Promise<void>((r) => waiters.set(jobId, r));
  await queue.add("raw.trace", {}, { jobId, attempts: 1, removeOnComplete: { age: 3600 } });
  await done;
  waiters.delete(jobId);
};
const wf = { name: "noop", steps: [{ id: "n", type: "bench.noop", parameters: {} }] };
const ours = async (): Promise<void> => {
  const r = await engine.run(wf);
  if (r.status !== "completed") throw new Error("noop failed");
};
const many = (fn: () => Promise<void>) => async (): Promise<void> => {
  for (let i = 0; i < STEPS; i++) await fn();
};
await new Promise((r) => setTimeout(r, 1_500));
for (let i = 0; i < 100; i++) {
  await ours();
  await bare();
}

console.log(`node ${process.version}, ${os.cpus().length} vCPU (shared), load ${os.loadavg()[0]!.toFixed(1)}; ${STEPS} steps each, one at a time; worker concurrency ${CONCURRENCY}; appendfsync everysec`);
if (process.env.TRACE_COMMANDS !== "0") {
  countTable("BEAR no-op step", await commands(many(ours)));
  countTable("bare BullMQ job", await commands(many(bare)));
}
const session = new Session();
session.connect();
await session.post("Profiler.enable");
await session.post("Profiler.setSamplingInterval", { interval: 100 });
profileTable("BEAR no-op step", await profiled(session, many(ours), STEPS, process.env.TRACE_FUNCTIONS === "1"));
profileTable("bare BullMQ job", await profiled(session, many(bare)));
if (process.env.TRACE_HEAP === "1") {
  heapTable("BEAR no-op step", await allocated(session, many(ours)));
  heapTable("bare BullMQ job", await allocated(session, many(bare)));
}
if (CONTRACTS > 0) {
  const texts = fs.readdirSync(cuad).filter((f) => f.endsWith(".txt")).sort().slice(0, CONTRACTS).map((f) => fs.readFileSync(path.join(cuad, f), "utf8"));
  let next = 0;
  const reviews = async (): Promise<void> => {
    const lane = async (): Promise<void> => {
      while (next < texts.length) {
        const r = await engine.run(REVIEW_WORKFLOW, { text: texts[next++]!, format: "json" });
        if (r.status !== "completed") throw new Error("a review failed");
      }
    };
    await Promise.all(Array.from({ length: 4 }, lane));
  };
  profileTable(`contract_review of ${texts.length} cuad_train contracts (6 steps each, 4 runs in flight)`, await profiled(session, reviews, texts.length, true), "contract");
}
session.disconnect();

await Promise.all(children.map((stop) => stop()));
await Promise.all([queue.close(), events.close()]);
await engine.dispose();
await node.close();
await redis.kill();
fs.rmSync(tmp, { recursive: true, force: true });
process.exit(0);
