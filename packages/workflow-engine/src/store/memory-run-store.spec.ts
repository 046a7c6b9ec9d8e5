import { randomBytes } from "node:crypto";
import v8 from "node:v8";
import vm from "node:vm";
import { describe, expect, it } from "@jest/globals";
import fc from "fast-check";
import { WorkflowEngine } from "../engine/workflow-engine";
import { PermanentStepError } from "../errors";
import type { StepHandler } from "../steps/step-handler";
import { StepHandlerRegistry } from "../steps/step-handler-registry";
import { MemoryRunStore } from "./memory-run-store";
import type { RunRecord, RunStatus } from "./run-records";
import { SqliteRunStore } from "./sqlite-run-store";

function record(id: string, status: RunStatus, finishedAt: number | null, text = "in memory until dropped"): RunRecord {
  const at = finishedAt ?? 1;
  return { id, workflow: "w", definition: { name: "w" }, inputs: { text }, matter: null, actor: null, files: null, status, error: null, createdAt: at, updatedAt: at, startedAt: at, finishedAt };
}

/** What the engine writes for one run: inserted running, one step with an output, three events, then finished. */
function runThrough(store: MemoryRunStore, id: string, at: number, text: string): void {
  store.insertRun(record(id, "running", null, text));
  store.appendEvent({ runId: id, seq: 1, type: "run.started", at, payload: { type: "run.started", runId: id } });
  store.saveStep({ runId: id, key: "s", stepId: "s", index: null, status: "completed", attempt: 1, output: { text }, error: null, startedAt: at, finishedAt: at });
  store.appendEvent({ runId: id, seq: 2, type: "step.completed", at, payload: { type: "step.completed", runId: id, stepId: "s" } });
  store.updateRun(id, { status: "completed", finishedAt: at }, at);
  store.appendEvent({ runId: id, seq: 3, type: "run.completed", at, payload: { type: "run.completed", runId: id } });
}

const ids = (store: MemoryRunStore): string[] =>
  store
    .listRuns({ limit: 100_000 })
    .map((r) => r.id)
    .sort();

describe("MemoryRunStore keeps a bounded number of finished runs", () => {
  it("drops the run that finished first, with its steps and events, once more than maxFinishedRuns have finished; running runs stay", () => {
    const store = new MemoryRunStore({ maxFinishedRuns: 3 });
    store.insertRun(record("long", "running", null)); // started before all of them, never finished
    for (let i = 0; i < 5; i++) runThrough(store, `r${i}`, 1_000 + i, "t");
    expect(ids(store)).toEqual(["long", "r2", "r3", "r4"]);
    expect(store.getRun("r0")).toBeUndefined();
    expect(store.getSteps("r1")).toEqual([]);
    expect(store.getEvents("r1")).toEqual([]);
    expect(store.lastEventSeq("r1")).toBe(0);
    expect(store.getEvents("r4")).toHaveLength(3);
    expect(store.finishedRuns).toBe(3);
    // the long run finishing is the newest: the oldest kept one goes
    store.updateRun("long", { status: "cancelled", finishedAt: 2_000 }, 2_000);
    expect(ids(store)).toEqual(["long", "r3", "r4"]);
  });

  it("keeps finished runs oldest first by finishedAt, also when inserted out of order, and prune(before, limit) takes the oldest", () => {
    const store = new MemoryRunStore({ maxFinishedRuns: 4 });
    store.insertRun(record("c", "completed", 300));
    store.insertRun(record("a", "failed", 100));
    store.insertRun(record("d", "cancelled", 400));
    store.insertRun(record("b", "completed", 200));
    store.insertRun(record("e", "completed", 50)); // the oldest of five: dropped at once
    expect(ids(store)).toEqual(["a", "b", "c", "d"]);
    store.insertRun(record("p", "pending", null));
    expect(store.prune(350, 2)).toBe(2);
    expect(ids(store)).toEqual(["c", "d", "p"]);
    expect(store.prune(Number.MAX_SAFE_INTEGER)).toBe(2);
    expect(ids(store)).toEqual(["p"]);
  });

  it("a finished run set running again (resumed) is no longer counted or dropped", () => {
    const store = new MemoryRunStore({ maxFinishedRuns: 1 });
    store.insertRun(record("x", "failed", 10));
    store.updateRun("x", { status: "running", startedAt: 20 }, 20);
    store.insertRun(record("y", "completed", 30));
    store.insertRun(record("z", "completed", 40));
    expect(ids(store)).toEqual(["x", "z"]);
    expect(store.prune(Number.MAX_SAFE_INTEGER)).toBe(1);
    expect(ids(store)).toEqual(["x"]);
  });

  it("never drops an unfinished run and keeps exactly the newest maxFinishedRuns finished ones (any order of events)", () => {
    const op = fc.oneof(
      fc.record({ kind: fc.constant("insert" as const), id: fc.integer({ min: 0, max: 15 }), finished: fc.option(fc.integer({ min: 0, max: 50 })) }),
      fc.record({ kind: fc.constant("finish" as const), id: fc.integer({ min: 0, max: 15 }), at: fc.integer({ min: 0, max: 50 }) }),
      fc.record({ kind: fc.constant("prune" as const), before: fc.integer({ min: 0, max: 60 }) }),
    );
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 6 }), fc.array(op, { maxLength: 40 }), (max, ops) => {
        const store = new MemoryRunStore({ maxFinishedRuns: max });
        const model = new Map<string, { finishedAt: number | null; order: number }>();
        let order = 0;
        const trim = (): void => {
          const finished = [...model].filter(([, r]) => r.finishedAt !== null).sort((a, b) => a[1].finishedAt! - b[1].finishedAt! || a[1].order - b[1].order);
          for (const [id] of finished.slice(0, Math.max(0, finished.length - max))) model.delete(id);
        };
        for (const o of ops) {
          if (o.kind === "insert") {
            store.insertRun(record(`r${o.id}`, o.finished === null ? "running" : "completed", o.finished));
            model.delete(`r${o.id}`);
            model.set(`r${o.id}`, { finishedAt: o.finished, order: order++ });
          } else if (o.kind === "finish") {
            const run = model.get(`r${o.id}`);
            store.updateRun(`r${o.id}`, { status: "failed", finishedAt: o.at }, o.at);
            if (run && run.finishedAt === null) model.set(`r${o.id}`, { finishedAt: o.at, order: order++ });
            else if (run && run.finishedAt !== o.at) {
              model.delete(`r${o.id}`);
              model.set(`r${o.id}`, { finishedAt: o.at, order: order++ });
            }
          } else {
            store.prune(o.before);
            for (const [id, r] of model) if (r.finishedAt !== null && r.finishedAt < o.before) model.delete(id);
          }
          trim();
          expect(ids(store)).toEqual([...model.keys()].sort());
        }
      }),
      { numRuns: 300 },
    );
  });

  it("holds bounded memory over 5,000 runs (heap after GC), where keeping every run grows with each", () => {
    v8.setFlagsFromString("--expose-gc");
    const gc = vm.runInNewContext("gc") as () => void;
    const heapAfter = (store: MemoryRunStore, from: number, to: number): number => {
      for (let i = from; i < to; i++) runThrough(store, `run-${i}`, 1_000 + i, randomBytes(1_000).toString("hex")); // 2 kB of text a run
      gc();
      return process.memoryUsage().heapUsed;
    };
    const bounded = new MemoryRunStore({ maxFinishedRuns: 200 });
    const start = heapAfter(bounded, 0, 400);
    const grown = heapAfter(bounded, 400, 5_000) - start;
    expect(bounded.finishedRuns).toBe(200);
    expect(bounded.listRuns({ limit: 10_000 })).toHaveLength(200);
    const unbounded = new MemoryRunStore({ maxFinishedRuns: Infinity });
    const before = heapAfter(unbounded, 0, 400);
    const kept = heapAfter(unbounded, 400, 5_000) - before;
    expect(unbounded.finishedRuns).toBe(5_000);
    expect(kept).toBeGreaterThan(4_600 * 2_000); // each run keeps at least its 2 kB of text (one string in inputs and output)
    expect(grown).toBeLessThan(2 * 1024 * 1024);
  });

  it("refuses a cap that is not a non-negative integer or Infinity", () => {
    for (const bad of [-1, 1.5, Number.NaN]) expect(() => new MemoryRunStore({ maxFinishedRuns: bad })).toThrow(expect.objectContaining({ code: "INVALID_ARGUMENT" }));
    expect(new MemoryRunStore({ maxFinishedRuns: 0 }).finishedRuns).toBe(0);
  });
});

describe("WorkflowEngine.inMemory({ maxFinishedRuns })", () => {
  let release: () => void = () => undefined;
  const held = new Promise<void>((resolve) => (release = resolve));
  const handlers = [
    { type: "echo", execute: async (ctx: { parameters: unknown }) => ctx.parameters },
    { type: "refuse", execute: async () => Promise.reject(new PermanentStepError("s", "refused by the test")) },
    { type: "hold", execute: async () => held.then(() => "released") },
  ] as unknown as StepHandler<never>[];
  const wf = (type: string) => ({ name: `w-${type}`, steps: [{ id: "s", type, parameters: { text: "a clause" } }] });

  it("keeps the last N of N+k finished runs: the oldest are not found, as a pruned SQLite run is not; a running run is never dropped", async () => {
    const engine = WorkflowEngine.inMemory({ registry: new StepHandlerRegistry(handlers), maxFinishedRuns: 4 });
    const sqlite = new WorkflowEngine({ store: await SqliteRunStore.open({ dbPath: ":memory:" }), registry: new StepHandlerRegistry(handlers) });
    try {
      const running = engine.start(wf("hold"), {}, { runId: "running" });
      const finished: string[] = [];
      for (let i = 0; i < 7; i++) {
        const run = engine.start(wf(i === 2 ? "refuse" : "echo"), {}, { runId: `done-${i}` });
        expect((await run.result).status).toBe(i === 2 ? "failed" : "completed");
        finished.push(run.runId);
      }
      const cancelled = engine.start(wf("hold"), {}, { runId: "cancelled" });
      engine.cancel("cancelled");
      expect((await cancelled.result).status).toBe("cancelled");
      finished.push("cancelled");

      expect(
        engine
          .listRuns({ limit: 1_000 })
          .map((r) => r.id)
          .sort(),
      ).toEqual(["running", ...finished.slice(-4)].sort());
      expect(engine.getRun("running").status).toBe("running");

      // a pruned SQLite run, for comparison
      await sqlite.start(wf("echo"), {}, { runId: "pruned" }).result;
      await new Promise((resolve) => setTimeout(resolve, 2));
      expect(sqlite.prune(0)).toBe(1);
      for (const [e, id] of [
        [sqlite, "pruned"],
        [engine, "done-0"],
        [engine, "done-3"],
      ] as const) {
        expect(() => e.getRun(id)).toThrow(expect.objectContaining({ code: "RUN_NOT_FOUND" }));
        expect(e.history(id)).toEqual([]);
        expect(() => e.cancel(id)).toThrow(expect.objectContaining({ code: "RUN_NOT_FOUND" }));
      }
      expect(engine.getRun("done-4").steps).toHaveLength(1);

      release();
      expect((await running.result).status).toBe("completed");
      expect(engine.getRun("running").status).toBe("completed");
      expect(() => engine.getRun("done-4")).toThrow(expect.objectContaining({ code: "RUN_NOT_FOUND" }));
      expect(engine.prune(0)).toBeLessThanOrEqual(4); // prune() works on it as on SQLite: oldest first, by age
    } finally {
      release();
      await engine.dispose();
      await sqlite.dispose();
    }
  });

  it("keeps 1,000 finished runs by default", () => {
    const engine = WorkflowEngine.inMemory({ registry: new StepHandlerRegistry(handlers) });
    const store = engine.store as MemoryRunStore;
    for (let i = 0; i < 1_005; i++) store.insertRun(record(`r${i}`, "completed", 1_000 + i));
    expect(store.finishedRuns).toBe(1_000);
    expect(store.getRun("r4")).toBeUndefined();
    expect(store.getRun("r5")).toBeDefined();
    return engine.dispose();
  });
});
