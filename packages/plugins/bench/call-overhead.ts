// Call overhead of a sandboxed extension point (child process + permission model + JSON channel)
// against the same function called in-process. Run: npx tsx bench/call-overhead.ts
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { PluginHost, pluginContainment } from "../src/index";
import { containedCommand } from "../src/sandbox/containment";
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

/** RSS of a process and its descendants (a contained plugin is unshare → node). */
function rssMb(pid: number): string {
  const kbOf = (p: number): number => {
    const status = fs.readFileSync(`/proc/${p}/status`, "utf8");
    const own = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
    const children = fs
      .readdirSync(`/proc/${p}/task`)
      .flatMap((t) => fs.readFileSync(`/proc/${p}/task/${t}/children`, "utf8").trim().split(/\s+/).filter(Boolean).map(Number));
    return own + children.reduce((sum, c) => sum + kbOf(c), 0);
  };
  return (kbOf(pid) / 1024).toFixed(1);
}

/** Median wall time to start and end `node -e ""`, bare and inside the plugin containment. */
function startCost(): string {
  const median = (run: () => void): number => {
    const times = Array.from({ length: 7 }, () => {
      const t = performance.now();
      run();
      return performance.now() - t;
    }).sort((a, b) => a - b);
    return times[3] as number;
  };
  const bare = median(() => spawnSync(process.execPath, ["-e", ""]));
  const { command, args } = containedCommand([process.execPath, "-e", ""], 1152 * 1024 * 1024, { readOnly: [examples], readWrite: [], cwd: examples });
  const contained = median(() => spawnSync(command, args));
  const c = pluginContainment();
  return `node start: bare ${bare.toFixed(1)} ms, contained ${contained.toFixed(1)} ms (${c.level}, ${c.launcher})`;
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
console.log(startCost());
console.log(`host start with 2 plugins (2 sandbox processes): ${startMs.toFixed(0)} ms`);
await measure("in-process", () => inProcess.recognize(text));
await measure("sandboxed (IPC)", () => sandboxed.recognize(text));
const pid = host.plugins().find((p) => p.name === "us-case-numbers")?.pid as number;
console.log(`memory: host RSS ${rssMb(process.pid)} MB, one sandbox process RSS ${rssMb(pid)} MB`);
await host.dispose();
