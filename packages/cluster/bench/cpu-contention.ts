// Is the second worker's extra CPU per contract the machine's or BEAR's? The same contract reviews,
// in-process (no Redis, no queue, no payload files: the handlers alone), in one process alone and in
// two processes at once, rounds alternating: CPU ms per contract of each. If two processes at once
// each spend ~10% more CPU per contract than one alone, the scale-out run's two workers do so for
// the machine's reason (two busy vCPUs share caches, memory bandwidth or a host core), not the
// cluster's. Meaningful only on a quiet machine (under load, the "alone" process never is).
// Usage: cd packages/cluster && nice -n 10 npx tsx --tsconfig ../../tsconfig.base.json bench/cpu-contention.ts
//   (CONTENTION_CONTRACTS=60 measured per process, CONTENTION_WARM_UP=16, CONTENTION_ROUNDS=3)
import { execFileSync, spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { WorkflowEngine } from "@bear/workflow-engine";
import { REVIEW_WORKFLOW, reviewRegistry } from "./review-steps";

const CONTRACTS = Number(process.env.CONTENTION_CONTRACTS ?? 60);
const WARM_UP = Number(process.env.CONTENTION_WARM_UP ?? 16);
const ROUNDS = Math.max(1, Number(process.env.CONTENTION_ROUNDS ?? 3));
const cuad = path.resolve(import.meta.dirname, "../../../../shared/data/cuad_train/full_contract_txt");

interface Measured {
  readonly cpuMs: number;
  readonly wallMs: number;
  readonly contracts: number;
}

if (process.argv[2] === "--child") {
  // one process: warm up, then review the contracts one after another and print the CPU they took
  const texts = fs
    .readdirSync(cuad)
    .filter((f) => f.endsWith(".txt"))
    .sort()
    .slice(0, WARM_UP + CONTRACTS)
    .map((f) => fs.readFileSync(path.join(cuad, f), "utf8"));
  const engine = WorkflowEngine.inMemory({ registry: reviewRegistry(), maxParallelSteps: 4, keepEvents: false });
  const review = async (text: string): Promise<void> => {
    const result = await engine.run(REVIEW_WORKFLOW, { text, format: "json" });
    if (result.status !== "completed") throw new Error(`a review failed: ${JSON.stringify(result.error)}`);
  };
  for (const text of texts.slice(0, WARM_UP)) await review(text);
  // both processes of a pair start measuring together, at a line on stdin
  process.stdout.write("warm\n");
  await new Promise<void>((resolve) => process.stdin.once("data", () => resolve()));
  process.stdin.pause();
  const cpu = process.cpuUsage();
  const t = performance.now();
  for (const text of texts.slice(WARM_UP)) await review(text);
  const used = process.cpuUsage(cpu);
  process.stdout.write(`${JSON.stringify({ cpuMs: (used.user + used.system) / 1000, wallMs: performance.now() - t, contracts: texts.length - WARM_UP } satisfies Measured)}\n`);
  await engine.dispose();
  process.exit(0);
}

/** Runs `n` processes at once (each warmed first, then measured together); their figures. */
async function together(n: number): Promise<Measured[]> {
  const children = Array.from({ length: n }, () => {
    const proc = spawn(process.execPath, ["--import", "tsx", import.meta.filename, "--child"], { stdio: ["pipe", "pipe", "inherit"] });
    let out = "";
    const warm = new Promise<void>((resolve, reject) => {
      proc.stdout!.on("data", (d: Buffer) => (out += d.toString()).includes("warm\n") && resolve());
      proc.once("exit", (code) => code !== 0 && reject(new Error(`a contention child exited ${code}`)));
    });
    const done = new Promise<Measured>((resolve, reject) => proc.once("exit", (code, signal) => (code === 0 ? resolve(JSON.parse(out.split("\n").find((l) => l.startsWith("{"))!) as Measured) : reject(new Error(`a contention child exited (${code ?? signal}): ${out.slice(-300)}`)))));
    return { proc, warm, done };
  });
  await Promise.all(children.map((c) => c.warm));
  for (const c of children) c.proc.stdin!.write("go\n");
  return Promise.all(children.map((c) => c.done));
}

const load = (): string => {
  try {
    return execFileSync("uptime", { encoding: "utf8" }).trim().replace(/.*load/, "load");
  } catch {
    return os.loadavg().map((l) => l.toFixed(2)).join(", ");
  }
};
const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 === 1 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};
console.log(`node ${process.version}, ${os.cpus().length} vCPU; ${CONTRACTS} cuad_train contracts measured per process after ${WARM_UP}, in-process (no queue); ${load()}`);
const alone: number[] = [];
const paired: number[] = [];
const ratios: number[] = [];
for (let round = 0; round < ROUNDS; round++) {
  let one = 0;
  let two: number[] = [];
  // the order swaps each round, so neither mode always runs on a machine warmed (or loaded) by the other
  for (const n of round % 2 === 0 ? [1, 2] : [2, 1]) {
    const measured = await together(n);
    const perContract = measured.map((m) => m.cpuMs / m.contracts);
    if (n === 1) one = perContract[0]!;
    else two = perContract;
  }
  alone.push(one);
  paired.push(...two);
  ratios.push(two.reduce((a, b) => a + b, 0) / two.length / one);
  console.log(`round ${round + 1}: one process alone ${one.toFixed(1)} ms CPU per contract; two at once ${two.map((x) => x.toFixed(1)).join(" + ")} (×${ratios.at(-1)!.toFixed(3)}); ${load()}`);
}
console.log(`median: alone ${median(alone).toFixed(1)} ms, two at once ${median(paired).toFixed(1)} ms each, ratio ×${median(ratios).toFixed(3)} (${Math.min(...ratios).toFixed(3)}-${Math.max(...ratios).toFixed(3)})`);
