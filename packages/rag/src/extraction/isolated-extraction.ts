// Extraction runs in a worker thread with V8 resource limits, one file at a time, so a hostile file
// (a zip or flate bomb, a parser blow-up) fails that file with RAG_FILE_TOO_LARGE while the batch and
// the server go on. The worker is kept between files and replaced after it dies. Plain text and
// Markdown are read in the calling thread: decoding them runs no parser a file could blow up, its
// cost is linear in a size already capped by maxBytes, and the worker's start and round trips cost
// more than the read itself (cuad_train, 405 .txt files: 0.12 s CPU in-process, 0.26 s through a
// warm worker, 1.09 s through a new one).
import fs from "node:fs";
import { fileURLToPath } from "node:url";
import { Worker } from "node:worker_threads";
import { ExtractionError } from "../errors";
import { extractDocument, type ExtractedDocument, type ExtractOptions } from "./extract-document";
import { sniffFormat } from "./sniff-format";
import type { ExtractionReply, ExtractionRequest } from "./extraction-worker";

export interface IsolationOptions {
  /** Old-generation heap of the extraction worker, in MB. Default 1024. */
  readonly memoryMb?: number;
  /** Longest one file may take. Default 120 s. */
  readonly timeoutMs?: number;
  /** The worker script; defaults to dist/extraction-worker.js next to this package's bundle. */
  readonly workerUrl?: URL;
  /** Stops the extraction: a queued file is dropped, a file being read ends the worker thread (the next file gets a new one). */
  readonly signal?: AbortSignal;
}

export const DEFAULT_EXTRACTION_MEMORY_MB = 1024;
export const DEFAULT_EXTRACTION_TIMEOUT_MS = 120_000;

interface Job {
  readonly file: string;
  readonly bytes: Uint8Array;
  readonly options: ExtractOptions;
  readonly signal: AbortSignal | undefined;
  readonly resolve: (doc: ExtractedDocument) => void;
  readonly reject: (error: Error) => void;
}

type TypedErrorCode = ConstructorParameters<typeof ExtractionError>[0];

/** One worker thread, fed one file at a time, so a failure is always blamed on the right file. */
class ExtractionWorker {
  #worker: Worker | undefined;
  #queue: Job[] = [];
  #busy = false;
  /** Ends the job being extracted (its worker with it), when its signal aborts. */
  #stopRunning: ((job: Job) => void) | undefined;
  #nextId = 0;

  constructor(
    private readonly url: URL,
    private readonly memoryMb: number,
    private readonly timeoutMs: number,
  ) {}

  extract(file: string, bytes: Uint8Array, options: ExtractOptions, signal?: AbortSignal): Promise<ExtractedDocument> {
    if (signal?.aborted) return Promise.reject(signal.reason as Error);
    return new Promise((resolve, reject) => {
      const onAbort = (): void => {
        const queued = this.#queue.indexOf(job);
        if (queued >= 0) {
          this.#queue.splice(queued, 1);
          reject(signal?.reason as Error);
        } else this.#stopRunning?.(job);
      };
      const settle =
        <A>(fn: (a: A) => void) =>
        (a: A): void => {
          signal?.removeEventListener("abort", onAbort);
          fn(a);
        };
      const job: Job = { file, bytes, options, signal, resolve: settle(resolve), reject: settle(reject) };
      signal?.addEventListener("abort", onAbort, { once: true });
      this.#queue.push(job);
      this.#next();
    });
  }

  #spawn(): Worker {
    const worker = new Worker(this.url, {
      resourceLimits: { maxOldGenerationSizeMb: this.memoryMb, maxYoungGenerationSizeMb: Math.min(64, Math.max(8, this.memoryMb / 16)) },
    });
    worker.unref();
    return worker;
  }

  #next(): void {
    if (this.#busy) return;
    let job = this.#queue.shift();
    // A job whose signal aborted (its listener not run yet: several files of one cancelled ingest) never starts.
    while (job?.signal?.aborted) {
      job.reject(job.signal.reason as Error);
      job = this.#queue.shift();
    }
    if (!job) return;
    this.#busy = true;
    const worker = (this.#worker ??= this.#spawn());
    worker.ref();
    const id = this.#nextId++;
    let settled = false;
    const finish = (outcome: () => void, keepWorker: boolean): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      worker.off("message", onMessage);
      worker.off("error", onError);
      worker.off("exit", onExit);
      if (keepWorker) worker.unref();
      else {
        if (this.#worker === worker) this.#worker = undefined;
        // its own listeners are gone: an error it emits while it stops must not become an uncaught exception
        worker.on("error", () => undefined);
        void worker.terminate();
      }
      this.#busy = false;
      this.#stopRunning = undefined;
      outcome();
      this.#next();
    };
    const onMessage = (reply: ExtractionReply): void => {
      if (reply.id !== id) return;
      if (reply.ok) finish(() => job.resolve(reply.document), true);
      else {
        const { code, message, hint, details } = reply.error;
        const error = code?.startsWith("RAG_FILE_") || code === "RAG_UNSUPPORTED_FORMAT" ? new ExtractionError(code as TypedErrorCode, job.file, message, { ...(hint ? { hint } : {}), ...(details ? { details } : {}) }) : new Error(message);
        finish(() => job.reject(error), true);
      }
    };
    const onError = (error: Error): void => {
      const oom = (error as { code?: string }).code === "ERR_WORKER_OUT_OF_MEMORY";
      finish(() => job.reject(oom ? tooLarge(job.file, `needed more than ${this.memoryMb} MB to extract`, { memoryMb: this.memoryMb }) : new ExtractionError("RAG_FILE_CORRUPT", job.file, `file '${job.file}' broke the extractor (${error.message.slice(0, 120)})`, { cause: error })), false);
    };
    const onExit = (code: number): void => {
      finish(() => job.reject(new ExtractionError("RAG_FILE_CORRUPT", job.file, `the extractor stopped on file '${job.file}' (exit code ${code})`)), false);
    };
    this.#stopRunning = (stopped) => {
      if (stopped === job) finish(() => job.reject(job.signal?.reason as Error), false);
    };
    const timer = setTimeout(() => {
      finish(() => job.reject(tooLarge(job.file, `took longer than ${this.timeoutMs} ms to extract`, { timeoutMs: this.timeoutMs })), false);
    }, this.timeoutMs);
    worker.on("message", onMessage);
    worker.on("error", onError);
    worker.on("exit", onExit);
    // A copy of the bytes is moved to the worker: the caller keeps its own.
    const copy = job.bytes.slice();
    const request: ExtractionRequest = { id, file: job.file, bytes: copy, options: job.options };
    worker.postMessage(request, [copy.buffer]);
  }
}

function tooLarge(file: string, what: string, details: Record<string, unknown>): ExtractionError {
  return new ExtractionError("RAG_FILE_TOO_LARGE", file, `file '${file}' ${what}; it was skipped`, {
    hint: "The file is hostile (a zip or flate bomb) or too large to extract; split it if it is genuine.",
    details,
  });
}

const workers = new Map<string, ExtractionWorker>();

/** The built worker next to this module (dist/), or undefined when running from TypeScript sources. */
function defaultWorkerUrl(): URL | undefined {
  const url = new URL("./extraction-worker.js", import.meta.url);
  if (fs.existsSync(fileURLToPath(url))) return url;
  if (import.meta.url.endsWith(".ts")) return undefined;
  throw new Error(`the extraction worker ${fileURLToPath(url)} is missing; rebuild @bear/rag`);
}

/** True for UTF-8 plain text and Markdown (by content, as extractDocument tells formats): read without the worker. */
function plainText(bytes: Uint8Array): boolean {
  const kind = sniffFormat(bytes);
  return kind === "text" || kind === "markdown";
}

/**
 * Extracts one file in the extraction worker thread (see extractDocument for formats and errors);
 * UTF-8 plain text and Markdown, and every file when running from TypeScript sources without a
 * built worker, are extracted in the calling thread (the same function, the same result).
 */
export function extractDocumentIsolated(file: string, bytes: Uint8Array, options: ExtractOptions & IsolationOptions = {}): Promise<ExtractedDocument> {
  const { memoryMb = DEFAULT_EXTRACTION_MEMORY_MB, timeoutMs = DEFAULT_EXTRACTION_TIMEOUT_MS, workerUrl, signal, ...extractOptions } = options;
  const url = plainText(bytes) ? undefined : (workerUrl ?? defaultWorkerUrl());
  if (url === undefined) return signal?.aborted ? Promise.reject(signal.reason as Error) : extractDocument(file, bytes, extractOptions);
  const key = `${url.href}|${memoryMb}|${timeoutMs}`;
  let worker = workers.get(key);
  if (!worker) {
    worker = new ExtractionWorker(url, memoryMb, timeoutMs);
    workers.set(key, worker);
  }
  return worker.extract(file, bytes, extractOptions, signal);
}
