// An API instance's own acts on the cluster's workers (issue 22 item 1): redaction (the `redact`
// step: the scan on a worker, the policy here) and ingest (`ingest.prepare` per file on a worker,
// commits here), each beside the same act in-process, on cuad_train contracts, in one run. Prints
// throughput, per-act latency p50/p95/p99, the CPU of the instance and of the worker process, and
// RSS. Run from packages/workspace after `npm run build` (the worker process runs the built package):
//   nice -n 10 npx tsx --tsconfig ../../tsconfig.base.json bench/cluster-acts.ts [contracts=40]
import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { defaultBearConfig, type BearConfig } from "@bear/core";
import { openWorkspace, type Workspace } from "@bear/workspace";
import { startRedis } from "../test/support/redis-server";

const CONTRACTS = Number(process.argv[2] ?? 40);
const cuad = path.resolve(import.meta.dirname, "../../../../shared/data/cuad_train/full_contract_txt");
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "bear-bench-acts-"));
const dataDir = path.join(tmp, "ws");
const config: BearConfig = { ...defaultBearConfig(dataDir), log: { level: "error" } };
const pct = (xs: number[], p: number): number => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))] ?? 0;
const names = fs.readdirSync(cuad).filter((f) => f.endsWith(".txt")).sort().slice(0, CONTRACTS);
const texts = names.map((n) => fs.readFileSync(path.join(cuad, n), "utf8"));
const mb = texts.reduce((s, t) => s + Buffer.byteLength(t), 0) / 1024 / 1024;

/** CPU seconds of a process (user + system) from /proc. */
function cpuOf(pid: number): number {
  const fields = fs.readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]!.split(" ");
  return (Number(fields[11]) + Number(fields[12])) / 100; // utime + stime in clock ticks (100 per second on Linux)
}

function report(label: string, times: number[], wallMs: number, cpu: string): void {
  console.log(
    `| ${label} | ${(times.length / (wallMs / 1000)).toFixed(2)} docs/s | ${(mb / (wallMs / 1000)).toFixed(2)} MB/s | ${pct(times, 50).toFixed(0)} / ${pct(times, 95).toFixed(0)} / ${pct(times, 99).toFixed(0)} ms | ${cpu} | ${(process.memoryUsage().rss / 1048576).toFixed(0)} MiB |`,
  );
}

async function redactAll(ws: Workspace): Promise<number[]> {
  const times: number[] = [];
  for (const [i, text] of texts.entries()) {
    const t = performance.now();
    await ws.redact(text, { actor: "bench", documentId: names[i]! });
    times.push(performance.now() - t);
  }
  return times;
}

async function ingestAll(ws: Workspace, matter: string, files: string): Promise<{ times: number[]; wall: number }> {
  const rag = await ws.rag();
  const times: number[] = [];
  const started = new Map<string, number>();
  const sub = rag.onDidIngestProgress.subscribe((e) => {
    if (e.type === "file-started") started.set(e.file, performance.now());
    if (e.type === "file-finished") times.push(performance.now() - (started.get(e.outcome.file) ?? performance.now()));
  });
  const t = performance.now();
  const r = await rag.ingest([files], { matter, actor: "bench" });
  const wall = performance.now() - t;
  sub.unsubscribe();
  if (r.added !== texts.length) throw new Error(`ingest added ${r.added} of ${texts.length}`);
  return { times, wall };
}

const redis = await startRedis();
const files = path.join(tmp, "files");
fs.mkdirSync(files);
texts.forEach((t, i) => fs.writeFileSync(path.join(files, `c${i}.txt`), t));
await (await openWorkspace({ config, create: true })).dispose();
const worker = spawn(process.execPath, [path.resolve(import.meta.dirname, "../test/support/cluster-worker-child.mjs"), dataDir, redis.url, "bench-worker", "redact,ingest.*"], { stdio: ["ignore", "pipe", "inherit"] });
await new Promise<void>((resolve, reject) => {
  let out = "";
  worker.stdout!.on("data", (d: Buffer) => ((out += d.toString()), out.includes("ready\n") && resolve()));
  worker.once("exit", (code) => reject(new Error(`worker exited ${code}`)));
});
console.log(`${texts.length} cuad_train contracts (${mb.toFixed(1)} MB), load ${os.loadavg().map((l) => l.toFixed(1)).join(" ")}; lexical index, no embedding model; CPU in seconds`);
console.log("| act | throughput | | per act p50 / p95 / p99 | CPU s | rss (instance) |");
try {
  for (const round of [1, 2]) {
    // in-process (no Redis): what `bear serve` does without --redis (offload off in both, as the CLI)
    const local = await openWorkspace({ config, offload: { workers: 0 }, ingestRoot: files });
    let c0 = process.cpuUsage();
    let t = performance.now();
    const lr = await redactAll(local);
    report(`round ${round} redact, in-process`, lr, performance.now() - t, `instance ${(cpuSec(process.cpuUsage(c0)))}`);
    c0 = process.cpuUsage();
    const li = await ingestAll(local, `local${round}`, files);
    report(`round ${round} ingest, in-process`, li.times, li.wall, `instance ${(cpuSec(process.cpuUsage(c0)))}`);
    await local.dispose();
    // clustered: the scan / the preparation on the worker process
    const inst = await openWorkspace({ config, offload: { workers: 0 }, ingestRoot: files, cluster: { redisUrl: redis.url, role: "instance" } });
    c0 = process.cpuUsage();
    let w0 = cpuOf(worker.pid!);
    t = performance.now();
    const cr = await redactAll(inst);
    report(`round ${round} redact, 1 worker`, cr, performance.now() - t, `instance ${cpuSec(process.cpuUsage(c0))} + worker ${(cpuOf(worker.pid!) - w0).toFixed(2)}`);
    c0 = process.cpuUsage();
    w0 = cpuOf(worker.pid!);
    const ci = await ingestAll(inst, `cluster${round}`, files);
    report(`round ${round} ingest, 1 worker`, ci.times, ci.wall, `instance ${cpuSec(process.cpuUsage(c0))} + worker ${(cpuOf(worker.pid!) - w0).toFixed(2)}`);
    await inst.dispose();
  }
} finally {
  worker.kill("SIGKILL");
  await redis.stop();
  fs.rmSync(tmp, { recursive: true, force: true });
}

function cpuSec(u: NodeJS.CpuUsage): string {
  return ((u.user + u.system) / 1e6).toFixed(2);
}
