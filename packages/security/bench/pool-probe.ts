// Where the CPU of structured-only documents on PiiScanPool goes, thread by thread (the caller's, each worker's, the
// rest: GC and compiler threads), beside one thread scanning the same documents in this process:
//   nice -n 10 npx tsx bench/pool-probe.ts [passes] [warm passes] [in flight per thread]
// The peers' 64 documents of 16 KiB (bench/peers.ts), structured-only. CPU per MiB from /proc/self/task (Linux), so the
// figures hold on a loaded machine; wall MB/s is printed too but is the machine's load as much as the code's.
import fs from "node:fs";
import os from "node:os";
import { PiiScanner } from "../src/pii/pii-scanner";
import type { PiiFinding } from "../src/pii/pii-types";
import { PiiScanPool } from "../src/pii/scan-pool";
import { corpus } from "./legal-corpus";
// eslint-disable-next-line @nx/enforce-module-boundaries -- a bench helper of the repository root, shared by several packages' benches (no project to import it from)
import { threadCpu } from "../../../scripts/test-support/thread-cpu";

const [passesArg = "20", warmArg = "12", inFlightArg = "2"] = process.argv.slice(2);
const passes = Number(passesArg);
const warm = Number(warmArg);
const inFlight = Number(inFlightArg);
const MB = 1024 * 1024;
const DOC = 16 * 1024;
const text = corpus(MB);
const docs: string[] = [];
for (let at = 0; at < text.length; at += DOC) docs.push(text.slice(at, at + DOC));
const threads = Math.min(2, os.availableParallelism());
const pool = new PiiScanPool({ threads, scanner: { names: false }, workerUrl: new URL("../dist/scan-worker.js", import.meta.url) });
const one = new PiiScanner({ names: false });

async function onPool(): Promise<PiiFinding[][]> {
  const found: PiiFinding[][] = new Array<PiiFinding[]>(docs.length);
  let next = 0;
  const lane = async (): Promise<void> => {
    while (next < docs.length) {
      const i = next++;
      found[i] = await pool.scan(docs[i] as string);
    }
  };
  await Promise.all(Array.from({ length: inFlight * threads }, lane));
  return found;
}
const here = (): PiiFinding[][] => docs.map((d) => one.scan(d));
const many = (): Promise<PiiFinding[][]> => pool.scanMany(docs);
for (let w = 0; w < warm; w++) {
  here();
  await onPool();
}
for (let w = 0; w < 3; w++) await many();
const same = JSON.stringify(here()) === JSON.stringify(await onPool()) && JSON.stringify(here()) === JSON.stringify(await many());
const main = String(process.pid);
/** Per thread: [ns on a CPU, ns runnable but waiting for one] (Linux schedstat). */
const sched = (): Map<string, [number, number]> => {
  const out = new Map<string, [number, number]>();
  for (const tid of fs.readdirSync("/proc/self/task")) {
    try {
      const [run = 0, wait = 0] = fs.readFileSync(`/proc/self/task/${tid}/schedstat`, "utf8").split(" ").map(Number);
      out.set(tid, [run, wait]);
    } catch {
      // ended meanwhile
    }
  }
  return out;
};
const measure = async (run: () => unknown): Promise<{ wall: number; main: number; workers: number[]; rest: number }> => {
  const t0 = performance.now();
  const c0 = threadCpu();
  const s0 = sched();
  for (let p = 0; p < passes; p++) await run();
  const c1 = threadCpu();
  const s1 = sched();
  const wallNs = (performance.now() - t0) * 1e6;
  const states = [...s1].map(([tid, [run, wait]]) => {
    const [run0 = 0, wait0 = 0] = s0.get(tid) ?? [];
    return { tid, run: (run - run0) / wallNs, wait: (wait - wait0) / wallNs };
  }).filter((x) => x.run > 0.02).sort((a, b) => (a.tid === main ? -1 : b.tid === main ? 1 : b.run - a.run));
  console.log(`  share of wall on a CPU / waiting for one / asleep: ${states.map((x) => `${x.tid === main ? "caller" : x.tid} ${(100 * x.run).toFixed(0)}/${(100 * x.wait).toFixed(0)}/${(100 * (1 - x.run - x.wait)).toFixed(0)}%`).join(", ")}`);
  const spent = [...c1].map(([tid, s]) => [tid, s - (c0.get(tid) ?? 0)] as const);
  const others = spent.filter(([tid]) => tid !== main).map(([, s]) => s).sort((a, b) => b - a);
  const mainCpu = spent.find(([tid]) => tid === main)?.[1] ?? 0;
  return { wall: (performance.now() - t0) / 1000, main: mainCpu, workers: others.slice(0, threads), rest: others.slice(threads).reduce((a, b) => a + b, 0) };
};
const perMb = (s: number): string => `${((s * 1000) / passes).toFixed(1).padStart(5)}`;
const show = (label: string, r: Awaited<ReturnType<typeof measure>>): void => {
  const all = r.main + r.workers.reduce((a, b) => a + b, 0) + r.rest;
  console.log(
    `${label.padEnd(10)} ms CPU per MiB: caller ${perMb(r.main)}, workers ${r.workers.map(perMb).join(" ")}, other threads ${perMb(r.rest)}, all ${perMb(all)} | ${(passes / r.wall).toFixed(2)} MB/s wall`,
  );
};
console.log(`pool-probe: ${docs.length} documents of 16 KiB x ${passes} passes, structured, ${threads} threads, ${inFlight * threads} in flight; load ${os.loadavg()[0]?.toFixed(1)}; findings ${same ? "identical" : "DIFFERENT"}`);
for (let r = 0; r < 2; r++) {
  show("1 thread", await measure(here));
  show("pool", await measure(onPool));
  show("scanMany", await measure(many));
}
await pool.dispose();
