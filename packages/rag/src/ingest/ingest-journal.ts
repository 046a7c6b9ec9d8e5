import fs from "node:fs";
import path from "node:path";

/** Folder (inside the index) holding the journal of each ingest run that has not finished. */
const JOURNAL_DIR = "ingest-journal";
const RUN_ID_RE = /^[0-9a-f-]{36}$/;
/** Journals of runs in flight in this process: never reconciled (another engine on the same index may look). */
const inFlight = new Set<string>();

/** A document an ingest run is about to commit: what reconciliation checks against the index. */
export interface JournaledDocument {
  readonly id: string;
  readonly version: string;
  /** True when it replaces an older version (audited as "updated"). */
  readonly replaces: boolean;
}

/** What a journal says about one run: who ran it, in which matter, and what it meant to commit. */
export interface JournaledRun {
  readonly runId: string;
  readonly matter: string;
  readonly actor: string;
  readonly startedAt: string;
  readonly documents: readonly JournaledDocument[];
}

/**
 * The write-ahead journal of one ingest run: its header, then one line per batch, appended (and
 * flushed to disk) before the batch's documents are committed. The run deletes it once its own
 * audit record is written; a journal that outlives its run (a kill -9, a power cut) tells the next
 * writer which committed documents were never audited. It holds ids, versions, the matter and the
 * actor, never document text.
 */
export class IngestJournal {
  readonly #file: string;

  private constructor(file: string) {
    this.#file = file;
  }

  static dir(indexDir: string): string {
    return path.join(indexDir, JOURNAL_DIR);
  }

  /** True when some run's journal is still there (an interrupted ingest, or one in flight in another process). */
  static exists(indexDir: string): boolean {
    try {
      return fs.readdirSync(IngestJournal.dir(indexDir)).some((name) => name.endsWith(".jsonl"));
    } catch {
      return false;
    }
  }

  static begin(indexDir: string, run: Omit<JournaledRun, "documents">): IngestJournal {
    const dir = IngestJournal.dir(indexDir);
    fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
    const journal = new IngestJournal(path.join(dir, `${run.runId}.jsonl`));
    inFlight.add(journal.#file);
    journal.#append({ run: run.runId, matter: run.matter, actor: run.actor, startedAt: run.startedAt });
    return journal;
  }

  /** Records the documents of a batch before it is committed. */
  intend(documents: readonly JournaledDocument[]): void {
    this.#append({ documents: documents.map((d) => [d.id, d.version, d.replaces ? 1 : 0]) });
  }

  /** The run finished and is audited: its journal goes. */
  close(): void {
    fs.rmSync(this.#file, { force: true });
    inFlight.delete(this.#file);
  }

  /** The run stopped early (cancelled, failed): its journal stays for reconciliation, which this process may now do. */
  release(): void {
    inFlight.delete(this.#file);
  }

  /**
   * The runs whose journal is still there and that no run of this process is writing, oldest first;
   * `remove(runId)` once each is reconciled. Call it under the index's writer lock, so no other
   * process's run is in flight either.
   */
  static pending(indexDir: string): JournaledRun[] {
    const dir = IngestJournal.dir(indexDir);
    let names: string[];
    try {
      names = fs.readdirSync(dir).filter((n) => n.endsWith(".jsonl") && RUN_ID_RE.test(n.slice(0, -6)) && !inFlight.has(path.join(dir, n)));
    } catch {
      return [];
    }
    const runs = names.map((name) => readJournal(path.join(dir, name))).filter((r): r is JournaledRun => r !== undefined);
    return runs.sort((a, b) => a.startedAt.localeCompare(b.startedAt));
  }

  static remove(indexDir: string, runId: string): void {
    if (!RUN_ID_RE.test(runId)) return;
    fs.rmSync(path.join(IngestJournal.dir(indexDir), `${runId}.jsonl`), { force: true });
  }

  #append(entry: object): void {
    const fd = fs.openSync(this.#file, "a", 0o600);
    try {
      fs.writeSync(fd, `${JSON.stringify(entry)}\n`);
      fs.fdatasyncSync(fd); // the commit that follows must never be on disk before its intention
    } finally {
      fs.closeSync(fd);
    }
  }
}

/** Parses a journal; a torn last line (the process died mid-write) is ignored: its batch was never committed. */
function readJournal(file: string): JournaledRun | undefined {
  let text: string;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch {
    return undefined;
  }
  const lines = text.split("\n").filter((l) => l.length > 0);
  const header = parseLine(lines[0]);
  if (!header || typeof header.run !== "string" || typeof header.matter !== "string" || typeof header.actor !== "string") {
    fs.rmSync(file, { force: true }); // a header torn by the crash: nothing was committed after it
    return undefined;
  }
  const documents = new Map<string, JournaledDocument>();
  for (const line of lines.slice(1)) {
    const entry = parseLine(line);
    if (!entry || !Array.isArray(entry.documents)) continue;
    for (const d of entry.documents as unknown[]) {
      if (!Array.isArray(d) || typeof d[0] !== "string" || typeof d[1] !== "string") continue;
      documents.set(d[0], { id: d[0], version: d[1], replaces: d[2] === 1 });
    }
  }
  return { runId: header.run, matter: header.matter, actor: header.actor, startedAt: typeof header.startedAt === "string" ? header.startedAt : "", documents: [...documents.values()] };
}

function parseLine(line: string | undefined): Record<string, unknown> | undefined {
  if (line === undefined) return undefined;
  try {
    const value: unknown = JSON.parse(line);
    return value && typeof value === "object" && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}
