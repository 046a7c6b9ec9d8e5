// Scanning on worker threads: documents in parallel, and a long document cut at paragraph breaks into pieces scanned
// in parallel. The event loop of the caller never runs a scan. The threads are a @bear/core WorkerPool: the pool's
// own (dist/scan-worker.js), or one the caller shares with other work (the workspace runs reviews on the same one).
import fs from "node:fs";
import os from "node:os";
import { fileURLToPath } from "node:url";
import { DisposedError, InvalidArgumentError, WorkerPool } from "@bear/core";
import { ScanPoolError } from "../errors";
import { resolveOverlaps } from "./pii-scanner";
import type { PiiFinding } from "./pii-types";
import { OffsetMap } from "../scrub/offset-map";
import type { PiiScrubResult } from "../scrub/pii-scrubber";
import { PII_APPLY_TASK, PII_SCAN_TASK, type PiiApplied, type PiiApplyTask, type PiiScanTask, type PiiScanTaskOptions } from "./scan-task";

export interface PiiScanPoolOptions {
  /** Worker threads of the pool's own WorkerPool (default: the machine's available parallelism). */
  readonly threads?: number;
  /** Scanner options for every scan (plain data: recognizer objects and validator functions cannot cross threads). */
  readonly scanner?: PiiScanTaskOptions;
  /** Texts longer than this are cut at paragraph breaks into pieces of about this size (default 256 KiB). */
  readonly pieceChars?: number;
  /** The worker script of the pool's own WorkerPool; defaults to dist/scan-worker.js next to this package's bundle. */
  readonly workerUrl?: URL;
  /**
   * Scan on this WorkerPool instead of an own one: its worker script must serve `piiScanTaskHandlers`. The pool
   * stays the caller's (dispose() does not end it).
   */
  readonly pool?: WorkerPool;
  /** Pieces waiting for a thread at most in the pool's own WorkerPool (default: no limit). */
  readonly maxQueued?: number;
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

/**
 * A pool of scanner threads. `scan(text)` resolves with the same kind of findings as `PiiScanner.scan`; a text longer
 * than `pieceChars` is scanned piece by piece in parallel (mentions are then linked within a piece, not across
 * pieces: a short name defined in one piece is not found in the next).
 */
export class PiiScanPool implements AsyncDisposable {
  readonly threads: number;
  readonly #pieceChars: number;
  readonly #pool: WorkerPool;
  readonly #ownsPool: boolean;
  readonly #options: PiiScanTaskOptions | undefined;
  #disposed = false;

  constructor(options: PiiScanPoolOptions = {}) {
    const pieceChars = options.pieceChars ?? 256 * 1024;
    if (!Number.isInteger(pieceChars) || pieceChars < 4096) throw new InvalidArgumentError("pieceChars", pieceChars, "an integer of at least 4096");
    if (options.scanner && "recognizers" in options.scanner) throw new InvalidArgumentError("scanner.recognizers", "objects", "plain options (recognizer objects cannot cross threads)");
    for (const c of options.scanner?.custom ?? [])
      if (typeof c.validator === "function") throw new InvalidArgumentError(`custom recognizer '${c.name}' validator`, "a function", 'a named validator ("luhn", "iban", "ssn")');
    this.#pieceChars = pieceChars;
    this.#options = options.scanner;
    if (options.pool) {
      this.#pool = options.pool;
      this.#ownsPool = false;
    } else {
      const threads = options.threads ?? os.availableParallelism();
      if (!Number.isInteger(threads) || threads < 1 || threads > 64) throw new InvalidArgumentError("threads", threads, "an integer from 1 to 64");
      this.#pool = new WorkerPool({ url: options.workerUrl ?? defaultWorkerUrl(), size: threads, name: "the PII scan pool", ...(options.maxQueued === undefined ? {} : { maxQueued: options.maxQueued }) });
      this.#ownsPool = true;
    }
    this.threads = this.#pool.size;
  }

  /**
   * Findings in one text, as PiiScanner.scan finds them (see the class note for long texts). `signal` stops the scan:
   * its pieces still queued are dropped and the threads running them are ended.
   */
  async scan(text: string, options: { readonly signal?: AbortSignal } = {}): Promise<PiiFinding[]> {
    if (typeof text !== "string") throw new InvalidArgumentError("text", text, "a string");
    if (this.#disposed || this.#pool.disposed) throw new ScanPoolError("this pool was disposed");
    const parts = text.length > this.#pieceChars ? pieces(text, this.#pieceChars) : [{ offset: 0, text }];
    // one controller for the pieces: when one fails, the others stop too
    const stop = new AbortController();
    const signal = options.signal ? AbortSignal.any([options.signal, stop.signal]) : stop.signal;
    try {
      const found = await Promise.all(
        parts.map(async (p) => {
          const task: PiiScanTask = { kind: PII_SCAN_TASK, text: p.text, ...(this.#options ? { options: this.#options } : {}) };
          const findings = await this.#pool.run<PiiFinding[]>(task, { signal });
          return p.offset === 0 ? findings : findings.map((f) => ({ ...f, start: f.start + p.offset, end: f.end + p.offset }));
        }),
      );
      return parts.length === 1 ? (found[0] ?? []) : resolveOverlaps(found.flat());
    } catch (error) {
      if (!stop.signal.aborted) stop.abort(error);
      if (error instanceof DisposedError) throw new ScanPoolError("this pool was disposed", { cause: error });
      throw error;
    }
  }

  /**
   * Applies a built-in policy to `findings` on a worker thread (fresh placeholder numbering; `hashKey` keys the
   * `hash` operator). PiiScrubber.applyOn calls it when nothing the policy needs lives in the caller's thread.
   */
  async apply(text: string, findings: readonly PiiFinding[], options: { readonly policy: string; readonly hashKey: Uint8Array; readonly signal?: AbortSignal }): Promise<PiiScrubResult> {
    if (this.#disposed || this.#pool.disposed) throw new ScanPoolError("this pool was disposed");
    const task: PiiApplyTask = { kind: PII_APPLY_TASK, text, findings, policy: options.policy, hashKey: options.hashKey };
    const applied = await this.#pool.run<PiiApplied>(task, options.signal ? { signal: options.signal } : {});
    const offsets = new OffsetMap(applied.segments, applied.text.length, text.length);
    return { text: applied.text, replacements: applied.replacements, findings, offsets, policy: applied.policy, toOriginalSpan: (s, e) => offsets.toOriginalSpan(s, e) };
  }

  /** Findings in each text, the texts scanned in parallel. */
  scanMany(texts: readonly string[], options: { readonly signal?: AbortSignal } = {}): Promise<PiiFinding[][]> {
    return Promise.all(texts.map((t) => this.scan(t, options)));
  }

  /** Ends the pool's own threads (a shared pool stays its owner's to end). */
  async dispose(): Promise<void> {
    if (this.#disposed) return;
    this.#disposed = true;
    if (this.#ownsPool) await this.#pool.dispose();
  }

  [Symbol.asyncDispose](): Promise<void> {
    return this.dispose();
  }
}
