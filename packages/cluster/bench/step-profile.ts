// Where a no-op step's CPU goes, by function: BEAR's no-op steps through the queue, one after
// another, with V8's sampling profiler on in the API (this process) and in the worker process, then
// each process's functions by self time per step (the API's over the measured steps only; the
// worker's over its whole life, warm-up included, so read its shares, not its absolute figures).
// Usage: cd packages/cluster && nice -n 10 npx tsx --tsconfig ../../tsconfig.base.json bench/step-profile.ts
//   PROFILE_STEPS=2000, PROFILE_TOP=30, PROFILE_DIR=<dir> keeps the .cpuprofile files
import fs from "node:fs";
import { Session } from "node:inspector/promises";
import os from "node:os";
import path from "node:path";
import { InProcessExecutor, WorkflowEngine, type Executor } from "@bear/workflow-engine";
import { contentCipherFromKey as keyCipher } from "@bear/security";
import { ClusterNode } from "../src/index";
import { startTestRedis } from "../test/fixtures/redis-server";
import { reviewRegistry } from "./review-steps";
import { startWorker } from "./worker-process";

const STEPS = Number(process.env.PROFILE_STEPS ?? 2000);
const TOP = Number(process.env.PROFILE_TOP ?? 30);
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "bear-step-profile-"));
const profDir = process.env.PROFILE_DIR ?? path.join(tmp, "prof");
fs.mkdirSync(profDir, { recursive: true });
const payloadDir = path.join(tmp, "payloads");
const registry = reviewRegistry();
const redis = await startTestRedis({ fsync: "everysec" });

interface ProfileNode {
  readonly id: number;
  readonly callFrame: { readonly functionName: string; readonly url: string; readonly lineNumber: number };
}
interface Profile {
  readonly nodes: ProfileNode[];
  readonly samples: number[];
  readonly timeDeltas: number[];
}

/** Self time (ms) by function, `name (file:line)`, idle left out. */
function selfTimes(profile: Profile): Map<string, number> {
  const nodes = new Map(profile.nodes.map((n) => [n.id, n]));
  const out = new Map<string, number>();
  profile.samples.forEach((id, i) => {
    const f = nodes.get(id)?.callFrame;
    if (!f || f.functionName === "(idle)") return;
    const file = f.url.replace(/^file:\/\//, "").replace(/.*\/node_modules\//, "").replace(/.*\/packages\//, "");
    const where = f.url === "" ? f.functionName : `${f.functionName || "(anonymous)"} (${file}:${f.lineNumber + 1})`;
    out.set(where, (out.get(where) ?? 0) + (profile.timeDeltas[i] ?? 0) / 1000);
  });
  return out;
}

function table(title: string, times: Map<string, number>, steps: number): void {
  const total = [...times.values()].reduce((a, b) => a + b, 0);
  console.log(`\n${title}: ${((total / steps) * 1000).toFixed(0)} µs sampled per step (idle left out); top ${TOP} by self time`);
  for (const [where, ms] of [...times].sort((a, b) => b[1] - a[1]).slice(0, TOP)) {
    console.log(`  ${((ms / steps) * 1000).toFixed(1).padStart(7)} µs  ${((ms / total) * 100).toFixed(1).padStart(5)}%  ${where}`);
  }
}

const node = new ClusterNode({ redisUrl: redis.url, payloadDir, keyCipher, waitForWorkerMs: 30_000 });
const engine = WorkflowEngine.inMemory({ registry, keepEvents: false, executor: node.decorate(new InProcessExecutor(registry)) as Executor, coordination: node.runs });
await node.attach(engine);
const worker = await startWorker({ url: redis.url, payloadDir, id: "profile", concurrency: 2, nodeArgs: ["--cpu-prof", `--cpu-prof-dir=${profDir}`, "--cpu-prof-interval=100"] });
const wf = { name: "noop", steps: [{ id: "n", type: "bench.noop", parameters: {} }] };
const step = async (): Promise<void> => {
  if ((await engine.run(wf)).status !== "completed") throw new Error("a no-op step failed");
};
for (let i = 0; i < 200; i++) await step(); // warm-up
const session = new Session();
session.connect();
await session.post("Profiler.enable");
await session.post("Profiler.setSamplingInterval", { interval: 100 });
await session.post("Profiler.start");
const sample0 = await worker.sample();
const cpu0 = process.cpuUsage();
const t0 = performance.now();
for (let i = 0; i < STEPS; i++) await step();
const wall = performance.now() - t0;
const cpu = process.cpuUsage(cpu0);
const sample1 = await worker.sample();
const { profile } = (await session.post("Profiler.stop")) as unknown as { profile: Profile };
fs.writeFileSync(path.join(profDir, "api.cpuprofile"), JSON.stringify(profile));
await worker.stop();
await new Promise((r) => setTimeout(r, 500));
const workerFile = fs.readdirSync(profDir).find((f) => f.startsWith("CPU."));

console.log(`node ${process.version}, ${os.cpus().length} vCPU; ${STEPS} no-op steps back to back; load ${os.loadavg()[0]!.toFixed(1)}`);
console.log(`per step: wall ${((wall / STEPS) * 1000).toFixed(0)} µs, API CPU ${((cpu.user + cpu.system) / STEPS).toFixed(0)} µs, worker CPU ${(((sample1.cpuSeconds - sample0.cpuSeconds) * 1e6) / (sample1.completed - sample0.completed)).toFixed(0)} µs`);
table("API (engine.run → result)", selfTimes(profile), STEPS);
if (workerFile) table("worker (its whole life: warm-up and idle polling included)", selfTimes(JSON.parse(fs.readFileSync(path.join(profDir, workerFile), "utf8")) as Profile), sample1.completed);
await engine.dispose();
await node.close();
await redis.stop();
if (process.env.PROFILE_DIR === undefined) fs.rmSync(tmp, { recursive: true, force: true });
else console.log(`profiles in ${profDir}`);
