// Benchmark: the pid lock every audit append and every index write takes.
//   npx tsx packages/core/bench/pid-lock.ts
// Prints uncontended acquire+release latency percentiles and throughput, and the hand-over rate
// between two processes contending for one lock.
import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { acquirePidLock, acquirePidLockSync } from "../src/index";

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "bear-bench-lock-"));
const file = path.join(dir, "bench.lock");
const rounds = 20_000;

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

const samples: number[] = [];
const started = performance.now();
for (let i = 0; i < rounds; i++) {
  const t = performance.now();
  acquirePidLockSync(file).release();
  samples.push((performance.now() - t) * 1000);
}
const elapsed = (performance.now() - started) / 1000;
samples.sort((a, b) => a - b);
console.log(`uncontended acquire+release (sync), ${rounds} rounds: ${Math.round(rounds / elapsed)} ops/s`);
console.log(`  latency µs: p50 ${percentile(samples, 50).toFixed(1)}  p95 ${percentile(samples, 95).toFixed(1)}  p99 ${percentile(samples, 99).toFixed(1)}  max ${samples.at(-1)!.toFixed(1)}`);

// Two processes: this one and a child, each taking the lock 2,000 times with a tiny critical section.
const child = `
  const { acquirePidLock } = await import(${JSON.stringify(path.resolve(import.meta.dirname, "../src/index.ts"))});
  for (let i = 0; i < 2000; i++) { const l = await acquirePidLock(${JSON.stringify(file)}, { waitMs: 60000, pollMs: 1 }); l.release(); await new Promise((r) => setImmediate(r)); }
`;
const contendStart = performance.now();
const other = spawn(process.execPath, ["--import", "tsx", "--input-type=module", "-e", child], { stdio: "inherit", cwd: path.resolve(import.meta.dirname, "../../..") });
const otherDone = new Promise((resolve) => other.on("exit", resolve));
for (let i = 0; i < 2000; i++) {
  const lock = await acquirePidLock(file, { waitMs: 60_000, pollMs: 1 });
  lock.release();
  await new Promise((resolve) => setImmediate(resolve));
}
await otherDone;
const contended = (performance.now() - contendStart) / 1000;
console.log(`two processes contending, 4000 acquisitions in all: ${Math.round(4000 / contended)} acquisitions/s (includes the child's start-up)`);
console.log(`memory: rss ${Math.round(process.memoryUsage().rss / 1024 / 1024)} MB`);
fs.rmSync(dir, { recursive: true, force: true });
