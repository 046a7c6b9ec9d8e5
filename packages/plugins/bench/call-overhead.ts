// Call overhead of a sandboxed extension point (child process + permission model + JSON channel)
// against the same function called in-process. Run: npx tsx bench/call-overhead.ts
import fs from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { PluginHost } from "../src/index";
import { sandboxRunner } from "../test/support/sandbox-runner";

const examples = path.resolve(import.meta.dirname, "../examples");
const SEQUENTIAL = 3000;
const CONCURRENT = 3000;
const IN_FLIGHT = 16;
const text =
  "The parties to 1:23-cv-04567-ABC agree that the confidentiality obligations survive termination for five years. " +
  "Counsel shall meet and confer before filing any motion under Rule 37. ".repeat(4);

type Recognize = (text: string) => unknown;

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
}

async function measure(label: string, call: () => unknown): Promise<void> {
  for (let i = 0; i < 200; i++) await call(); // warm-up
  const latencies: number[] = [];
  const started = performance.now();
  for (let i = 0; i < SEQUENTIAL; i++) {
    const t = performance.now();
    await call();
    latencies.push((performance.now() - t) * 1000);
  }
  const seqSeconds = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  let next = 0;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: IN_FLIGHT }, async () => {
      while (next++ < CONCURRENT) await call();
    }),
  );
  const concSeconds = (performance.now() - t0) / 1000;
  const f = (n: number) => n.toFixed(1).padStart(8);
  console.log(
    `${label.padEnd(22)} p50 ${f(percentile(latencies, 50))} µs  p95 ${f(percentile(latencies, 95))} µs  p99 ${f(percentile(latencies, 99))} µs  ` +
      `${Math.round(SEQUENTIAL / seqSeconds).toString().padStart(7)} calls/s sequential  ${Math.round(CONCURRENT / concSeconds).toString().padStart(7)} calls/s with ${IN_FLIGHT} in flight`,
  );
}

function rssMb(pid: number): string {
  const status = fs.readFileSync(`/proc/${pid}/status`, "utf8");
  const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? NaN);
  return (kb / 1024).toFixed(1);
}

const runnerPath = await sandboxRunner();
const startedAt = performance.now();
const host = await PluginHost.open({ directories: [examples], runnerPath });
const startMs = performance.now() - startedAt;
const sandboxed = host.piiRecognizers().find((r) => r.id === "us.case_number");
if (!sandboxed) throw new Error("the us-case-numbers example did not load");
const mod = (await import(pathToFileURL(path.join(examples, "us-case-numbers/index.mjs")).href)) as { default: Record<string, { recognize: Recognize }> };
const inProcess = mod.default["us.case_number"] as { recognize: Recognize };

console.log(`node ${process.version}, ${SEQUENTIAL} sequential + ${CONCURRENT} concurrent calls of recognize() on a ${text.length}-char text`);
console.log(`host start with 2 plugins (2 sandbox processes): ${startMs.toFixed(0)} ms`);
await measure("in-process", () => inProcess.recognize(text));
await measure("sandboxed (IPC)", () => sandboxed.recognize(text));
const pid = host.plugins().find((p) => p.name === "us-case-numbers")?.pid as number;
console.log(`memory: host RSS ${rssMb(process.pid)} MB, one sandbox process RSS ${rssMb(pid)} MB`);
await host.dispose();
