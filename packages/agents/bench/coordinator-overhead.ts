// Coordinator overhead per subtask: agents do no work, so what is measured is decomposition,
// planning, workflow validation, scheduling, load balancing, dispatch, bookkeeping, validation
// and aggregation. Run: npx tsx --expose-gc packages/agents/bench/coordinator-overhead.ts
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { JsonValue } from "@bear/workflow-engine";
import { AgentSystem, WorkflowAgent, percentile, type AgentTask } from "../src/index";

class NoopAgent extends WorkflowAgent {
  constructor(id: string, capabilities: string[]) {
    super({ id, type: "specialist", capabilities, maxConcurrentTasks: 4 });
  }
  protected override async perform(task: AgentTask): Promise<JsonValue> {
    return { ok: true, capability: task.capability, confidence: 0.9 };
  }
}

const gc = (globalThis as { gc?: () => void }).gc ?? (() => undefined);
const ms = (n: number): string => n.toFixed(3);
const stats = (xs: number[]): { p50: number; p95: number; mean: number } => {
  const s = [...xs].sort((a, b) => a - b);
  return { p50: percentile(s, 50), p95: percentile(s, 95), mean: s.reduce((a, b) => a + b, 0) / s.length };
};

async function scenario(label: string, system: AgentSystem, subtasks: number, runs: number, chained: boolean): Promise<string> {
  const requirements = Array.from({ length: subtasks }, (_, i) => `cap_${i}`);
  const dependencies = chained ? Object.fromEntries(requirements.slice(1).map((r, i) => [r, [requirements[Math.floor(i / 2)]!]])) : {};
  system.coordinator.defineTaskType(label, { requirements, dependencies, validate: { min_confidence: 0.5 } });
  for (let i = 0; i < 3; i++) await system.delegate({ type: label, input: { n: i } }); // warm-up
  const perSubtask: number[] = [];
  const started = performance.now();
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    await system.delegate({ type: label, input: { n: i } });
    perSubtask.push((performance.now() - t0) / subtasks);
  }
  const total = performance.now() - started;
  const s = stats(perSubtask);
  return `| ${label.padEnd(46)} | ${String(runs).padStart(4)} | ${ms(total / runs).padStart(9)} | ${ms(s.mean).padStart(7)} | ${ms(s.p50).padStart(7)} | ${ms(s.p95).padStart(7)} |`;
}

async function main(): Promise<void> {
  const wall = performance.now();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "agents-bench-"));
  const lines: string[] = [];
  lines.push(`node ${process.version}, ${os.availableParallelism()} vCPU, no-op agents (2 per capability), parallelism 4, final validation on`);
  lines.push("| scenario                                       | runs | ms/task   | ms per subtask: mean | p50 | p95 |");
  lines.push("|------------------------------------------------|------|-----------|---------|---------|---------|");
  for (const store of ["memory", "sqlite"] as const) {
    const system = await AgentSystem.open(store === "sqlite" ? { dbPath: path.join(dir, "bench.db") } : {});
    for (let i = 0; i < 100; i++) system.addAgent(new NoopAgent(`noop-${i}`, [`cap_${i % 50}`]));
    lines.push(await scenario(`10 independent subtasks, ${store === "sqlite" ? "SQLite" : "in memory"}`, system, 10, 150, false));
    lines.push(await scenario(`50 subtasks in a dependency tree, ${store === "sqlite" ? "SQLite" : "in memory"}`, system, 50, 30, true));
    await system.dispose();
  }

  // The dispatcher alone: balance over 20 candidates + run a no-op task.
  const system = await AgentSystem.open({ defaultAgents: false });
  for (let i = 0; i < 20; i++) system.addAgent(new NoopAgent(`d-${i}`, ["x"]));
  const dispatch: number[] = [];
  for (let i = 0; i < 5000; i++) {
    const t0 = performance.now();
    await system.dispatcher.dispatch({ id: `t${i}`, capability: "x", input: null, runId: "bench" });
    dispatch.push(performance.now() - t0);
  }
  const d = stats(dispatch.slice(500));
  lines.push(`dispatcher alone (balance 20 candidates + run no-op): p50 ${ms(d.p50)} ms, p95 ${ms(d.p95)} ms`);
  await system.dispose();

  // Memory per idle agent (registry entry, metrics windows, empty working memory).
  gc();
  const before = process.memoryUsage().heapUsed;
  const many = await AgentSystem.open({ defaultAgents: false });
  for (let i = 0; i < 2000; i++) many.addAgent(new NoopAgent(`m-${i}`, ["x", "y"]));
  gc();
  const after = process.memoryUsage().heapUsed;
  lines.push(`memory per idle agent: ${((after - before) / 2000 / 1024).toFixed(1)} KiB (2000 agents, after gc); rss ${(process.memoryUsage().rss / 1024 / 1024).toFixed(0)} MiB; bench wall ${((performance.now() - wall) / 1000).toFixed(1)} s`);
  await many.dispose();
  fs.rmSync(dir, { recursive: true, force: true });
  console.log(lines.join("\n"));
}

await main();
