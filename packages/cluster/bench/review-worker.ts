// A worker process for bench/scale-out.ts: serves the review steps and bench.noop until SIGTERM,
// then prints its peak memory as one JSON line.
import fs from "node:fs";
import { PerformanceObserver, performance } from "node:perf_hooks";
import { InProcessExecutor, type Executor } from "@bear/workflow-engine";
import { FilePayloads, StepWorker, parseRedisUrl } from "../src/index";
import { contentCipherFromKey as keyCipher } from "@bear/security";
import { reviewRegistry } from "./review-steps";
import { threadCpu } from "./worker-process";

const [url, payloadDir, id, concurrency, values] = process.argv.slice(2) as [string, string, string, string, string | undefined];
const registry = reviewRegistry();
const payloads = new FilePayloads(payloadDir, undefined, { shareValues: values !== "copied", keyCipher });
/** BENCH_TIMELINE=<file>: each handler's start and end (ms on the machine's clock, performance.timeOrigin + now), written at SIGTERM (bench/utilisation.ts). */
const timelineFile = process.env.BENCH_TIMELINE;
const handlerSpans: number[] = [];
const inProcess = new InProcessExecutor(registry);
const executor: Executor =
  timelineFile === undefined
    ? inProcess
    : {
        execute: async (task, options) => {
          const start = performance.timeOrigin + performance.now();
          try {
            return await inProcess.execute(task, options);
          } finally {
            handlerSpans.push(start, performance.timeOrigin + performance.now());
          }
        },
      };
const worker = new StepWorker({ endpoint: parseRedisUrl(url), executor, stepTypes: registry.types(), concurrency: Number(concurrency), payloads, id });
await worker.start();
let peakRss = process.memoryUsage().rss;
const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 200);
const startCpu = process.cpuUsage();
/** Time spent in garbage collection (ms), for the samples, and the collections by kind (count, pause ms). */
let gcMs = 0;
const gcKinds: Record<string, { n: number; ms: number }> = {};
const GC_KIND: Record<number, string> = { 1: "scavenge", 2: "minorMarkSweep", 4: "markSweep", 8: "incremental", 16: "weakCallbacks" };
new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) {
    gcMs += entry.duration;
    const kind = GC_KIND[(entry as { detail?: { kind?: number } }).detail?.kind ?? 0] ?? "other";
    const k = (gcKinds[kind] ??= { n: 0, ms: 0 });
    k.n++;
    k.ms += entry.duration;
  }
}).observe({ entryTypes: ["gc"] });
process.stdout.write(`ready ${(startCpu.user + startCpu.system) / 1e6}\n`);
/** The event loop's utilisation since the last sample (busy / wall), for bench/utilisation.ts. */
let elu = performance.eventLoopUtilization();
// a sample mid-way (the bench leaves a warm-up out of its figures)
process.on("SIGUSR2", () => {
  const cpu = process.cpuUsage();
  const since = performance.eventLoopUtilization(elu);
  elu = performance.eventLoopUtilization();
  process.stdout.write(`sample ${JSON.stringify({ completed: worker.report().completed, cpuSeconds: (cpu.user + cpu.system) / 1e6, gcMs, gcKinds, rssMb: Math.round(process.memoryUsage().rss / 1048576), peakRssMb: Math.round(peakRss / 1048576), reads: { ...payloads.reads }, elu: since.utilization, eluActiveMs: since.active, threads: threadCpu(), tids: threadCpu(true) })}\n`);
});
let stopping = false;
process.on("SIGTERM", () => {
  if (stopping) return;
  stopping = true;
  clearInterval(sampler);
  if (timelineFile !== undefined) fs.writeFileSync(timelineFile, JSON.stringify(handlerSpans));
  const cpu = process.cpuUsage();
  process.stdout.write(`${JSON.stringify({ id, peakRssMb: Math.round(peakRss / 1048576), completed: worker.report().completed, cpuSeconds: (cpu.user + cpu.system) / 1e6, reads: payloads.reads })}\n`);
  // a bench may stop its Redis right after this line: a close still waiting on it then must not keep the process alive
  setTimeout(() => process.exit(0), 10_000).unref();
  void worker.close().then(() => process.exit(0));
});
