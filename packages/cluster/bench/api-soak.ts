// The API instance over a long run: its memory and its CPU when nothing happens (issue 22).
// One API instance (ClusterNode + WorkflowEngine on a workflows.db, as `bear serve --redis`), SOAK_IDLE more
// instances attached and idle (the scale-out bench's four), SOAK_WORKERS review worker processes. It prints:
// - the idle burn: CPU ms a second of this process (all its instances) over SOAK_IDLE_SECONDS with no run, at the
//   start and after the reviews (does the per-second cost grow with what the instance has served?);
// - at each checkpoint of SOAK_CHECKPOINTS contracts reviewed (default 0,100,400): heap used after a full GC,
//   RSS, external memory, and the API's CPU per contract since the previous checkpoint; with SOAK_SNAPSHOTS=<dir> a
//   heap snapshot at each checkpoint (read with bench/heap-by-constructor.ts).
// Usage: cd packages/cluster && TSX_TSCONFIG_PATH=../../tsconfig.base.json nice -n 10 node --expose-gc --import tsx bench/api-soak.ts
//   (SOAK_STORE=memory for the in-memory run store; SOAK_PROF=<dir>: V8 CPU profiles of the idle windows)
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import v8 from "node:v8";
import { performance } from "node:perf_hooks";
import { InProcessExecutor, WorkflowEngine } from "@bear/workflow-engine";
import { contentCipherFromKey as keyCipher } from "@bear/security";
import { ClusterNode } from "../src/index";
import { startTestRedis } from "../test/fixtures/redis-server";
import { REVIEW_WORKFLOW, reviewRegistry } from "./review-steps";
import { ownCpu, startWorker } from "./worker-process";

const CHECKPOINTS = (process.env.SOAK_CHECKPOINTS ?? "0,100,400").split(",").map(Number);
const IDLE_INSTANCES = Number(process.env.SOAK_IDLE ?? 3);
const IDLE_SECONDS = Number(process.env.SOAK_IDLE_SECONDS ?? 15);
const WORKERS = Number(process.env.SOAK_WORKERS ?? 2);
const STORE = process.env.SOAK_STORE === "memory" ? "memory" : "sqlite";
const SNAPSHOTS = process.env.SOAK_SNAPSHOTS;
const PROF = process.env.SOAK_PROF;
const RUNS_IN_FLIGHT = 8;
const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error("run with node --expose-gc");

const cuad = path.resolve(import.meta.dirname, "../../../../shared/data/cuad_train/full_contract_txt");
const files = fs.readdirSync(cuad).filter((f) => f.endsWith(".txt")).sort();
const texts = files.map((f) => fs.readFileSync(path.join(cuad, f), "utf8"));
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "bear-api-soak-"));
const payloadDir = path.join(tmp, "payloads");
const registry = reviewRegistry();
const redis = await startTestRedis({ fsync: "everysec" });
let databases = 0;

async function instance(): Promise<{ node: ClusterNode; engine: WorkflowEngine }> {
  const node = new ClusterNode({ redisUrl: redis.url, payloadDir, keyCipher, waitForWorkerMs: 60_000 });
  const options = { registry, maxParallelSteps: 4, executor: node.decorate(new InProcessExecutor(registry)), coordination: node.runs };
  const engine =
    STORE === "memory"
      ? WorkflowEngine.inMemory({ ...options, keepEvents: false })
      : await WorkflowEngine.open({ dbPath: path.join(tmp, `workflows-${databases++}.db`), sharedDatabase: true, resumeOnOpen: false, ...options });
  await node.attach(engine);
  return { node, engine };
}

const api = await instance();
/** Commands the busy instance's main client sends, by name (its step-state checks, lease renewals, reports read, payload keys). */
const sentByName = new Map<string, number>();
{
  const client = api.node.redis as unknown as { sendCommand(command: { name: string }): unknown };
  const send = client.sendCommand.bind(client);
  client.sendCommand = (command) => {
    sentByName.set(command.name, (sentByName.get(command.name) ?? 0) + 1);
    return send(command);
  };
}
const idle = await Promise.all(Array.from({ length: IDLE_INSTANCES }, () => instance()));
const workers = await Promise.all(Array.from({ length: WORKERS }, (_, i) => startWorker({ url: redis.url, payloadDir, id: `soak-${i}`, concurrency: 2 })));
await new Promise((r) => setTimeout(r, 1_500));

const mib = (n: number): string => (n / 1048576).toFixed(1);
async function idleBurn(label: string): Promise<void> {
  const stop = PROF ? await profile() : undefined;
  const [c0, t0] = [ownCpu(), performance.now()];
  await new Promise((r) => setTimeout(r, IDLE_SECONDS * 1000));
  const [cpu, seconds] = [ownCpu() - c0, (performance.now() - t0) / 1000];
  await stop?.(label);
  console.log(`idle ${label}: ${((cpu * 1000) / seconds).toFixed(2)} ms CPU a second (${1 + IDLE_INSTANCES} instances, ${seconds.toFixed(1)} s, load ${os.loadavg()[0]!.toFixed(1)})`);
}

/** A field of /proc/self/status in MiB (Linux; "?" elsewhere). */
function procStatus(field: string): string {
  try {
    const kb = Number(new RegExp(`^${field}:\\s+(\\d+) kB`, "m").exec(fs.readFileSync("/proc/self/status", "utf8"))?.[1]);
    return Number.isFinite(kb) ? (kb / 1024).toFixed(1) : "?";
  } catch {
    return "?";
  }
}

async function review(batch: readonly string[]): Promise<void> {
  let next = 0;
  const lane = async (): Promise<void> => {
    while (next < batch.length) {
      const result = await api.engine.run(REVIEW_WORKFLOW, { text: batch[next++]!, format: "json" });
      if (result.status !== "completed") throw new Error(`a review failed: ${JSON.stringify(result.error)}`);
    }
  };
  await Promise.all(Array.from({ length: RUNS_IN_FLIGHT }, lane));
}

console.log(`node ${process.version}, ${os.cpus().length} vCPU (shared); run store ${STORE}; 1 busy + ${IDLE_INSTANCES} idle API instances, ${WORKERS} workers (concurrency 2), ${RUNS_IN_FLIGHT} runs in flight`);
await review(texts.slice(0, 8)); // warm-up: queues, connections, compiled code
await idleBurn("at the start");
console.log("| contracts | heap used / total MiB (after GC) | RSS MiB (anonymous, file) | external MiB | API CPU ms per contract since the last | load |");
console.log("|---|---|---|---|---|---|");
let done = 0;
let cpu0 = ownCpu();
for (const [k, checkpoint] of CHECKPOINTS.entries()) {
  // SOAK_PROF: the API's V8 CPU profile over the reviews up to the second checkpoint
  const stop = PROF && k === 1 ? await profile() : undefined;
  while (done < checkpoint) {
    const n = Math.min(checkpoint - done, 20);
    await review(Array.from({ length: n }, (_, i) => texts[(8 + done + i) % texts.length]!));
    done += n;
  }
  const cpu = ownCpu() - cpu0;
  await stop?.(`reviews-to-${checkpoint}`);
  gc();
  gc();
  const m = process.memoryUsage();
  console.log(`| ${done} | ${mib(m.heapUsed)} / ${mib(m.heapTotal)} | ${mib(m.rss)} (${procStatus("RssAnon")}, ${procStatus("RssFile")}) | ${mib(m.external)} | ${done === 0 ? "-" : ((cpu * 1000) / Math.max(1, checkpoint - (CHECKPOINTS[CHECKPOINTS.indexOf(checkpoint) - 1] ?? 0))).toFixed(1)} | ${os.loadavg()[0]!.toFixed(1)} |`);
  if (SNAPSHOTS) {
    fs.mkdirSync(SNAPSHOTS, { recursive: true });
    v8.writeHeapSnapshot(path.join(SNAPSHOTS, `api-${done}.heapsnapshot`));
  }
  cpu0 = ownCpu();
}
await idleBurn(`after ${done} contracts`);
const reviewed = done + 8;
console.log(`the busy instance's main client, commands per contract (warm-up and idle windows included): ${[...sentByName].sort((a, b) => b[1] - a[1]).map(([name, n]) => `${name} ${(n / reviewed).toFixed(2)}`).join(", ")}`);

await Promise.all(workers.map((w) => w.stop()));
await Promise.all(workers.map((w) => (w.proc.exitCode !== null ? undefined : new Promise((r) => w.proc.once("exit", r)))));
for (const { node, engine } of [api, ...idle]) {
  await engine.dispose();
  await node.close();
}
await redis.kill();
fs.rmSync(tmp, { recursive: true, force: true });
process.exit(0);

/** A V8 CPU profile of this process until the returned function is called, written to SOAK_PROF. */
async function profile(): Promise<(label: string) => Promise<void>> {
  const { Session } = await import("node:inspector/promises");
  const session = new Session();
  session.connect();
  await session.post("Profiler.enable");
  await session.post("Profiler.start");
  return async (label) => {
    const { profile: p } = await session.post("Profiler.stop");
    fs.mkdirSync(PROF!, { recursive: true });
    fs.writeFileSync(path.join(PROF!, `${label.startsWith("reviews") ? "" : "idle-"}${label.replace(/\W+/g, "-")}.cpuprofile`), JSON.stringify(p));
    session.disconnect();
  };
}
