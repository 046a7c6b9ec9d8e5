// Engine overhead with no-op handlers: a 10,000-step DAG in memory and persisted to SQLite,
// independent workflows in parallel, and memory per run.
//   npx tsx --expose-gc bench/engine-overhead.ts
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { InProcessExecutor, MemoryRunStore, SqliteRunStore, StepHandlerRegistry, WorkflowEngine, type Executor, type RunStore, type StepHandler } from "../src/index";

const STEPS = 10_000;
const PARALLELISM = 8;
const gc = (globalThis as { gc?: () => void }).gc;

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

/** Step i depends on up to 2 of the 50 steps before it: wide enough to keep 8 slots busy. */
function dag(n: number): { name: string; steps: Array<{ id: string; type: string; depends_on: string[] }> } {
  const random = rng(42);
  const steps = Array.from({ length: n }, (_, i) => {
    const deps = new Set<string>();
    if (i > 0) for (let k = 0; k < 2; k++) deps.add(`s${Math.max(0, i - 1 - Math.floor(random() * 50))}`);
    return { id: `s${i}`, type: "noop", depends_on: [...deps] };
  });
  return { name: "bench-dag", steps };
}

const invokedAt = new Map<string, number>();
const noop: StepHandler = {
  type: "noop",
  execute: async (ctx) => {
    invokedAt.set(`${ctx.runId}/${ctx.stepId}`, performance.now());
    return null;
  },
};

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
}

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "wf-bench-"));
const rows: string[][] = [];
const fmt = (n: number, digits = 1): string => n.toFixed(digits);

// @bear/agents depends on this package: it is loaded at run time (from its build), by a name the
// project graph's import analysis does not see, so there is no workflow-engine → agents edge (a cycle).
const AGENTS_PACKAGE = ["@bear", "agents"].join("/");
type AgentsApi = {
  AgentStepBinding: new () => object;
  registerAgentSteps(registry: StepHandlerRegistry, binding: object): object;
  AgentSystem: (new (options: object) => { dispose(): Promise<void> }) & { executor(binding: object, inner: Executor): Executor };
};
let agentSystem: { dispose(): Promise<void> } | undefined;

/**
 * A bare engine, or with `agents` the engine as the apps run it: every step goes engine →
 * coordinator → balancer → executor agent → validator → engine (the validator runs on every step).
 */
async function engineOn(store: RunStore, agents = false): Promise<WorkflowEngine> {
  const registry = new StepHandlerRegistry([noop as StepHandler<never>]);
  if (!agents) return new WorkflowEngine({ store, registry, maxParallelSteps: PARALLELISM });
  const api = (await import(AGENTS_PACKAGE)) as AgentsApi;
  const binding = api.registerAgentSteps(registry, new api.AgentStepBinding());
  const engine = new WorkflowEngine({ store, registry, maxParallelSteps: PARALLELISM, executor: api.AgentSystem.executor(binding, new InProcessExecutor(registry)) });
  agentSystem = new api.AgentSystem({ engine, stepBinding: binding, config: { maxConcurrentTasksPerAgent: PARALLELISM } });
  return engine;
}

async function bigDag(label: string, store: RunStore, agents = false): Promise<void> {
  const engine = await engineOn(store, agents);
  const wf = dag(STEPS);
  const v0 = performance.now();
  engine.validate(wf);
  const validateMs = performance.now() - v0;
  invokedAt.clear();
  const id = `dag-${label.replace(/[^a-z]+/gi, "-")}`;
  const t0 = performance.now();
  const result = await engine.run(wf, {}, { runId: id });
  const totalMs = performance.now() - t0;
  if (result.status !== "completed") throw new Error(`bench run ${label} ended ${result.status}`);
  // Dependency-to-start latency: from the latest dependency's invocation to this step's invocation.
  const lat: number[] = [];
  for (const step of wf.steps) {
    if (step.depends_on.length === 0) continue;
    const start = invokedAt.get(`${id}/${step.id}`)!;
    const depStart = Math.max(...step.depends_on.map((d) => invokedAt.get(`${id}/${d}`)!));
    lat.push(start - depStart);
  }
  lat.sort((a, b) => a - b);
  rows.push([
    `10k-step DAG, ${label}`,
    fmt(totalMs, 0),
    fmt((totalMs * 1000) / STEPS, 1),
    fmt(STEPS / (totalMs / 1000), 0),
    `${fmt(percentile(lat, 50), 3)} / ${fmt(percentile(lat, 95), 3)} / ${fmt(percentile(lat, 99), 3)}`,
    `validate ${fmt(validateMs, 0)} ms`,
  ]);
  await agentSystem?.dispose();
  agentSystem = undefined;
  await engine.dispose();
}

function smallWorkflow(): object {
  return {
    name: "small",
    steps: [
      { id: "a", type: "noop" },
      ...Array.from({ length: 8 }, (_, i) => ({ id: `m${i}`, type: "noop", depends_on: ["a"] })),
      { id: "z", type: "noop", depends_on: Array.from({ length: 8 }, (_, i) => `m${i}`) },
    ],
  };
}

async function parallelRuns(label: string, store: RunStore, runs: number, agents = false): Promise<void> {
  const engine = await engineOn(store, agents);
  const wf = smallWorkflow();
  const t0 = performance.now();
  const results = await Promise.all(Array.from({ length: runs }, () => engine.run(wf)));
  const ms = performance.now() - t0;
  if (results.some((r) => r.status !== "completed")) throw new Error("a parallel run failed");
  rows.push([`${runs} x 10-step workflows in parallel, ${label}`, fmt(ms, 0), fmt((ms * 1000) / (runs * 10), 1), fmt((runs * 10) / (ms / 1000), 0), "-", `${fmt(runs / (ms / 1000), 0)} runs/s`]);
  await agentSystem?.dispose();
  agentSystem = undefined;
  await engine.dispose();
}

async function memoryPerRun(runs: number): Promise<string> {
  let release!: () => void;
  const gate = new Promise<void>((r) => (release = r));
  const blocked: StepHandler = { type: "noop", execute: async () => (await gate, null) };
  const engine = new WorkflowEngine({ store: new MemoryRunStore(), registry: new StepHandlerRegistry([blocked as StepHandler<never>]), maxParallelSteps: PARALLELISM });
  const wf = smallWorkflow();
  gc?.();
  const before = process.memoryUsage().heapUsed;
  const handles = Array.from({ length: runs }, () => engine.start(wf));
  await new Promise((r) => setTimeout(r, 50));
  gc?.();
  const during = process.memoryUsage().heapUsed;
  release();
  await Promise.all(handles.map((h) => h.result));
  await engine.dispose();
  return `memory per in-flight 10-step run (engine state, in-memory store): ${fmt((during - before) / runs / 1024, 1)} KiB (${runs} runs${gc ? ", after gc" : ", no --expose-gc"})`;
}

const wall = performance.now();
await bigDag("in memory", new MemoryRunStore());
await bigDag("persisted (SQLite WAL)", await SqliteRunStore.open({ dbPath: path.join(tmp, "dag.db") }));
await parallelRuns("in memory", new MemoryRunStore(), 500);
await parallelRuns("persisted", await SqliteRunStore.open({ dbPath: path.join(tmp, "par.db") }), 500);
// The same, with every step executed by an agent (the apps' configuration).
await bigDag("agents, in memory", new MemoryRunStore(), true);
await bigDag("agents, persisted", await SqliteRunStore.open({ dbPath: path.join(tmp, "dag-agents.db") }), true);
await parallelRuns("agents, in memory", new MemoryRunStore(), 500, true);
await parallelRuns("agents, persisted", await SqliteRunStore.open({ dbPath: path.join(tmp, "par-agents.db") }), 500, true);
const memory = await memoryPerRun(1000);
const dbSize = fs.statSync(path.join(tmp, "dag.db")).size + (fs.existsSync(path.join(tmp, "dag.db-wal")) ? fs.statSync(path.join(tmp, "dag.db-wal")).size : 0);
fs.rmSync(tmp, { recursive: true, force: true });

const header = ["scenario", "total ms", "µs/step", "steps/s", "dep→start p50/p95/p99 ms", "notes"];
const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
const line = (cells: string[]): string => `| ${cells.map((c, i) => c.padEnd(widths[i]!)).join(" | ")} |`;
console.log(`node ${process.version}, ${os.cpus().length} vCPU, parallelism ${PARALLELISM} per run, no-op handlers; "agents" rows: engine → coordinator → balancer → executor agent → validator per step`);
console.log(line(header));
console.log(`|${widths.map((w) => "-".repeat(w + 2)).join("|")}|`);
for (const row of rows) console.log(line(row));
console.log(memory);
console.log(`SQLite size after the 10k-step run: ${fmt(dbSize / 1024 / 1024, 1)} MiB; rss ${fmt(process.memoryUsage().rss / 1024 / 1024, 0)} MiB; bench wall ${fmt((performance.now() - wall) / 1000, 1)} s`);
