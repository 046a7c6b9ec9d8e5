import fs from "node:fs";
import path from "node:path";
import type BetterSqlite3 from "better-sqlite3";
import os from "node:os";
import { LockError, acquirePidLockSync, pidLockHolder, type ContentCipher, type PidLock } from "@bear/core";
import { RunStoreError, RunStoreInUseError, RunStoreKeyMismatchError } from "../errors";
import type { JsonValue } from "../execution/json-value";
import { RawJson } from "../execution/raw-json";
import { announcePresence, describePresence, livePresences, type Presence, type PresenceMarker, type PresenceTiming } from "./store-presence";
import type { ErrorInfo, ListRunsQuery, RunPatch, RunRecord, RunStatus, RunStore, StepRecord, StepWrite, StoredEvent } from "./run-records";

export interface SqliteRunStoreOptions {
  /** File path, or ":memory:". */
  readonly dbPath: string;
  /**
   * "normal" (default) survives a killed process (WAL); "full" also survives power loss at the
   * cost of an fsync per commit.
   */
  readonly synchronous?: "normal" | "full";
  /**
   * Encrypts what may hold document text at rest: definitions, inputs, step outputs, errors and
   * event payloads are sealed (core ContentCipher); ids, workflow and step names, statuses,
   * matters, actors and times stay plain (they are what runs are listed and resumed by).
   * A database remembers the key id it was written with and refuses another key, or none.
   */
  readonly cipher?: ContentCipher;
  /**
   * Several processes use the file at once (WAL makes that safe on one host's file system): no
   * single-owner lock. They must agree who runs which run (@bear/cluster's leases).
   */
  readonly shared?: boolean;
  /**
   * How often this opener refreshes its marker in `<dbPath>.live/`, and when another host's goes
   * stale; false: no marker and no check (an opener that never runs runs: a cluster worker).
   */
  readonly presence?: PresenceTiming | false;
}

/**
 * 6: steps is a rowid table (its key (run_id, key) a separate index): as a WITHOUT ROWID table its B-tree's
 * interior cells were whole rows, step outputs of up to ~150 kB with their overflow chains, read in full at
 * each comparison of a lookup, so every step write read more pages the more runs the database held; and
 * indexes for listings (newest first, by matter), which scanned and sorted every run;
 * 5: a run's definition and inputs in run_inputs, written once (runs keeps '' in its columns for them:
 * a status change rewrote the whole runs row, the contract text's overflow pages with it, twice a run);
 * 4: runs.files (where its file steps work); 3: runs.actor (who started the run); 2: runs.matter.
 */
const SCHEMA_VERSION = 6;

/**
 * A rowid table: its rows (outputs of up to hundreds of kB) stay in the table's leaves and overflow pages,
 * and the key's index holds only (run_id, key, rowid). Never WITHOUT ROWID (see SCHEMA_VERSION 6).
 */
const STEPS_TABLE = (name: string): string => `CREATE TABLE IF NOT EXISTS ${name} (
  run_id TEXT NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
  key TEXT NOT NULL,
  step_id TEXT NOT NULL,
  item_index INTEGER,
  status TEXT NOT NULL,
  attempt INTEGER NOT NULL,
  output TEXT,
  error TEXT,
  started_at INTEGER,
  finished_at INTEGER,
  PRIMARY KEY (run_id, key)
);`;
const STEP_COLUMNS = "run_id, key, step_id, item_index, status, attempt, output, error, started_at, finished_at";

const SCHEMA = `
CREATE TABLE IF NOT EXISTS runs (
  id TEXT PRIMARY KEY,
  workflow TEXT NOT NULL,
  definition TEXT NOT NULL,
  inputs TEXT NOT NULL,
  matter TEXT,
  actor TEXT,
  files TEXT,
  status TEXT NOT NULL,
  error TEXT,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  started_at INTEGER,
  finished_at INTEGER
);
CREATE TABLE IF NOT EXISTS run_inputs (
  run_id TEXT PRIMARY KEY REFERENCES runs(id) ON DELETE CASCADE,
  definition TEXT NOT NULL,
  inputs TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS runs_status ON runs(status, created_at);
CREATE INDEX IF NOT EXISTS runs_finished ON runs(finished_at);
CREATE INDEX IF NOT EXISTS runs_created ON runs(created_at);
CREATE INDEX IF NOT EXISTS runs_matter ON runs(matter, created_at);
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT);
${STEPS_TABLE("steps")}
CREATE TABLE IF NOT EXISTS events (
  run_id TEXT NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
  seq INTEGER NOT NULL,
  type TEXT NOT NULL,
  at INTEGER NOT NULL,
  payload TEXT NOT NULL,
  PRIMARY KEY (run_id, seq)
) WITHOUT ROWID;
`;

interface RunRow {
  id: string;
  workflow: string;
  definition: string;
  inputs: string;
  matter: string | null;
  actor: string | null;
  files: string | null;
  status: string;
  error: string | null;
  created_at: number;
  updated_at: number;
  started_at: number | null;
  finished_at: number | null;
}

interface StepRow {
  run_id: string;
  key: string;
  step_id: string;
  item_index: number | null;
  status: string;
  attempt: number;
  output: string | null;
  error: string | null;
  started_at: number | null;
  finished_at: number | null;
}

type Op = () => void;

/** Runs, steps and event history in one SQLite file (WAL, one transaction per flush). */
export class SqliteRunStore implements RunStore {
  readonly location: string;
  readonly #db: BetterSqlite3.Database;
  readonly #queue: Op[] = [];
  readonly #commit: (ops: Op[]) => void;
  readonly #stmt: ReturnType<SqliteRunStore["prepare"]>;
  #closed = false;
  #cipher: ContentCipher | undefined;

  /**
   * Opens (creating if needed) the database; better-sqlite3 is loaded here, lazily. A file
   * database is owned by one process at a time (`<dbPath>.lock` holds its pid): a second live
   * process is refused, so two engines never resume and run the same runs. A lock left by a
   * dead process (a crash) is taken over. Across processes and hosts, every opener also keeps a
   * marker in `<dbPath>.live/` (store-presence): a standalone opener is refused while another
   * opener is live, and a shared one while a standalone is (RunStoreInUseError).
   */
  static async open(options: SqliteRunStoreOptions): Promise<SqliteRunStore> {
    const { default: Database } = await import("better-sqlite3");
    let lock: PidLock | undefined;
    let marker: PresenceMarker | undefined;
    const release = (): void => {
      marker?.remove();
      lock?.release();
    };
    if (options.dbPath !== ":memory:") {
      fs.mkdirSync(path.dirname(path.resolve(options.dbPath)), { recursive: true });
      if (!options.shared) lock = lockDatabase(options.dbPath);
      try {
        if (options.presence !== false) marker = claimPresence(options.dbPath, options.shared === true, options.presence);
      } catch (error) {
        lock?.release();
        throw error;
      }
    }
    let db: BetterSqlite3.Database;
    try {
      db = new Database(options.dbPath);
    } catch (error) {
      release();
      throw new RunStoreError("open the database", options.dbPath, error);
    }
    let store: SqliteRunStore;
    try {
      store = new SqliteRunStore(db, options);
    } catch (error) {
      release();
      throw error;
    }
    store.#release = release;
    return store;
  }

  #release: (() => void) | undefined;

  /** Wraps an already open better-sqlite3 database (the caller keeps no other use of it). */
  constructor(db: BetterSqlite3.Database, options: SqliteRunStoreOptions) {
    this.location = options.dbPath;
    this.#db = db;
    try {
      // Set before anything is written, so it takes on a new file only (an existing one keeps its size).
      db.pragma(`page_size = ${PAGE_SIZE}`);
      db.pragma("journal_mode = WAL");
      db.pragma(`synchronous = ${options.synchronous === "full" ? "FULL" : "NORMAL"}`);
      db.pragma("busy_timeout = 5000");
      // Off while the schema migrates (a table rebuild; the pragma is a no-op inside a transaction), on for
      // every write after. One write transaction: openers sharing the file migrate it once, one at a time.
      db.pragma("foreign_keys = OFF");
      const rebuilt = db.transaction(() => migrateSchema(db)).immediate();
      db.pragma("foreign_keys = ON");
      // a rebuild's WAL is as large as the steps table: give the space back now (best effort: readers may hold it)
      if (rebuilt) db.pragma("wal_checkpoint(TRUNCATE)");
      this.#stmt = this.prepare();
    } catch (error) {
      db.close();
      throw new RunStoreError("initialise the schema", options.dbPath, error);
    }
    // The key the data was written with: set by the first open that writes, checked by every later one.
    const stored = (db.prepare("SELECT value FROM meta WHERE key = 'sealedKeyId'").get() as { value: string } | undefined)?.value;
    const given = options.cipher?.keyId ?? null;
    // EXISTS, not COUNT(*): a count reads an index of every run the database holds, at every open
    const hasRuns = db.prepare("SELECT EXISTS (SELECT 1 FROM runs) AS any").pluck().get() === 1;
    if (stored === undefined) {
      if (hasRuns && given !== null) {
        db.close();
        throw new RunStoreKeyMismatchError(options.dbPath, null, given);
      }
      db.prepare("INSERT INTO meta (key, value) VALUES ('sealedKeyId', ?)").run(given ?? "");
    } else if ((stored || null) !== given) {
      db.close();
      throw new RunStoreKeyMismatchError(options.dbPath, stored || null, given);
    }
    this.#cipher = options.cipher;
    this.#commit = db.transaction((ops: Op[]) => {
      for (const op of ops) op();
    });
  }

  private prepare() {
    const db = this.#db;
    return {
      insertRun: db.prepare(
        `INSERT INTO runs (id, workflow, definition, inputs, matter, actor, files, status, error, created_at, updated_at, started_at, finished_at)
         VALUES (@id, @workflow, @definition, @inputs, @matter, @actor, @files, @status, @error, @created_at, @updated_at, @started_at, @finished_at)`,
      ),
      updateRun: db.prepare(
        `UPDATE runs SET status = @status, error = CASE WHEN @set_error THEN @error ELSE error END,
           started_at = COALESCE(@started_at, started_at), finished_at = COALESCE(@finished_at, finished_at), updated_at = @at
         WHERE id = @id`,
      ),
      saveStep: db.prepare(
        `INSERT INTO steps (run_id, key, step_id, item_index, status, attempt, output, error, started_at, finished_at)
         VALUES (@run_id, @key, @step_id, @item_index, @status, @attempt, @output, @error, @started_at, @finished_at)
         ON CONFLICT(run_id, key) DO UPDATE SET status = excluded.status, attempt = excluded.attempt, output = excluded.output,
           error = excluded.error, started_at = excluded.started_at, finished_at = excluded.finished_at`,
      ),
      appendEvent: db.prepare(`INSERT INTO events (run_id, seq, type, at, payload) VALUES (?, ?, ?, ?, ?)`),
      insertInputs: db.prepare(`INSERT INTO run_inputs (run_id, definition, inputs) VALUES (?, ?, ?)`),
      getRun: db.prepare(`${SELECT_RUNS} WHERE r.id = ?`),
      getInputs: db.prepare(`SELECT COALESCE(i.definition, r.definition) AS definition, COALESCE(i.inputs, r.inputs) AS inputs FROM runs r LEFT JOIN run_inputs i ON i.run_id = r.id WHERE r.id = ?`),
      getSteps: db.prepare(`SELECT * FROM steps WHERE run_id = ? ORDER BY key`),
      getEvents: db.prepare(`SELECT * FROM events WHERE run_id = ? AND seq > ? ORDER BY seq`),
      lastSeq: db.prepare(`SELECT COALESCE(MAX(seq), 0) AS seq FROM events WHERE run_id = ?`),
      // by finished_at's index ('+status': not by status's, which would visit every finished run), oldest first, a slice at a time
      prune: db.prepare(
        `DELETE FROM runs WHERE id IN (SELECT id FROM runs WHERE finished_at < ? AND +status IN ('completed', 'failed', 'cancelled') ORDER BY finished_at LIMIT ?)`,
      ),
    };
  }

  #enqueue(op: Op): void {
    if (this.#closed) throw new RunStoreError("write (the store is closed)", this.location, undefined);
    this.#queue.push(op);
  }

  /** JSON text as stored: sealed when the store is encrypted. */
  #encode(value: unknown): string {
    // a step output an executor kept as text (RawJson) is stored as that text, never parsed and written again
    const json = RawJson.isInstance(value) ? value.text : JSON.stringify(value);
    return this.#cipher ? this.#cipher.seal(json) : json;
  }

  #encodeOrNull(value: unknown): string | null {
    return value === null || value === undefined ? null : this.#encode(value);
  }

  readonly #decode = (text: string): unknown => JSON.parse(this.#cipher ? this.#cipher.open(text) : text);

  insertRun(run: RunRecord): void {
    const definition = this.#encode(run.definition);
    const inputs = this.#encode(run.inputs);
    const row: RunRow = {
      id: run.id,
      workflow: run.workflow,
      // kept in run_inputs (SCHEMA_VERSION 5): the runs row stays small, so a status change rewrites no document text
      definition: "",
      inputs: "",
      matter: run.matter,
      actor: run.actor,
      files: run.files ?? null,
      status: run.status,
      error: this.#encodeOrNull(run.error),
      created_at: run.createdAt,
      updated_at: run.updatedAt,
      started_at: run.startedAt,
      finished_at: run.finishedAt,
    };
    this.#enqueue(() => {
      this.#stmt.insertRun.run(row);
      this.#stmt.insertInputs.run(run.id, definition, inputs);
    });
  }

  updateRun(runId: string, patch: RunPatch, at: number): void {
    const params = {
      id: runId,
      status: patch.status,
      set_error: patch.error === undefined ? 0 : 1,
      error: this.#encodeOrNull(patch.error),
      started_at: patch.startedAt ?? null,
      finished_at: patch.finishedAt ?? null,
      at,
    };
    this.#enqueue(() => this.#stmt.updateRun.run(params));
  }

  saveStep(step: StepWrite): void {
    const row: StepRow = {
      run_id: step.runId,
      key: step.key,
      step_id: step.stepId,
      item_index: step.index,
      status: step.status,
      attempt: step.attempt,
      output: this.#encodeOrNull(step.output),
      error: this.#encodeOrNull(step.error),
      started_at: step.startedAt,
      finished_at: step.finishedAt,
    };
    this.#enqueue(() => this.#stmt.saveStep.run(row));
  }

  appendEvent(event: StoredEvent): void {
    const payload = this.#encode(event.payload);
    this.#enqueue(() => this.#stmt.appendEvent.run(event.runId, event.seq, event.type, event.at, payload));
  }

  flush(): void {
    if (this.#queue.length === 0) return;
    const ops = this.#queue.splice(0, this.#queue.length);
    try {
      this.#commit(ops);
    } catch (error) {
      throw new RunStoreError("commit run state", this.location, error);
    }
  }

  getRun(runId: string): RunRecord | undefined {
    this.flush();
    const row = this.#stmt.getRun.get(runId) as RunRow | undefined;
    return row && toRun(row, this.#decode);
  }

  getSteps(runId: string): StepRecord[] {
    this.flush();
    return (this.#stmt.getSteps.all(runId) as StepRow[]).map((r) => toStep(r, this.#decode));
  }

  getEvents(runId: string, afterSeq = 0): StoredEvent[] {
    this.flush();
    return (this.#stmt.getEvents.all(runId, afterSeq) as Array<{ run_id: string; seq: number; type: string; at: number; payload: string }>).map((r) => ({
      runId: r.run_id,
      seq: r.seq,
      type: r.type,
      at: r.at,
      payload: this.#decode(r.payload) as JsonValue,
    }));
  }

  lastEventSeq(runId: string): number {
    this.flush();
    return (this.#stmt.lastSeq.get(runId) as { seq: number }).seq;
  }

  listRuns(query: ListRunsQuery = {}): RunRecord[] {
    this.flush();
    const where: string[] = [];
    const params: Array<string | number> = [];
    if (query.status !== undefined) {
      const statuses = typeof query.status === "string" ? [query.status] : [...query.status];
      where.push(`r.status IN (${statuses.map(() => "?").join(", ") || "NULL"})`);
      params.push(...statuses);
    }
    if (query.workflow !== undefined) {
      where.push("r.workflow = ?");
      params.push(query.workflow);
    }
    if (query.matters !== undefined) {
      where.push(`r.matter IN (${query.matters.map(() => "?").join(", ") || "NULL"})`);
      params.push(...query.matters);
    }
    const limit = Math.max(1, Math.min(10_000, Math.trunc(query.limit ?? 100)));
    const offset = Math.max(0, Math.trunc(query.offset ?? 0));
    // without the runs' definitions and inputs: read from the database when a record's are first read
    const sql = `${SELECT_RUN_HEADS} ${where.length ? `WHERE ${where.join(" AND ")}` : ""} ORDER BY r.created_at DESC, r.id LIMIT ${limit} OFFSET ${offset}`;
    return (this.#db.prepare(sql).all(...params) as RunRow[]).map((r) => toRun(r, this.#decode, () => this.#inputsOf(r.id)));
  }

  /** The stored definition and inputs of a listed run (see toRun). */
  #inputsOf(runId: string): Pick<RunRow, "definition" | "inputs"> {
    let row: Pick<RunRow, "definition" | "inputs"> | undefined;
    try {
      row = this.#stmt.getInputs.get(runId) as Pick<RunRow, "definition" | "inputs"> | undefined;
    } catch (error) {
      throw new RunStoreError(`read the definition and inputs of run '${runId}'`, this.location, error);
    }
    if (!row) throw new RunStoreError(`read the definition and inputs of run '${runId}' (it was removed since it was listed)`, this.location, undefined);
    return row;
  }

  /**
   * Without `limit`, in slices of PRUNE_SLICE runs, each its own transaction: the write lock other
   * processes sharing the file wait on is held for one slice (their busy timeout is 5 s), not the lot.
   */
  prune(before: number, limit?: number): number {
    this.flush();
    if (limit !== undefined) return this.#stmt.prune.run(before, Math.max(0, Math.trunc(limit))).changes;
    let removed = 0;
    for (;;) {
      const slice = this.#stmt.prune.run(before, PRUNE_SLICE).changes;
      removed += slice;
      if (slice < PRUNE_SLICE) return removed;
    }
  }

  /** Same as close(): commits what is queued and closes the database. */
  dispose(): void {
    this.close();
  }

  close(): void {
    if (this.#closed) return;
    try {
      this.flush();
    } finally {
      this.#closed = true;
      this.#db.close();
      this.#release?.();
    }
  }
}

/**
 * Brings the schema to SCHEMA_VERSION, inside the caller's write transaction; true when the steps table
 * was rebuilt (a version 1-5 database: WITHOUT ROWID, see SCHEMA_VERSION 6), which copies every step row once.
 */
function migrateSchema(db: BetterSqlite3.Database): boolean {
  const version = db.pragma("user_version", { simple: true }) as number;
  if (version > SCHEMA_VERSION) {
    throw new Error(`database schema version ${version} is newer than this engine's ${SCHEMA_VERSION}`);
  }
  // Forward migrations, before the schema's indexes refer to the columns: version 1 databases lack
  // runs.matter, version 1-2 databases runs.actor (their runs keep null: started by an unnamed caller),
  // version 1-3 databases runs.files (null: resumed only under matter areas).
  const hasRuns = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'runs'").get() !== undefined;
  const columns = hasRuns ? new Set((db.pragma("table_info(runs)") as { name: string }[]).map((c) => c.name)) : undefined;
  if (columns && !columns.has("matter")) db.exec("ALTER TABLE runs ADD COLUMN matter TEXT");
  if (columns && !columns.has("actor")) db.exec("ALTER TABLE runs ADD COLUMN actor TEXT");
  if (columns && !columns.has("files")) db.exec("ALTER TABLE runs ADD COLUMN files TEXT");
  const steps = db.prepare("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'steps'").pluck().get() as string | undefined;
  const rebuild = steps !== undefined && /WITHOUT\s+ROWID/i.test(steps);
  if (rebuild) {
    db.exec(STEPS_TABLE("steps_v6"));
    db.exec(`INSERT INTO steps_v6 (${STEP_COLUMNS}) SELECT ${STEP_COLUMNS} FROM steps; DROP TABLE steps; ALTER TABLE steps_v6 RENAME TO steps`);
  }
  db.exec(SCHEMA);
  if (version !== SCHEMA_VERSION) db.pragma(`user_version = ${SCHEMA_VERSION}`);
  return rebuild;
}

/**
 * A new database's page size. A run writes ~0.4 MB (the contract text, outputs of 10-150 kB), each page
 * once to the WAL and once more at the checkpoint, a system call each: 8 kB pages halve those calls for
 * the outputs' overflow chains, while a small commit (a run's status, a step's start) writes 8 kB frames
 * instead of 4. The engine's write pattern on better-sqlite3 alone: 1.31-1.42 ms of CPU a run against
 * 1.61-1.99 with 4 kB (16 kB: 1.45-1.80).
 */
const PAGE_SIZE = 8192;

/** Runs deleted per transaction by an unbounded prune (a reviewed run is ~0.4 MB of rows). */
const PRUNE_SLICE = 50;

const lockFileOf = (dbPath: string): string => `${path.resolve(dbPath)}.lock`;

/** The pid of the live process whose engine owns the workflow database at `dbPath`, if any. */
export function runStoreHolder(dbPath: string): number | undefined {
  return pidLockHolder(lockFileOf(dbPath));
}

/** The live processes with the database at `dbPath` open (cluster instances, a standalone), read only. */
export function runStoreOpeners(dbPath: string): Presence[] {
  return livePresences(dbPath, undefined, { prune: false });
}

/** `<dbPath>.lock`, mapping a busy lock to the store's own error. */
function lockDatabase(dbPath: string): PidLock {
  try {
    return acquirePidLockSync(lockFileOf(dbPath), { what: "the workflow database" });
  } catch (error) {
    if (!(error instanceof LockError)) throw error;
    const holder = error.details?.["holder"];
    const by = holder === process.pid ? "another store in this process" : holder === undefined ? "another process" : `process ${String(holder)}`;
    throw new RunStoreError(error.code === "LOCK_BUSY" ? `open the database: it is in use by ${by}` : "create its lock file", dbPath, error, {
      hint:
        error.code === "LOCK_BUSY"
          ? `Only one workflow engine may use a database file. ${holder === process.pid ? "Close the other store first." : `If ${by} is not a BEAR engine, delete '${error.file}'.`}`
          : error.hint,
    });
  }
}

/**
 * Announces this opener in `<dbPath>.live/`, then refuses if it cannot share the database with the
 * live openers found there: a standalone (exclusive) opener shares with nobody, a shared one with
 * no standalone (also found by a same-host live pid lock, which standalones of any version take).
 */
function claimPresence(dbPath: string, shared: boolean, timing: PresenceTiming | undefined): PresenceMarker {
  const marker = announcePresence(dbPath, shared ? "shared" : "exclusive", timing);
  let conflicts: Presence[];
  try {
    conflicts = livePresences(dbPath, marker, timing).filter((p) => !shared || p.mode === "exclusive");
    const holder = shared ? runStoreHolder(dbPath) : undefined;
    if (holder !== undefined && !conflicts.some((p) => p.pid === holder && p.host === os.hostname())) {
      conflicts.push({ host: os.hostname(), pid: holder, mode: "exclusive", at: Date.now() });
    }
  } catch (error) {
    marker.remove();
    if (error instanceof RunStoreError) throw error;
    throw new RunStoreError("read who else has it open", dbPath, error);
  }
  if (conflicts.length === 0) return marker;
  marker.remove();
  throw new RunStoreInUseError(dbPath, shared ? "shared" : "exclusive", conflicts, conflicts.map((p) => describePresence(p)));
}

type Decode = (text: string) => unknown;

/**
 * A run's row with its definition and inputs: from run_inputs, or from the runs row itself for a run
 * written before SCHEMA_VERSION 5 (no run_inputs row). Columns of runs are named `r.` in conditions.
 */
/** A run's row without its definition and inputs (listings: see toRun). */
const SELECT_RUN_HEADS = `SELECT r.id, r.workflow, r.matter, r.actor, r.files, r.status, r.error, r.created_at, r.updated_at, r.started_at, r.finished_at FROM runs r`;
const SELECT_RUNS = `SELECT r.id, r.workflow, COALESCE(i.definition, r.definition) AS definition, COALESCE(i.inputs, r.inputs) AS inputs,
  r.matter, r.actor, r.files, r.status, r.error, r.created_at, r.updated_at, r.started_at, r.finished_at
  FROM runs r LEFT JOIN run_inputs i ON i.run_id = r.id`;

function parseError(text: string | null, decode: Decode): ErrorInfo | null {
  return text === null ? null : (decode(text) as ErrorInfo);
}

/**
 * A run's record. Its definition and inputs (a contract's text) are decoded when first read, once, and a
 * listing reads them from the database only then (`stored`): @bear/cluster scans the pending and running
 * runs every second for their ids and times, and reading, unsealing and parsing each run's text made a
 * scan of 200 runs with 96 kB inputs cost 136-149 ms of CPU.
 */
function toRun(row: RunRow, decode: Decode, stored: () => Pick<RunRow, "definition" | "inputs"> = () => row): RunRecord {
  let definition: { value: JsonValue } | undefined;
  let inputs: { value: JsonValue } | undefined;
  return {
    id: row.id,
    workflow: row.workflow,
    get definition(): JsonValue {
      return (definition ??= { value: decode(stored().definition) as JsonValue }).value;
    },
    get inputs(): JsonValue {
      return (inputs ??= { value: decode(stored().inputs) as JsonValue }).value;
    },
    matter: row.matter ?? null,
    actor: row.actor ?? null,
    files: row.files ?? null,
    status: row.status as RunStatus,
    error: parseError(row.error, decode),
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    startedAt: row.started_at,
    finishedAt: row.finished_at,
  };
}

function toStep(row: StepRow, decode: Decode): StepRecord {
  return {
    runId: row.run_id,
    key: row.key,
    stepId: row.step_id,
    index: row.item_index,
    status: row.status as StepRecord["status"],
    attempt: row.attempt,
    output: row.output === null ? null : (decode(row.output) as JsonValue),
    error: parseError(row.error, decode),
    startedAt: row.started_at,
    finishedAt: row.finished_at,
  };
}
