// Where a document's time goes on PiiScanPool, and a pool build against another in the same run:
//   nice -n 10 npx tsx bench/pool-ab.ts <before dist/index.js> [rounds] [passes]
// <before>: another build of this package whose @bear/core resolves to that build's core (copy main's
// packages/security/dist to X/packages/security/dist and main's core to X/node_modules/@bear/core: the before pool
// then runs its own WorkerPool and its own worker script). For each build, round after round (order alternating):
// the 64 documents of 16 KiB of bench/peers.ts scanned structured-only with 2 and with 4 in flight (peers.ts keeps
// two per thread) and all at once with scanMany, and 20 times as many empty texts (a task that does nothing but cross the threads: the pool's own
// cost per task), and 5 times as many short texts dense with findings (each a document's findings' values: the cost of a
// result's trip). Wall time is the machine's load as much as the code's, so the CPU of every thread of this process
// is printed beside it (and the caller's thread's alone, from /proc schedstat); medians of the rounds. Findings of each build compared with one thread's scanner.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import type { PiiFinding } from "../src/pii/pii-types";
import { PiiScanner } from "../src/pii/pii-scanner";
import { corpus } from "./legal-corpus";

interface PoolLike {
  scan(text: string): Promise<PiiFinding[]>;
  scanMany(texts: readonly string[]): Promise<PiiFinding[][]>;
  dispose(): Promise<void>;
}
type PoolClass = new (options: { threads: number; scanner: { names: false } }) => PoolLike;
const [beforeFile, roundsArg = "7", passesArg = "4"] = process.argv.slice(2);
if (!beforeFile) throw new Error("usage: bench/pool-ab.ts <before dist/index.js> [rounds] [passes]");
const load = async (file: string): Promise<PoolClass> => ((await import(pathToFileURL(path.resolve(file)).href)) as { PiiScanPool: PoolClass }).PiiScanPool;
const builds: [string, PoolClass][] = [
  ["before", await load(beforeFile)],
  ["after", await load(new URL("../dist/index.js", import.meta.url).pathname)],
];
const MB = 1024 * 1024;
const DOC = 16 * 1024;
const text = corpus(MB);
const docs: string[] = [];
for (let at = 0; at < text.length; at += DOC) docs.push(text.slice(at, at + DOC));
// 20 empty texts per document: a few hundred tasks are over before the threads are at their steady rate
const empties = Array.from({ length: docs.length * 20 }, () => "");
// short texts as full of findings as a document (its findings' values, one after another): little to scan, a
// document's worth of findings to bring back, so the cost of a result's trip between threads shows
const valuesOf = (doc: string): string => new PiiScanner({ names: false }).scan(doc).map((f) => doc.slice(f.start, f.end)).join(" ;\n");
const dense = Array.from({ length: docs.length * 5 }, (_, i) => valuesOf(docs[i % docs.length] as string));
const rounds = Number(roundsArg);
const passes = Number(passesArg);
const threads = Math.min(2, os.availableParallelism());
const expected = JSON.stringify(docs.map((d) => new PiiScanner({ names: false }).scan(d)));
const expectedDense = JSON.stringify(dense.map((d) => new PiiScanner({ names: false }).scan(d)));

/** Scans `texts` `passes` times on `pool` with `inFlight` scans at a time (each lane awaits its scan, then takes the next), or all in one scanMany (0). */
async function onPool(pool: PoolLike, texts: readonly string[], inFlight: number): Promise<PiiFinding[][]> {
  let found: PiiFinding[][] = new Array<PiiFinding[]>(texts.length);
  for (let p = 0; p < passes; p++) {
    if (inFlight === 0) {
      found = await pool.scanMany(texts);
      continue;
    }
    let next = 0;
    const lane = async (): Promise<void> => {
      while (next < texts.length) {
        const i = next++;
        found[i] = await pool.scan(texts[i] as string);
      }
    };
    await Promise.all(Array.from({ length: inFlight }, lane));
  }
  return found;
}
/** Seconds this process's main thread has run (Linux schedstat, in nanoseconds: finer than the 10 ms ticks of stat). */
const mainThreadCpu = (): number => {
  try {
    return Number(fs.readFileSync(`/proc/self/task/${process.pid}/schedstat`, "utf8").split(" ")[0]) / 1e9;
  } catch {
    return 0;
  }
};
const cpuNow = (): number => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
};
async function timed(run: () => Promise<unknown>): Promise<{ wall: number; cpu: number; caller: number; value: unknown }> {
  const t0 = performance.now();
  const c0 = cpuNow();
  const m0 = mainThreadCpu();
  const value = await run();
  return { wall: (performance.now() - t0) / 1000, cpu: cpuNow() - c0, caller: mainThreadCpu() - m0, value };
}
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;

const workloads = [
  ["documents, 2 in flight", docs, 2],
  ["documents, 4 in flight", docs, 4],
  ["documents, one scanMany", docs, 0],
  ["empty tasks, 2 in flight", empties, 2],
  ["empty tasks, 4 in flight", empties, 4],
  ["dense texts, 4 in flight", dense, 4],
] as const;
const pools = builds.map(([, Pool]) => new Pool({ threads, scanner: { names: false } }));
const samples = builds.map(() => workloads.map(() => ({ wall: [] as number[], cpu: [] as number[], caller: [] as number[] })));
const same = builds.map(() => true);
// warm both builds' threads alike before timing (a thread's first MiBs run cold code)
for (let w = 0; w < 6; w++) for (const pool of pools) await onPool(pool, docs, 4);
console.log(`pool-ab: ${docs.length} documents of 16 KiB x ${passes} passes, structured, ${threads} threads, ${rounds} rounds; load ${os.loadavg()[0]?.toFixed(1)}`);
for (let r = 0; r < rounds; r++) {
  const order = r % 2 === 0 ? [0, 1] : [1, 0];
  for (const [k, [, texts, inFlight]] of workloads.entries()) {
    for (const b of order) {
      const t = await timed(() => onPool(pools[b] as PoolLike, texts, inFlight));
      samples[b]?.[k]?.wall.push(t.wall);
      samples[b]?.[k]?.cpu.push(t.cpu);
      samples[b]?.[k]?.caller.push(t.caller);
      if (texts === docs && JSON.stringify(t.value) !== expected) same[b] = false;
      if (texts === dense && JSON.stringify(t.value) !== expectedDense) same[b] = false;
    }
  }
}
for (const [k, [label, texts]] of workloads.entries()) {
  const cells = builds.map(([name], b) => {
    const s = samples[b]?.[k] ?? { wall: [], cpu: [], caller: [] };
    const n = texts.length * passes;
    const wall = median(s.wall);
    const cpu = median(s.cpu);
    const rate = texts === docs ? `${((text.length * passes) / MB / wall).toFixed(2).padStart(6)} MB/s wall, ${((text.length * passes) / MB / cpu).toFixed(2).padStart(6)} of CPU` : "";
    const caller = median(s.caller);
    return `${name}: ${((wall / n) * 1e6).toFixed(0).padStart(5)} us wall, ${((cpu / n) * 1e6).toFixed(0).padStart(5)} us CPU (caller ${((caller / n) * 1e6).toFixed(0).padStart(4)}) per task ${rate}`;
  });
  const ratio = median(samples[0]?.[k]?.wall ?? []) / median(samples[1]?.[k]?.wall ?? []);
  console.log(`${label.padEnd(26)} ${cells.join(" | ")} | after x${ratio.toFixed(2)} wall`);
}
console.log(`findings identical to one thread's scanner: ${builds.map(([name], b) => `${name} ${same[b] ? "yes" : "NO"}`).join(", ")}; load ${os.loadavg()[0]?.toFixed(1)}`);
for (const pool of pools) await pool.dispose();
