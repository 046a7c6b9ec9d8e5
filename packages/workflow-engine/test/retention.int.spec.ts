import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "@jest/globals";
import type { AuditEvent, AuditSink } from "@bear/core";
import { WorkflowEngine } from "../src/engine/workflow-engine";
import { SqliteRunStore } from "../src/store/sqlite-run-store";
import { StepHandlerRegistry } from "../src/steps/step-handler-registry";
import type { RunStatus } from "../src/store/run-records";

const DAY = 24 * 3_600_000;
let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "wf-retention-"));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

/** A run as a finished (or unfinished) one is stored, with one step and one event. */
function addRun(store: SqliteRunStore, id: string, status: RunStatus, finishedAt: number | null): void {
  const at = finishedAt ?? Date.now() - 90 * DAY;
  store.insertRun({ id, workflow: "w", definition: { name: "w" }, inputs: { text: "kept until pruned" }, matter: null, actor: null, files: null, status, error: null, createdAt: at, updatedAt: at, startedAt: at, finishedAt });
  store.saveStep({ runId: id, key: "one", stepId: "one", index: null, status: "completed", attempt: 1, output: { ok: true }, error: null, startedAt: at, finishedAt: at });
  store.appendEvent({ runId: id, seq: 1, type: "run.started", at, payload: { type: "run.started" } });
}

function recordingAudit(): AuditSink & { readonly events: AuditEvent[]; next(): Promise<AuditEvent> } {
  const events: AuditEvent[] = [];
  const waiters: Array<(e: AuditEvent) => void> = [];
  return {
    events,
    record: async (event) => {
      events.push(event);
      waiters.shift()?.(event);
    },
    next: () => new Promise((resolve) => waiters.push(resolve)),
  };
}

describe("retention of finished runs", () => {
  it("an engine from open() removes finished runs past the retention by itself, in slices, audited; recent and unfinished runs stay", async () => {
    const dbPath = path.join(dir, "workflows.db");
    const seed = await SqliteRunStore.open({ dbPath });
    const now = Date.now();
    for (let i = 0; i < 120; i++) addRun(seed, `old-${i}`, i % 3 === 0 ? "failed" : "completed", now - 40 * DAY - i * 1000);
    addRun(seed, "recent", "completed", now - 1 * DAY);
    addRun(seed, "interrupted", "running", null); // started 90 days ago, never finished: resumable, never pruned
    seed.close();
    const audit = recordingAudit();
    const recorded = audit.next();
    const engine = await WorkflowEngine.open({ dbPath, retention: "720h", audit, resumeOnOpen: false });
    try {
      const event = await recorded;
      expect(event).toMatchObject({ action: "workflow.runs.prune", outcome: "success", actor: "system", details: { removed: 120, retentionMs: 30 * DAY } });
      expect(engine.listRuns({ limit: 1000 }).map((r) => r.id).sort()).toEqual(["interrupted", "recent"]);
      expect(engine.getRun("recent").steps).toHaveLength(1);
    } finally {
      await engine.dispose();
    }
    const db = await SqliteRunStore.open({ dbPath });
    try {
      // steps and events went with their runs
      expect(db.getSteps("old-7")).toEqual([]);
      expect(db.getEvents("old-7")).toEqual([]);
      expect(db.getEvents("recent")).toHaveLength(1);
    } finally {
      db.close();
    }
  });

  it("a sweep deletes a slice of 50 runs per turn of the event loop, oldest first, so runs in progress keep writing between slices", async () => {
    const dbPath = path.join(dir, "slices.db");
    const store = await SqliteRunStore.open({ dbPath });
    const now = Date.now();
    for (let i = 0; i < 120; i++) addRun(store, `old-${i}`, "completed", now - 40 * DAY - i * 1000);
    store.flush();
    const slices: Array<{ limit: number | undefined; removed: number }> = [];
    const prune = store.prune.bind(store);
    store.prune = (before: number, limit?: number): number => {
      const removed = prune(before, limit);
      slices.push({ limit, removed });
      return removed;
    };
    const audit = recordingAudit();
    const recorded = audit.next();
    const engine = new WorkflowEngine({ store, registry: new StepHandlerRegistry(), audit, retentionMs: 30 * DAY, pruneEveryMs: 60_000 });
    try {
      await recorded;
      expect(slices).toEqual([
        { limit: 50, removed: 50 },
        { limit: 50, removed: 50 },
        { limit: 50, removed: 20 },
      ]);
      expect(audit.events).toHaveLength(1);
    } finally {
      await engine.dispose();
    }
  });

  it("SqliteRunStore.prune(before, limit) removes the oldest finished runs first; without a limit, all of them", async () => {
    const dbPath = path.join(dir, "oldest.db");
    const store = await SqliteRunStore.open({ dbPath });
    try {
      for (let i = 0; i < 130; i++) addRun(store, `r-${i}`, "completed", 1_000 + i);
      addRun(store, "late", "completed", 50_000);
      expect(store.prune(10_000, 5)).toBe(5);
      const left = store.listRuns({ limit: 1000 }).map((r) => r.id);
      expect(left).not.toEqual(expect.arrayContaining(["r-0", "r-4"]));
      expect(left).toEqual(expect.arrayContaining(["r-5", "r-129", "late"]));
      expect(store.prune(10_000)).toBe(125); // three slices of 50, 50, 25
      expect(store.listRuns({ limit: 1000 }).map((r) => r.id)).toEqual(["late"]);
    } finally {
      store.close();
    }
  });

  it("autoPrune: false keeps every run until prune() is called, which is audited too", async () => {
    const dbPath = path.join(dir, "keep.db");
    const seed = await SqliteRunStore.open({ dbPath });
    addRun(seed, "old", "completed", Date.now() - 40 * DAY);
    seed.close();
    const audit = recordingAudit();
    const engine = await WorkflowEngine.open({ dbPath, retention: "720h", autoPrune: false, audit, resumeOnOpen: false });
    try {
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(engine.listRuns().map((r) => r.id)).toEqual(["old"]);
      expect(audit.events).toEqual([]);
      expect(engine.prune()).toBe(1);
      expect(audit.events).toMatchObject([{ action: "workflow.runs.prune", details: { removed: 1 } }]);
    } finally {
      await engine.dispose();
    }
  });
});
