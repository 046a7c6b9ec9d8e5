// The API's cost of the run store for a remote review: the contract_review workflow's shape (six
// steps, every one naming the run's ~100 KB text, outputs of 20-150 KB handed back as text, RawJson,
// as a queue executor gives them), run with an executor that answers at once, on the in-memory store
// and on SQLite (as `bear serve --redis` opens it: WAL, shared), batches alternating, the CPU of this
// process per run. What the store costs the API per reviewed contract, without Redis or workers.
//   cd packages/workflow-engine && nice -n 10 npx tsx bench/store-cost.ts   (STORE_RUNS=300 per store, STORE_BATCH=20; STORE_PROF=1: a V8 profile of the SQLite side, by function;
//   STORE_BEFORE=<a build's dist folder, e.g. /work/main/packages/workflow-engine/dist>: a third side, SQLite with that build's engine, for a same-run A/B)
import fs from "node:fs";
import { Session } from "node:inspector/promises";
import os from "node:os";
import path from "node:path";
import { RawJson, StepHandlerRegistry, WorkflowEngine, type Executor, type StepHandler } from "../src/index";

const RUNS = Number(process.env.STORE_RUNS ?? 300);
const BATCH = Number(process.env.STORE_BATCH ?? 20);
const IN_FLIGHT = 8;
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "bear-store-cost-"));
const STEP_TYPES = ["r.extract", "r.classify", "r.assess", "r.comply", "r.validate", "r.report"];
const WORKFLOW = {
  name: "review_shape",
  inputs: { text: { type: "string", required: true } },
  steps: [
    { id: "extract", type: "r.extract", parameters: { text: "{{ inputs.text }}" } },
    { id: "classify", type: "r.classify", parameters: { text: "{{ inputs.text }}" } },
    { id: "assess", type: "r.assess", depends_on: ["extract", "classify"], parameters: { text: "{{ inputs.text }}", key_terms: "{{ steps.extract.output }}", classification: "{{ steps.classify.output }}" } },
    { id: "comply", type: "r.comply", parameters: { text: "{{ inputs.text }}" } },
    { id: "validate", type: "r.validate", depends_on: ["extract", "classify", "assess", "comply"], parameters: { text: "{{ inputs.text }}", outputs: { key_terms: "{{ steps.extract.output }}", risks: "{{ steps.assess.output }}" } } },
    { id: "report", type: "r.report", depends_on: ["validate"], parameters: { text: "{{ inputs.text }}", key_terms: "{{ steps.extract.output }}", validation: "{{ steps.validate.output }}" } },
  ],
};
/** Output sizes (characters of JSON) per step, about a CUAD contract's. */
const OUTPUT_CHARS: Record<string, number> = { "r.extract": 20_000, "r.classify": 60_000, "r.assess": 30_000, "r.comply": 10_000, "r.validate": 10_000, "r.report": 150_000 };
const outputs = new Map(Object.entries(OUTPUT_CHARS).map(([type, n]) => [type, JSON.stringify({ items: Array.from({ length: Math.ceil(n / 60) }, (_, i) => ({ i, label: "clause", text: "x".repeat(30) })) })]));
/** Answers at once with the step's output as text, as the queue executor does with a remote step's output file. */
const executor: Executor = { joinsInterruptedAttempts: true, execute: async (task) => new RawJson(outputs.get(task.type)!, task.stepId) };
const handlers = STEP_TYPES.map((type) => ({ type, execute: async () => null }) as StepHandler);
const text = Array.from({ length: 1_700 }, (_, i) => `Section ${i}. The parties agree that clause ${i} applies.`).join("\n"); // ~100 KB
let databases = 0;
type Side = "memory" | "sqlite" | "sqlite-before";
const BEFORE = process.env.STORE_BEFORE;
async function open(store: Side): Promise<WorkflowEngine> {
  // the other build's classes for its side (its RawJson is recognised by a shared brand)
  const lib = (store === "sqlite-before" ? await import(path.resolve(BEFORE!, "index.js")) : { StepHandlerRegistry, WorkflowEngine }) as { StepHandlerRegistry: typeof StepHandlerRegistry; WorkflowEngine: typeof WorkflowEngine };
  const registry = new lib.StepHandlerRegistry(handlers as StepHandler<never>[]);
  if (store === "memory") return lib.WorkflowEngine.inMemory({ registry, executor, maxParallelSteps: 4, keepEvents: false });
  return lib.WorkflowEngine.open({ dbPath: path.join(tmp, `workflows-${databases++}.db`), sharedDatabase: true, resumeOnOpen: false, registry, executor, maxParallelSteps: 4 });
}
async function batch(engine: WorkflowEngine, n: number): Promise<number> {
  const c = process.cpuUsage();
  let next = 0;
  const lane = async (): Promise<void> => {
    while (next++ < n) {
      const r = await engine.run(WORKFLOW as never, { text });
      if (r.status !== "completed") throw new Error(JSON.stringify(r.error));
    }
  };
  await Promise.all(Array.from({ length: IN_FLIGHT }, lane));
  const u = process.cpuUsage(c);
  return (u.user + u.system) / 1000 / n;
}
const sides: Side[] = BEFORE ? ["memory", "sqlite", "sqlite-before"] : ["memory", "sqlite"];
const engines = Object.fromEntries(await Promise.all(sides.map(async (side) => [side, await open(side)] as const))) as Record<Side, WorkflowEngine>;
for (const e of Object.values(engines)) await batch(e, 40); // warm-up
const per: Record<string, number[]> = Object.fromEntries(sides.map((side) => [side, []]));
const session = process.env.STORE_PROF ? new Session() : undefined;
if (session) {
  session.connect();
  await session.post("Profiler.enable");
  await session.post("Profiler.setSamplingInterval", { interval: 200 });
}
let profile: unknown;
for (let done = 0, round = 0; done < RUNS; done += BATCH, round++) {
  // every side in turn, the order rotating each round
  for (const store of sides.map((_, k) => sides[(round + k) % sides.length]!)) {
    if (session && store === "sqlite") await session.post("Profiler.start");
    per[store]!.push(await batch(engines[store], BATCH));
    if (session && store === "sqlite") profile = (await session.post("Profiler.stop")).profile;
  }
}
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[xs.length >> 1]!;
const ratios = per.sqlite!.map((s, i) => s / per.memory![i]!);
console.log(`node ${process.version}, load ${os.loadavg()[0]!.toFixed(1)}; ${RUNS} runs per store in batches of ${BATCH}, ${IN_FLIGHT} in flight; text ${(text.length / 1000).toFixed(0)} kB, outputs ${Object.values(OUTPUT_CHARS).reduce((a, b) => a + b, 0) / 1000} kB per run`);
for (const store of sides) console.log(`${store}: CPU ms per run, median of batches ${median(per[store]!).toFixed(2)} (${Math.min(...per[store]!).toFixed(2)}–${Math.max(...per[store]!).toFixed(2)})`);
if (BEFORE) {
  const diff = per.sqlite!.map((s, i) => s - per["sqlite-before"]![i]!);
  console.log(`sqlite, this tree − ${BEFORE}, same-round pairs: median ${median(diff).toFixed(2)} ms per run (ratio ${median(per.sqlite!.map((s, i) => s / per["sqlite-before"]![i]!)).toFixed(3)}x); over memory: this tree ${median(per.sqlite!.map((s, i) => s - per.memory![i]!)).toFixed(2)}, before ${median(per["sqlite-before"]!.map((s, i) => s - per.memory![i]!)).toFixed(2)} ms per run`);
}
console.log(`sqlite − memory, same-round pairs: median ${median(per.sqlite!.map((s, i) => s - per.memory![i]!)).toFixed(2)} ms per run (ratio ${median(ratios).toFixed(2)}x); database ${(fs.statSync(path.join(tmp, "workflows-0.db")).size / 1048576).toFixed(1)} MiB + WAL ${(fs.existsSync(path.join(tmp, "workflows-0.db-wal")) ? fs.statSync(path.join(tmp, "workflows-0.db-wal")).size / 1048576 : 0).toFixed(1)} MiB`);
if (profile) {
  type Node = { id: number; callFrame: { functionName: string; url: string; lineNumber: number }; hitCount?: number };
  const p = profile as { nodes: Node[]; samples: number[]; timeDeltas: number[] };
  const byNode = new Map(p.nodes.map((n) => [n.id, n]));
  const self = new Map<string, number>();
  p.samples.forEach((id, i) => {
    const n = byNode.get(id)!;
    const k = `${n.callFrame.functionName || "(anonymous)"} ${path.basename(n.callFrame.url)}:${n.callFrame.lineNumber + 1}`;
    self.set(k, (self.get(k) ?? 0) + (p.timeDeltas[i] ?? 0));
  });
  const total = [...self.values()].reduce((a, b) => a + b, 0);
  console.log("SQLite side, sampled self time (share):");
  for (const [k, v] of [...self].sort((a, b) => b[1] - a[1]).slice(0, 25)) console.log(`  ${((100 * v) / total).toFixed(1).padStart(5)}%  ${k}`);
}
for (const e of Object.values(engines)) await e.dispose();
fs.rmSync(tmp, { recursive: true, force: true });
