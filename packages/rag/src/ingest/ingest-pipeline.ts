import { createHash, randomUUID } from "node:crypto";
import path from "node:path";
import { assertMatterId, BearError, nullAuditSink, silentLogger, type AuditSink, type Embedder, type EventBus, type Logger, type Scrubber } from "@bear/core";
import { Subject, type Observable } from "rxjs";
import { detectMetadata } from "../chunking/document-metadata";
import type { LegalChunker } from "../chunking/legal-chunker";
import { RagError } from "../errors";
import type { ExtractedDocument } from "../extraction/extract-document";
import { extractDocumentIsolated } from "../extraction/isolated-extraction";
import { completeWithOcr } from "../extraction/ocr/complete-with-ocr";
import { formatNoteFor } from "../extraction/sniff-format";
import type { OcrPageProgress, PageOcr } from "../extraction/ocr/page-ocr";
import type { PackedStrings } from "../store/arrow-columns";
import { eventLoopTurn } from "../store/event-loop-turn";
import { COMPACTED_FRAGMENT_ROWS } from "../store/compaction-policy";
import type { ChunkBatch, ChunkRowsPool, DocumentCommit, EncodedChunks, LanceIndex } from "../store/lance-index";
import type { ChunkRecord, DocumentRecord } from "../store/records";
import type { FileOutcome, IngestEvent, IngestOptions, IngestReport, OcrOutcome } from "./ingest-types";
import { BatchCommitter, defaultBatchLimits } from "./batch-committer";
import { DocumentIds } from "./document-ids";
import { IngestJournal } from "./ingest-journal";
import { preparedFromJson, type DocumentPreparer, type PreparedDocument, type PrepareRequest } from "./prepared-document";
import { reconcileIngests } from "./reconcile-ingests";
import { readListedFile } from "./read-listed-file";
import { fileNameWordsIn, scrubDocument } from "./scrub-document";
import { walkFiles } from "./walk-files";

/** A prepared document with its chunks' BM25 terms, when the index stores them (`LanceIndex.searchTerms`). */
type AnalysedDocument = PreparedDocument & { readonly searchTerms?: PackedStrings };

export interface IngestPipelineDeps {
  readonly index: LanceIndex;
  readonly chunker: LegalChunker;
  readonly embedder?: Embedder;
  readonly scrubber?: Scrubber;
  readonly scrubPolicy?: string;
  readonly root: string;
  readonly maxFileBytes: number;
  readonly concurrency: number;
  readonly logger?: Logger;
  readonly events?: EventBus;
  readonly audit?: AuditSink;
  /** OCR for scanned pages and images; absent when `ocr.enabled` is off. */
  readonly ocr?: PageOcr;
  /** Keyed document ids (default: unkeyed, derivable). */
  readonly ids?: DocumentIds;
  /** Prepares new and changed files elsewhere (a cluster's workers); default: here. */
  readonly preparer?: DocumentPreparer;
}

/** A prepared document once in a batch: its chunks are encoded rows of the batch, their objects freed. */
interface SealedDocument {
  readonly file: string;
  readonly commit: DocumentCommit;
  readonly chunks: number;
  readonly ocr: PreparedDocument["ocr"];
}

/** The batch being filled: its documents, and their chunk rows encoded as each document came. */
interface FillingBatch {
  readonly documents: SealedDocument[];
  readonly rows: ChunkBatch;
}

/** A batch ready to commit: its documents and their chunk rows, or why encoding them failed (nothing of it is written then). */
type SealedBatch = { readonly documents: readonly SealedDocument[] } & ({ readonly rows: EncodedChunks } | { readonly error: unknown });

/**
 * Rows written since the last index upkeep that trigger one mid-ingest (unindexed rows are searched
 * by a flat scan meanwhile). At least what LanceDB's compaction puts in one fragment: the upkeep's
 * compaction then leaves full fragments, which no later upkeep reads and rewrites again, and each
 * compacts about the rows written since the one before (at 1,000,000 the final upkeep of a 1 GB
 * ingest re-compacted ~2M rows an earlier one had left just under the target).
 */
const INDEX_UPKEEP_ROWS = COMPACTED_FRAGMENT_ROWS;

const unkeyedIds = new DocumentIds();

/** The outcome's note naming what of the file its text does not hold (a DOCX's headers, an e-mail's unread attachments). */
function partsNotReadNote(file: string, extracted: ExtractedDocument): Pick<FileOutcome, "formatNote"> {
  const parts = extracted.partsNotRead ?? [];
  if (parts.length === 0) return {};
  const name = path.basename(file);
  return { formatNote: { extension: path.extname(name).slice(1).toLowerCase(), format: extracted.format, message: `'${name}' was indexed without: ${parts.join("; ")}` } };
}

/** A file's name as its chunks' search header holds it: no folder, no extension, `_` and `-` as spaces. */
function fileNameWords(source: string): string {
  return path.basename(source).replace(/\.[a-z0-9]{1,5}$/i, "").replace(/[_-]+/g, " ");
}

/**
 * Each chunk's BM25 header: headings and names that help BM25 find the right document (file name,
 * title, parties, section path), each line ending with a newline; the chunk's own text (which keeps
 * its offsets) follows it in the index. The document's part is built once, and the header once per
 * section (its chunks share the path and the header string).
 */
function searchHeaders(name: string, title: string, parties: readonly string[], chunks: readonly { readonly sectionPath: readonly string[] }[]): string[] {
  const documentPart = [name, title, parties.join(" ; ")].filter(Boolean);
  const headers = new Map<readonly string[], string>();
  return chunks.map((c) => {
    let header = headers.get(c.sectionPath);
    if (header === undefined) {
      const section = c.sectionPath.join(" > ");
      const lines = section ? [...documentPart, section] : documentPart;
      header = lines.length > 0 ? `${lines.join("\n")}\n` : "";
      headers.set(c.sectionPath, header);
    }
    return header;
  });
}

/** Maps original page starts to offsets in a scrubbed text (binary search on the way back). */
function mapPageStarts(pageStarts: readonly number[], scrubbedLength: number, toOriginal: (s: number, e: number) => { start: number }): number[] {
  return pageStarts.map((p) => {
    let lo = 0;
    let hi = scrubbedLength;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (toOriginal(mid, mid).start < p) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  });
}

/**
 * extract → (scrub) → chunk → embed → store. Files are pulled lazily from the folder walk,
 * `concurrency` at a time, and committed in batches (one chunk write and one atomic document
 * merge-insert per batch) while the next batch is prepared; memory holds about two batches.
 */
export class IngestPipeline {
  readonly #deps: IngestPipelineDeps;
  readonly #logger: Logger;
  readonly #progress = new Subject<IngestEvent>();
  readonly onDidIngestProgress: Observable<IngestEvent> = this.#progress.asObservable();

  constructor(deps: IngestPipelineDeps) {
    this.#deps = deps;
    this.#logger = (deps.logger ?? silentLogger).child({ name: "rag:IngestPipeline" });
  }

  #emit(event: IngestEvent): void {
    this.#progress.next(event);
    this.#deps.events?.publish({ ...event, type: `rag:${event.type}`, source: "rag" });
  }

  /** The document version: its content and every setting its chunks depend on (`ocrKey`: see `#ocrKey`). */
  versionOf(contentHash: string, ocrKey = ""): string {
    const { chunker, embedder, scrubber, scrubPolicy } = this.#deps;
    return createHash("sha256")
      .update(`${contentHash}|${chunker.fingerprint}|${embedder?.id ?? "lexical"}|${scrubber ? `scrub:${scrubPolicy ?? "default"}` : "raw"}${ocrKey ? `|${ocrKey}` : ""}`)
      .digest("hex")
      .slice(0, 20);
  }

  /**
   * The OCR settings a document's text depends on. A document with OCRed pages depends on the
   * engine, model, languages and dpi, so changing any of them re-reads it; a document read from
   * its text layer alone depends on none (changing OCR settings does not re-ingest it). With OCR
   * off, PDFs and images are marked so, and turning OCR on re-reads them (their image pages).
   */
  #ocrKey(ocrUsed: boolean, format: string | undefined): string {
    const settings = this.#deps.ocr?.config;
    if (!settings) return format === "pdf" || format === "image" ? "ocr:off" : "";
    return ocrUsed ? `ocr:${settings.engine}|${settings.model}|${settings.languages.join("+")}|${settings.dpi}` : "";
  }

  /** Ingests under the index's writer lock: another process's ingest waits, and none can recover (delete) our chunks in flight. */
  run(inputs: readonly string[], options: IngestOptions = {}): Promise<IngestReport> {
    const runId = randomUUID();
    return this.#deps.index.withWriterLock(() => this.#run(runId, inputs, options), {
      onWait: (holder) => this.#emit({ type: "ingest-waiting", runId, ...(holder === undefined ? {} : { holder }) }),
      ...(options.signal ? { signal: options.signal } : {}),
    });
  }

  /**
   * Audits what unfinished runs (killed, cancelled) committed; under the writer lock, which the
   * caller holds or which this takes if it is free (else the lock's holder will do it).
   */
  async reconcile(): Promise<number> {
    const audit = this.#deps.audit ?? nullAuditSink;
    const runs = await this.#deps.index.tryWithWriterLock(() => reconcileIngests(this.#deps.index, audit, this.#logger));
    return runs?.reduce((s, r) => s + r.committed, 0) ?? 0;
  }

  async #run(runId: string, inputs: readonly string[], options: IngestOptions): Promise<IngestReport> {
    // a new matter may not equal an indexed one but for case: on macOS and Windows their folders would be one
    const matter = assertMatterId(options.matter ?? "default", undefined, new Set(this.#deps.index.documents().map((d) => d.matter)));
    const actor = options.actor ?? "system";
    const audit = this.#deps.audit ?? nullAuditSink;
    await reconcileIngests(this.#deps.index, audit, this.#logger);
    // Written ahead of each commit, so a kill -9 cannot leave a committed document unaudited.
    const journal = IngestJournal.begin(this.#deps.index.dir, { runId, matter, actor, startedAt: new Date().toISOString() });
    try {
      return await this.#runJournaled(runId, inputs, options, matter, journal);
    } catch (error) {
      journal.release();
      await reconcileIngests(this.#deps.index, audit, this.#logger, options.signal?.aborted ? "cancelled" : "failed", runId).catch((e: unknown) =>
        this.#logger.warn({ runId, error: (e as Error).message }, "the documents of a stopped ingest stay to be audited on the next open"),
      );
      throw error;
    }
  }

  async #runJournaled(runId: string, inputs: readonly string[], options: IngestOptions, matter: string, journal: IngestJournal): Promise<IngestReport> {
    const concurrency = options.concurrency ?? this.#deps.preparer?.concurrency ?? this.#deps.concurrency;
    const started = Date.now();
    const outcomes: FileOutcome[] = [];
    let bytesRead = 0;
    let done = 0;
    const finish = (outcome: FileOutcome): void => {
      outcomes.push(outcome);
      done++;
      this.#emit({ type: "file-finished", runId, outcome, done });
    };
    this.#emit({ type: "ingest-started", runId, matter });
    const upkeep = { unindexedRows: 0 };
    // The batches' column buffers, filled again by later batches once a batch is written.
    const pool = this.#deps.index.chunkRowsPool();
    const committer = new BatchCommitter<AnalysedDocument, FillingBatch, SealedBatch>(
      {
        open: () => ({ documents: [], rows: this.#deps.index.chunkBatch({ pool }) }),
        add: (batch, prepared) => this.#addToBatch(batch, prepared),
        seal: (batch) => this.#sealBatch(batch),
        // Written (or not, when cancelled or failed): LanceDB copied the rows, their buffers serve the next batch.
        commit: (sealed) => this.#commitBatch(runId, sealed, finish, upkeep, journal, options.signal).finally(() => ("rows" in sealed ? sealed.rows.release() : undefined)),
      },
      { ...defaultBatchLimits, ...options.batch },
    );
    const files = walkFiles(this.#deps.root, inputs);
    // While one batch is committed (LanceDB works on its own threads), the next is read, extracted,
    // chunked, embedded and encoded here; file-finished is emitted once a document is visible.
    const worker = async (): Promise<void> => {
      for (;;) {
        options.signal?.throwIfAborted();
        const next = await files.next();
        if (next.done) return;
        const item = next.value;
        if ("error" in item) {
          finish(failure(item.file, item.error));
          continue;
        }
        this.#emit({ type: "file-started", runId, file: item.file });
        // A file stopped by the cancellation is not a failed file: the cancellation ends this worker.
        const result = await this.#prepareFile(runId, item.file, matter, options).catch((error: unknown) => {
          options.signal?.throwIfAborted();
          return { outcome: failure(item.file, error), bytes: 0 };
        });
        bytesRead += result.bytes;
        if ("outcome" in result) finish(result.outcome);
        // Its terms are analysed a slice at a time (the event loop turns between), then its rows are encoded at
        // once: a document they cannot be encoded for fails alone.
        else await this.#withSearchTerms(result.prepared, pool).then((prepared) => committer.add(prepared)).catch((error: unknown) => finish(failure(item.file, error)));
      }
    };
    try {
      const workers = await Promise.allSettled(Array.from({ length: Math.max(1, concurrency) }, () => worker()));
      const stopped = workers.find((w): w is PromiseRejectedResult => w.status === "rejected");
      if (stopped) {
        // Cancelled: what was committed stays; the batch being filled was never written.
        await committer.abandon();
        throw stopped.reason;
      }
      await committer.flush();
    } finally {
      // The words of this ingest's documents are forgotten as soon as its last batch is written.
      pool.dispose();
    }
    options.signal?.throwIfAborted();
    await this.#deps.index.optimize();
    const count = (s: FileOutcome["status"]): number => outcomes.filter((o) => o.status === s).length;
    const report: IngestReport = {
      runId,
      matter,
      files: outcomes.sort((a, b) => a.file.localeCompare(b.file)),
      added: count("added"),
      updated: count("updated"),
      unchanged: count("unchanged"),
      failed: count("failed"),
      chunksWritten: outcomes.reduce((s, o) => s + (o.status === "added" || o.status === "updated" ? (o.chunks ?? 0) : 0), 0),
      bytesRead,
      durationMs: Date.now() - started,
    };
    await (this.#deps.audit ?? nullAuditSink).record({
      action: "ingest",
      outcome: report.failed > 0 && report.failed === outcomes.length ? "failure" : "success",
      actor: options.actor ?? "system",
      resource: runId,
      matter,
      details: { added: report.added, updated: report.updated, unchanged: report.unchanged, failed: report.failed, chunks: report.chunksWritten },
    });
    journal.close(); // every committed document is audited by the record above
    this.#logger.info({ runId, matter, added: report.added, updated: report.updated, unchanged: report.unchanged, failed: report.failed }, "ingest finished");
    this.#emit({ type: "ingest-finished", runId, report });
    return report;
  }

  /**
   * Encodes a prepared document's chunk rows into the batch being filled, on this thread, as soon as
   * it is prepared (while the batch before is written by LanceDB on its own threads): its chunk
   * objects then die young instead of outliving the batch. Encoding is pure (it writes nothing).
   */
  #addToBatch(batch: FillingBatch, prepared: AnalysedDocument): void {
    const { commit } = prepared;
    const text = this.#deps.index.storedText(commit.text, commit.record.id);
    batch.rows.add(prepared.chunks, prepared.searchHeaders, prepared.searchTerms);
    // Its text too waits for the commit as UTF-8 bytes, outside the JavaScript heap.
    batch.documents.push({ file: prepared.file, commit: { ...commit, text }, chunks: prepared.chunks.length, ocr: prepared.ocr });
  }

  /** A prepared document with its chunks' BM25 terms, where the index stores them (`LanceIndex.searchTerms`). */
  async #withSearchTerms(prepared: PreparedDocument, pool: ChunkRowsPool): Promise<AnalysedDocument> {
    const searchTerms = await this.#deps.index.searchTerms(prepared.chunks, prepared.searchHeaders, pool);
    return searchTerms ? { ...prepared, searchTerms } : prepared;
  }

  /** A full batch ready to commit: its rows wrapped as one table. */
  #sealBatch(batch: FillingBatch): SealedBatch {
    try {
      return { documents: batch.documents, rows: batch.rows.seal() };
    } catch (error) {
      return { documents: batch.documents, error };
    }
  }

  /**
   * Commits a sealed batch: its chunks in one write, then its document rows in one atomic
   * merge-insert, both in one entry of the index's write queue. A failure fails every file of the
   * batch (their chunks are discarded); the ingest goes on. A document deleted since its file was
   * looked up is not committed (its file fails with RAG_DOCUMENT_DELETED). Full-text and vector index upkeep waits for the end of the ingest, or for enough new rows.
   */
  async #commitBatch(runId: string, sealed: SealedBatch, finish: (o: FileOutcome) => void, upkeep: { unindexedRows: number }, journal: IngestJournal, signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) return; // cancelled while queued: nothing of it was written
    const { index } = this.#deps;
    const { documents } = sealed;
    const chunks = documents.reduce((s, d) => s + d.chunks, 0);
    const failAll = (error: unknown): void => documents.forEach((d) => finish(failure(d.file, error)));
    if ("error" in sealed) return failAll(sealed.error); // its rows could not be encoded: nothing was written
    let deleted: ReadonlySet<string>;
    try {
      journal.intend(documents.map((d) => ({ id: d.commit.record.id, version: d.commit.record.version, replaces: d.commit.replaces })));
      const ingestedAt = new Date().toISOString();
      const commits = documents.map((d) => ({ ...d.commit, record: { ...d.commit.record, ingestedAt } }));
      // One write: a delete of this process lands before it (its documents are then dropped) or after it, never between.
      const dropped = await index.commitBatch(sealed.rows, commits, () => this.#logger.debug({ runId, documents: documents.length, chunks }, "batch chunks written"));
      deleted = new Set(dropped.map((c) => c.record.id));
    } catch (error) {
      await index.discardVersions(documents.map((d) => ({ documentId: d.commit.record.id, version: d.commit.record.version }))).catch(() => undefined);
      return failAll(error);
    }
    let written = 0;
    for (const d of documents) {
      if (deleted.has(d.commit.record.id)) {
        finish(failure(d.file, new RagError("RAG_DOCUMENT_DELETED", `document '${d.commit.record.id}' of file '${d.file}' was deleted while this ingest was indexing it: it was not committed`, { hint: "Ingest the file again to index it anew." })));
        continue;
      }
      written += d.chunks;
      // The extension's note and the note of parts not read, in one (neither hides the other).
      const mismatch = formatNoteFor(path.basename(d.file), d.commit.record.type);
      const notRead = d.ocr?.formatNote;
      const formatNote = mismatch && notRead ? { ...mismatch, message: `${mismatch.message}; ${notRead.message}` } : (mismatch ?? notRead);
      finish({ file: d.file, status: d.commit.replaces ? "updated" : "added", documentId: d.commit.record.id, chunks: d.chunks, ...d.ocr, ...(formatNote ? { formatNote } : {}) });
    }
    upkeep.unindexedRows += written;
    if (upkeep.unindexedRows >= INDEX_UPKEEP_ROWS) {
      upkeep.unindexedRows = 0;
      await index.optimize().catch((error: unknown) => this.#logger.warn({ runId, error: (error as Error).message }, "index upkeep failed; unindexed rows are still searched"));
    }
  }

  /** Reads, extracts, (scrubs,) chunks and (embeds) one file: a document ready to commit, or its outcome (unchanged, failed). */
  async #prepareFile(runId: string, file: string, matter: string, options: IngestOptions): Promise<{ outcome: FileOutcome; bytes: number } | { prepared: PreparedDocument; bytes: number }> {
    const { index } = this.#deps;
    // Opened once by handle, checked and read from it: the file may have been swapped since the listing.
    const bytes = await readListedFile(this.#deps.root, file, this.#deps.maxFileBytes);
    const contentHash = createHash("sha256").update(bytes).digest("hex");
    // A delete of the document from now on (while the file is prepared) drops its commit: it is not re-added as "updated".
    const deletesBefore = index.deleteCount;
    // stable for one file in one matter, whatever its content
    const documentId = (this.#deps.ids ?? unkeyedIds).resolve(matter, file, (id) => index.document(id) !== undefined);
    const existing = index.document(documentId);
    if (existing && existing.version === this.versionOf(contentHash, this.#ocrKey(existing.ocr !== undefined, existing.type))) {
      return { outcome: { file, status: "unchanged", documentId, chunks: existing.chunkCount }, bytes: bytes.length };
    }
    const request: PrepareRequest = { file, bytes, documentId, matter, contentHash, replaces: existing !== undefined };
    const { preparer } = this.#deps;
    const prepared = preparer
      ? this.#checkSettings(preparedFromJson(await preparer.prepare(request, options.signal), request))
      : await this.prepare(request, { ...(options.signal ? { signal: options.signal } : {}), onPage: (p) => this.#emit({ type: "ocr-page", runId, file, ...p }) });
    return { prepared: { ...prepared, commit: { ...prepared.commit, deletesBefore } }, bytes: bytes.length };
  }

  /** A document prepared elsewhere must have been made with this index's settings (chunker, embedder, scrubbing, OCR). */
  #checkSettings(prepared: PreparedDocument): PreparedDocument {
    const { record } = prepared.commit;
    const { embedder } = this.#deps;
    const sameVersion = record.version === this.versionOf(record.contentHash, this.#ocrKey(record.ocr !== undefined, record.type));
    const sameVectors = prepared.chunks.every((c) => (embedder ? c.vector?.length === embedder.dimensions : c.vector === undefined));
    if (!sameVersion || !sameVectors) {
      throw new RagError("RAG_PREPARED_INVALID", `file '${prepared.file}' was prepared with other settings (chunking, embedding model, scrubbing or OCR) than this index's`, {
        hint: "Give every machine of the cluster the same configuration and models.",
      });
    }
    return prepared;
  }

  /**
   * Extracts, (OCRs, scrubs,) chunks and (embeds) one new or changed file: the CPU work of an
   * ingest, which a cluster's workers run for the ingesting instance (`RagEngine.prepareDocument`).
   */
  async prepare(request: PrepareRequest, options: { readonly signal?: AbortSignal; readonly onPage?: (p: OcrPageProgress) => void } = {}): Promise<PreparedDocument> {
    const { chunker, embedder, scrubber } = this.#deps;
    const { file, bytes, documentId, matter, contentHash } = request;
    // The text layer is read in a worker thread (a bomb fails this file only); OCR then runs here,
    // on the engine's own worker pool shared by every file of the ingest.
    const { ocr } = this.#deps;
    let extracted = await extractDocumentIsolated(file, bytes, { maxBytes: this.#deps.maxFileBytes, ...(ocr ? { ocrFollows: true } : {}), ...(options.signal ? { signal: options.signal } : {}) });
    if (ocr) {
      extracted = await completeWithOcr(file, bytes, extracted, ocr, {
        ...(options.signal ? { signal: options.signal } : {}),
        ...(options.onPage ? { onPage: options.onPage } : {}),
      });
    }
    options.signal?.throwIfAborted();
    const version = this.versionOf(contentHash, this.#ocrKey(extracted.ocr !== undefined, extracted.format));
    let text = extracted.text;
    let pageStarts = [...extracted.pageStarts];
    let declaredTitle = extracted.title;
    // The file name's words as BM25 indexes them and the title falls back to.
    let fileName = fileNameWords(file);
    if (scrubber) {
      // The declared title is scrubbed with the text (one numbering); of the file name only words the scrubbed text keeps stay searchable.
      const scrubbed = await scrubDocument(scrubber, text, declaredTitle, { documentId, ...(this.#deps.scrubPolicy ? { policy: this.#deps.scrubPolicy } : {}), ...(options.signal ? { signal: options.signal } : {}) });
      pageStarts = mapPageStarts(pageStarts, scrubbed.text.length, (s, e) => scrubbed.toOriginalSpan(s, e));
      text = scrubbed.text;
      declaredTitle = scrubbed.title;
      fileName = fileNameWordsIn(fileName, `${text}\n${declaredTitle ?? ""}`);
    }
    // Turns of the event loop between reading plain text (on this thread), finding its metadata and chunking it:
    // three stretches of the main thread, not one.
    await eventLoopTurn();
    const meta = detectMetadata(text, declaredTitle, scrubber ? fileName || undefined : file);
    await eventLoopTurn();
    const pieces = chunker.chunk(text, pageStarts);
    const vectors = embedder && pieces.length > 0 ? await embedder.embed(pieces.map((c) => c.text), options.signal ? { signal: options.signal } : {}) : undefined;
    const chunks: ChunkRecord[] = pieces.map((c, i) => ({
      id: `${documentId}:${version}:${c.ordinal}`,
      documentId,
      version,
      matter,
      docType: extracted.format,
      text: c.text,
      start: c.start,
      end: c.end,
      page: c.page,
      sectionPath: c.sectionPath,
      ordinal: c.ordinal,
      ...(vectors ? { vector: vectors[i]! } : {}),
    }));
    const record: DocumentRecord = {
      id: documentId,
      version,
      matter,
      source: file,
      title: meta.title,
      type: extracted.format,
      pageCount: pageStarts.length,
      contentHash,
      bytes: bytes.length,
      chars: text.length,
      chunkCount: chunks.length,
      dates: meta.dates,
      parties: meta.parties,
      ingestedAt: new Date().toISOString(),
      scrubbed: Boolean(scrubber),
      ...(extracted.ocr ? { ocr: extracted.ocr } : {}),
    };
    const prepared: PreparedDocument = {
      file,
      chars: text.length,
      chunks,
      searchHeaders: searchHeaders(fileName, meta.title, meta.parties, chunks),
      commit: { record, text, pageStarts, replaces: request.replaces },
      ocr: { ...this.#ocrOutcome(extracted), ...partsNotReadNote(file, extracted) },
    };
    return prepared;
  }

  #ocrOutcome(extracted: ExtractedDocument): Pick<FileOutcome, "ocr" | "pageFailures"> {
    const failures = extracted.pageFailures ? { pageFailures: extracted.pageFailures } : {};
    if (!extracted.ocr) return failures;
    const { engine, pages } = extracted.ocr;
    const floor = this.#deps.ocr?.config.minConfidence ?? 0;
    const withWords = pages.filter((p) => p.confidence > 0); // a blank page scores 0 and is not flagged
    const mean = withWords.length ? withWords.reduce((s, p) => s + p.confidence, 0) / withWords.length : 0;
    const ocr: OcrOutcome = {
      engine,
      pages: pages.length,
      meanConfidence: Math.round(mean * 10) / 10,
      lowConfidencePages: withWords.filter((p) => p.confidence < floor).map((p) => p.page),
    };
    return { ocr, ...failures };
  }

  dispose(): void {
    this.#progress.complete();
  }
}

function failure(file: string, error: unknown): FileOutcome {
  if (BearError.isInstance(error)) {
    return { file, status: "failed", error: { code: error.code, message: error.message, ...(error.hint ? { hint: error.hint } : {}) } };
  }
  const message = error instanceof Error ? error.message : String(error);
  return { file, status: "failed", error: { code: "RAG_FILE_UNREADABLE", message: `file '${file}' could not be ingested: ${message.slice(0, 200)}` } };
}
