import { createHash } from "node:crypto";
import fs from "node:fs/promises";
import path from "node:path";
import {
  ConfigError,
  confinePath,
  DisposedError,
  assertMatterId,
  InvalidArgumentError,
  nullAuditSink,
  silentLogger,
  type AuditSink,
  type Cache,
  type CacheCodec,
  type ContentCipher,
  type DocumentKeyring,
  type Embedder,
  type EventBus,
  type Llm,
  type Logger,
  type RetrievedPassage,
  type Retriever,
  type RetrieveOptions,
  type Scrubber,
  type WriterGate,
} from "@bear/core";
import type { Observable } from "rxjs";
import { ZodError } from "zod";
import { extractiveAnswer, llmAnswer, notFoundAnswer } from "./answer/answer-builder";
import { canNameDocument, fileNameText, type DocumentResolver } from "./answer/document-resolver";
import { NamingIndex } from "./answer/naming-index";
import { CANDIDATE_PASSAGES, namingStems, SentenceRanker } from "./answer/sentence-ranker";
import type { Answer, AnswerOptions, AnswerStreamEvent } from "./answer/answer-types";
import { LegalChunker } from "./chunking/legal-chunker";
import { openEngineCache, removeLegacyEmbeddingCache } from "./cache/engine-cache";
import { sealedHitsCodec } from "./cache/sealed-hits-codec";
import { CachedEmbedder } from "./embedding/cached-embedder";

import { DocumentNotFoundError, DocumentReferenceError, ExtractionError, MatterAccessDeniedError, NoEmbedderError, RagError } from "./errors";
import { renderPageImage, type PageImage, type PageImageOptions } from "./extraction/ocr/page-image";
import { PageOcr } from "./extraction/ocr/page-ocr";
import { IngestPipeline } from "./ingest/ingest-pipeline";
import { preparedToJson, type DocumentPreparer, type PrepareRequest, type PreparedDocumentJson } from "./ingest/prepared-document";
import type { IngestEvent, IngestOptions, IngestReport } from "./ingest/ingest-types";
import { parseRagConfig, type RagConfig, type RagConfigInput } from "./rag-config";
import { findTermSpans, queryTerms, snippetOf, stem } from "./retrieval/highlight";
import { reciprocalRankFusion } from "./retrieval/reciprocal-rank-fusion";
import type { Reranker, SearchHit, SearchOptions } from "./retrieval/search-types";
import { DocumentIds } from "./ingest/document-ids";
import { LanceIndex, type SearchView, type StoreFilter, type StoreHit } from "./store/lance-index";
import type { DocumentRecord } from "./store/records";

/**
 * Document-aware ranking: a chunk's score is its own (normalised) score plus `boost` times the
 * best score of its document, so passages of the document that matches the query best come first.
 */
function documentAware(hits: { item: StoreHit; score: number }[], boost: number): { item: StoreHit; score: number }[] {
  if (boost <= 0 || hits.length === 0) return hits;
  const top = Math.max(...hits.map((h) => h.score)) || 1;
  const best = new Map<string, number>();
  for (const h of hits) best.set(h.item.chunk.documentId, Math.max(best.get(h.item.chunk.documentId) ?? 0, h.score / top));
  return hits
    .map((h) => ({ item: h.item, score: h.score / top + boost * (best.get(h.item.chunk.documentId) ?? 0) }))
    .sort((a, b) => b.score - a.score);
}

/** Everything `RagEngine.open` accepts: the serializable config plus the live collaborators. */
export interface RagEngineOptions extends RagConfigInput {
  /** Vectors for `vector`/`hybrid` search (e.g. `await OnnxEmbedder.load(...)`). Omit for the lexical-only default. */
  readonly embedder?: Embedder;
  /** Writes answers; without one `answer()` is extractive. */
  readonly llm?: Llm;
  /** Removes PII before anything is indexed (e.g. @bear/security's scrubber). */
  readonly scrubber?: Scrubber;
  readonly reranker?: Reranker;
  readonly logger?: Logger;
  readonly events?: EventBus;
  readonly audit?: AuditSink;
  /**
   * Encrypts the index at rest (e.g. @bear/security's KeyedContentCipher under the workspace key):
   * text, titles and sources are sealed and lexical search runs on keyed blind tokens. An index is
   * encrypted or not from its first open; opening it with another key, or none, is refused.
   */
  readonly cipher?: ContentCipher;
  /**
   * With `cipher`: each document's stored text is sealed under a data key of its own, destroyed
   * when the document is deleted (crypto-shredding; e.g. @bear/security's DataKeyring).
   */
  readonly keyring?: DocumentKeyring;
  /**
   * A workspace secret (≥ 32 bytes): document ids become HMAC(key, matter, path), so they cannot be
   * derived from a guessed file name. Documents an index already holds under unkeyed ids keep them.
   */
  readonly documentIdKey?: Uint8Array;
  /**
   * The cache of embeddings and search results (e.g. the workspace's, sealed when it is encrypted).
   * Omit for the engine's own: memory plus `<dir>/cache` on disk (memory only when `cipher` is set).
   */
  readonly cache?: Cache;
  /**
   * A lock across machines taken after the index's host lock (e.g. @bear/cluster's Redis lease):
   * several hosts sharing the index folder commit one at a time. Omit on a single machine.
   */
  readonly writerGate?: WriterGate;
  /**
   * Prepares new and changed files elsewhere (e.g. @bear/cluster's workers, each running
   * `prepareDocument`); the walk, the unchanged check and the commits stay here. Omit to prepare here.
   */
  readonly preparer?: DocumentPreparer;
}

/** `rag.stats()`: the state of an index. */
export interface IndexStats {
  readonly dir: string;
  /** Committed documents. */
  readonly documents: number;
  /** Stored chunks (committed or not). */
  readonly chunks: number;
  /** Columns with a search index: `searchText` (BM25) and, past the threshold, `vector` (IVF-PQ). */
  readonly indexedColumns: readonly string[];
  readonly embedder: { readonly id: string; readonly dimensions: number } | null;
  /** True when the index is encrypted at rest (opened with a ContentCipher). */
  readonly encrypted: boolean;
}

const MAX_QUERY_CHARS = 4000;

/**
 * The whole RAG pipeline behind one object: ingest files into a LanceDB index, search it
 * (lexical BM25, vector or hybrid), and answer questions with exact citations.
 *
 * ```ts
 * const rag = await RagEngine.open({ dir: "./index" });
 * await rag.ingest(["./contracts"], { matter: "acme-2026" });
 * const hits = await rag.search("termination for convenience notice period", { k: 8 });
 * const answer = await rag.answer("How much notice is needed to terminate?");
 * ```
 */
/** The key of a set of document versions (the resolver built for it is kept under it). */
function scopeKey(docs: readonly DocumentRecord[]): string {
  return docs.map((d) => `${d.id}@${d.version}`).sort().join(",");
}

export class RagEngine implements Retriever {
  readonly config: RagConfig;
  readonly #index: LanceIndex;
  readonly #pipeline: IngestPipeline;
  readonly #ocr: PageOcr | undefined;
  readonly #embedder: CachedEmbedder | undefined;
  readonly #cache: Cache;
  /** The document id key's holder: its copy of the key is zeroed on dispose. */
  readonly #ids: DocumentIds;
  /** Set when the engine made its cache (and so disposes it). */
  readonly #ownCache: { dispose(): Promise<void> } | undefined;
  /** Cached search results' codec when documents have keys of their own (see sealedHitsCodec). */
  readonly #sealedHits: CacheCodec<SearchHit[] | undefined> | undefined;
  readonly #llm: Llm | undefined;
  readonly #reranker: Reranker | undefined;
  readonly #audit: AuditSink;
  readonly #logger: Logger;
  readonly #ranker = new SentenceRanker();
  #resolver: { key: string; resolver: DocumentResolver } | undefined;
  /** Every document version's naming profile, kept so a change of the document set reads only new texts. */
  readonly #naming = new NamingIndex();
  /** The resolver being built, and for which set of documents. */
  #resolverBuild: { key: string; done: Promise<DocumentResolver> } | undefined;
  /** How long the last resolver build took and when it ended (background builds are spaced by it). */
  #lastResolverBuild: { ms: number; endedAt: number } | undefined;
  /** The documents the last search's matters could see, as of its index version (keyed once per version). */
  #searchScope: { version: string; matters: string; docs: DocumentRecord[]; key: string } | undefined;
  #disposed = false;

  /** Progress of every ingest run (ids and counts, never document text). */
  readonly onDidIngestProgress: Observable<IngestEvent>;

  private constructor(init: {
    config: RagConfig;
    index: LanceIndex;
    pipeline: IngestPipeline;
    ids: DocumentIds;
    ocr: PageOcr | undefined;
    embedder: CachedEmbedder | undefined;
    cache: Cache;
    ownCache: { dispose(): Promise<void> } | undefined;
    options: RagEngineOptions;
    logger: Logger;
  }) {
    this.config = init.config;
    this.#index = init.index;
    this.#pipeline = init.pipeline;
    this.#ids = init.ids;
    this.#ocr = init.ocr;
    this.#embedder = init.embedder;
    this.#cache = init.cache;
    this.#ownCache = init.ownCache;
    this.#sealedHits = init.options.cipher && init.options.keyring ? sealedHitsCodec(init.options.keyring) : undefined;
    this.#llm = init.options.llm;
    this.#reranker = init.options.reranker;
    this.#audit = init.options.audit ?? nullAuditSink;
    this.#logger = init.logger;
    this.onDidIngestProgress = init.pipeline.onDidIngestProgress;
  }

  /**
   * Opens (or creates) the index in `options.dir`, finishing or discarding any ingest a crash
   * interrupted: leftover chunks are removed and the documents it committed are audited.
   */
  static async open(options: RagEngineOptions): Promise<RagEngine> {
    let config: RagConfig;
    try {
      config = parseRagConfig(options);
    } catch (error) {
      if (error instanceof ZodError) {
        throw new ConfigError("CONFIG_INVALID", `invalid rag config: ${error.issues.map((i) => `${i.path.join(".") || "(root)"}: ${i.message}`).join("; ")}`, {
          hint: "See RagEngineOptions / ragConfigSchema for the accepted settings.",
          cause: error,
        });
      }
      throw error;
    }
    const logger = (options.logger ?? silentLogger).child({ name: "rag:RagEngine" });
    const dir = path.resolve(config.dir);
    removeLegacyEmbeddingCache(dir, logger);
    const ownCache = options.cache ? undefined : openEngineCache(dir, config.engineCache, options.cipher !== undefined, options.logger ?? silentLogger);
    const cache = options.cache ?? ownCache!;
    const embedder = options.embedder ? new CachedEmbedder(options.embedder, cache) : undefined;
    const index = await LanceIndex.open({
      dir,
      ...(embedder ? { embedder: { id: embedder.id, dimensions: embedder.dimensions } } : {}),
      logger: options.logger ?? silentLogger,
      vectorIndexThreshold: config.vectorIndexThreshold,
      ...(options.cipher ? { cipher: options.cipher } : {}),
      ...(options.cipher && options.keyring ? { keyring: options.keyring } : {}),
      lockWaitMs: config.lockWaitMs,
      ...(options.writerGate ? { writerGate: options.writerGate } : {}),
    });
    await index.recover();
    const chunker = new LegalChunker({
      strategy: config.chunking.strategy,
      targetChars: config.chunking.targetChars,
      minChars: config.chunking.minChars,
      ...(config.chunking.overlapChars === undefined ? {} : { overlapChars: config.chunking.overlapChars }),
    });
    // The OCR engine (worker threads or processes) starts on the first page that needs it.
    const ocr = config.ocr.enabled ? new PageOcr(config.ocr) : undefined;
    const ids = new DocumentIds(options.documentIdKey);
    const pipeline = new IngestPipeline({
      ...(ocr ? { ocr } : {}),
      index,
      chunker,
      ...(embedder ? { embedder } : {}),
      ...(options.scrubber ? { scrubber: options.scrubber } : {}),
      ...(config.scrubPolicy ? { scrubPolicy: config.scrubPolicy } : {}),
      root: path.resolve(config.root ?? process.cwd()),
      maxFileBytes: config.maxFileBytes,
      concurrency: config.concurrency,
      logger: options.logger ?? silentLogger,
      ...(options.events ? { events: options.events } : {}),
      audit: options.audit ?? nullAuditSink,
      ids,
      ...(options.preparer ? { preparer: options.preparer } : {}),
    });
    // Documents an interrupted ingest (kill -9, power cut) committed get their audit records now.
    await pipeline.reconcile();
    return new RagEngine({ config, index, pipeline, ids, ocr, embedder, cache, ownCache, options, logger });
  }

  #check(): void {
    if (this.#disposed) throw this.#disposedError();
  }

  /** Ingests files and folders (recursively). Per-file failures are in the report; the batch goes on. */
  async ingest(paths: string | readonly string[], options: IngestOptions = {}): Promise<IngestReport> {
    this.#check();
    const list = typeof paths === "string" ? [paths] : paths;
    if (!Array.isArray(list) || list.length === 0 || list.some((p) => typeof p !== "string" || p.length === 0)) {
      throw new InvalidArgumentError("paths", paths, "a non-empty list of file or folder paths");
    }
    this.#assertAllowed([options.matter ?? "default"], options.actor);
    return this.#pipeline.run(list, options);
  }

  /**
   * Prepares one file another process's ingest found new or changed (extract, OCR, scrub, chunk,
   * embed), for that process to commit: what a cluster's worker runs. Checks the bytes are the
   * content the request names; writes nothing.
   */
  async prepareDocument(request: PrepareRequest, options: { readonly signal?: AbortSignal } = {}): Promise<PreparedDocumentJson> {
    this.#check();
    assertMatterId(request.matter);
    const hash = createHash("sha256").update(request.bytes).digest("hex");
    if (hash !== request.contentHash) {
      throw new RagError("RAG_SOURCE_CHANGED", `file '${request.file}' is not the content the ingest read (its SHA-256 changed)`, { hint: "The file changed while it was being ingested; ingest it again." });
    }
    if (request.bytes.length > this.config.maxFileBytes) {
      throw new ExtractionError("RAG_FILE_TOO_LARGE", request.file, `file '${request.file}' is ${request.bytes.length} bytes, over the ${this.config.maxFileBytes}-byte limit`);
    }
    // a plain Uint8Array copy: a Node Buffer's slice() is a view, and extraction transfers that view's buffer to a worker thread
    const bytes = new Uint8Array(request.bytes);
    return preparedToJson(await this.#pipeline.prepare({ ...request, bytes }, options.signal ? { signal: options.signal } : {}));
  }

  /** Removes a document and all its chunks; `actor` (who asks: a principal id, `cli`) is named in the audit record. */
  async delete(documentId: string, options: { readonly actor?: string } = {}): Promise<void> {
    this.#check();
    await this.#index.refresh();
    const doc = this.#index.document(documentId);
    if (!doc) throw new DocumentNotFoundError(documentId);
    this.#assertAllowed([doc.matter], options.actor);
    await this.#index.withWriterLock(async () => {
      await this.#pipeline.reconcile(); // an unfinished run's record of this document comes before its deletion
      await this.#index.deleteDocument(documentId);
    });
    await this.#audit.record({ action: "delete", outcome: "success", actor: options.actor ?? "system", resource: documentId, matter: doc.matter });
  }

  /**
   * Brings this engine's view up to date with what other processes committed to the same index
   * (a `bear ingest` beside a running server). Searches, answers and stats do it themselves; a
   * long-lived process calls it before `documents()`. Returns true when something changed.
   */
  async refresh(): Promise<boolean> {
    this.#check();
    return this.#index.refresh();
  }

  /** Committed documents the engine may see, optionally of one matter, as of the last refresh (see `refresh()`). */
  documents(filter: { matter?: string } = {}): DocumentRecord[] {
    this.#check();
    const allowed = this.config.allowedMatters;
    return this.#index.documents().filter((d) => (filter.matter === undefined || d.matter === filter.matter) && (!allowed || allowed.includes(d.matter)));
  }

  /** The extracted text a document's offsets point into. */
  async documentText(documentId: string): Promise<string> {
    this.#check();
    await this.#index.refresh();
    const doc = this.#index.document(documentId);
    if (!doc) throw new DocumentNotFoundError(documentId);
    this.#assertAllowed([doc.matter]);
    const found = await this.#index.documentText(documentId);
    if (!found) throw new DocumentNotFoundError(documentId); // deleted meanwhile
    return found.text;
  }

  /**
   * Page `page` (1-based) of a PDF or image document drawn as a PNG, to check OCR text against
   * the page by eye. The original is read from its source path, which must still lie inside the
   * engine's `root` (symlinks resolved) and still hash to what was indexed (else
   * `RAG_SOURCE_CHANGED`). `readOriginal` reads an original stored sealed (the workspace passes
   * its cipher's decrypt; the plaintext stays in memory); by default the file is read as is.
   */
  async pageImage(documentId: string, page: number, options: PageImageOptions & { readOriginal?: (file: string) => Promise<Uint8Array> } = {}): Promise<PageImage> {
    this.#check();
    await this.#index.refresh();
    const doc = this.#index.document(documentId);
    if (!doc) throw new DocumentNotFoundError(documentId);
    this.#assertAllowed([doc.matter]);
    if (!Number.isInteger(page) || page < 1 || page > doc.pageCount) {
      throw new RagError("RAG_PAGE_NOT_FOUND", `page ${page} does not exist (document '${documentId}' has ${doc.pageCount} page${doc.pageCount === 1 ? "" : "s"})`, {
        hint: `Ask for a page from 1 to ${doc.pageCount}.`,
        details: { documentId, page, pageCount: doc.pageCount },
      });
    }
    const file = confinePath(path.resolve(this.config.root ?? process.cwd()), doc.source);
    const changed = (what: string): RagError =>
      new RagError("RAG_SOURCE_CHANGED", `the original of document '${documentId}' ${what} since it was indexed`, {
        hint: "Ingest the file again to index what it holds now.",
        details: { documentId },
      });
    let bytes: Uint8Array;
    try {
      bytes = options.readOriginal ? await options.readOriginal(file) : new Uint8Array(await fs.readFile(file));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") throw changed("was removed");
      throw error;
    }
    if (createHash("sha256").update(bytes).digest("hex") !== doc.contentHash) throw changed("has changed");
    return renderPageImage(bytes, page, options);
  }

  #assertAllowed(matters: readonly string[], actor = "system", allowed: readonly string[] | undefined = this.config.allowedMatters): void {
    if (!allowed) return;
    for (const m of matters) {
      if (!allowed.includes(m)) {
        void this.#audit.record({ action: "permission.denied", outcome: "denied", actor, matter: m });
        throw new MatterAccessDeniedError(m);
      }
    }
  }

  /** The documents `matters` may see and the key of that set (ids and versions). */
  #resolverScope(matters: readonly string[] | undefined): { docs: DocumentRecord[]; key: string } {
    const docs = this.documents().filter((d) => !matters || matters.includes(d.matter));
    return { docs, key: scopeKey(docs) };
  }

  /**
   * The resolver over the documents `matters` may see, rebuilt only when those documents change
   * (it reads each document's text once).
   */
  async #documentResolver(matters: readonly string[] | undefined): Promise<{ resolver: DocumentResolver; docs: DocumentRecord[] }> {
    const { docs, key } = this.#resolverScope(matters);
    if (this.#resolver?.key === key) return { resolver: this.#resolver.resolver, docs };
    const resolver = await this.#buildResolver(key, docs);
    // a document deleted while the build ran (or waited for another) is named by neither path
    return { resolver, docs: docs.filter((d) => this.#index.document(d.id)?.version === d.version) };
  }

  /**
   * Builds the resolver of `docs` and keeps it: one build at a time (callers asking for the same
   * set share it; another set waits for the running build to end, so reads of every text never pile up).
   */
  async #buildResolver(key: string, docs: readonly DocumentRecord[]): Promise<DocumentResolver> {
    for (let running = this.#resolverBuild; running; running = this.#resolverBuild) {
      if (running.key === key) return running.done;
      await running.done.catch(() => undefined);
    }
    // `docs` was listed before the wait: documents deleted or replaced meanwhile are not members.
    const live = docs.filter((d) => this.#index.document(d.id)?.version === d.version);
    if (live.length !== docs.length) return this.#buildResolver(scopeKey(live), live);
    if (this.#resolver?.key === key) return this.#resolver.resolver;
    if (this.#disposed) throw this.#disposedError();
    const index = this.#index;
    const disposed = (): Error | undefined => (this.#disposed ? this.#disposedError() : undefined);
    // Only versions not profiled before are read. Disposing stops a build between two store reads (a
    // one-shot `bear search` must not read every text on its way out) and fails it.
    const texts = async function* (ids: readonly string[]) {
      for await (const t of index.documentTexts(ids)) {
        const stopped = disposed();
        if (stopped) throw stopped;
        yield t;
      }
    };
    const started = performance.now();
    const build = { key, done: this.#naming.update(docs, texts, index.documents()) };
    this.#resolverBuild = build;
    const settle = (): void => {
      if (this.#resolverBuild === build) this.#resolverBuild = undefined;
      this.#lastResolverBuild = { ms: performance.now() - started, endedAt: performance.now() };
    };
    build.done.then((resolver) => {
      settle();
      this.#resolver = { key, resolver };
    }, settle);
    return build.done;
  }

  /**
   * Turns references a person types (`--doc`) into document ids: an exact id, else the document
   * whose title, parties, file name or opening the words name best (several when they tie).
   * Throws DocumentReferenceError for a reference that names nothing visible.
   */
  async resolveDocuments(references: readonly string[], options: { matters?: readonly string[] } = {}): Promise<string[]> {
    this.#check();
    if (!Array.isArray(references) || references.some((r) => typeof r !== "string" || r.trim().length === 0 || r.length > 500)) {
      throw new InvalidArgumentError("references", references, "a list of document ids or names (each 1-500 characters)");
    }
    await this.#index.refresh();
    const { resolver, docs } = await this.#documentResolver(options.matters);
    this.#check(); // disposed while the build ran
    const ids = new Set<string>();
    for (const ref of references) {
      const exact = docs.find((d) => d.id === ref.trim());
      if (exact) {
        ids.add(exact.id);
        continue;
      }
      const ranked = resolver.rank(ref).filter((m) => this.#index.document(m.documentId) !== undefined); // not one deleted during the build
      if (ranked.length === 0) throw new DocumentReferenceError(ref);
      for (const m of ranked) if (m.score >= ranked[0]!.score - 1e-9) ids.add(m.documentId);
    }
    return [...ids];
  }

  /** Finds the passages that best match `query`. */
  async search(query: string, options: SearchOptions = {}): Promise<SearchHit[]> {
    this.#check();
    if (typeof query !== "string" || query.trim().length === 0 || query.length > MAX_QUERY_CHARS) {
      throw new InvalidArgumentError("query", query, `a non-empty string of at most ${MAX_QUERY_CHARS} characters`);
    }
    const k = options.k ?? 8;
    if (!Number.isInteger(k) || k < 1 || k > 1000) throw new InvalidArgumentError("k", k, "an integer from 1 to 1000");
    const mode = options.mode ?? (this.#embedder ? "hybrid" : "lexical");
    if (!["lexical", "vector", "hybrid"].includes(mode)) throw new InvalidArgumentError("mode", mode, "lexical | vector | hybrid");
    if ((mode === "vector" || mode === "hybrid") && !this.#embedder) throw new NoEmbedderError(mode);
    // The view is given back when the search is done, so a version a commit replaced is closed.
    const view = await this.#index.searchView();
    try {
      return await this.#searchIn(view, query, k, mode, options);
    } finally {
      view.release();
    }
  }

  /** `search` on the chunks of `view`, after the query, k and mode were checked. */
  async #searchIn(view: SearchView, query: string, k: number, mode: string, options: SearchOptions): Promise<SearchHit[]> {
    const { version } = view;

    // Matter isolation: the caller sees the intersection of what it asks for and what it may see.
    // A per-call list can only narrow what the engine allows, never widen it.
    const engineAllowed = this.config.allowedMatters;
    const allowed = options.allowedMatters
      ? options.allowedMatters.filter((m) => !engineAllowed || engineAllowed.includes(m))
      : engineAllowed;
    const requested = options.filter?.matters;
    if (requested) this.#assertAllowed(requested, "system", allowed);
    const matters = requested ?? allowed;
    const { dates, ...storeFilter } = options.filter ?? {};
    const filter: StoreFilter = { ...storeFilter, ...(matters ? { matters } : {}) };
    if (dates) {
      const iso = /^\d{4}-\d{2}-\d{2}$/;
      if ((dates.from !== undefined && !iso.test(dates.from)) || (dates.to !== undefined && !iso.test(dates.to))) {
        throw new InvalidArgumentError("filter.dates", dates, "{ from?, to? } as yyyy-mm-dd");
      }
      const inRange = this.#index
        .documents()
        .filter((d) => d.dates.some((x) => (!dates.from || x >= dates.from) && (!dates.to || x <= dates.to)))
        .map((d) => d.id);
      filter.documentIds = storeFilter.documentIds ? storeFilter.documentIds.filter((id) => inRange.includes(id)) : inRange;
    }

    const reranker = options.rerank === null ? undefined : (options.rerank ?? this.#reranker);
    const boost = options.documentBoost ?? this.config.documentBoost;
    if (typeof boost !== "number" || !(boost >= 0 && boost <= 10)) throw new InvalidArgumentError("documentBoost", boost, "a number from 0 to 10");
    // Named-document search once its resolver is built; the results depend on which, so the cache key says.
    const resolver = mode !== "vector" && boost > 0 && this.config.namedDocumentSearch ? this.#readyResolver(version, matters) : undefined;
    // The document the query names, read once: it picks the plan and keys the cache (not whether the
    // resolver is ready: a query that names none ranks as before the build, so a repeat still hits).
    const named = resolver?.named(query, this.#ranker.weights.resolver)?.documentId;
    const rank = () => this.#rank(query, { k, mode, filter, matters, reranker, boost, named, view, ...(options.signal ? { signal: options.signal } : {}) });
    // A reranker is code: its results are not cached. Everything else the hits depend on is in the
    // key, the index version included, so a commit or delete (here or in another process) invalidates
    // them; the index's id too, so an index folder made again (versions start over) does not.
    if (reranker) return rank();
    const key = { kind: "search" as const, parts: [this.#index.dir, this.#index.instanceId, version, query, { k, mode, filter, boost, embedder: this.#embedder?.id ?? null, named: named ?? null }] };
    // With per-document keys, each cached hit's text is sealed under its document's key (shredded with it).
    if (!this.#sealedHits) return this.#cache.getOrCompute(key, rank);
    return (await this.#cache.getOrCompute<SearchHit[] | undefined>(key, rank, { codec: this.#sealedHits })) ?? rank();
  }

  /** Ranks the passages of the permitted matters for a validated query and loads the kept ones. */
  async #rank(
    query: string,
    o: { k: number; mode: string; filter: StoreFilter; matters: readonly string[] | undefined; reranker: Reranker | undefined; boost: number; named: string | undefined; view: SearchView; signal?: AbortSignal },
  ): Promise<SearchHit[]> {
    const { k, mode, filter, matters, reranker, boost, view } = o;
    // Candidates per pass. Each LanceDB search costs more per row it hands back, and at k = 8 the
    // 28 rows (not 100, as before) also ranked better on the tune half of LegalBench-RAG
    // (P@1 18.7 -> 20.1%, R@8 56.1 -> 56.8%, hybrid R@8 38.7 -> 47.1%).
    const fetch = Math.min(2000, Math.max(k * 3, k + 20));
    // The lexical and vector passes run side by side (LanceDB works on its own threads).
    const vectorPass = async (): Promise<{ item: StoreHit; score: number }[]> => {
      const [vector] = await this.#embedder!.embed([query], o.signal ? { signal: o.signal } : {});
      return documentAware((await this.#index.vector(vector!, fetch, filter, view)).map((h) => ({ item: h, score: h.score })), boost);
    };
    const lists = await Promise.all([...(mode !== "vector" ? [this.#lexical(query, { fetch, filter, boost, k: reranker ? fetch : k, named: o.named, view })] : []), ...(mode !== "lexical" ? [vectorPass()] : [])]);
    const fused =
      lists.length === 1
        ? lists[0]!
        : documentAware(
            reciprocalRankFusion(lists, (h) => h.item.chunk.id).map(({ item, score }) => ({ item: item.item, score })),
            boost,
          );
    // Defence in depth: never hand out a chunk outside the permitted matters, whatever the store did.
    const permitted = fused.filter(({ item }) => !matters || matters.includes(item.chunk.matter));
    const terms = queryTerms(query);
    // The hits came with their text in the one read; only the kept ones open and parse it.
    let hits = permitted.slice(0, reranker ? fetch : k).map(({ item, score }) => this.#toHit(item, score, terms));
    if (reranker) {
      const ids = new Set(hits.map((h) => h.chunkId));
      hits = (await reranker(query, hits)).filter((h) => ids.has(h.chunkId)).slice(0, k);
    }
    return hits;
  }

  /**
   * BM25 with document-aware ranking. The whole query first finds the documents it is about;
   * when some query words only name those documents (their parties or file name; at least one a
   * word a document can be named by, not "agreement"), a second pass ranks the passages inside
   * them by the remaining words, the topic. Without it,
   * the preamble and signature block, which repeat the parties' names, would win every query
   * that names a contract. When the words clearly name one document (`namedDocumentSearch`),
   * the first pass is skipped: see `#namedDocumentPass`.
   */
  async #lexical(
    query: string,
    o: { fetch: number; filter: StoreFilter; boost: number; k: number; named: string | undefined; view: SearchView },
  ): Promise<{ item: StoreHit; score: number }[]> {
    const { fetch, filter, boost, view } = o;
    const named = o.named ? await this.#namedDocumentPass(query, { ...o, named: o.named }) : undefined;
    if (named) return named;
    const first = await this.#index.lexical(query, fetch, filter, view);
    const ranked = documentAware(first.map((h) => ({ item: h, score: h.score })), boost);
    if (boost <= 0 || first.length === 0) return ranked;
    const top = first[0]!.score || 1;
    const docScore = new Map<string, number>();
    for (const h of first) docScore.set(h.chunk.documentId, Math.max(docScore.get(h.chunk.documentId) ?? 0, h.score / top));
    const docs = [...docScore.entries()]
      .filter(([, s]) => s >= 0.6)
      .sort((a, b) => b[1] - a[1])
      .slice(0, 5)
      .map(([id]) => id);
    const split = this.#topicTerms(query, docs);
    // A second pass only when a word the resolver could name a document by names them: words every
    // contract's file name holds ("agreement") leave the first pass's ranking as it is (one query).
    if (!split || !split.naming.some(canNameDocument)) return ranked;
    const { topic } = split;
    const second = await this.#index.lexical(topic.join(" "), fetch, { ...filter, documentIds: filter.documentIds ? filter.documentIds.filter((id) => docs.includes(id)) : docs }, view);
    const secondTop = second[0]?.score || 1;
    const combined = new Map<string, { item: StoreHit; score: number }>();
    for (const h of first) combined.set(h.chunk.id, { item: h, score: boost * (docScore.get(h.chunk.documentId) ?? 0) + 0.1 * (h.score / top) });
    for (const h of second) {
      const prior = combined.get(h.chunk.id)?.score ?? boost * (docScore.get(h.chunk.documentId) ?? 0);
      combined.set(h.chunk.id, { item: h, score: prior + h.score / secondTop });
    }
    return [...combined.values()].sort((a, b) => b.score - a.score);
  }

  /**
   * The query's topic: its words less those that only name `documentIds` (their parties and file
   * name), which are `naming`. Undefined when no word names them, or every word does (there is no
   * topic to rank by).
   */
  #topicTerms(query: string, documentIds: readonly string[]): { topic: string[]; naming: string[] } | undefined {
    const naming = new Set(
      documentIds.flatMap((id) => {
        const d = this.#index.document(id);
        return d ? queryTerms(`${d.parties.join(" ")} ${d.scrubbed ? "" : fileNameText(d.source)}`).map(stem) : [];
      }),
    );
    const terms = queryTerms(query);
    const topic = terms.filter((t) => !naming.has(stem(t)));
    return topic.length === 0 || topic.length === terms.length ? undefined : { topic, naming: terms.filter((t) => naming.has(stem(t))) };
  }

  /**
   * One store query instead of two when the words clearly name one document (`named`, read by the
   * resolver and thresholds `answer` scopes with): its passages, ranked by the topic words, each
   * scored as a second-pass hit of a best document (boost + its normalised BM25). Undefined (the
   * two passes run) when the filter excludes it, the words hold no topic beside its name, or it
   * has fewer than `k` passages with the topic.
   */
  async #namedDocumentPass(
    query: string,
    o: { fetch: number; filter: StoreFilter; boost: number; k: number; named: string; view: SearchView },
  ): Promise<{ item: StoreHit; score: number }[] | undefined> {
    const { named } = o;
    if (o.filter.documentIds && !o.filter.documentIds.includes(named)) return undefined;
    const topic = this.#topicTerms(query, [named])?.topic;
    if (!topic) return undefined;
    const hits = await this.#index.lexical(topic.join(" "), o.fetch, { ...o.filter, documentIds: [named] }, o.view);
    if (hits.length < o.k) return undefined;
    const top = hits[0]!.score || 1;
    return hits.map((h) => ({ item: h, score: o.boost + h.score / top }));
  }

  /**
   * The resolver `#namedDocumentPass` names documents with, when it is built for the documents
   * `matters` may see as of index `version`. Else undefined, and it is built in the background (a
   * few documents at a time, the event loop served between them): searches meanwhile take the two
   * passes, rather than wait for every text of the index to be read after each commit.
   */
  #readyResolver(version: string, matters: readonly string[] | undefined): DocumentResolver | undefined {
    const scope = matters ? JSON.stringify(matters) : "*";
    if (this.#searchScope?.version !== version || this.#searchScope.matters !== scope) this.#searchScope = { version, matters: scope, ...this.#resolverScope(matters) };
    const { key, docs } = this.#searchScope;
    if (this.#resolver?.key === key) return this.#resolver.resolver;
    // While commits keep coming (a long ingest beside searches), background builds take at most a fifth of the time.
    // A build running (even of an older set) is let finish first: one build at a time.
    const last = this.#lastResolverBuild;
    if (this.#resolverBuild || (last && performance.now() - last.endedAt < 4 * last.ms)) return undefined;
    this.#buildResolver(key, docs).catch((error: unknown) => {
      if (!this.#disposed) this.#logger.warn({ error: error instanceof Error ? error.message : String(error) }, "could not build the document resolver; searches take two passes");
    });
    return undefined;
  }

  #toHit(hit: StoreHit, score: number, terms: readonly string[]): SearchHit {
    const c = hit.chunk;
    const doc = this.#index.document(c.documentId);
    const spans = findTermSpans(c.text, terms);
    const ocrPage = doc?.ocr?.pages.find((p) => p.page === c.page);
    return {
      chunkId: c.id,
      documentId: c.documentId,
      title: doc?.title ?? "",
      source: doc?.source ?? "",
      matter: c.matter,
      documentType: c.docType,
      page: c.page,
      start: c.start,
      end: c.end,
      sectionPath: c.sectionPath,
      text: c.text,
      score,
      snippet: snippetOf(c.text, spans),
      highlights: spans.map((s) => ({ start: c.start + s.start, end: c.start + s.end })),
      ...(ocrPage ? { ocr: { confidence: ocrPage.confidence } } : {}),
    };
  }

  /** core's Retriever contract. */
  async retrieve(query: string, options: RetrieveOptions = {}): Promise<RetrievedPassage[]> {
    const hits = await this.search(query, {
      ...(options.k === undefined ? {} : { k: options.k }),
      ...(options.mode ? { mode: options.mode } : {}),
      ...(options.filter ? { filter: options.filter } : {}),
      ...(options.signal ? { signal: options.signal } : {}),
    });
    return hits.map((h) => ({
      chunkId: h.chunkId,
      documentId: h.documentId,
      text: h.text,
      score: h.score,
      start: h.start,
      end: h.end,
      page: h.page,
      sectionPath: h.sectionPath,
      matter: h.matter,
      title: h.title,
    }));
  }

  /** Answers a question from the index, citing its sources ([1], [2]…) to the character. */
  async answer(question: string, options: AnswerOptions = {}): Promise<Answer> {
    const stream = this.#answer(question, options, false);
    for (;;) {
      const next = await stream.next();
      if (next.done) return next.value;
    }
  }

  /** Like `answer`, yielding the passages, then text as it is generated, then the checked answer. */
  async *answerStream(question: string, options: AnswerOptions = {}): AsyncGenerator<AnswerStreamEvent, Answer> {
    const answer = yield* this.#answer(question, options, true);
    yield { type: "answer", answer };
    return answer;
  }

  async *#answer(question: string, options: AnswerOptions, stream: boolean): AsyncGenerator<AnswerStreamEvent, Answer> {
    this.#check();
    const scope = await this.#answerScope(question, options);
    const k = options.k ?? 8;
    const retrieved = await this.search(question, { ...options, k: Math.max(k, CANDIDATE_PASSAGES), filter: { ...options.filter, ...(scope.documentIds ? { documentIds: scope.documentIds } : {}) } });
    const shown = retrieved.slice(0, k);
    yield { type: "passages", passages: shown };
    const naming = scope.naming(retrieved);
    const ranked = this.#ranker.rank(question, retrieved, naming);
    const llm = options.llm === null ? undefined : (options.llm ?? this.#llm);
    let answer: Answer;
    if (this.#ranker.isNotFound(ranked)) {
      // The same rule with or without a model: nothing retrieved supports an answer.
      answer = notFoundAnswer(question, shown);
      if (stream) yield { type: "text", text: answer.text };
    } else if (llm) {
      // The model reads the passages holding the best-ranked sentences first.
      const order = [...new Set(ranked.map((r) => r.hit))];
      answer = yield* llmAnswer(llm, question, [...order, ...retrieved.filter((h) => !order.includes(h))].slice(0, k), options, stream);
    } else {
      answer = extractiveAnswer(question, retrieved, options.maxSentences ?? 3, this.#ranker, naming, ranked);
      const cited = new Set(answer.citations.map((c) => c.chunkId));
      answer = { ...answer, passages: [...shown, ...retrieved.slice(k).filter((h) => cited.has(h.chunkId))], passagesUsed: k };
      if (stream) yield { type: "text", text: answer.text };
    }
    if (answer.droppedCitations.length > 0) this.#logger.warn({ dropped: answer.droppedCitations.length }, "answer cited text that was not retrieved");
    return scope.documentIds ? { ...answer, scope: [...scope.documentIds] } : answer;
  }

  /**
   * Where an answer may come from: the caller's `filter.documentIds` when given, else the one
   * document the question clearly names ("the NDA with Acme"), else everything allowed. Also
   * which question words only name documents (they must not pick the sentence).
   */
  async #answerScope(question: string, options: AnswerOptions): Promise<{ documentIds?: readonly string[]; naming: (passages: readonly SearchHit[]) => Set<string> }> {
    const byId = (ids: readonly string[]): DocumentRecord[] => ids.map((id) => this.#index.document(id)).filter((d): d is DocumentRecord => d !== undefined);
    const naming = (docs: () => DocumentRecord[]) => (passages: readonly SearchHit[]) => namingStems(question, docs().length ? docs() : byId([...new Set(passages.slice(0, 3).map((p) => p.documentId))]));
    if (options.filter?.documentIds) {
      const ids = options.filter.documentIds;
      return { documentIds: ids, naming: naming(() => byId(ids)) };
    }
    if (typeof question !== "string" || question.trim().length === 0 || question.length > MAX_QUERY_CHARS) return { naming: naming(() => []) };
    await this.#index.refresh();
    const matters = options.filter?.matters ?? options.allowedMatters ?? this.config.allowedMatters;
    const { resolver } = await this.#documentResolver(matters);
    const named = resolver.scope(question, this.#ranker.weights.resolver).map((m) => m.documentId);
    if (named.length > 0) return { documentIds: named, naming: naming(() => byId(named)) };
    // A follow-up that names nothing keeps the documents the conversation was about (those still visible).
    const fallback = (options.fallbackDocumentIds ?? []).filter((id) => { const d = this.#index.document(id); return d !== undefined && (!matters || matters.includes(d.matter)); });
    return fallback.length > 0 ? { documentIds: fallback, naming: naming(() => byId(fallback)) } : { naming: naming(() => []) };
  }

  /** Chunks in the index (committed or not), optionally of some matters. */
  async countChunks(filter: { matters?: readonly string[] } = {}): Promise<number> {
    this.#check();
    return this.#index.countChunks(filter);
  }

  /** What the index holds and how it is searched (for diagnostics such as `bear doctor`). */
  async stats(): Promise<IndexStats> {
    this.#check();
    await this.#index.refresh();
    return {
      dir: this.#index.dir,
      documents: this.#index.documents().length,
      chunks: await this.#index.countChunks(),
      indexedColumns: await this.#index.indexedColumns(),
      embedder: this.#embedder ? { id: this.#embedder.id, dimensions: this.#embedder.dimensions } : null,
      encrypted: this.#index.sealed,
    };
  }

  #disposedError(): DisposedError {
    return new DisposedError(`RagEngine '${this.#index.dir}'`);
  }

  async dispose(): Promise<void> {
    if (this.#disposed) return;
    this.#disposed = true;
    this.#pipeline.dispose();
    await this.#resolverBuild?.done.catch(() => undefined);
    // The resolver's vocabulary holds every distinct word of every document's plaintext.
    this.#naming.clear();
    this.#resolver = undefined;
    this.#searchScope = undefined;
    await this.#ocr?.dispose();
    await this.#index.dispose();
    await this.#ownCache?.dispose();
    // last: an ingest stopped by the index's disposal may still have named a document
    this.#ids.dispose();
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.dispose();
  }
}

