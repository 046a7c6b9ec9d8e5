import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { randomUUID } from "node:crypto";
import { afterEach, beforeEach, describe, expect, it } from "@jest/globals";
import Database from "better-sqlite3";
import { SqliteRunStore } from "../src/store/sqlite-run-store";
import type { JsonValue } from "../src/execution/json-value";

// Whether a run's store work grows with the runs the database already holds. Each step write must
// visit a bounded number of pages: a lookup that reads more pages the more runs there are (a scan, a
// B-tree whose interior cells carry whole step outputs) shows as more bytes read per run once the
// database is larger than SQLite's page cache, here made small (64 pages) so that the database is.

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "wf-growth-"));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

/** A step output of about `chars` characters of JSON (a clause list, a report). */
const output = (chars: number): JsonValue => ({ items: Array.from({ length: Math.ceil(chars / 60) }, (_, i) => ({ i, label: "clause", text: "y".repeat(30) })) });
/** A reviewed contract's six outputs, 280 kB in all. */
const REVIEW_OUTPUTS: Record<string, JsonValue> = { extract: output(20_000), classify: output(60_000), assess: output(30_000), comply: output(10_000), validate: output(10_000), report: output(150_000) };

/** One run as the engine writes it: inserted, started, each step started then completed (a commit each), finished. */
function writeRun(store: SqliteRunStore, id: string, at: number, outputs: Record<string, JsonValue>): void {
  store.insertRun({ id, workflow: "review", definition: { name: "review" }, inputs: {}, matter: null, actor: null, files: null, status: "pending", error: null, createdAt: at, updatedAt: at, startedAt: null, finishedAt: null });
  store.updateRun(id, { status: "running", startedAt: at }, at);
  let seq = 0;
  for (const [key, value] of Object.entries(outputs)) {
    store.saveStep({ runId: id, key, stepId: key, index: null, status: "running", attempt: 1, output: null, error: null, startedAt: at, finishedAt: null });
    store.appendEvent({ runId: id, seq: ++seq, type: "step.started", at, payload: { type: "step.started", stepId: key } });
    store.flush();
    store.saveStep({ runId: id, key, stepId: key, index: null, status: "completed", attempt: 1, output: value, error: null, startedAt: at, finishedAt: at });
    store.appendEvent({ runId: id, seq: ++seq, type: "step.completed", at, payload: { type: "step.completed", stepId: key } });
    store.flush();
  }
  store.updateRun(id, { status: "completed", finishedAt: at }, at);
  store.flush();
}

/** Bytes this process read through read/pread (Linux), SQLite's page reads among them. */
const bytesRead = (): number => Number(/^rchar: (\d+)$/m.exec(fs.readFileSync("/proc/self/io", "utf8"))![1]);
const linux = fs.existsSync("/proc/self/io");

describe("run store work per step does not grow with the database", () => {
  (linux ? it : it.skip)("a one-step run reads a bounded number of pages whether the database holds 0 or 60 reviewed runs", () => {
    const perRun: Record<string, number> = {};
    for (const finished of [0, 60]) {
      const dbPath = path.join(dir, `runs-${finished}.db`);
      const db = new Database(dbPath);
      db.pragma("cache_size = 64"); // pages: the 17 MB of 60 reviewed runs are far larger
      const store = new SqliteRunStore(db, { dbPath });
      try {
        for (let i = 0; i < finished; i++) writeRun(store, randomUUID(), i, REVIEW_OUTPUTS);
        const before = bytesRead();
        for (let i = 0; i < 50; i++) writeRun(store, randomUUID(), 1_000 + i, { only: { ok: true } });
        perRun[finished] = (bytesRead() - before) / 50;
      } finally {
        store.close();
      }
    }
    // A few leaf pages a run (~7 kB measured, 12 kB with 600 reviewed runs). With the steps table WITHOUT ROWID
    // (schema 5) each lookup read the outputs in its interior cells: ~780 kB a run with 60 reviewed runs.
    expect(perRun[0]!).toBeLessThan(64 * 1024);
    expect(perRun[60]!).toBeLessThan(64 * 1024);
  });

  it("no interior page of any B-tree holds a cell with an overflow chain (keys compare without reading a step's output)", () => {
    const dbPath = path.join(dir, "shape.db");
    const store = new SqliteRunStore(new Database(dbPath), { dbPath });
    try {
      for (let i = 0; i < 40; i++) writeRun(store, randomUUID(), i, REVIEW_OUTPUTS);
    } finally {
      store.close();
    }
    const db = new Database(dbPath, { readonly: true });
    try {
      const pages = db.prepare("SELECT name, path, pagetype FROM dbstat").all() as Array<{ name: string; path: string; pagetype: string }>;
      const kind = new Map(pages.map((p) => [`${p.name} ${p.path}`, p.pagetype]));
      // an overflow page's path is its cell's page's path, the cell's number, "+" and its place in the chain: "/007/005/000+00000f"
      const owners = pages.filter((p) => p.pagetype === "overflow").map((p) => ({ name: p.name, owner: kind.get(`${p.name} ${p.path.slice(0, p.path.lastIndexOf("/") + 1)}`) }));
      expect(owners.length).toBeGreaterThan(100); // the outputs do overflow: into the steps table's leaves
      expect(owners.filter((o) => o.owner !== "leaf")).toEqual([]);
      expect(pages.some((p) => p.name === "steps" && p.pagetype === "internal")).toBe(true);
    } finally {
      db.close();
    }
  });
});

describe("page size", () => {
  /** System calls SQLite makes writing one reviewed run (each WAL frame, each page a checkpoint copies), read from /proc. */
  const writes = (): number => Number(/^syscw: (\d+)$/m.exec(fs.readFileSync("/proc/self/io", "utf8"))![1]);

  (linux ? it : it.skip)("a new database has 8 kB pages (a run's outputs in half the page writes of 4 kB); an older file keeps its own", () => {
    const perRun: Record<number, number> = {};
    for (const made of [4096, 8192]) {
      const dbPath = path.join(dir, `made-${made}.db`);
      if (made === 4096) {
        // a database another build made, with SQLite's default page size
        const old = new Database(dbPath);
        old.pragma("journal_mode = WAL");
        old.exec("CREATE TABLE t (x)");
        old.close();
      }
      const store = new SqliteRunStore(new Database(dbPath), { dbPath });
      try {
        writeRun(store, randomUUID(), 0, REVIEW_OUTPUTS); // warm: tables and indexes in place
        const before = writes();
        for (let i = 1; i <= 10; i++) writeRun(store, randomUUID(), i, REVIEW_OUTPUTS);
        perRun[made] = (writes() - before) / 10;
        expect(store.getSteps(store.listRuns({ limit: 1 })[0]!.id).find((s) => s.key === "report")?.output).toEqual(REVIEW_OUTPUTS["report"]);
      } finally {
        store.close();
      }
      const db = new Database(dbPath, { readonly: true });
      expect(db.pragma("page_size", { simple: true })).toBe(made);
      db.close();
    }
    // ~0.3 MB of outputs a run: ~80 WAL frames of 4 kB and their checkpoint copies, about half with 8 kB
    expect(perRun[8192]!).toBeLessThan(perRun[4096]! * 0.75);
  });
});
