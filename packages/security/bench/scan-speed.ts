// Scan speed on real contracts, BEAR beside redact-pii in the same run: nice -n 10 npx tsx bench/scan-speed.ts [contracts]
// Workload: the first N contracts (default 50) of cuad_train's report part, one document each, scanned whole.
// Needs a build (dist/scan-worker.js) for the pool rows. Prints MB/s (wall, and per second of the process's CPU time:
// the machine is shared), per-document latency p50/p95/p99 and memory.
import os from "node:os";
import { SyncRedactor } from "redact-pii";
import { PiiScanner } from "../src/pii/pii-scanner";
import { PiiScanPool } from "../src/pii/scan-pool";
import { loadCuad } from "./legal-eval";
import { sharedDataDir } from "./pii-eval";

const n = Number(process.argv[2] ?? 50);
const docs = loadCuad(sharedDataDir(import.meta.dirname), "report", n).map((c) => c.text);
const MB = 1024 * 1024;
const bytes = docs.reduce((s, d) => s + Buffer.byteLength(d), 0);
const workerUrl = new URL("../dist/scan-worker.js", import.meta.url);

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
}
/** CPU time of the whole process (all its threads), in ms: on a shared machine wall time also counts other jobs. */
function cpuMs(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}
function row(name: string, wallMs: number, cpu: number, latencies: number[], findings: number): void {
  const l = [...latencies].sort((a, b) => a - b);
  const mem = process.memoryUsage();
  console.log(
    `${name.padEnd(34)} ${(bytes / MB / (wallMs / 1000)).toFixed(2).padStart(6)} MB/s (${(bytes / MB / (cpu / 1000)).toFixed(2).padStart(6)} MB/s of CPU)  per doc p50 ${percentile(l, 50).toFixed(0).padStart(5)} ms p95 ${percentile(l, 95).toFixed(0).padStart(5)} ms p99 ${percentile(l, 99).toFixed(0).padStart(5)} ms  findings ${String(findings).padStart(6)}  rss ${(mem.rss / MB).toFixed(0)} MiB heap ${(mem.heapUsed / MB).toFixed(0)} MiB`,
  );
}

/** One thread, documents one after another. */
function inline(name: string, scan: (t: string) => readonly unknown[]): void {
  for (const d of docs.slice(0, 3)) scan(d); // warm up: word lists, model, compiled regexes
  const lat: number[] = [];
  let found = 0;
  const c0 = cpuMs();
  const t0 = performance.now();
  for (const d of docs) {
    const s = performance.now();
    found += scan(d).length;
    lat.push(performance.now() - s);
  }
  row(name, performance.now() - t0, cpuMs() - c0, lat, found);
}

/** The pool, as many documents in flight as it has threads; latency is submit to answer. */
async function pooled(name: string, pool: PiiScanPool): Promise<void> {
  await pool.scanMany(docs.slice(0, pool.threads * 2)); // warm up every thread
  const lat: number[] = [];
  let found = 0;
  let next = 0;
  const c0 = cpuMs();
  const t0 = performance.now();
  const lane = async (): Promise<void> => {
    while (next < docs.length) {
      const d = docs[next++] as string;
      const s = performance.now();
      const f = await pool.scan(d); // (not `found += await …`: that reads `found` before the await)
      found += f.length;
      lat.push(performance.now() - s);
    }
  };
  await Promise.all(Array.from({ length: pool.threads }, lane));
  row(name, performance.now() - t0, cpuMs() - c0, lat, found);
}

console.log(`${docs.length} cuad_train contracts (report part), ${(bytes / MB).toFixed(2)} MB; load average ${os.loadavg()[0]?.toFixed(1)} on ${os.cpus().length} CPUs`);
const peer = new SyncRedactor();
inline("redact-pii 3.4 SyncRedactor (peer)", (t) => {
  const out = peer.redact(t);
  return out === t ? [] : [out];
});
inline("BEAR PiiScanner structured", ((s) => (t: string) => s.scan(t))(new PiiScanner({ names: false })));
inline("BEAR PiiScanner all", ((s) => (t: string) => s.scan(t))(new PiiScanner()));
const threads = Number(process.env.THREADS ?? os.availableParallelism());
for (const [label, scanner] of [
  ["structured", { names: false }],
  ["all", {}],
] as const) {
  const pool = new PiiScanPool({ threads, scanner, workerUrl });
  await pooled(`BEAR PiiScanPool ${label}, ${threads} threads`, pool);
  await pool.dispose();
}
