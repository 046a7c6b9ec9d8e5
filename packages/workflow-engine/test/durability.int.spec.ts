import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "@jest/globals";
import Database from "better-sqlite3";
import { z } from "zod";
import { WorkflowEngine } from "../src/engine/workflow-engine";
import { SqliteRunStore } from "../src/store/sqlite-run-store";
import type { StepHandler } from "../src/steps/step-handler";
import { KeyEncryptionKey, KeyedContentCipher } from "@bear/security";

const packageDir = path.resolve(import.meta.dirname, "..");
const child = path.join(import.meta.dirname, "fixtures", "crash-child.ts");

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "wf-durable-"));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

function runChild(args: string[]): { proc: ChildProcess; exited: Promise<{ code: number | null; signal: string | null; stdout: string; stderr: string }> } {
  const proc = spawn(process.execPath, ["--import", "tsx", child, ...args], { cwd: packageDir, stdio: ["ignore", "pipe", "pipe"] });
  let stdout = "";
  let stderr = "";
  proc.stdout!.on("data", (d: Buffer) => (stdout += d.toString()));
  proc.stderr!.on("data", (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<{ code: number | null; signal: string | null; stdout: string; stderr: string }>((resolve) =>
    proc.on("exit", (code, signal) => resolve({ code, signal, stdout, stderr })),
  );
  return { proc, exited };
}

function stepRows(dbPath: string): Map<string, { status: string; attempt: number }> {
  const db = new Database(dbPath, { readonly: true, fileMustExist: true });
  try {
    const rows = db.prepare("SELECT key, status, attempt FROM steps WHERE run_id = 'crash-run'").all() as Array<{ key: string; status: string; attempt: number }>;
    return new Map(rows.map((r) => [r.key, r]));
  } finally {
    db.close();
  }
}

/**
 * The database as a crash would leave it: a consistent copy taken while `engine` is mid-run. (A second
 * engine on the live file is refused by its lock, as it should be.)
 */
function crashImage(engine: WorkflowEngine, runId: string, dbPath: string): string {
  engine.getRun(runId); // flushes the run's pending state, as the engine does before every wait
  const image = `${dbPath}.crash-image.db`;
  const db = new Database(dbPath, { readonly: true, fileMustExist: true });
  try {
    db.exec(`VACUUM INTO '${image.replaceAll("'", "''")}'`);
  } finally {
    db.close();
  }
  return image;
}

const markers = (markerDir: string, name: string): number => {
  const file = path.join(markerDir, name);
  return fs.existsSync(file) ? fs.readFileSync(file, "utf8").trim().split("\n").length : 0;
};

describe("crash and resume with a real killed process", () => {
  it("after kill -9 mid-run a new engine resumes: completed steps do not run again, running steps are retried per policy", async () => {
    const dbPath = path.join(dir, "runs.db");
    const markerDir = path.join(dir, "markers");
    fs.mkdirSync(markerDir);

    const first = runChild([dbPath, markerDir, "start"]);
    // Wait until the database shows the exact mid-run state we want to crash in.
    const deadline = Date.now() + 60_000;
    for (;;) {
      if (Date.now() > deadline) throw new Error(`child never reached the crash point: ${(await Promise.race([first.exited, Promise.resolve(null)]))?.stderr ?? ""}`);
      await new Promise((r) => setTimeout(r, 50));
      if (!fs.existsSync(dbPath)) continue;
      let rows: Map<string, { status: string; attempt: number }>;
      try {
        rows = stepRows(dbPath);
      } catch {
        continue;
      }
      const done = ["a", "b", "fan[0]", "fan[1]", "fan[2]"].every((k) => rows.get(k)?.status === "completed");
      const hanging = ["c", "once", "fan[3]"].every((k) => rows.get(k)?.status === "running");
      if (done && hanging) break;
    }
    first.proc.kill("SIGKILL");
    const killed = await first.exited;
    expect(killed.signal).toBe("SIGKILL");
    expect(markers(markerDir, "c")).toBe(1);

    const second = runChild([dbPath, markerDir, "resume"]);
    const resumed = await second.exited;
    expect(resumed.stderr).toBe("");
    expect(resumed.code).toBe(0);
    expect(JSON.parse(resumed.stdout.trim().split("\n")[0]!)).toEqual({ resumed: ["crash-run"] });

    // Completed before the crash: ran exactly once.
    for (const name of ["a", "b", "fan-0", "fan-1", "fan-2"]) expect([name, markers(markerDir, name)]).toEqual([name, 1]);
    // Running at the crash with attempts left: ran again.
    expect(markers(markerDir, "c")).toBe(2);
    expect(markers(markerDir, "fan-3")).toBe(2);
    // Running at the crash with no attempts left: not run again; it failed (on_error continue).
    expect(markers(markerDir, "once")).toBe(1);

    const engine = await WorkflowEngine.open({ dbPath, resumeOnOpen: false });
    try {
      const run = engine.getRun("crash-run");
      expect(run.status).toBe("completed");
      expect(run.steps.find((s) => s.key === "d")).toMatchObject({ status: "completed", attempt: 1 });
      expect(markers(markerDir, "d")).toBe(1);
      expect(run.steps.find((s) => s.key === "once")).toMatchObject({ status: "failed", error: { code: "INTERRUPTED" } });
      expect(run.steps.find((s) => s.key === "c")).toMatchObject({ status: "completed", attempt: 2 });
      expect(run.steps.find((s) => s.key === "fan")).toMatchObject({ status: "completed" });
      const history = engine.history("crash-run");
      expect(history.filter((e) => e.type === "run.started").map((e) => (e as { resumed: boolean }).resumed)).toEqual([false, true]);
      expect(history.map((e) => e.seq)).toEqual(history.map((_, i) => i + 1));
      expect(history.filter((e) => e.type === "step.retried" && e.error.code === "INTERRUPTED").map((e) => ("stepId" in e ? `${e.stepId}${e.index ?? ""}` : ""))).toEqual(
        expect.arrayContaining(["c", "fan3"]),
      );
    } finally {
      await engine.dispose();
    }
  }, 120_000);
});

describe("SqliteRunStore-backed engine", () => {
  it("refuses a database file that another live process holds, and takes over a lock left by a dead one", async () => {
    const dbPath = path.join(dir, "locked.db");
    const holder = spawn(process.execPath, ["-e", "setTimeout(() => {}, 30000)"], { stdio: "ignore" });
    try {
      fs.writeFileSync(`${dbPath}.lock`, String(holder.pid));
      await expect(WorkflowEngine.open({ dbPath })).rejects.toThrow(new RegExp(`in use by process ${holder.pid}`));
    } finally {
      holder.kill("SIGKILL");
      await new Promise((r) => holder.once("exit", r));
    }
    const engine = await WorkflowEngine.open({ dbPath });
    expect(JSON.parse(fs.readFileSync(`${dbPath}.lock`, "utf8"))).toMatchObject({ pid: process.pid }); // with its host, pid namespace and start time
    // A second engine in the same process would run the same runs twice: refused too.
    await expect(WorkflowEngine.open({ dbPath })).rejects.toThrow("in use by another store in this process");
    await engine.dispose();
    expect(fs.existsSync(`${dbPath}.lock`)).toBe(false);
  });

  const echo: StepHandler<{ value?: unknown; ms?: number }> = {
    type: "echo",
    parameters: z.object({ value: z.unknown().optional(), ms: z.number().optional() }),
    execute: async (ctx) => {
      const ms = ctx.parameters.ms;
      if (ms) {
        await new Promise<void>((resolve, reject) => {
          const timer = setTimeout(resolve, ms);
          ctx.signal.addEventListener("abort", () => (clearTimeout(timer), reject(ctx.signal.reason as Error)));
        });
      }
      return (ctx.parameters.value ?? null) as never;
    },
  };

  it("dispose({ suspend: true }) aborts running handlers but leaves the run resumable; the next open reruns the cut-short step without counting it", async () => {
    const dbPath = path.join(dir, "suspend.db");
    let aborted = 0;
    const slow: StepHandler<{ ms: number }> = {
      type: "slow",
      parameters: z.object({ ms: z.number() }),
      execute: (ctx) =>
        new Promise((resolve, reject) => {
          const timer = setTimeout(() => resolve("done"), ctx.parameters.ms);
          ctx.signal.addEventListener("abort", () => (aborted++, clearTimeout(timer), reject(ctx.signal.reason as Error)));
        }),
    };
    const workflow = { name: "long", steps: [{ id: "fast", type: "echo", parameters: { value: 1 } }, { id: "slow", type: "slow", depends_on: ["fast"], parameters: { ms: 200 } }] };
    const first = await WorkflowEngine.open({ dbPath, handlers: [echo as StepHandler<never>, slow as StepHandler<never>] });
    const handle = first.start(workflow, {}, { runId: "suspended" });
    await new Promise<void>((resolve) => {
      const poll = (): void => (first.getRun("suspended").steps.some((s) => s.stepId === "slow" && s.status === "running") ? resolve() : void setTimeout(poll, 5));
      poll();
    });
    await first.dispose({ suspend: true });
    expect(aborted).toBe(1);
    expect((await handle.result).status).toBe("cancelled");

    const again = await WorkflowEngine.open({ dbPath, handlers: [echo as StepHandler<never>, slow as StepHandler<never>], resumeOnOpen: false });
    expect(again.getRun("suspended")).toMatchObject({ status: "running" });
    expect(again.activeRuns).toEqual([]);
    await again.dispose();

    const resumed = await WorkflowEngine.open({ dbPath, handlers: [echo as StepHandler<never>, slow as StepHandler<never>] });
    expect(resumed.activeRuns).toEqual(["suspended"]);
    await new Promise<void>((resolve) => {
      const poll = (): void => (resumed.activeRuns.length === 0 ? resolve() : void setTimeout(poll, 10));
      poll();
    });
    const run = resumed.getRun("suspended");
    expect(run.status).toBe("completed");
    expect(run.steps.find((s) => s.stepId === "fast")).toMatchObject({ status: "completed", attempt: 1 });
    // no retry policy: the step ran twice, but only the completed run counts as its attempt
    expect(run.steps.find((s) => s.stepId === "slow")).toMatchObject({ status: "completed", attempt: 1, output: "done" });
    await resumed.dispose();
  });

  it("keeps each run's matter, lists runs by matter, and upgrades a version-1 database in place", async () => {
    const dbPath = path.join(dir, "matters.db");
    // A database as the first schema left it: no runs.matter column.
    const v1 = new Database(dbPath);
    v1.exec(`CREATE TABLE runs (id TEXT PRIMARY KEY, workflow TEXT NOT NULL, definition TEXT NOT NULL, inputs TEXT NOT NULL, status TEXT NOT NULL,
      error TEXT, created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL, started_at INTEGER, finished_at INTEGER)`);
    v1.prepare("INSERT INTO runs VALUES ('old', 'legacy', '{}', '{}', 'completed', NULL, 1, 1, 1, 1)").run();
    v1.pragma("user_version = 1");
    v1.close();
    // autoPrune off: run 'old' finished in 1970, past any retention (retention.int.spec.ts tests the sweeps)
    const engine = await WorkflowEngine.open({ dbPath, handlers: [echo as StepHandler<never>], autoPrune: false });
    try {
      const wf = { name: "m", steps: [{ id: "one", type: "echo", parameters: { value: 1 } }] };
      await engine.start(wf, {}, { runId: "acme-run", matter: "acme-2026" }).result;
      await engine.start(wf, {}, { runId: "globex-run", matter: "globex" }).result;
      expect(engine.getRun("acme-run")).toMatchObject({ matter: "acme-2026", status: "completed" });
      expect(engine.listRuns({ matters: ["acme-2026"] }).map((r) => r.id)).toEqual(["acme-run"]);
      expect(engine.listRuns({ matters: [] })).toEqual([]);
      expect(engine.getRun("old")).toMatchObject({ matter: null, workflow: "legacy" });
      expect(() => engine.start(wf, {}, { matter: "" })).toThrow(/matter/);
    } finally {
      await engine.dispose();
    }
  });

  it("upgrades a workflows.db made by the version-2 engine: old runs have no actor and resume; new runs keep theirs and give it to every step", async () => {
    // test/fixtures/workflows-v2.db was written by the engine of main df881ff (schema 2, no runs.actor):
    // run 'old-done' completed, run 'old-interrupted' copied (VACUUM INTO) while its step 'second' (2
    // attempts) ran: WorkflowEngine.open of that build, engine.run / engine.start, then the copy.
    const dbPath = path.join(dir, "workflows.db");
    fs.copyFileSync(path.join(import.meta.dirname, "fixtures", "workflows-v2.db"), dbPath);
    const seen: Array<{ runId: string; stepId: string; actor: string | undefined }> = [];
    const record: StepHandler<{ value?: unknown }> = {
      type: "hang",
      execute: async (ctx) => {
        seen.push({ runId: ctx.runId, stepId: ctx.stepId, actor: ctx.actor });
        return null;
      },
    };
    const recordEcho: StepHandler<{ value?: unknown }> = { ...record, type: "echo" };
    // autoPrune off: the fixture's 'old-done' finished on 2026-12-06, so from 2027-01-05 a sweep would remove it
    const engine = await WorkflowEngine.open({ dbPath, handlers: [record as StepHandler<never>, recordEcho as StepHandler<never>], autoPrune: false });
    try {
      // the interrupted run resumes (resumeOnOpen): its step acts as nobody named, as before
      await new Promise<void>((resolve) => {
        const sub = engine.events.subscribe((e) => e.type === "run.completed" && e.runId === "old-interrupted" && (sub.unsubscribe(), resolve()));
      });
      expect(engine.getRun("old-interrupted")).toMatchObject({ status: "completed", actor: null, matter: "acme" });
      expect(engine.getRun("old-done")).toMatchObject({ status: "completed", actor: null, workflow: "legacy-done" });
      expect(seen).toEqual([{ runId: "old-interrupted", stepId: "second", actor: undefined }]);
      const wf = { name: "a", steps: [{ id: "one", type: "echo", parameters: {} }, { id: "two", type: "hang", depends_on: ["one"], parameters: {} }] };
      await engine.run(wf, {}, { runId: "new-run", matter: "acme", actor: "alice" });
      expect(seen.slice(1)).toEqual([
        { runId: "new-run", stepId: "one", actor: "alice" },
        { runId: "new-run", stepId: "two", actor: "alice" },
      ]);
      for (const bad of ["", " alice", "alice\nforged", "a b", "x".repeat(201), 7]) expect(() => engine.start(wf, {}, { actor: bad as string })).toThrow(/invalid actor/);
    } finally {
      await engine.dispose();
    }
    const db = new Database(dbPath, { readonly: true });
    try {
      expect(db.pragma("user_version", { simple: true })).toBe(6);
      // the version-2 steps table (WITHOUT ROWID) was rebuilt as a rowid table, its rows kept ('first' above was not run again)
      expect(db.prepare("SELECT sql FROM sqlite_master WHERE name = 'steps'").pluck().get()).not.toMatch(/WITHOUT ROWID/i);
      expect(db.prepare("SELECT key, status FROM steps WHERE run_id = 'old-interrupted' ORDER BY key").all()).toEqual([
        { key: "first", status: "completed" },
        { key: "second", status: "completed" },
      ]);
      expect(db.prepare("SELECT id, actor, files FROM runs ORDER BY id").all()).toEqual([
        { id: "new-run", actor: "alice", files: "none" },
        { id: "old-done", actor: null, files: null },
        { id: "old-interrupted", actor: null, files: null },
      ]);
    } finally {
      db.close();
    }
  });

  it("writes a run's inputs once: a status change rewrites none of them (the WAL grows by a few pages, not by the text)", async () => {
    const dbPath = path.join(dir, "inputs-once.db");
    const store = await SqliteRunStore.open({ dbPath });
    const text = "The parties agree that this clause applies. ".repeat(6_000); // ~270 kB, as a long contract
    const walBytes = (): number => fs.statSync(`${dbPath}-wal`).size;
    const side = new Database(dbPath);
    try {
      store.insertRun({ id: "big", workflow: "review", definition: { name: "review", steps: [] }, inputs: { text }, matter: null, actor: null, files: null, status: "pending", error: null, createdAt: 1, updatedAt: 1, startedAt: null, finishedAt: null });
      store.flush();
      // the WAL from empty: what the two status changes of a run write, and nothing else
      side.pragma("wal_checkpoint(TRUNCATE)");
      expect(walBytes()).toBe(0);
      store.updateRun("big", { status: "running", startedAt: 2 }, 2);
      store.flush();
      store.updateRun("big", { status: "completed", error: null, finishedAt: 3 }, 3);
      store.flush();
      // a few 4 kB pages (the row, its indexes); the version-4 schema rewrote the text's ~70 overflow pages each time (> 560 kB)
      expect(walBytes()).toBeLessThan(64 * 1024);
      expect(store.getRun("big")).toMatchObject({ status: "completed", inputs: { text }, definition: { name: "review", steps: [] }, startedAt: 2, finishedAt: 3 });
      expect(store.listRuns({ status: "completed" }).map((r) => (r.inputs as { text: string }).text.length)).toEqual([text.length]);
      // pruning a run removes its inputs with it
      expect(store.prune(10)).toBe(1);
      expect(side.prepare("SELECT COUNT(*) AS n FROM run_inputs").get()).toEqual({ n: 0 });
    } finally {
      side.close();
      store.close();
    }
  });

  it("upgrades a version-4 database in place: its runs keep their inputs in the runs row and still read and resume", async () => {
    const dbPath = path.join(dir, "v4.db");
    const wf = { name: "old", inputs: { value: { type: "string" } }, steps: [{ id: "one", type: "echo", parameters: { value: "{{ inputs.value }}" } }] };
    const engine4 = await WorkflowEngine.open({ dbPath, handlers: [echo as StepHandler<never>], resumeOnOpen: false });
    await engine4.run(wf, { value: "done" }, { runId: "old-done" });
    await engine4.dispose();
    // the version-4 layout: no run_inputs table, each run's definition and inputs in its row; and a run
    // left pending (its process stopped before it began), which the upgraded engine resumes
    const v4 = new Database(dbPath);
    v4.exec("UPDATE runs SET definition = (SELECT definition FROM run_inputs WHERE run_id = runs.id), inputs = (SELECT inputs FROM run_inputs WHERE run_id = runs.id)");
    v4.exec("DROP TABLE run_inputs");
    v4.prepare(
      "INSERT INTO runs (id, workflow, definition, inputs, matter, actor, files, status, error, created_at, updated_at, started_at, finished_at) SELECT 'old-pending', workflow, definition, ?, NULL, NULL, files, 'pending', NULL, 2, 2, NULL, NULL FROM runs WHERE id = 'old-done'",
    ).run(JSON.stringify({ value: "kept" }));
    v4.pragma("user_version = 4");
    v4.close();
    const engine = await WorkflowEngine.open({ dbPath, handlers: [echo as StepHandler<never>] });
    try {
      await new Promise<void>((resolve) => {
        const sub = engine.events.subscribe((e) => e.type === "run.completed" && e.runId === "old-pending" && (sub.unsubscribe(), resolve()));
      });
      expect(engine.getRun("old-pending")).toMatchObject({ status: "completed", inputs: { value: "kept" } });
      expect(engine.getRun("old-pending").steps[0]).toMatchObject({ output: "kept" });
      expect(engine.getRun("old-done")).toMatchObject({ status: "completed", inputs: { value: "done" } });
      const fresh = await engine.run({ ...wf, name: "new" }, { value: "new" }, { runId: "new-run" });
      expect(fresh.outputs).toEqual({ one: "new" });
      expect(engine.listRuns({ workflow: "new" }).map((r) => r.inputs)).toEqual([{ value: "new" }]);
    } finally {
      await engine.dispose();
    }
    const db = new Database(dbPath, { readonly: true });
    try {
      expect(db.pragma("user_version", { simple: true })).toBe(6);
      expect(db.prepare("SELECT run_id FROM run_inputs").all()).toEqual([{ run_id: "new-run" }]);
      expect(db.prepare("SELECT definition, inputs FROM runs WHERE id = 'new-run'").get()).toEqual({ definition: "", inputs: "" });
    } finally {
      db.close();
    }
  });

  it("resumes an interrupted run as the actor who started it", async () => {
    const dbPath = path.join(dir, "actor.db");
    const actors: Array<string | undefined> = [];
    let released = false;
    const gate: StepHandler = {
      type: "gate",
      execute: async (ctx) => {
        actors.push(ctx.actor);
        if (!released) await new Promise<void>((resolve) => ctx.signal.addEventListener("abort", () => resolve()));
        return null;
      },
    };
    const first = await WorkflowEngine.open({ dbPath, handlers: [gate as StepHandler<never>] });
    first.start({ name: "g", steps: [{ id: "wait", type: "gate", parameters: {} }] }, {}, { runId: "held", actor: "svc.review" });
    await new Promise((r) => setTimeout(r, 100));
    await first.dispose({ suspend: true });
    released = true;
    const again = await WorkflowEngine.open({ dbPath, handlers: [gate as StepHandler<never>], resumeOnOpen: false });
    try {
      expect(again.getRun("held")).toMatchObject({ status: "running", actor: "svc.review" });
      expect(await again.resume("held").result).toMatchObject({ status: "completed" });
      expect(actors).toEqual(["svc.review", "svc.review"]);
    } finally {
      await again.dispose();
    }
  });

  it("persists run state, outputs and events, readable by a later engine on the same file", async () => {
    const dbPath = path.join(dir, "a.db");
    const engine = await WorkflowEngine.open({ dbPath, handlers: [echo as StepHandler<never>] });
    const result = await engine.run({ name: "persist", steps: [{ id: "one", type: "echo", parameters: { value: { clauses: [1, 2] } } }] });
    await engine.dispose();
    const db = new Database(dbPath, { readonly: true });
    expect(db.pragma("journal_mode", { simple: true })).toBe("wal");
    db.close();
    const again = await WorkflowEngine.open({ dbPath, handlers: [echo as StepHandler<never>] });
    try {
      const run = again.getRun(result.runId);
      expect(run).toMatchObject({ status: "completed", workflow: "persist", progress: { total: 1, completed: 1 } });
      expect(run.steps[0]?.output).toEqual({ clauses: [1, 2] });
      expect(again.history(result.runId).map((e) => e.type)).toEqual(["run.started", "step.started", "step.completed", "run.completed"]);
    } finally {
      await again.dispose();
    }
  });

  it("lists runs by status, shows per-step progress of a running run, cancels it, and prunes old runs", async () => {
    const engine = await WorkflowEngine.open({ dbPath: path.join(dir, "b.db"), handlers: [echo as StepHandler<never>] });
    try {
      const done = await engine.run({ name: "quick", steps: [{ id: "q", type: "echo" }] });
      const slow = engine.start({ name: "slow", steps: [{ id: "s1", type: "echo" }, { id: "s2", type: "echo", depends_on: ["s1"], parameters: { ms: 10_000 } }, { id: "s3", type: "echo", depends_on: ["s2"] }] });
      await new Promise<void>((resolve) => slow.events.subscribe((e) => e.type === "step.started" && e.stepId === "s2" && resolve()));
      expect(engine.listRuns({ status: "running" }).map((r) => r.id)).toEqual([slow.runId]);
      expect(engine.listRuns({ status: "completed" }).map((r) => r.id)).toEqual([done.runId]);
      expect(engine.getRun(slow.runId).progress).toEqual({ total: 3, completed: 1, failed: 0, skipped: 0, running: 1, pending: 1, cancelled: 0 });
      expect(engine.cancel(slow.runId)).toBe(true);
      expect((await slow.result).status).toBe("cancelled");
      expect(engine.listRuns({ status: ["cancelled", "completed"] })).toHaveLength(2);
      expect(engine.prune(60_000)).toBe(0);
      await new Promise((r) => setTimeout(r, 20));
      expect(engine.prune(10)).toBe(2);
      expect(engine.listRuns()).toEqual([]);
      expect(() => engine.getRun(done.runId)).toThrow(/does not exist/);
    } finally {
      await engine.dispose();
    }
  });

  it("a run interrupted on a step with no attempts left fails on resume instead of running it again", async () => {
    const dbPath = path.join(dir, "c.db");
    let calls = 0;
    const hang: StepHandler = { type: "hang", execute: () => (calls++, new Promise(() => undefined)) };
    const crashed = await WorkflowEngine.open({ dbPath, handlers: [hang as StepHandler<never>] });
    const handle = crashed.start({ name: "interrupted", steps: [{ id: "h", type: "hang" }] });
    await new Promise<void>((resolve) => handle.events.subscribe((e) => e.type === "step.started" && resolve()));
    // An engine on the file as a crash would leave it sees the run as interrupted.
    const next = await WorkflowEngine.open({ dbPath: crashImage(crashed, handle.runId, dbPath), handlers: [hang as StepHandler<never>], resumeOnOpen: false });
    try {
      const [resumed] = next.resumeInterrupted();
      const result = await resumed!.result;
      expect(result.status).toBe("failed");
      expect(calls).toBe(1);
      expect(next.getRun(handle.runId).steps[0]).toMatchObject({ status: "failed", attempt: 1, error: { code: "INTERRUPTED" } });
    } finally {
      await next.dispose();
      crashed.cancel(handle.runId);
      await crashed.dispose();
    }
  });

  it("resume(runId) resumes one interrupted run, and refuses unknown, finished and active runs with typed errors", async () => {
    const dbPath = path.join(dir, "one.db");
    const echoHandlers = [echo as StepHandler<never>];
    const first = await WorkflowEngine.open({ dbPath, handlers: echoHandlers });
    const wf = { name: "two-steps", steps: [{ id: "a", type: "echo", parameters: { value: 1 } }, { id: "b", type: "echo", depends_on: ["a"], retry: { attempts: 2, backoff: 1 }, parameters: { value: 2, ms: 60_000 } }] };
    const handle = first.start(wf);
    await new Promise<void>((resolve) => handle.events.subscribe((e) => e.type === "step.started" && e.stepId === "b" && resolve()));
    const image = crashImage(first, handle.runId, dbPath);
    first.cancel(handle.runId);
    await first.dispose();

    const engine = await WorkflowEngine.open({ dbPath: image, handlers: echoHandlers, resumeOnOpen: false });
    try {
      expect(() => engine.resume("no-such-run")).toThrow(expect.objectContaining({ code: "RUN_NOT_FOUND" }));
      const resumed = engine.resume(handle.runId);
      const restarted = new Promise<number>((resolve) => resumed.events.subscribe((e) => e.type === "step.started" && e.stepId === "b" && resolve(e.attempt)));
      expect(() => engine.resume(handle.runId)).toThrow(expect.objectContaining({ code: "RUN_NOT_RESUMABLE", message: expect.stringContaining("running in this engine") }));
      expect(await restarted).toBe(2); // the step cut short runs again; "a" does not
      engine.cancel(handle.runId);
      expect((await resumed.result).status).toBe("cancelled");
      expect(() => engine.resume(handle.runId)).toThrow(expect.objectContaining({ code: "RUN_NOT_RESUMABLE", message: expect.stringContaining("was cancelled") }));
      expect(engine.getRun(handle.runId).steps.find((s) => s.stepId === "a")).toMatchObject({ status: "completed", attempt: 1 });
    } finally {
      await engine.dispose();
    }
  });

  it("a run whose workflow no longer validates (its step type is gone) is marked failed instead of resumed", async () => {
    const dbPath = path.join(dir, "d.db");
    const hang: StepHandler = { type: "hang", execute: () => new Promise(() => undefined) };
    const first = await WorkflowEngine.open({ dbPath, handlers: [hang as StepHandler<never>] });
    const handle = first.start({ name: "gone", steps: [{ id: "h", type: "hang" }] });
    await new Promise<void>((resolve) => handle.events.subscribe((e) => e.type === "step.started" && resolve()));
    const second = await WorkflowEngine.open({ dbPath: crashImage(first, handle.runId, dbPath) });
    try {
      expect(second.activeRuns).toEqual([]);
      expect(second.getRun(handle.runId)).toMatchObject({ status: "failed", error: { code: "WORKFLOW_INVALID" } });
    } finally {
      await second.dispose();
      await first.dispose();
    }
  });
});

describe("an encrypted run store (ContentCipher from @bear/security)", () => {
  it("lists runs without opening their definitions and inputs: each is unsealed and parsed when first read, once", async () => {
    const { randomBytes } = await import("node:crypto");
    const inner = new KeyedContentCipher(KeyEncryptionKey.fromBytes(randomBytes(32)));
    let opened = 0;
    const cipher = {
      keyId: inner.keyId,
      seal: (text: string, context?: string) => inner.seal(text, context),
      open: (sealed: string, context?: string) => (opened++, inner.open(sealed, context)),
      blindTerm: (term: string) => inner.blindTerm(term),
    };
    const store = await SqliteRunStore.open({ dbPath: path.join(dir, "lazy.db"), cipher });
    try {
      const text = "Confidential clause text. ".repeat(4_000);
      for (const id of ["r1", "r2", "r3"]) {
        store.insertRun({ id, workflow: "review", definition: { name: "review", steps: [] }, inputs: { text, id }, matter: null, actor: null, files: null, status: "running", error: null, createdAt: 1, updatedAt: 1, startedAt: 1, finishedAt: null });
      }
      store.flush();
      opened = 0;
      const runs = store.listRuns({ status: ["pending", "running"] });
      expect(runs.map((r) => r.id).sort()).toEqual(["r1", "r2", "r3"]);
      expect(opened).toBe(0);
      const r2 = runs.find((r) => r.id === "r2")!;
      expect(r2.inputs).toEqual({ text, id: "r2" });
      expect(r2.inputs).toBe(r2.inputs);
      expect(opened).toBe(1);
      expect(r2.definition).toEqual({ name: "review", steps: [] });
      expect(opened).toBe(2);
      // as a plain record for whoever copies or serialises it
      expect(JSON.parse(JSON.stringify(r2))).toMatchObject({ id: "r2", inputs: { id: "r2" }, definition: { name: "review" } });
    } finally {
      store.close();
    }
  });

  it("stores no definition, input or output text in clear, reads it all back with the key, and refuses another key or none", async () => {
    const { randomBytes } = await import("node:crypto");
    const key = randomBytes(32);
    const cipherFor = (bytes: Buffer) => new KeyedContentCipher(KeyEncryptionKey.fromBytes(bytes));
    const dbPath = path.join(dir, "sealed.db");
    const shout: StepHandler<{ text: string }> = {
      type: "shout",
      parameters: z.object({ text: z.string() }),
      execute: async (ctx) => `${ctx.parameters.text.toUpperCase()} (reviewed)`,
    };
    const wf = { name: "privileged-review", inputs: { clause: { type: "string" } }, steps: [{ id: "s", type: "shout", parameters: { text: "{{ inputs.clause }}" } }] };
    const engine = await WorkflowEngine.open({ dbPath, handlers: [shout as StepHandler<never>], cipher: cipherFor(key) });
    const result = await engine.run(wf, { clause: "Zephyrine indemnifies Quillbrook" }, { runId: "sealed-run", matter: "acme" });
    expect(result.outputs["s"]).toBe("ZEPHYRINE INDEMNIFIES QUILLBROOK (reviewed)");
    await engine.dispose();

    const raw = Buffer.concat(fs.readdirSync(dir).filter((f) => f.startsWith("sealed.db")).map((f) => fs.readFileSync(path.join(dir, f))));
    for (const word of ["Zephyrine", "ZEPHYRINE", "Quillbrook", "reviewed", "{{ inputs.clause }}"]) expect([word, raw.includes(word)]).toEqual([word, false]);

    const again = await WorkflowEngine.open({ dbPath, handlers: [shout as StepHandler<never>], cipher: cipherFor(key) });
    expect(again.getRun("sealed-run").steps[0]).toMatchObject({ output: "ZEPHYRINE INDEMNIFIES QUILLBROOK (reviewed)" });
    expect(again.history("sealed-run").map((e) => e.type)).toContain("run.completed");
    await again.dispose();
    await expect(WorkflowEngine.open({ dbPath, cipher: cipherFor(randomBytes(32)) })).rejects.toMatchObject({ code: "STORE_KEY_MISMATCH" });
    await expect(WorkflowEngine.open({ dbPath })).rejects.toMatchObject({ code: "STORE_KEY_MISMATCH", message: expect.stringContaining("opened with no encryption") });
    // the refusals released the database's lock: the right key still opens it
    await (await WorkflowEngine.open({ dbPath, cipher: cipherFor(key) })).dispose();
  });
});
