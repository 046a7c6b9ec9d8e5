import { createHash, randomUUID } from "node:crypto";
import fs from "node:fs/promises";
import path from "node:path";
import { BearError, nullAuditSink, silentLogger, type AuditSink, type Embedder, type EventBus, type Logger, type Scrubber } from "@bear/core";
import { Subject, type Observable } from "rxjs";
import { detectMetadata } from "../chunking/document-metadata";
import type { LegalChunker } from "../chunking/legal-chunker";
import { ExtractionError } from "../errors";
import { extractDocument } from "../extraction/extract-document";
import type { LanceIndex } from "../store/lance-index";
import type { ChunkRecord, DocumentRecord } from "../store/records";
import type { FileOutcome, IngestEvent, IngestOptions, IngestReport } from "./ingest-types";
import { walkFiles } from "./walk-files";

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
}

const MATTER_RE = /^[\p{L}\p{N}][\p{L}\p{N} ._:/-]{0,127}$/u;

export function assertMatter(matter: unknown): string {
  if (typeof matter !== "string" || !MATTER_RE.test(matter)) {
    throw new BearError("INVALID_ARGUMENT", `invalid matter: ${JSON.stringify(String(matter)).slice(0, 80)} (expected 1-128 letters, digits, space . _ : / -)`, {
      hint: "Use a short matter id such as 'acme-2026'.",
    });
  }
  return matter;
}

/** The id of a document: stable for one file in one matter, whatever its content. */
export function documentIdOf(matter: string, absolutePath: string): string {
  return createHash("sha256").update(`${matter}\0${absolutePath}`).digest("hex").slice(0, 24);
}

/** Headings and names that help BM25 find the right document; the chunk's own text keeps its offsets. */
function searchHeader(source: string, title: string, parties: readonly string[], sectionPath: readonly string[]): string {
  const name = path.basename(source).replace(/\.[a-z0-9]{1,5}$/i, "").replace(/[_-]+/g, " ");
  return [name, title, parties.join(" ; "), sectionPath.join(" > ")].filter(Boolean).join("\n");
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
 * extract → (scrub) → chunk → embed → store, a few documents at a time. Files are pulled
 * lazily from the folder walk, so memory holds at most `concurrency` documents (backpressure).
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

  versionOf(contentHash: string): string {
    const { chunker, embedder, scrubber, scrubPolicy } = this.#deps;
    return createHash("sha256")
      .update(`${contentHash}|${chunker.fingerprint}|${embedder?.id ?? "lexical"}|${scrubber ? `scrub:${scrubPolicy ?? "default"}` : "raw"}`)
      .digest("hex")
      .slice(0, 20);
  }

  /** Ingests under the index's writer lock: another process's ingest waits, and none can recover (delete) our chunks in flight. */
  run(inputs: readonly string[], options: IngestOptions = {}): Promise<IngestReport> {
    const runId = randomUUID();
    return this.#deps.index.withWriterLock(() => this.#run(runId, inputs, options), {
      onWait: (holder) => this.#emit({ type: "ingest-waiting", runId, ...(holder === undefined ? {} : { holder }) }),
      ...(options.signal ? { signal: options.signal } : {}),
    });
  }

  async #run(runId: string, inputs: readonly string[], options: IngestOptions): Promise<IngestReport> {
    const matter = assertMatter(options.matter ?? "default");
    const concurrency = options.concurrency ?? this.#deps.concurrency;
    const started = Date.now();
    const outcomes: FileOutcome[] = [];
    let bytesRead = 0;
    this.#emit({ type: "ingest-started", runId, matter });
    const files = walkFiles(this.#deps.root, inputs);
    let done = 0;
    const worker = async (): Promise<void> => {
      for (;;) {
        options.signal?.throwIfAborted();
        const next = await files.next();
        if (next.done) return;
        const item = next.value;
        let outcome: FileOutcome;
        if ("error" in item) {
          outcome = failure(item.file, item.error);
        } else {
          this.#emit({ type: "file-started", runId, file: item.file });
          const result = await this.#ingestFile(item.file, matter, options).catch((error: unknown) => ({ outcome: failure(item.file, error), bytes: 0 }));
          outcome = result.outcome;
          bytesRead += result.bytes;
        }
        outcomes.push(outcome);
        done++;
        this.#emit({ type: "file-finished", runId, outcome, done });
      }
    };
    await Promise.all(Array.from({ length: Math.max(1, concurrency) }, () => worker()));
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
    this.#logger.info({ runId, matter, added: report.added, updated: report.updated, unchanged: report.unchanged, failed: report.failed }, "ingest finished");
    this.#emit({ type: "ingest-finished", runId, report });
    return report;
  }

  async #ingestFile(file: string, matter: string, options: IngestOptions): Promise<{ outcome: FileOutcome; bytes: number }> {
    const { index, chunker, embedder, scrubber } = this.#deps;
    const stat = await fs.stat(file);
    if (stat.size > this.#deps.maxFileBytes) {
      throw new ExtractionError("RAG_FILE_TOO_LARGE", file, `file '${file}' is ${stat.size} bytes, over the ${this.#deps.maxFileBytes}-byte limit`, {
        hint: "Split the file, or raise maxFileBytes in the rag config.",
      });
    }
    const bytes = new Uint8Array(await fs.readFile(file));
    const contentHash = createHash("sha256").update(bytes).digest("hex");
    const documentId = documentIdOf(matter, file);
    const version = this.versionOf(contentHash);
    const existing = index.document(documentId);
    if (existing?.version === version) {
      return { outcome: { file, status: "unchanged", documentId, chunks: existing.chunkCount }, bytes: bytes.length };
    }
    const extracted = await extractDocument(file, bytes, { maxBytes: this.#deps.maxFileBytes });
    options.signal?.throwIfAborted();
    let text = extracted.text;
    let pageStarts = [...extracted.pageStarts];
    if (scrubber) {
      const scrubbed = await scrubber.scrub(text, { documentId, ...(this.#deps.scrubPolicy ? { policy: this.#deps.scrubPolicy } : {}), ...(options.signal ? { signal: options.signal } : {}) });
      pageStarts = mapPageStarts(pageStarts, scrubbed.text.length, (s, e) => scrubbed.toOriginalSpan(s, e));
      text = scrubbed.text;
    }
    const meta = detectMetadata(text, extracted.title);
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
    try {
      await index.writeChunks(
        chunks,
        chunks.map((c) => `${searchHeader(file, meta.title, meta.parties, c.sectionPath)}\n${c.text}`),
      );
    } catch (error) {
      await index.discardVersion(documentId, version).catch(() => undefined);
      throw error;
    }
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
    };
    await index.commitDocument(record, text, pageStarts, existing !== undefined);
    return { outcome: { file, status: existing ? "updated" : "added", documentId, chunks: chunks.length }, bytes: bytes.length };
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
