// Scanning on worker threads: documents in parallel, and a long document cut at paragraph breaks into pieces scanned
// in parallel. The event loop of the caller never runs a scan.
import fs from "node:fs";
import os from "node:os";
import { fileURLToPath } from "node:url";
import { Worker } from "node:worker_threads";
import { InvalidArgumentError } from "@bear/core";
import { ScanPoolError } from "../errors";
import { resolveOverlaps, type PiiScannerOptions } from "./pii-scanner";
import type { PiiFinding } from "./pii-types";
import type { ScanReply, ScanRequest } from "./scan-worker";

export interface PiiScanPoolOptions {
  /** Worker threads (default: the machine's available parallelism). */
  readonly threads?: number;
  /** Scanner options for every worker (plain data: recognizer objects and validator functions cannot cross threads). */
  readonly scanner?: Omit<PiiScannerOptions, "recognizers">;
  /** Texts longer than this are cut at paragraph breaks into pieces of about this size (default 256 KiB). */
  readonly pieceChars?: number;
  /** The worker script; defaults to dist/scan-worker.js next to this package's bundle. */
  readonly workerUrl?: URL;
}

interface Job {
  readonly text: string;
  readonly resolve: (findings: readonly PiiFinding[]) => void;
  readonly reject: (error: Error) => void;
}

/** The built worker next to this module (dist/). */
function defaultWorkerUrl(): URL {
  const url = new URL("./scan-worker.js", import.meta.url);
  if (!fs.existsSync(fileURLToPath(url))) throw new ScanPoolError(`the worker script ${fileURLToPath(url)} is missing`);
  return url;
}

/** Where a long text is cut: at the last blank line (else line break) before each `size` characters. */
export function pieces(text: string, size: number): { readonly offset: number; readonly text: string }[] {
  const out: { offset: number; text: string }[] = [];
  let pos = 0;
  while (pos < text.length) {
    let end = Math.min(text.length, pos + size);
    if (end < text.length) {
      const window = text.slice(pos, end);
      const cut = window.lastIndexOf("\n\n") > size / 2 ? window.lastIndexOf("\n\n") + 2 : window.lastIndexOf("\n") > size / 2 ? window.lastIndexOf("\n") + 1 : end - pos;
      end = pos + cut;
    }
    out.push({ offset: pos, text: text.slice(pos, end) });
    pos = end;
  }
  return out;
}

/** One worker thread; a thread that dies fails the scans it held and is replaced at the next scan. */
class ScanThread {
  #worker: Worker | undefined;
  readonly #pending = new Map<number, Job>();
  #nextId = 0;

  constructor(
    private readonly url: URL,
    private readonly options: PiiScanPoolOptions["scanner"],
    private readonly onIdle: () => void,
  ) {}

  #spawn(): Worker {
    const worker = new Worker(this.url);
    worker.unref();
    worker.postMessage({ options: this.options ?? {} });
    worker.on("message", (reply: ScanReply) => {
      const job = this.#pending.get(reply.id);
      this.#pending.delete(reply.id);
      if (this.#pending.size === 0) worker.unref();
      if (job) {
        if (reply.ok) job.resolve(reply.findings);
        else job.reject(new ScanPoolError(`a scan failed in a worker (${reply.error.code ?? "error"}): ${reply.error.message}`));
      }
      this.onIdle();
    });
    const fail = (error: Error): void => {
      if (this.#worker === worker) this.#worker = undefined;
      for (const job of this.#pending.values()) job.reject(new ScanPoolError(`a worker thread ended: ${error.message}`, { cause: error }));
      this.#pending.clear();
      this.onIdle();
    };
    worker.on("error", fail);
    worker.on("exit", (code) => fail(new Error(`exit code ${code}`)));
    return worker;
  }

  get load(): number {
    return this.#pending.size;
  }

  scan(job: Job): void {
    const worker = (this.#worker ??= this.#spawn());
    const id = this.#nextId++;
    this.#pending.set(id, job);
    worker.ref();
    const request: ScanRequest = { id, text: job.text };
    worker.postMessage(request);
  }

  async terminate(): Promise<void> {
    const worker = this.#worker;
    this.#worker = undefined;
    if (worker) await worker.terminate();
  }
}

/**
 * A pool of scanner threads. `scan(text)` resolves with the same kind of findings as `PiiScanner.scan`; a text longer
 * than `pieceChars` is scanned piece by piece in parallel (mentions are then linked within a piece, not across
 * pieces: a short name defined in one piece is not found in the next).
 */
export class PiiScanPool {
  readonly threads: number;
  readonly #pieceChars: number;
  readonly #workers: ScanThread[] = [];
  readonly #queue: Job[] = [];
  #disposed = false;

  constructor(options: PiiScanPoolOptions = {}) {
    const threads = options.threads ?? os.availableParallelism();
    if (!Number.isInteger(threads) || threads < 1 || threads > 64) throw new InvalidArgumentError("threads", threads, "an integer from 1 to 64");
    const pieceChars = options.pieceChars ?? 256 * 1024;
    if (!Number.isInteger(pieceChars) || pieceChars < 4096) throw new InvalidArgumentError("pieceChars", pieceChars, "an integer of at least 4096");
    if (options.scanner && "recognizers" in options.scanner) throw new InvalidArgumentError("scanner.recognizers", "objects", "plain options (recognizer objects cannot cross threads)");
    for (const c of options.scanner?.custom ?? [])
      if (typeof c.validator === "function") throw new InvalidArgumentError(`custom recognizer '${c.name}' validator`, "a function", 'a named validator ("luhn", "iban", "ssn")');
    this.threads = threads;
    this.#pieceChars = pieceChars;
    const url = options.workerUrl ?? defaultWorkerUrl();
    for (let i = 0; i < threads; i++) this.#workers.push(new ScanThread(url, options.scanner, () => this.#drain()));
  }

  /** Findings in one text, as PiiScanner.scan finds them (see the class note for long texts). */
  async scan(text: string): Promise<PiiFinding[]> {
    if (typeof text !== "string") throw new InvalidArgumentError("text", text, "a string");
    if (this.#disposed) throw new ScanPoolError("this pool was disposed");
    const parts = text.length > this.#pieceChars ? pieces(text, this.#pieceChars) : [{ offset: 0, text }];
    const found = await Promise.all(parts.map((p) => this.#run(p.text).then((fs) => fs.map((f) => ({ ...f, start: f.start + p.offset, end: f.end + p.offset })))));
    return parts.length === 1 ? (found[0] ?? []) : resolveOverlaps(found.flat());
  }

  /** Findings in each text, the texts scanned in parallel. */
  scanMany(texts: readonly string[]): Promise<PiiFinding[][]> {
    return Promise.all(texts.map((t) => this.scan(t)));
  }

  #run(text: string): Promise<PiiFinding[]> {
    return new Promise((resolve, reject) => {
      this.#queue.push({ text, resolve: (f) => resolve([...f]), reject });
      this.#drain();
    });
  }

  /** Hands queued texts to idle threads, one text per thread at a time. */
  #drain(): void {
    for (const w of this.#workers) {
      if (w.load > 0) continue;
      const job = this.#queue.shift();
      if (!job) return;
      w.scan(job);
    }
  }

  async dispose(): Promise<void> {
    if (this.#disposed) return;
    this.#disposed = true;
    for (const job of this.#queue.splice(0)) job.reject(new ScanPoolError("this pool was disposed"));
    await Promise.all(this.#workers.map((w) => w.terminate()));
  }

  [Symbol.asyncDispose](): Promise<void> {
    return this.dispose();
  }
}
