// A worker process for bench/scale-out.ts: serves the review steps and bench.noop until SIGTERM,
// then prints its peak memory as one JSON line.
import { PerformanceObserver } from "node:perf_hooks";
import { InProcessExecutor } from "@bear/workflow-engine";
import { FilePayloads, StepWorker, parseRedisUrl } from "../src/index";
import { contentCipherFromKey as keyCipher } from "@bear/security";
import { reviewRegistry } from "./review-steps";

const [url, payloadDir, id, concurrency, values] = process.argv.slice(2) as [string, string, string, string, string | undefined];
const registry = reviewRegistry();
const payloads = new FilePayloads(payloadDir, undefined, { shareValues: values !== "copied", keyCipher });
const worker = new StepWorker({ endpoint: parseRedisUrl(url), executor: new InProcessExecutor(registry), stepTypes: registry.types(), concurrency: Number(concurrency), payloads, id });
await worker.start();
let peakRss = process.memoryUsage().rss;
const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 200);
const startCpu = process.cpuUsage();
/** Time spent in garbage collection (ms), for the samples. */
let gcMs = 0;
new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) gcMs += entry.duration;
}).observe({ entryTypes: ["gc"] });
process.stdout.write(`ready ${(startCpu.user + startCpu.system) / 1e6}\n`);
// a sample mid-way (the bench leaves a warm-up out of its figures)
process.on("SIGUSR2", () => {
  const cpu = process.cpuUsage();
  process.stdout.write(`sample ${JSON.stringify({ completed: worker.report().completed, cpuSeconds: (cpu.user + cpu.system) / 1e6, gcMs, reads: { ...payloads.reads } })}\n`);
});
process.on("SIGTERM", () => {
  clearInterval(sampler);
  const cpu = process.cpuUsage();
  process.stdout.write(`${JSON.stringify({ id, peakRssMb: Math.round(peakRss / 1048576), completed: worker.report().completed, cpuSeconds: (cpu.user + cpu.system) / 1e6, reads: payloads.reads })}\n`);
  void worker.close().then(() => process.exit(0));
});
