// Does the run store's work per step grow with the database? The same runs on SQLite stores that
// already hold 0, 1k, 5k… finished runs (copies of a review-shaped run the engine wrote: the ~100 kB
// text in its inputs, six steps with 280 kB of outputs kept as text, their events; new random ids,
// so they land all over the B-trees as real runs do), all engines in one process, batches rotating
// between them, the CPU of this process per run and per step; then each store's file sizes.
//   cd packages/workflow-engine && nice -n 10 npx tsx bench/store-growth.ts
//   (GROWTH_SIZES=0,1000,5000 finished runs; GROWTH_RUNS=120 review runs and as many one-step runs per store, GROWTH_BATCH=20;
//    GROWTH_BEFORE=<a build's dist folder>: each store also opened by that build's engine, for a same-run A/B)
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import { RawJson, StepHandlerRegistry, WorkflowEngine, type Executor, type StepHandler } from "../src/index";

const SIZES = (process.env.GROWTH_SIZES ?? "0,1000,5000").split(",").map(Number);
const RUNS = Number(process.env.GROWTH_RUNS ?? 120);
const BATCH = Number(process.env.GROWTH_BATCH ?? 20);
const BEFORE = process.env.GROWTH_BEFORE;
const IN_FLIGHT = 8;
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "bear-store-growth-"));
const STEP_TYPES = ["r.extract", "r.classify", "r.assess", "r.comply", "r.validate", "r.report", "noop"];
const REVIEW = {
  name: "review_shape",
  inputs: { text: { type: "string", required: true } },
  steps: [
    { id: "extract", type: "r.extract", parameters: { text: "{{ inputs.text }}" } },
    { id: "classify", type: "r.classify", parameters: { text: "{{ inputs.text }}" } },
    { id: "assess", type: "r.assess", depends_on: ["extract", "classify"], parameters: { text: "{{ inputs.text }}", key_terms: "{{ steps.extract.output }}" } },
    { id: "comply", type: "r.comply", parameters: { text: "{{ inputs.text }}" } },
    { id: "validate", type: "r.validate", depends_on: ["extract", "classify", "assess", "comply"], parameters: { text: "{{ inputs.text }}" } },
    { id: "report", type: "r.report", depends_on: ["validate"], parameters: { text: "{{ inputs.text }}", validation: "{{ steps.validate.output }}" } },
  ],
};
const NOOP = { name: "noop_step", steps: [{ id: "noop", type: "noop" }] };
const OUTPUT_CHARS: Record<string, number> = { "r.extract": 20_000, "r.classify": 60_000, "r.assess": 30_000, "r.comply": 10_000, "r.validate": 10_000, "r.report": 150_000, noop: 20 };
const outputs = new Map(Object.entries(OUTPUT_CHARS).map(([type, n]) => [type, JSON.stringify({ items: Array.from({ length: Math.ceil(n / 60) }, (_, i) => ({ i, label: "clause", text: "x".repeat(30) })) })]));
const executor: Executor = { joinsInterruptedAttempts: true, execute: async (task) => new RawJson(outputs.get(task.type)!, task.stepId) };
const handlers = STEP_TYPES.map((type) => ({ type, execute: async () => null }) as StepHandler);
const text = Array.from({ length: 1_700 }, (_, i) => `Section ${i}. The parties agree that clause ${i} applies.`).join("\n");

type Lib = { StepHandlerRegistry: typeof StepHandlerRegistry; WorkflowEngine: typeof WorkflowEngine };
const after: Lib = { StepHandlerRegistry, WorkflowEngine };
const before: Lib | undefined = BEFORE ? ((await import(path.resolve(BEFORE, "index.js"))) as Lib) : undefined;
const open = (lib: Lib, dbPath: string): Promise<WorkflowEngine> =>
  lib.WorkflowEngine.open({ dbPath, sharedDatabase: true, resumeOnOpen: false, registry: new lib.StepHandlerRegistry(handlers as StepHandler<never>[]), executor, maxParallelSteps: 4 });

/** One review run written by `lib`'s engine: the rows every filler run of its stores copies. */
async function template(lib: Lib, file: string): Promise<string> {
  const engine = await open(lib, file);
  await engine.run(REVIEW as never, { text });
  await engine.dispose();
  return file;
}
/** Adds `n` copies of the template's finished run under fresh random ids, one transaction each. */
function fill(dbPath: string, from: string, n: number): void {
  const db = new Database(dbPath);
  db.pragma("journal_mode = WAL");
  db.exec(`ATTACH DATABASE '${from}' AS t`);
  const one = db.transaction((id: string, at: number) => {
    db.prepare(`INSERT INTO runs SELECT ?, workflow, definition, inputs, matter, actor, files, status, error, ?, ?, ?, ? FROM t.runs`).run(id, at, at, at, at);
    db.prepare(`INSERT INTO run_inputs SELECT ?, definition, inputs FROM t.run_inputs`).run(id);
    db.prepare(`INSERT INTO steps SELECT ?, key, step_id, item_index, status, attempt, output, error, started_at, finished_at FROM t.steps`).run(id);
    db.prepare(`INSERT INTO events SELECT ?, seq, type, at, payload FROM t.events`).run(id);
  });
  const start = Date.now() - n * 60_000;
  for (let i = 0; i < n; i++) one(crypto.randomUUID(), start + i * 60_000);
  db.pragma("wal_checkpoint(TRUNCATE)");
  db.close();
}
/** Stores of each size in `lib`'s schema. */
async function stores(lib: Lib, tag: string): Promise<Array<{ size: number; file: string }>> {
  const from = await template(lib, path.join(tmp, `template-${tag}.db`));
  const grow = path.join(tmp, `grow-${tag}.db`);
  fs.copyFileSync(from, grow);
  const made: Array<{ size: number; file: string }> = [];
  let filled = 1; // the template's own run
  for (const size of [...SIZES].sort((a, b) => a - b)) {
    if (size > filled) {
      fill(grow, from, size - filled);
      filled = size;
    }
    const file = path.join(tmp, `runs-${size}-${tag}.db`);
    if (size === 0) await (await open(lib, file)).dispose();
    else fs.copyFileSync(grow, file);
    made.push({ size, file });
  }
  fs.rmSync(grow);
  return made;
}

type Side = { name: string; engine: WorkflowEngine; review: number[]; noop: number[] };
const sides: Side[] = [];
const libs: Array<[Lib, string]> = before ? [[after, "after"], [before, "before"]] : [[after, "after"]];
for (const [lib, tag] of libs) {
  for (const { size, file } of await stores(lib, tag)) sides.push({ name: before ? `${size} runs, ${tag}` : `${size} runs`, engine: await open(lib, file), review: [], noop: [] });
}
async function batch(engine: WorkflowEngine, definition: object, n: number): Promise<number> {
  const c = process.cpuUsage();
  let next = 0;
  const lane = async (): Promise<void> => {
    while (next++ < n) {
      const r = await engine.run(definition as never, definition === REVIEW ? { text } : {});
      if (r.status !== "completed") throw new Error(JSON.stringify(r.error));
    }
  };
  await Promise.all(Array.from({ length: IN_FLIGHT }, lane));
  const u = process.cpuUsage(c);
  return (u.user + u.system) / 1000 / n;
}
for (const s of sides) {
  await batch(s.engine, REVIEW, 16); // warm-up
  await batch(s.engine, NOOP, 40);
}
for (let done = 0, round = 0; done < RUNS; done += BATCH, round++) {
  for (const s of sides.map((_, k) => sides[(round + k) % sides.length]!)) {
    s.review.push(await batch(s.engine, REVIEW, BATCH));
    s.noop.push(await batch(s.engine, NOOP, BATCH));
  }
}
const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[s.length >> 1]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};
const mib = (f: string): string => (fs.existsSync(f) ? fs.statSync(f).size / 1048576 : 0).toFixed(1);
console.log(`node ${process.version}, load ${os.loadavg()[0]!.toFixed(1)}; ${RUNS} review-shaped and ${RUNS} one-step runs per store in batches of ${BATCH}, ${IN_FLIGHT} in flight, stores rotating each round`);
console.log("| store (finished runs before) | review: CPU ms per run, median (min–max) | one no-op step: CPU ms per run | ratio to the first store (same-round pairs), review / one-step | database + WAL MiB |");
console.log("|---|---|---|---|---|");
const first = sides[0]!;
for (const s of sides) {
  const ratio = (xs: number[], ys: number[]): string => median(xs.map((x, i) => x / ys[i]!)).toFixed(3);
  const file = s.engine.store.location;
  console.log(`| ${s.name} | ${median(s.review).toFixed(2)} (${Math.min(...s.review).toFixed(2)}–${Math.max(...s.review).toFixed(2)}) | ${median(s.noop).toFixed(3)} (${Math.min(...s.noop).toFixed(3)}–${Math.max(...s.noop).toFixed(3)}) | ${ratio(s.review, first.review)} / ${ratio(s.noop, first.noop)} | ${mib(file)} + ${mib(`${file}-wal`)} |`);
}
for (const s of sides) await s.engine.dispose();
fs.rmSync(tmp, { recursive: true, force: true });
