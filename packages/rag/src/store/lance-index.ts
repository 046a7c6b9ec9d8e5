import { randomUUID } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { DisposedError, LockError, acquirePidLock, acquirePidLockSync, pidLockHolder, silentLogger, writeFileAtomicSync, type ContentCipher, type DocumentKeyring, type Logger, type PidLock, type WriterGate, type WriterGateHold } from "@bear/core";
import type { Connection, Table } from "@lancedb/lancedb";
import type * as Arrow from "apache-arrow";
import { EmbedderMismatchError, IndexBusyError, IndexFormatError, IndexKeyMismatchError, StoreError } from "../errors";
import type { ChunkRecord, DocumentRecord } from "./records";
import { arrowTable, RowsBuilder, type ColumnValues, type PackedStrings } from "./arrow-columns";

export type { StoreHit } from "./chunk-layout";
import { FieldSealer } from "./field-sealer";
import { LexicalAnalyser } from "./lexical-analyser";
import { chunkColumns, chunkFields, layoutOf, searchColumns, toStoreHits, type ChunkLayout, type StoreHit } from "./chunk-layout";
import { SMALL_FRAGMENT_ROWS, worthCompacting } from "./compaction-policy";
import { boundFullTextBuildMemory } from "./full-text-memory";
import { indexedTerms, matterBm25, type MatterStatistics } from "./matter-bm25";

export interface LanceIndexOptions {
  readonly dir: string;
  /** Embedder id and size, or undefined for a lexical-only index. */
  readonly embedder?: { readonly id: string; readonly dimensions: number };
  readonly logger?: Logger;
  /** Build an ANN vector index once the chunks table has this many rows (brute force below). Default 50,000. */
  readonly vectorIndexThreshold?: number;
  /**
   * Encrypts the index at rest: chunk and document text, titles, sources, parties, dates and
   * section paths are sealed, and the full-text index holds keyed blind tokens instead of words.
   * Ids, matters, document types, offsets and vectors stay plain (they are needed to filter and rank).
   */
  readonly cipher?: ContentCipher;
  /**
   * With `cipher`: seals each document's text, titles and metadata under a data key of its own,
   * destroyed when the document is deleted (crypto-shredding). Blind search tokens stay under
   * `cipher` (one query must match every document).
   */
  readonly keyring?: DocumentKeyring;
  /** How long a write waits for another process's writes to this index (default 5 min). */
  readonly lockWaitMs?: number;
  /**
   * A lock across machines, taken after the host's pid lock (a cluster's Redis lease): several hosts
   * sharing the index folder then commit one at a time. Omit on a single machine.
   */
  readonly writerGate?: WriterGate;
}

export interface WriterLockOptions {
  /** Called once when another process holds the lock and this call starts waiting (with its pid when known). */
  readonly onWait?: (holder: number | undefined) => void;
  /** Stops waiting for the lock. */
  readonly signal?: AbortSignal;
}


/** Chunk rows encoded for the chunks table (`LanceIndex.encodeChunks`, `ChunkBatch.seal`), ready for `writeChunks` or `commitBatch`. */
export class EncodedChunks {
  #rows: Arrow.Table | undefined;
  #release: (() => void) | undefined;
  #released = false;

  constructor(
    /** Undefined for no rows. */
    rows: Arrow.Table | undefined,
    /** The index's count of deletes when the rows were encoded (sealed): a document deleted after it is not committed by `commitBatch`. */
    readonly deletesBefore = 0,
    /** Per document, the count of deletes when its rows were added to the batch, if earlier. */
    readonly deletesBeforeOf: ReadonlyMap<string, number> = new Map(),
    /** Gives the rows' buffers back to their pool (`release`). */
    release?: () => void,
  ) {
    this.#rows = rows;
    this.#release = release;
  }

  /** The rows as one Arrow table; undefined for no rows. */
  get rows(): Arrow.Table | undefined {
    if (this.#released) throw new Error("chunk rows read after their buffers were given back for another batch");
    return this.#rows;
  }

  /**
   * Gives the rows' buffers back to the pool they came from (`chunkBatch({ pool })`), for a later
   * batch to fill: once they are written (LanceDB has copied them) or will not be. `rows` then throws.
   */
  release(): void {
    if (this.#released) return;
    this.#released = true;
    this.#rows = undefined;
    const release = this.#release;
    this.#release = undefined;
    release?.();
  }

  /** The count of deletes when `documentId`'s rows were encoded: a delete of it from then on drops its commit. */
  deletesBeforeFor(documentId: string): number {
    return this.deletesBeforeOf.get(documentId) ?? this.deletesBefore;
  }
}

/**
 * Column buffers shared by the chunk batches of one ingest (`LanceIndex.chunkRowsPool`): a batch
 * takes a builder, and its buffers come back once the batch is written (`EncodedChunks.release`),
 * so a run of batches allocates them about once instead of growing new ones for every batch. Its
 * analyser remembers the ingest's words (each analysed once) until the ingest ends (`dispose`).
 */
export class ChunkRowsPool {
  readonly #free: RowsBuilder[] = [];
  /** The terms of the words of this ingest's documents, from their first sight to `dispose()`. */
  readonly analyser: LexicalAnalyser;

  constructor(
    private readonly make: () => RowsBuilder,
    /** Builders kept for reuse: an ingest has one batch filling, one queued and one being written. */
    private readonly keep = 3,
    /** The index's analyser kind (see `LexicalAnalyser`). */
    foldsAccents = false,
  ) {
    this.analyser = new LexicalAnalyser(undefined, foldsAccents);
  }

  /** Ends the ingest's use of the pool: its analyser forgets the words it has seen. */
  dispose(): void {
    this.analyser.clear();
    this.#free.length = 0;
  }

  take(): RowsBuilder {
    return this.#free.pop() ?? this.make();
  }

  give(rows: RowsBuilder): void {
    rows.reset();
    if (this.#free.length < this.keep && !this.#free.includes(rows)) this.#free.push(rows);
  }
}

/**
 * The chunk rows of a batch, encoded document by document as each is added (`LanceIndex.chunkBatch`):
 * an ingest adds a document's chunks as soon as it is prepared, so their objects die young, and
 * seals the batch once it is full.
 */
export interface ChunkBatch {
  /** Rows added so far. */
  readonly rows: number;
  /**
   * Encodes chunks (of one document, say) into the batch; on failure nothing of them is added. `searchHeaders`: see
   * `encodeChunks`; `searchTerms`: their terms from `LanceIndex.searchTerms`, when it gave some (else analysed here, at once).
   */
  add(chunks: readonly ChunkRecord[], searchHeaders?: readonly string[], searchTerms?: PackedStrings): void;
  /** The batch's rows for `commitBatch` (add no more after this). */
  seal(): EncodedChunks;
}

/**
 * A document's text as its row stores it (sealed in an encrypted index), in UTF-8
 * (`LanceIndex.storedText`): a batch holds it outside the JavaScript heap until its commit.
 */
export class StoredText {
  constructor(readonly bytes: Uint8Array) {}
}

/** A version to make visible: its document row, the text its chunks' offsets point into. */
export interface DocumentCommit {
  readonly record: DocumentRecord;
  readonly text: string | StoredText;
  readonly pageStarts: readonly number[];
  /** True when a committed version of the document exists (its chunks go once this one is visible). */
  readonly replaces: boolean;
  /**
   * `LanceIndex.deleteCount` when the ingest looked the document up (and so chose `replaces`): a
   * delete of it since then drops the commit in `commitBatch`, as one after the rows were encoded does.
   */
  readonly deletesBefore?: number;
}

/**
 * What one search reads (`LanceIndex.searchView`): the index version, which keys its cached
 * results, and the chunks table as of that version. The search gives it back with `release()`
 * when it is done (once; later calls do nothing), so a handle a newer version replaced is closed.
 */
export interface SearchView {
  readonly version: string;
  readonly chunks: Table;
  release(): void;
}

/**
 * The chunks table checked out at one version, shared by the searches that read it. Closed when a
 * newer version has replaced it and no search holds it any more (or when the index is disposed).
 */
interface CheckedOutChunks {
  readonly version: number;
  readonly table: Promise<Table>;
  /** The table once checked out. */
  opened?: Table;
  /** Views handed out and not yet released. */
  users: number;
  replaced: boolean;
}

const noRelease = (): void => undefined;

export interface StoreFilter {
  matters?: readonly string[];
  documentIds?: readonly string[];
  documentTypes?: readonly string[];
}

/**
 * The on-disk format this version writes and the newest it reads. A release refuses a newer format instead of misreading
 * it (releases before this check did not look: one of them reads a `terms`-layout index's analysed terms as text).
 */
const INDEX_FORMAT = 1;

interface IndexManifest {
  readonly format: number;
  readonly embedderId: string | null;
  readonly dimensions: number | null;
  /** Key id of the ContentCipher that sealed the index; absent or null for a plain index. */
  readonly sealedKeyId?: string | null;
  /** Random id of this index (added to manifests written before it existed): see `LanceIndex.instanceId`. */
  readonly id?: string;
  /**
   * True when the `terms` layout folds accents before stemming ("societe" finds "société"; sec14). Absent in indexes made
   * before: their terms were stemmed, then folded by LanceDB, and they keep being written and searched that way.
   */
  readonly foldsAccents?: boolean;
}

/**
 * The manifest's id, added when it has none (an index made before ids) by an atomic rename. Two
 * processes adding one at once may each keep their own: their cached results are then not shared,
 * never wrong.
 */
function manifestId(manifestPath: string, manifest: IndexManifest): string {
  if (typeof manifest.id === "string" && manifest.id.length > 0) return manifest.id;
  const id = randomUUID();
  try {
    writeFileAtomicSync(manifestPath, `${JSON.stringify({ ...manifest, id }, null, 2)}\n`, { mode: 0o600 });
  } catch {
    // a read-only folder: this process keeps the id for itself
  }
  return id;
}

const MANIFEST = "rag-index.json";
/** Held (a pid lock) by the one process writing to the index; see `withWriterLock`. */
const WRITER_LOCK = "writer.lock";
/** Columns of the chunks table with an index of their own: BM25 on searchText, scalar ones for the filters. */
const INDEXED_COLUMNS = ["searchText", "documentId", "matter", "docType"] as const;

/**
 * A new chunks table gives each row an id that compaction keeps (LanceDB's stable row ids). With row
 * addresses instead, compacting fragments that are already indexed rewrites every index too (a
 * "remap"), loading each full-text partition whole: the last upkeep of a 1 GB ingest, compacting the
 * millions of rows the earlier upkeeps had indexed, peaked there. LanceDB fixes this when a table is
 * created, so tables written before keep their addresses.
 */
const CHUNK_TABLE_STORAGE = { new_table_enable_stable_row_ids: "true" } as const;
type IndexedColumn = (typeof INDEXED_COLUMNS)[number];

/** Chunks counted per term for a matter-scoped search's statistics (see `#termFrequencies`). */
const TERM_FREQUENCY_CAP = 10_000;

/** Orders hits of equal score by chunk: document id, then ordinal. */
function byChunk(a: StoreHit, b: StoreHit): number {
  return a.chunk.documentId < b.chunk.documentId ? -1 : a.chunk.documentId > b.chunk.documentId ? 1 : a.chunk.ordinal - b.chunk.ordinal;
}

/** SQL string literal for LanceDB filters. */
export function sqlString(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}

function inList(column: string, values: readonly string[]): string {
  return values.length === 0 ? "false" : `${column} IN (${values.map(sqlString).join(", ")})`;
}

export function filterToWhere(filter: StoreFilter): string | undefined {
  const parts: string[] = [];
  if (filter.matters) parts.push(inList("matter", filter.matters));
  if (filter.documentIds) parts.push(inList("documentId", filter.documentIds));
  if (filter.documentTypes) parts.push(inList("docType", filter.documentTypes));
  return parts.length > 0 ? parts.join(" AND ") : undefined;
}

/** The pid of the live process writing to the index in `dir` (holding its writer lock), if any. */
export function indexWriterHolder(dir: string): number | undefined {
  return pidLockHolder(path.join(path.resolve(dir), WRITER_LOCK));
}

/** Releases a lease's lock once it is taken (a lock that failed to be taken has nothing to release). */
function releaseLease(lease: { readonly lock: Promise<WriterHold> }): void {
  lease.lock.then(
    (lock) => lock.release(),
    () => undefined,
  );
}

/** The writer lock as held: the host's pid lock, plus the cluster's gate when there is one. */
interface WriterHold {
  release(): void;
}

/** One hold of both locks; the gate is released first (it is the one other hosts wait on). */
function bothLocks(lock: PidLock, gate: WriterGateHold | null): WriterHold {
  if (!gate) return lock;
  return {
    release: () => {
      void gate.release().finally(() => lock.release());
    },
  };
}

function holderOf(error: LockError): number | undefined {
  const holder = error.details?.["holder"];
  return typeof holder === "number" ? holder : undefined;
}

function toDocument(row: Record<string, unknown>, fields: FieldSealer): DocumentRecord {
  return {
    id: String(row["id"]),
    version: String(row["version"]),
    matter: String(row["matter"]),
    source: fields.open(row["source"], String(row["id"])),
    title: fields.open(row["title"], String(row["id"])),
    type: String(row["type"]) as DocumentRecord["type"],
    pageCount: Number(row["pageCount"]),
    contentHash: String(row["contentHash"]),
    bytes: Number(row["bytes"]),
    chars: Number(row["chars"]),
    chunkCount: Number(row["chunkCount"]),
    dates: JSON.parse(fields.open(row["dates"], String(row["id"]))) as string[],
    parties: JSON.parse(fields.open(row["parties"], String(row["id"]))) as string[],
    ingestedAt: String(row["ingestedAt"]),
    scrubbed: Boolean(row["scrubbed"]),
    ...parseOcr(row["ocr"]),
  };
}

/** The `ocr` column: JSON of `DocumentRecord.ocr`, or "" for a document with no OCRed page. */
function parseOcr(value: unknown): Pick<DocumentRecord, "ocr"> {
  if (typeof value !== "string" || value === "") return {};
  return { ocr: JSON.parse(value) as NonNullable<DocumentRecord["ocr"]> };
}

/**
 * The index on LanceDB: a `documents` table (one row per committed document, with its text)
 * and a `chunks` table (text, offsets, section path, optional vector) with a BM25 full-text
 * index. A document becomes visible only when its row is committed, after all of its chunks
 * are written; chunks of uncommitted versions are invisible and removed by `recover()`.
 *
 * Several processes may open one index (a CLI command beside a running server). One of them
 * writes at a time, holding `writer.lock`; readers never wait, and see other processes' commits
 * after `refresh()`. Recovery runs only under the writer lock, so it never removes the chunks of
 * an ingest another process has in flight.
 */
export class LanceIndex {
  readonly dir: string;
  /**
   * Random id of the index, kept in its manifest: it changes when the folder is removed and made
   * again (whose LanceDB versions start over), so it and `version()` key cached search results.
   */
  readonly instanceId: string;
  readonly embedder: { readonly id: string; readonly dimensions: number } | undefined;
  readonly #logger: Logger;
  readonly #db: Connection;
  readonly #documents: Table;
  readonly #chunks: Table;
  readonly #committed = new Map<string, DocumentRecord>();
  readonly #vectorIndexThreshold: number;
  readonly #fields: FieldSealer;
  /** apache-arrow as this package loads it (LanceDB sanitises tables built with another copy). */
  readonly #arrow: typeof Arrow;
  readonly #schemas: { readonly documents: Arrow.Schema; readonly chunks: Arrow.Schema };
  readonly #layout: ChunkLayout;
  /**
   * Turns a query's text into terms in the `terms` layout, and forgets its words at once (`lexical`).
   * An ingest's batches have their own analyser, forgotten when the ingest ends (`chunkRowsPool`).
   */
  readonly #queryAnalyser: LexicalAnalyser;
  /** Accents are folded before stemming in this index's terms (`IndexManifest.foldsAccents`). */
  readonly #foldsAccents: boolean;
  /** What a search reads, in one pass: ranking needs the ids and offsets, the kept hits their text (cheaper than a second read of the kept rows). */
  readonly #searchColumns: readonly string[];
  #ftsReady = false;
  /** The documents table version `#committed` reflects. */
  #documentsVersion = -1;
  /** The chunks table checked out at the newest version a search has read (`searchView`). */
  #pinned: CheckedOutChunks | undefined;
  /** Older checked-out versions some search still reads (closed on its release). */
  readonly #replaced = new Set<CheckedOutChunks>();
  readonly #lockWaitMs: number;
  /** This instance's hold of the writer lock, shared by its concurrent and nested writers. */
  #lease: { count: number; readonly lock: Promise<WriterHold> } | undefined;
  readonly #writerGate: WriterGate | undefined;
  #writes: Promise<unknown> = Promise.resolve();
  #disposed = false;
  /** Deletes run by this instance, and the count at each document's last delete (see `commitBatch`). */
  #deletes = 0;
  readonly #deletedAt = new Map<string, number>();
  /** Indexed terms of each committed document version's chunks, summed (`#matterStatistics`), keyed `id\0version`. */
  readonly #searchLengths = new Map<string, number>();
  /** Chunks of the searched matters holding a term, keyed by chunks version, matters and term (`#termFrequencies`). */
  #frequencies: { version: string; counts: Map<string, number> } = { version: "", counts: new Map() };

  private constructor(init: {
    dir: string;
    instanceId: string;
    embedder: LanceIndexOptions["embedder"];
    logger: Logger;
    db: Connection;
    documents: Table;
    chunks: Table;
    threshold: number;
    cipher: ContentCipher | undefined;
    keyring?: DocumentKeyring | undefined;
    lockWaitMs: number;
    writerGate: WriterGate | undefined;
    arrow: typeof Arrow;
    schemas: { documents: Arrow.Schema; chunks: Arrow.Schema };
    layout: ChunkLayout;
    foldsAccents: boolean;
  }) {
    this.dir = init.dir;
    this.instanceId = init.instanceId;
    this.embedder = init.embedder;
    this.#logger = init.logger;
    this.#db = init.db;
    this.#documents = init.documents;
    this.#chunks = init.chunks;
    this.#vectorIndexThreshold = init.threshold;
    this.#fields = new FieldSealer(init.cipher, init.keyring);
    this.#lockWaitMs = init.lockWaitMs;
    this.#writerGate = init.writerGate;
    this.#arrow = init.arrow;
    this.#schemas = init.schemas;
    this.#layout = init.layout;
    this.#searchColumns = searchColumns(init.layout);
    this.#foldsAccents = init.foldsAccents;
    this.#queryAnalyser = new LexicalAnalyser(undefined, init.foldsAccents);
  }

  /** Deletes this instance has run so far: taken before a document is looked up for an ingest (`DocumentCommit.deletesBefore`). */
  get deleteCount(): number {
    return this.#deletes;
  }

  /** True when the index is encrypted at rest. */
  get sealed(): boolean {
    return this.#fields.sealed;
  }

  static async open(options: LanceIndexOptions): Promise<LanceIndex> {
    const dir = path.resolve(options.dir);
    const logger = (options.logger ?? silentLogger).child({ name: "rag:LanceIndex" });
    fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
    const manifestPath = path.join(dir, MANIFEST);
    let instanceId: string = randomUUID();
    const wanted: IndexManifest = {
      format: INDEX_FORMAT,
      embedderId: options.embedder?.id ?? null,
      dimensions: options.embedder?.dimensions ?? null,
      sealedKeyId: options.cipher?.keyId ?? null,
      id: instanceId,
      foldsAccents: true,
    };
    let foldsAccents = true;
    if (fs.existsSync(manifestPath)) {
      const existing = JSON.parse(fs.readFileSync(manifestPath, "utf8")) as IndexManifest;
      const format: unknown = existing.format;
      if (format !== undefined && !(Number.isInteger(format) && (format as number) >= 1 && (format as number) <= INDEX_FORMAT)) throw new IndexFormatError(dir, format, INDEX_FORMAT);
      if ((existing.sealedKeyId ?? null) !== wanted.sealedKeyId) throw new IndexKeyMismatchError(dir, existing.sealedKeyId ?? null, wanted.sealedKeyId ?? null);
      if (existing.embedderId !== wanted.embedderId || existing.dimensions !== wanted.dimensions) {
        throw new EmbedderMismatchError(dir, existing.embedderId ?? "lexical-only", wanted.embedderId ?? "lexical-only");
      }
      instanceId = manifestId(manifestPath, existing);
      foldsAccents = existing.foldsAccents === true;
      if (!foldsAccents) logger.info({ dir }, "this index was made before accent folding: 'societe' does not find 'société' in it. Ingest the documents into a new index for that (a new index folder); this one keeps working as before");
    } else {
      // atomic: a process opening the index at the same moment reads the whole manifest or none, never an empty file
      writeFileAtomicSync(manifestPath, `${JSON.stringify(wanted, null, 2)}\n`, { mode: 0o600 });
    }
    try {
      // Before LanceDB's first full-text build in this process, which reads the bound once.
      boundFullTextBuildMemory();
      const lancedb = await import("@lancedb/lancedb");
      const arrow = await import("apache-arrow");
      // Every read checks for other processes' commits (a manifest lookup, tens of microseconds).
      const db = await lancedb.connect(path.join(dir, "lance"), { readConsistencyInterval: 0 });
      const { Field, Schema: ArrowSchema, Utf8, Int32, Float64, Bool } = arrow;
      const documentsSchema: Arrow.Schema = new ArrowSchema([
        new Field("id", new Utf8()), new Field("version", new Utf8()), new Field("matter", new Utf8()), new Field("source", new Utf8()),
        new Field("title", new Utf8()), new Field("type", new Utf8()), new Field("pageCount", new Int32()), new Field("contentHash", new Utf8()),
        new Field("bytes", new Float64()), new Field("chars", new Int32()), new Field("chunkCount", new Int32()), new Field("dates", new Utf8()),
        new Field("parties", new Utf8()), new Field("ingestedAt", new Utf8()), new Field("scrubbed", new Bool()), new Field("pageStarts", new Utf8()),
        new Field("text", new Utf8()), new Field("ocr", new Utf8()),
      ]);
      const documents = await db.createEmptyTable("documents", documentsSchema, { mode: "create", existOk: true });
      // An index written before keeps its chunk layout; a new one stores analysed terms (see chunk-layout.ts).
      const dimensions = options.embedder?.dimensions;
      const existing = (await db.tableNames()).includes("chunks") ? await db.openTable("chunks") : undefined;
      const layout = existing ? layoutOf(await existing.schema()) : "terms";
      const chunksSchema = new ArrowSchema(chunkFields(arrow, layout, dimensions));
      const chunks = existing ?? (await db.createEmptyTable("chunks", chunksSchema, { mode: "create", existOk: true, storageOptions: { ...CHUNK_TABLE_STORAGE } }));
      // Indexes made before OCR existed lack the `ocr` column: add it, empty (no page was OCRed).
      if (!(await documents.schema()).fields.some((f) => f.name === "ocr")) await documents.addColumns([{ name: "ocr", valueSql: "''" }]);
      const index = new LanceIndex({ dir, instanceId, embedder: options.embedder, logger, db, documents, chunks, threshold: options.vectorIndexThreshold ?? 50_000, cipher: options.cipher, keyring: options.keyring, lockWaitMs: options.lockWaitMs ?? 5 * 60_000, writerGate: options.writerGate, arrow, schemas: { documents: documentsSchema, chunks: chunksSchema }, layout, foldsAccents: foldsAccents && layout === "terms" });
      await index.#load();
      return index;
    } catch (error) {
      if (error instanceof EmbedderMismatchError) throw error;
      throw new StoreError("open", dir, error);
    }
  }

  async #load(): Promise<void> {
    this.#documentsVersion = await this.#documents.version();
    const rows = await this.#documents
      .query()
      .select(["id", "version", "matter", "source", "title", "type", "pageCount", "contentHash", "bytes", "chars", "chunkCount", "dates", "parties", "ingestedAt", "scrubbed", "ocr"])
      .toArray();
    this.#committed.clear();
    for (const row of rows) this.#committed.set(String(row.id), toDocument(row as Record<string, unknown>, this.#fields));
    this.#ftsReady = (await this.#chunks.listIndices()).some((i) => i.columns.includes("searchText"));
  }

  #check(): void {
    if (this.#disposed) throw new DisposedError(`LanceIndex '${this.dir}'`);
  }

  /** A write: under the writer lock, one at a time in this instance. */
  #write<T>(operation: string, fn: () => Promise<T>): Promise<T> {
    return this.withWriterLock(() => this.#serialised(operation, fn, true));
  }

  /** Serialises writes (and reloads): LanceDB commits are optimistic, and one writer at a time keeps them simple. */
  #serialised<T>(operation: string, fn: () => Promise<T>, locked = false): Promise<T> {
    const step = async (): Promise<T> => {
      const result = await fn();
      // Under the writer lock only this process commits: the new version is ours, already in #committed.
      if (locked) this.#documentsVersion = await this.#documents.version();
      return result;
    };
    const run = this.#writes.then(step, step).catch((error: unknown) => {
      throw error instanceof StoreError || error instanceof IndexBusyError ? error : new StoreError(operation, this.dir, error);
    });
    this.#writes = run.catch(() => undefined);
    return run;
  }

  /**
   * Runs `fn` holding the index's cross-process writer lock: nested and concurrent calls of this
   * instance share one hold; another process waits up to `lockWaitMs`, then fails with
   * RAG_INDEX_BUSY. The view of committed documents is brought up to date when the lock is taken,
   * so decisions such as "is this file already indexed?" see other processes' commits.
   */
  async withWriterLock<T>(fn: () => Promise<T>, options: WriterLockOptions = {}): Promise<T> {
    this.#check();
    const lease = (this.#lease ??= { count: 0, lock: this.#takeWriterLock(options) });
    lease.count++;
    try {
      await lease.lock;
      return await fn();
    } finally {
      lease.count--;
      if (lease.count === 0) {
        if (this.#lease === lease) this.#lease = undefined;
        releaseLease(lease);
      }
    }
  }

  /**
   * Runs `fn` under the writer lock if this instance holds it or it is free now; returns undefined
   * without running it when another process holds it (that writer will do the work).
   */
  async tryWithWriterLock<T>(fn: () => Promise<T>): Promise<T | undefined> {
    this.#check();
    if (this.#lease) return this.withWriterLock(fn);
    const pid = this.#tryWriterLock();
    if (!("release" in pid)) return undefined;
    let gate: WriterGateHold | undefined | null = null;
    try {
      gate = this.#writerGate ? await this.#writerGate.tryAcquire() : null;
    } catch (error) {
      pid.release();
      throw new StoreError("take the cluster writer lock", this.dir, error);
    }
    if (gate === undefined) {
      pid.release();
      return undefined;
    }
    if (this.#lease) {
      // another call of this instance took the lock meanwhile: share its hold
      bothLocks(pid, gate).release();
      return this.withWriterLock(fn);
    }
    const lease = { count: 1, lock: Promise.resolve(bothLocks(pid, gate)) };
    this.#lease = lease;
    try {
      await this.#serialised("refresh", () => this.#reloadIfChanged());
      return await fn();
    } finally {
      lease.count--;
      if (lease.count === 0) {
        if (this.#lease === lease) this.#lease = undefined;
        releaseLease(lease);
      }
    }
  }

  /** The writer lock if it is free now, else who holds it (its pid, when known). */
  #tryWriterLock(): PidLock | { readonly holder: number | undefined } {
    try {
      return acquirePidLockSync(path.join(this.dir, WRITER_LOCK), { what: `the index '${this.dir}'` });
    } catch (error) {
      if (error instanceof LockError && error.code === "LOCK_BUSY") return { holder: holderOf(error) };
      throw new StoreError("take the writer lock", this.dir, error);
    }
  }

  async #takeWriterLock(options: WriterLockOptions): Promise<WriterHold> {
    let lock: PidLock;
    const now = this.#tryWriterLock();
    if ("release" in now) {
      lock = now;
    } else {
      this.#logger.info({ holder: now.holder }, "waiting for another process writing to this index");
      options.onWait?.(now.holder);
      try {
        lock = await acquirePidLock(path.join(this.dir, WRITER_LOCK), { what: `the index '${this.dir}'`, waitMs: this.#lockWaitMs, pollMs: 25, ...(options.signal ? { signal: options.signal } : {}) });
      } catch (error) {
        if (error instanceof LockError && error.code === "LOCK_BUSY") throw new IndexBusyError(this.dir, holderOf(error), this.#lockWaitMs, error);
        throw new StoreError("take the writer lock", this.dir, error);
      }
    }
    let hold: WriterHold;
    try {
      hold = bothLocks(lock, await this.#takeGate(options));
    } catch (error) {
      lock.release();
      throw error;
    }
    try {
      await this.#serialised("refresh", () => this.#reloadIfChanged());
    } catch (error) {
      hold.release();
      throw error;
    }
    return hold;
  }

  /** The cluster's gate (after the host lock), or null on a single machine. */
  async #takeGate(options: WriterLockOptions): Promise<WriterGateHold | null> {
    const gate = this.#writerGate;
    if (!gate) return null;
    try {
      return await gate.acquire({
        waitMs: this.#lockWaitMs,
        ...(options.signal ? { signal: options.signal } : {}),
        onWait: (holder) => {
          this.#logger.info({ holder, gate: gate.description }, "waiting for another machine writing to this index");
          options.onWait?.(undefined);
        },
      });
    } catch (error) {
      if (error instanceof LockError && error.code === "LOCK_BUSY") throw new IndexBusyError(this.dir, undefined, this.#lockWaitMs, error);
      throw new StoreError("take the cluster writer lock", this.dir, error);
    }
  }

  /**
   * Brings the view of committed documents up to date with other processes' commits (a cheap
   * version check when nothing changed). Searches call it; call it before `documents()` in a
   * long-lived process that shares the index with others.
   */
  async refresh(): Promise<boolean> {
    this.#check();
    if ((await this.#documents.version()) === this.#documentsVersion) return false;
    return this.#serialised("refresh", () => this.#reloadIfChanged());
  }

  async #reloadIfChanged(): Promise<boolean> {
    if ((await this.#documents.version()) === this.#documentsVersion) return false;
    await this.#load();
    return true;
  }

  /**
   * The version of what search reads: both tables' LanceDB versions. Any commit, delete, chunk
   * write or index build (here or in another process) changes it, so it keys cached search results.
   */
  async version(): Promise<string> {
    this.#check();
    const [documents, chunks] = await Promise.all([this.#documents.version(), this.#chunks.version()]);
    return `${documents}.${chunks}`;
  }

  /**
   * `refresh()` then `version()`, reading each table's version once, and the chunks as of that
   * version for the search's queries (`lexical`, `vector`).
   */
  async searchView(): Promise<SearchView> {
    this.#check();
    const [documents, chunks] = await Promise.all([this.#documents.version(), this.#chunks.version()]);
    if (documents !== this.#documentsVersion) await this.#serialised("refresh", () => this.#reloadIfChanged());
    return this.#viewAt(`${documents}.${chunks}`, chunks);
  }

  /**
   * A view of the chunks table checked out at `chunksVersion`, one handle shared by the searches that
   * read that version. A checked-out table is read without the check for newer versions LanceDB
   * otherwise makes before every query (`readConsistencyInterval: 0`; ~0.2 ms of CPU per query at
   * 100k chunks); the version was just read, so nothing newer is missed. Opening one costs ~0.4 ms,
   * once per version. The handle a newer version replaces is closed as soon as the last search
   * reading it releases its view. An older version than the checked-out one (a search that read it
   * before another's newer read), or a failure to check out, reads the table itself, as before.
   */
  async #viewAt(version: string, chunksVersion: number): Promise<SearchView> {
    let pinned = this.#pinned;
    if (pinned && pinned.version > chunksVersion) return { version, chunks: this.#chunks, release: noRelease };
    if (pinned?.version !== chunksVersion) {
      if (pinned) this.#retire(pinned);
      const checkedOut: CheckedOutChunks = {
        version: chunksVersion,
        table: this.#db.openTable("chunks").then(async (t) => {
          try {
            await t.checkout(chunksVersion);
          } catch (error) {
            t.close();
            throw error;
          }
          // replaced and given back by every search before it was even opened
          if (checkedOut.replaced && checkedOut.users === 0) t.close();
          return (checkedOut.opened = t);
        }),
        users: 0,
        replaced: false,
      };
      this.#pinned = pinned = checkedOut;
    }
    const held = pinned;
    held.users++;
    let released = false;
    const release = (): void => {
      if (released) return;
      released = true;
      held.users--;
      if (held.replaced && held.users === 0) this.#close(held);
    };
    try {
      return { version, chunks: await held.table, release };
    } catch (error) {
      release();
      this.#logger.debug({ version: chunksVersion, error: (error as Error).message }, "could not check out the chunks table; searching its latest version");
      return { version, chunks: this.#chunks, release: noRelease };
    }
  }

  /** A checked-out version a newer one replaced: closed now, or by the last search reading it. */
  #retire(checkedOut: CheckedOutChunks): void {
    checkedOut.replaced = true;
    if (checkedOut.users === 0) this.#close(checkedOut);
    else this.#replaced.add(checkedOut);
  }

  /** Closes it at once when open; one still being opened closes itself when it is (see `#viewAt`). */
  #close(checkedOut: CheckedOutChunks): void {
    this.#replaced.delete(checkedOut);
    if (checkedOut.opened?.isOpen()) checkedOut.opened.close();
  }

  /**
   * `read` on a search view's table. When that fails and the view's version is no longer the
   * latest, it was most likely removed meanwhile (an optimize, here or in another process, prunes
   * versions older than a minute, data files included): the read runs once more on the latest.
   */
  async #onView<T>(view: SearchView | undefined, read: (table: Table) => Promise<T>): Promise<T> {
    const table = view?.chunks ?? this.#chunks;
    try {
      return await read(table);
    } catch (error) {
      if (table === this.#chunks || (await table.version()) === (await this.#chunks.version())) throw error;
      this.#logger.debug({ error: (error as Error).message }, "a search's version of the chunks table could not be read; reading the latest");
      return read(this.#chunks);
    }
  }

  /** Committed documents (visible to search). */
  documents(): DocumentRecord[] {
    return [...this.#committed.values()];
  }

  document(id: string): DocumentRecord | undefined {
    return this.#committed.get(id);
  }

  isVisible(chunk: Pick<ChunkRecord, "documentId" | "version">): boolean {
    return this.#committed.get(chunk.documentId)?.version === chunk.version;
  }

  /** The extracted text and page starts of a committed document (undefined once it is deleted). */
  async documentText(id: string): Promise<{ text: string; pageStarts: number[] } | undefined> {
    for await (const d of this.#texts([id], 1, ["pageStarts"])) return { text: d.text, pageStarts: JSON.parse(String(d.row["pageStarts"])) as number[] };
    return undefined;
  }

  /** The extracted texts of committed documents, one store query per `batch` of them (a document gone meanwhile is skipped). */
  async *documentTexts(ids: readonly string[], batch = 64): AsyncGenerator<{ id: string; version: string; text: string }> {
    for await (const { id, text, row } of this.#texts(ids, batch, ["version"])) yield { id, version: String(row["version"]), text };
  }

  async *#texts(ids: readonly string[], batch: number, columns: readonly string[]): AsyncGenerator<{ id: string; text: string; row: Record<string, unknown> }> {
    this.#check();
    for (let i = 0; i < ids.length; i += batch) {
      const rows = await this.#documents.query().where(inList("id", ids.slice(i, i + batch))).select(["id", "text", ...columns]).toArray();
      for (const row of rows as Record<string, unknown>[]) {
        const id = String(row["id"]);
        const text = this.#openCommittedText(id, row["text"]);
        if (text !== undefined) yield { id, text, row };
      }
    }
  }

  /**
   * The text of a document still committed, or undefined once deleted: a delete while the reader
   * waits shreds the document's key (the open then throws DATA_KEY_DESTROYED), which skips it.
   */
  #openCommittedText(id: string, sealed: unknown): string | undefined {
    if (!this.#committed.has(id)) return undefined;
    try {
      return this.#fields.open(sealed, id);
    } catch (error) {
      if ((error as { code?: unknown }).code === "DATA_KEY_DESTROYED") return undefined;
      throw error;
    }
  }

  /**
   * Step 0 of a commit, outside the write queue: the Arrow rows of chunks (of one document or of a
   * whole batch), so an ingest encodes batch N+1 on its thread while LanceDB writes batch N on its
   * own. BM25 indexes `searchHeaders[i]` (file name, title, parties, section path; ending with a
   * newline, or "") followed by chunk i's text.
   */
  encodeChunks(chunks: readonly ChunkRecord[], searchHeaders: readonly string[] = chunks.map(() => "")): EncodedChunks {
    const batch = this.chunkBatch({ exact: true });
    batch.add(chunks, searchHeaders);
    return batch.seal();
  }

  /** A document's text as `commitBatch` stores it, encoded now (sealed under the document's key in an encrypted index). */
  storedText(text: string, documentId: string): StoredText {
    this.#check();
    return new StoredText(Buffer.from(this.#fields.seal(text, documentId), "utf8"));
  }

  /**
   * The BM25 terms of chunks (`searchHeaders`: see `encodeChunks`) for `ChunkBatch.add`, analysed a
   * slice at a time with a turn of the event loop between slices (`LexicalAnalyser.packInSlices`): a
   * large document's analysis does not hold the main thread for tens of milliseconds. Undefined
   * where the index stores no analysed terms (the layouts written before, a sealed index). `pool`:
   * the ingest's (its analyser remembers the ingest's words); without one, the words are forgotten
   * once analysed.
   */
  async searchTerms(chunks: readonly ChunkRecord[], searchHeaders: readonly string[], pool?: ChunkRowsPool): Promise<PackedStrings | undefined> {
    this.#check();
    if (this.#fields.sealed || this.#layout !== "terms") return undefined;
    const analyser = pool?.analyser ?? new LexicalAnalyser(undefined, this.#foldsAccents);
    try {
      return await analyser.packInSlices(searchHeaders, chunks.map((c) => c.text));
    } finally {
      if (!pool) analyser.clear();
    }
  }

  /** Column buffers for the chunk batches of one ingest (`chunkBatch({ pool })`). */
  chunkRowsPool(): ChunkRowsPool {
    this.#check();
    const schema = this.#schemas.chunks;
    return new ChunkRowsPool(() => new RowsBuilder(this.#arrow, schema, { reusable: true }), undefined, this.#foldsAccents);
  }

  /**
   * `encodeChunks` a document at a time: rows added to one growing set of column buffers outside
   * the JavaScript heap (see `ChunkBatch`). `exact`: one add of all the rows. `pool`: the buffers
   * come from it, and go back to it when the sealed rows are released (`EncodedChunks.release`).
   */
  chunkBatch(options: { readonly exact?: boolean; readonly pool?: ChunkRowsPool } = {}): ChunkBatch {
    this.#check();
    const { pool } = options;
    const rows = pool ? pool.take() : new RowsBuilder(this.#arrow, this.#schemas.chunks, options);
    // Without a pool (an ingest's), the batch's words are remembered until it is sealed.
    const analyser = pool ? pool.analyser : new LexicalAnalyser(undefined, this.#foldsAccents);
    const dimensions = this.embedder?.dimensions;
    // A document's rows are sealed under its key when added: a delete from then on (which destroys the key) drops its commit.
    const deletesBefore = new Map<string, number>();
    return {
      get rows() {
        return rows.length;
      },
      add: (chunks, searchHeaders = chunks.map(() => ""), searchTerms) => {
        this.#check();
        if (chunks.length === 0) return;
        const columns: Record<string, ColumnValues> = chunkColumns(this.#layout, chunks, searchHeaders, this.#fields, analyser, searchTerms);
        if (dimensions !== undefined) columns["vector"] = chunks.map((c) => c.vector ?? new Float32Array(dimensions));
        rows.append(columns, chunks.length);
        for (const c of chunks) if (!deletesBefore.has(c.documentId)) deletesBefore.set(c.documentId, this.#deletes);
      },
      seal: () => {
        if (!pool) analyser.clear();
        return new EncodedChunks(rows.length > 0 ? rows.table() : undefined, this.#deletes, deletesBefore, pool ? () => pool.give(rows) : undefined);
      },
    };
  }

  /**
   * Step 1 of a commit: writes the chunks of (not yet visible) versions, of one document or of a
   * whole batch, in one LanceDB commit. Until step 2 they are invisible to search.
   */
  async writeChunks(chunks: readonly ChunkRecord[] | EncodedChunks, searchHeaders?: readonly string[]): Promise<void> {
    const encoded = chunks instanceof EncodedChunks ? chunks : this.encodeChunks(chunks, searchHeaders);
    this.#check();
    const { rows } = encoded;
    if (!rows) return;
    await this.#write("writeChunks", async () => {
      await this.#ensureFullTextIndex();
      await this.#chunks.add(rows);
    });
  }

  /**
   * The full-text index exists from the first write on (empty at first): rows written since the
   * last `optimize()` are then searched without the index (a flat scan LanceDB runs beside it,
   * with the index's own analyser), so search is right between commits.
   */
  async #ensureFullTextIndex(): Promise<void> {
    if (this.#ftsReady) return;
    await this.#buildIndex("searchText");
    this.#ftsReady = true;
  }

  /** Builds (or rebuilds, over every row) the index of one column. */
  async #buildIndex(column: IndexedColumn): Promise<void> {
    const lancedb = await import("@lancedb/lancedb");
    // Blind tokens are already normalised terms: stemming or folding them would only corrupt them.
    // Terms (the `terms` layout) are stemmed already: LanceDB drops their stop words and folds them,
    // which follow stemming in its analyser (see LexicalAnalyser).
    const analyse = !this.#fields.sealed;
    const stem = analyse && this.#layout !== "terms";
    const config =
      column === "searchText"
        ? lancedb.Index.fts({ withPosition: false, stem, removeStopWords: analyse, lowercase: analyse, asciiFolding: analyse })
        : column === "documentId"
          ? lancedb.Index.btree()
          : lancedb.Index.bitmap();
    await this.#chunks.createIndex(column, { config, replace: true });
  }

  /**
   * Step 2: makes versions visible in one atomic commit (one merge-insert of all their document
   * rows), then removes the chunks of the versions they replace. A crash before the merge-insert
   * leaves none of them visible; after it, all of them.
   */
  async commitDocuments(commits: readonly DocumentCommit[]): Promise<void> {
    this.#check();
    if (commits.length === 0) return;
    await this.#write("commitDocuments", () => this.#commitRows(commits));
  }

  /**
   * Steps 1 and 2 of a batch as one write (no delete of this instance runs between them): writes
   * `encoded`, calls `onChunksWritten`, then commits the versions of `commits` whose document was
   * not deleted since `encoded` was sealed (or since the commit's `deletesBefore`, when the ingest
   * looked the document up). The chunks of those (written under a document key the delete
   * destroyed) are removed again; they are returned, not committed.
   */
  async commitBatch(encoded: EncodedChunks, commits: readonly DocumentCommit[], onChunksWritten?: () => void): Promise<DocumentCommit[]> {
    this.#check();
    return this.#write("commitBatch", async () => {
      const deleted = (c: DocumentCommit): boolean => (this.#deletedAt.get(c.record.id) ?? -1) >= Math.min(c.deletesBefore ?? Infinity, encoded.deletesBeforeFor(c.record.id));
      const dropped = commits.filter(deleted);
      const kept = commits.filter((c) => !deleted(c));
      if (encoded.rows && kept.length > 0) {
        await this.#ensureFullTextIndex();
        await this.#chunks.add(encoded.rows);
      }
      onChunksWritten?.();
      if (kept.length > 0) await this.#commitRows(kept);
      if (kept.length > 0 && dropped.length > 0) {
        await this.#chunks.delete(dropped.map((c) => `(documentId = ${sqlString(c.record.id)} AND version = ${sqlString(c.record.version)})`).join(" OR "));
      }
      return dropped;
    });
  }

  /** The body of a commit (in the write queue): one merge-insert of the document rows, then the replaced versions' chunks go. */
  async #commitRows(commits: readonly DocumentCommit[]): Promise<void> {
    {
      const f = this.#fields;
      const docs = commits.map((c) => c.record);
      const columns: Record<string, ColumnValues> = {
        id: docs.map((d) => d.id),
        version: docs.map((d) => d.version),
        matter: docs.map((d) => d.matter),
        source: docs.map((d) => f.seal(d.source, d.id)),
        title: docs.map((d) => f.seal(d.title, d.id)),
        type: docs.map((d) => d.type),
        pageCount: docs.map((d) => d.pageCount),
        contentHash: docs.map((d) => d.contentHash),
        bytes: docs.map((d) => d.bytes),
        chars: docs.map((d) => d.chars),
        chunkCount: docs.map((d) => d.chunkCount),
        dates: docs.map((d) => f.seal(JSON.stringify(d.dates), d.id)),
        parties: docs.map((d) => f.seal(JSON.stringify(d.parties), d.id)),
        ingestedAt: docs.map((d) => d.ingestedAt),
        scrubbed: docs.map((d) => d.scrubbed),
        pageStarts: commits.map((c) => JSON.stringify(c.pageStarts)),
        text: commits.map((c) => (c.text instanceof StoredText ? c.text.bytes : f.seal(c.text, c.record.id))),
        ocr: docs.map((d) => (d.ocr ? JSON.stringify(d.ocr) : "")),
      };
      const rows = arrowTable(this.#arrow, this.#schemas.documents, columns, commits.length);
      // New documents only (a first ingest): a plain append, one commit like the merge-insert, without its join against every stored row.
      if (commits.some((c) => c.replaces)) await this.#documents.mergeInsert("id").whenMatchedUpdateAll().whenNotMatchedInsertAll().execute(rows);
      else await this.#documents.add(rows);
      for (const c of commits) this.#committed.set(c.record.id, c.record);
      // A brand-new document has no older chunks (leftovers of a crash are removed by recover()).
      const replaced = commits.filter((c) => c.replaces).map((c) => `(documentId = ${sqlString(c.record.id)} AND version <> ${sqlString(c.record.version)})`);
      if (replaced.length > 0) await this.#chunks.delete(replaced.join(" OR "));
    }
  }

  /** `commitDocuments` for one document. */
  async commitDocument(doc: DocumentRecord, text: string, pageStarts: readonly number[], replaces = true): Promise<void> {
    await this.commitDocuments([{ record: doc, text, pageStarts, replaces }]);
  }

  /** Removes a document: first its row (invisible at once), then its chunks. */
  async deleteDocument(id: string): Promise<boolean> {
    this.#check();
    return this.#write("deleteDocument", async () => {
      const existed = this.#committed.has(id);
      await this.#documents.delete(`id = ${sqlString(id)}`);
      this.#committed.delete(id);
      await this.#chunks.delete(`documentId = ${sqlString(id)}`);
      this.#fields.shred(id);
      // Chunks encoded before this point were sealed under the destroyed key: commitBatch drops them.
      this.#deletedAt.set(id, this.#deletes++);
      return existed;
    });
  }

  /** Deletes the chunks of uncommitted versions (after a failed write), in one delete. */
  async discardVersions(versions: readonly Pick<ChunkRecord, "documentId" | "version">[]): Promise<void> {
    this.#check();
    const uncommitted = versions.filter((v) => !this.isVisible(v));
    if (uncommitted.length === 0) return;
    const where = uncommitted.map((v) => `(documentId = ${sqlString(v.documentId)} AND version = ${sqlString(v.version)})`).join(" OR ");
    await this.#write("discardVersions", () => this.#chunks.delete(where));
  }

  /**
   * Deletes chunks left by an interrupted ingest (versions no committed document points at) and
   * returns how many. Skipped (returns 0) while another process holds the writer lock: those
   * chunks may be its ingest in flight.
   */
  async recover(): Promise<number> {
    this.#check();
    if (this.#lease) return this.#write("recover", () => this.#removeOrphans());
    const lock = this.#tryWriterLock();
    if (!("release" in lock)) {
      this.#logger.info({ holder: lock.holder }, "another process is writing to this index: recovery left to it");
      return 0;
    }
    try {
      return await this.#serialised(
        "recover",
        async () => {
          await this.#reloadIfChanged();
          return this.#removeOrphans();
        },
        true,
      );
    } finally {
      lock.release();
    }
  }

  async #removeOrphans(): Promise<number> {
    const versions = [...this.#committed.values()].map((d) => d.version);
    const where = versions.length === 0 ? "true" : `NOT (${inList("version", versions)})`;
    const orphans = await this.#chunks.countRows(where);
    if (orphans > 0) {
      await this.#chunks.delete(where);
      this.#logger.info({ orphans }, "removed chunks of interrupted ingests");
    }
    return orphans;
  }

  /**
   * Index upkeep, run once per ingest rather than per document. When the rows written since the
   * last upkeep outnumber the indexed ones (a first ingest), the full-text index is rebuilt in one
   * pass, as LanceDB does it when data is loaded; otherwise LanceDB's optimize folds them into the
   * indices. The vector index is built once the table is big enough. Files are compacted (and
   * versions older than a minute pruned) only once small fragments pile up: a batch writes one
   * fragment of thousands of rows, so compaction is rarely worth rewriting the table.
   */
  async optimize(): Promise<void> {
    this.#check();
    await this.#write("optimize", async () => {
      const lancedb = await import("@lancedb/lancedb");
      const rows = await this.#chunks.countRows();
      if (rows === 0) return;
      const indexed = async (column: string): Promise<{ numIndexedRows: number; numUnindexedRows: number } | undefined> => {
        const index = (await this.#chunks.listIndices()).find((i) => i.columns.includes(column));
        return index ? this.#chunks.indexStats(index.name) : undefined;
      };
      // Filters (matter isolation, the second, per-document pass of lexical search) go through
      // scalar indices: without them every filtered query scans the column.
      for (const column of INDEXED_COLUMNS) {
        const stats = await indexed(column);
        if (!stats || stats.numUnindexedRows > stats.numIndexedRows) await this.#buildIndex(column);
      }
      this.#ftsReady = true;
      if (this.embedder && rows >= this.#vectorIndexThreshold && !(await indexed("vector"))) {
        try {
          await this.#chunks.createIndex("vector", { config: lancedb.Index.ivfPq({ distanceType: "cosine" }) });
          this.#logger.info({ rows }, "built the IVF-PQ vector index");
        } catch (error) {
          // Brute-force search keeps working; the next optimize() tries again.
          this.#logger.warn({ rows, error: (error as Error).message }, "could not build the vector index yet");
        }
      }
      const behind = (await Promise.all([...INDEXED_COLUMNS, "vector"].map(indexed))).some((s) => s !== undefined && s.numUnindexedRows > 0);
      const cleanupOlderThan = new Date(Date.now() - 60_000);
      if (behind || worthCompacting(await this.#chunks.stats(), SMALL_FRAGMENT_ROWS.chunks)) await this.#chunks.optimize({ cleanupOlderThan });
      if (worthCompacting(await this.#documents.stats(), SMALL_FRAGMENT_ROWS.documents)) await this.#documents.optimize({ cleanupOlderThan });
    });
  }

  /** Names of the indices on the chunks table (for diagnostics). */
  async indexedColumns(): Promise<string[]> {
    this.#check();
    return (await this.#chunks.listIndices()).flatMap((i) => i.columns);
  }

  async countChunks(filter: StoreFilter = {}): Promise<number> {
    this.#check();
    const where = filterToWhere(filter);
    return where ? this.#chunks.countRows(where) : this.#chunks.countRows();
  }

  /**
   * BM25 over chunk text (with its title and section headings). Only committed chunks are returned.
   * `view`: read the chunks as of a `searchView` (else the latest).
   */
  async lexical(query: string, limit: number, filter: StoreFilter, view?: SearchView): Promise<StoreHit[]> {
    this.#check();
    const terms = this.#fields.sealed ? this.#fields.searchText(query) : this.#layout === "terms" ? this.#analyseQuery(query) : query;
    if (terms.trim().length === 0) return [];
    const where = filterToWhere(filter);
    if (filter.matters) return this.#lexicalInMatters(terms, limit, where!, filter.matters, view);
    const rows = await this.#onView(view, (table) => {
      const q = table.query().fullTextSearch(terms, { columns: ["searchText"] }).select([...this.#searchColumns, "_score"]).limit(limit);
      return (where ? q.where(where) : q).toArrow();
    });
    return toStoreHits(rows, this.#layout, this.#fields, this.#ownerOf, (s) => s, "_score");
  }

  /**
   * `lexical` scoped to matters (the ethical wall). LanceDB's BM25 spans every matter, so neither its
   * scores nor its choice of candidates is used as such (rev12 #10, #17):
   *
   * - candidates: for each query term, its best `2·limit + 20` chunks among those the filter keeps
   *   (one LanceDB query per term: it ranks one term's matches by that term's frequency and the
   *   chunk's length, never by what other matters' words are; a term with fewer matches gives them all);
   * - scores: BM25 under the statistics of `matters` alone (`matter-bm25.ts`); ties broken by chunk id.
   */
  async #lexicalInMatters(terms: string, limit: number, where: string, matters: readonly string[], view?: SearchView): Promise<StoreHit[]> {
    const queryTerms: string[] = [];
    const counted = this.#queryTermsOf(terms, queryTerms);
    if (queryTerms.length === 0) return [];
    const columns = [...this.#searchColumns, ...(this.#searchColumns.includes("searchText") ? [] : ["searchText"]), "_score"];
    const pool = limit * 2 + 20;
    const [stats, ...perTerm] = await Promise.all([
      this.#matterStatistics(matters, counted, view),
      ...[...new Set(counted.values())].map((text) => this.#onView(view, (table) => table.query().fullTextSearch(text, { columns: ["searchText"] }).select(columns).limit(pool).where(where).toArrow())),
    ]);
    const scored = new Map<string, StoreHit>();
    for (const rows of perTerm) {
      const hits = toStoreHits(rows, this.#layout, this.#fields, this.#ownerOf, (s) => s, "_score");
      const searchText = rows.getChild("searchText");
      const documentIds = rows.getChild("documentId");
      const versions = rows.getChild("version");
      // toStoreHits keeps rows in order, dropping uncommitted ones: walk both together.
      let h = 0;
      for (let i = 0; i < rows.numRows && h < hits.length; i++) {
        const hit = hits[h]!;
        if (String(documentIds!.get(i)) !== hit.chunk.documentId || String(versions!.get(i)) !== hit.chunk.version) continue;
        h++;
        if (!scored.has(hit.chunk.id)) scored.set(hit.chunk.id, { chunk: hit.chunk, score: matterBm25(this.#rowTerms(String(searchText!.get(i))), queryTerms, stats) });
      }
    }
    return [...scored.values()]
      .filter((s) => s.score > 0)
      .sort((a, b) => b.score - a.score || byChunk(a, b))
      .slice(0, limit);
  }

  /**
   * A query's indexed terms (as `#rowTerms` reads a row's), each with the text LanceDB counts its chunks
   * by: the analysed term or blind token as sent (LanceDB folds it), or in the layouts that store plain
   * text the query's own word (LanceDB stems it; stemming a stem again can change it). `all`: gets every term, a
   * repeated one each time (LanceDB's score counts it again).
   */
  #queryTermsOf(terms: string, all: string[] = []): Map<string, string> {
    const out = new Map<string, string>();
    const add = (term: string, text: string): void => {
      all.push(term);
      if (!out.has(term)) out.set(term, text);
    };
    if (this.#layout === "terms" || this.#fields.sealed) {
      for (const token of terms.split(/\s+/)) for (const term of indexedTerms(token)) add(term, token);
      return out;
    }
    for (const word of terms.match(/[\p{L}\p{N}]+/gu) ?? []) for (const term of indexedTerms(this.#analyseQuery(word))) add(term, word);
    return out;
  }

  /** A chunk row's indexed terms, from its `searchText` (analysed here in the layouts that store plain text). */
  #rowTerms(searchText: string): string[] {
    if (this.#layout === "terms" || this.#fields.sealed) return indexedTerms(searchText);
    const analyser = new LexicalAnalyser();
    return indexedTerms(analyser.analyse(searchText));
  }

  /** The statistics of `matters`' committed chunks for `queryTerms` (see `matter-bm25.ts`). */
  async #matterStatistics(matters: readonly string[], queryTerms: ReadonlyMap<string, string>, view?: SearchView): Promise<MatterStatistics> {
    const docs = [...this.#committed.values()].filter((d) => matters.includes(d.matter));
    const chunks = docs.reduce((n, d) => n + d.chunkCount, 0);
    const key = (d: DocumentRecord): string => `${d.id}\0${d.version}`;
    const missing = docs.filter((d) => !this.#searchLengths.has(key(d)));
    if (missing.length > 0) await this.#measureLengths(missing, view);
    const length = docs.reduce((n, d) => n + (this.#searchLengths.get(key(d)) ?? 0), 0);
    return { chunks, meanLength: chunks > 0 ? length / chunks : 0, frequency: await this.#termFrequencies(matters, queryTerms, view) };
  }

  /** Sums the indexed terms of the chunks of `docs` (committed versions), read once per version and kept. */
  async #measureLengths(docs: readonly DocumentRecord[], view?: SearchView): Promise<void> {
    const sums = new Map<string, number>(docs.map((d) => [`${d.id}\0${d.version}`, 0]));
    for (let i = 0; i < docs.length; i += 256) {
      const ids = docs.slice(i, i + 256).map((d) => d.id);
      const rows = await this.#onView(view, (table) => table.query().where(inList("documentId", ids)).select(["documentId", "version", "searchText"]).toArrow());
      const documentIds = rows.getChild("documentId");
      const versions = rows.getChild("version");
      const texts = rows.getChild("searchText");
      for (let r = 0; r < rows.numRows; r++) {
        const k = `${String(documentIds!.get(r))}\0${String(versions!.get(r))}`;
        const sum = sums.get(k);
        if (sum !== undefined) sums.set(k, sum + this.#rowTerms(String(texts!.get(r))).length);
      }
    }
    // forget versions no longer committed (replaced or deleted documents)
    if (this.#searchLengths.size > 2 * this.#committed.size + 1024) {
      for (const k of this.#searchLengths.keys()) if (this.#committed.get(k.slice(0, k.indexOf("\0")))?.version !== k.slice(k.indexOf("\0") + 1)) this.#searchLengths.delete(k);
    }
    for (const [k, n] of sums) this.#searchLengths.set(k, n);
  }

  /**
   * Per query term, the committed chunks of `matters` holding it (at most `TERM_FREQUENCY_CAP`:
   * beyond that a term is common and its weight near nothing), kept for the view's version.
   */
  async #termFrequencies(matters: readonly string[], queryTerms: ReadonlyMap<string, string>, view?: SearchView): Promise<Map<string, number>> {
    const version = view?.version ?? (await this.version());
    if (this.#frequencies.version !== version || this.#frequencies.counts.size > 65_536) this.#frequencies = { version, counts: new Map() };
    const cache = this.#frequencies.counts;
    const where = inList("matter", matters);
    const scope = JSON.stringify([...matters].sort());
    const out = new Map<string, number>();
    await Promise.all(
      [...queryTerms].map(async ([term, counted]) => {
        const key = `${scope}\0${term}`;
        let count = cache.get(key);
        if (count === undefined) {
          const rows = await this.#onView(view, (table) => table.query().fullTextSearch(counted, { columns: ["searchText"] }).select(["documentId", "version", "_score"]).limit(TERM_FREQUENCY_CAP).where(where).toArrow());
          count = 0;
          const documentIds = rows.getChild("documentId");
          const versions = rows.getChild("version");
          for (let r = 0; r < rows.numRows; r++) if (this.#committed.get(String(documentIds!.get(r)))?.version === String(versions!.get(r))) count++;
          cache.set(key, count);
        }
        out.set(term, count);
      }),
    );
    return out;
  }

  /** Nearest chunks by cosine similarity (score = 1 − cosine distance). `view`: as in `lexical`. */
  async vector(vector: Float32Array, limit: number, filter: StoreFilter, view?: SearchView): Promise<StoreHit[]> {
    this.#check();
    const where = filterToWhere(filter);
    const rows = await this.#onView(view, (table) => {
      const q = table.vectorSearch(Array.from(vector)).distanceType("cosine").select([...this.#searchColumns, "_distance"]).limit(limit);
      return (where ? q.where(where) : q).toArrow();
    });
    return toStoreHits(rows, this.#layout, this.#fields, this.#ownerOf, (d) => 1 - d, "_distance");
  }

  /** A query's terms; its words are forgotten at once (a user's queries are not remembered). */
  #analyseQuery(query: string): string {
    try {
      return this.#queryAnalyser.analyse(query);
    } finally {
      this.#queryAnalyser.clear();
    }
  }

  /** Words the index's own analyser remembers (for tests: none, outside a query's analysis). */
  get rememberedWords(): number {
    return this.#queryAnalyser.remembered;
  }

  /** A chunk's committed document (undefined: its version is not visible). */
  readonly #ownerOf = (documentId: string): DocumentRecord | undefined => this.#committed.get(documentId);

  async dispose(): Promise<void> {
    if (this.#disposed) return;
    await this.#writes;
    this.#disposed = true;
    if (this.#lease) releaseLease(this.#lease);
    this.#lease = undefined;
    this.#queryAnalyser.clear();
    this.#documents.close();
    this.#chunks.close();
    const checkedOut = [...this.#replaced, ...(this.#pinned ? [this.#pinned] : [])];
    this.#pinned = undefined;
    this.#replaced.clear();
    for (const c of checkedOut) (await c.table.catch(() => undefined))?.close();
    this.#db.close();
  }
}
