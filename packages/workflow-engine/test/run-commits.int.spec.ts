import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "@jest/globals";
import { z } from "zod";
import { WorkflowEngine } from "../src/engine/workflow-engine";
import { SqliteRunStore } from "../src/store/sqlite-run-store";
import type { ListRunsQuery, RunPatch, RunRecord, RunStore, StepRecord, StepWrite, StoredEvent } from "../src/store/run-records";
import { StepHandlerRegistry } from "../src/steps/step-handler-registry";
import type { StepHandler } from "../src/steps/step-handler";
import type { JsonValue } from "../src/execution/json-value";

/** A write as the commit log names it: `run:<status>`, `step:<key>:<status>`, `event:<type>`. */
type Write = string;

/**
 * The SQLite store with every commit's writes logged (a flush with writes queued is one transaction);
 * `failAt`: the commit of that number (1-based) fails as a full disk would, its writes not made.
 */
class CommitLog implements RunStore {
  readonly commits: Write[][] = [];
  #pending: Write[] = [];
  #writes: Array<() => void> = [];
  failAt = 0;

  constructor(private readonly inner: SqliteRunStore) {}

  get location(): string {
    return this.inner.location;
  }
  insertRun(run: RunRecord): void {
    this.#pending.push(`run:${run.status}`);
    this.#writes.push(() => this.inner.insertRun(run));
  }
  updateRun(runId: string, patch: RunPatch, at: number): void {
    this.#pending.push(`run:${patch.status}`);
    this.#writes.push(() => this.inner.updateRun(runId, patch, at));
  }
  saveStep(step: StepWrite): void {
    this.#pending.push(`step:${step.key}:${step.status}`);
    this.#writes.push(() => this.inner.saveStep(step));
  }
  appendEvent(event: StoredEvent): void {
    this.#pending.push(`event:${event.type}`);
    this.#writes.push(() => this.inner.appendEvent(event));
  }
  flush(): void {
    if (this.#pending.length === 0) return;
    this.commits.push(this.#pending);
    const writes = this.#writes;
    this.#pending = [];
    this.#writes = [];
    if (this.commits.length === this.failAt) throw new Error("SQLITE_FULL: database or disk is full");
    for (const write of writes) write();
    this.inner.flush();
  }
  getRun(runId: string): RunRecord | undefined {
    return this.inner.getRun(runId);
  }
  getSteps(runId: string): StepRecord[] {
    return this.inner.getSteps(runId);
  }
  getEvents(runId: string, afterSeq?: number): StoredEvent[] {
    return this.inner.getEvents(runId, afterSeq);
  }
  lastEventSeq(runId: string): number {
    return this.inner.lastEventSeq(runId);
  }
  listRuns(query?: ListRunsQuery): RunRecord[] {
    return this.inner.listRuns(query);
  }
  prune(before: number, limit?: number): number {
    return this.inner.prune(before, limit);
  }
  close(): void {
    this.inner.close();
  }
}

const echo: StepHandler<{ value?: unknown }> = {
  type: "echo",
  parameters: z.object({ value: z.unknown().optional() }),
  execute: async (ctx) => (ctx.parameters.value ?? null) as JsonValue,
};
const TWO_STEPS = {
  name: "two",
  steps: [
    { id: "a", type: "echo", parameters: { value: 1 } },
    { id: "b", type: "echo", depends_on: ["a"], parameters: { value: "{{ steps.a.output }}" } },
  ],
};

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "wf-commits-"));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

async function engineOn(log: (inner: SqliteRunStore) => CommitLog): Promise<{ engine: WorkflowEngine; store: CommitLog }> {
  const store = log(await SqliteRunStore.open({ dbPath: path.join(dir, "runs.db") }));
  const engine = new WorkflowEngine({ store, registry: new StepHandlerRegistry([echo as StepHandler<never>]) });
  return { engine, store };
}

describe("a run's commits", () => {
  it("records the last step's result and the run's end in one commit (one commit per step, plus the run's insert and start)", async () => {
    const { engine, store } = await engineOn((inner) => new CommitLog(inner));
    try {
      const result = await engine.run(TWO_STEPS);
      expect(result.status).toBe("completed");
      expect(store.commits).toEqual([
        ["run:pending"],
        ["run:running", "event:run.started", "step:a:running", "event:step.started"],
        ["step:a:completed", "event:step.completed", "step:b:running", "event:step.started"],
        // before: the last step's result in a commit of its own, then the run's end in another
        ["step:b:completed", "event:step.completed", "run:completed", "event:run.completed"],
      ]);
      const run = engine.getRun(result.runId);
      expect(run).toMatchObject({ status: "completed", progress: { total: 2, completed: 2 } });
      expect(engine.history(result.runId).map((e) => e.type)).toEqual(["run.started", "step.started", "step.completed", "step.started", "step.completed", "run.completed"]);
    } finally {
      await engine.dispose();
    }
  });

  it("fails a run whose end (with its last step's result) could not be committed, with the store's error", async () => {
    const { engine, store } = await engineOn((inner) => new CommitLog(inner));
    store.failAt = 4;
    const started = engine.start(TWO_STEPS);
    const events: string[] = [];
    started.events.subscribe((e) => events.push(e.type === "run.completed" ? `run.completed:${e.status}` : e.type));
    const result = await started.result;
    expect(result.status).toBe("failed");
    expect(result.error?.message).toContain("SQLITE_FULL");
    // subscribers are told the end the run had, not the one that was not written
    expect(events.at(-1)).toBe("run.completed:failed");
    expect(store.commits.at(-1)).toEqual(["run:failed", "event:run.completed"]);
    await engine.dispose().catch(() => undefined);
  });
});
