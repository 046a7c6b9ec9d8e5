// Scanning on worker threads: documents in parallel, and a long document's recognizers shared among threads (lanes,
// scan-lanes.ts) with the document-wide reading after them, so a long text is found exactly as PiiScanner finds it.
// The event loop of the caller runs no scan unless asked to (`inlineBelowChars`, for one-shot commands). The threads
// are a @bear/core WorkerPool: the pool's own (dist/scan-worker.js), or one the caller shares with other work (the
// workspace runs reviews on the same one).
import fs from "node:fs";
import os from "node:os";
import { fileURLToPath } from "node:url";
import { DisposedError, InvalidArgumentError, WorkerPool } from "@bear/core";
import { ScanPoolError } from "../errors";
import { PiiScanner } from "./pii-scanner";
import type { PiiFinding } from "./pii-types";
import { OffsetMap } from "../scrub/offset-map";
import type { PiiScrubResult } from "../scrub/pii-scrubber";
import {
  PII_APPLY_TASK,
  PII_FINISH_TASK,
  PII_LANE_TASK,
  PII_SCAN_BATCH_TASK,
  PII_SCAN_TASK,
  type PiiApplied,
  type PiiApplyTask,
  type PiiFinishTask,
  type PiiLaneFindings,
  type PiiLaneTask,
  type PiiScanBatchTask,
  type PiiScanTask,
  type PiiScanTaskOptions,
  type PackedFindingLists,
  type PackedFindings,
  unpackFindingLists,
  unpackFindings,
} from "./scan-task";

/**
 * Below this many characters a text is scanned whole on one thread: sharing it among lanes costs two more copies of
 * the text and the findings between threads, and a finishing task, which only pays off on long texts (bench/scan-speed.ts).
 */
const DEFAULT_LANE_CHARS = 128 * 1024;

/**
 * Scans handed to a busy thread of the pool's own WorkerPool beyond the one it runs. A 16 KiB document's structured
 * scan (~1 ms) costs about as much as the round trip of its result to the caller and of the next document back, which
 * the thread otherwise sits out (bench/pool-ab.ts). One is enough to cover that trip; more would only hold documents
 * behind a long one (an idle thread takes back one not started, but each such trip costs another round trip).
 */
const HAND_AHEAD = 1;

export interface PiiScanPoolOptions {
  /** Worker threads of the pool's own WorkerPool (default: the machine's available parallelism). */
  readonly threads?: number;
  /** Scanner options for every scan (plain data: recognizer objects and validator functions cannot cross threads). */
  readonly scanner?: PiiScanTaskOptions;
  /**
   * Texts of at least this many characters have their recognizers shared among the pool's threads, then read
   * document-wide on one of them (default 128 KiB): same findings, less wall time when threads are free. Not for a
   * structured-only scan (`scanner.names: false`): see `lanesPay`.
   */
  readonly laneChars?: number;
  /**
   * Texts shorter than this are scanned on the calling thread (default 0: never). For a one-shot command, where
   * starting a worker and loading its word lists and model costs more than scanning a short text there.
   */
  readonly inlineBelowChars?: number;
  /** The worker script of the pool's own WorkerPool; defaults to dist/scan-worker.js next to this package's bundle. */
  readonly workerUrl?: URL;
  /**
   * Scan on this WorkerPool instead of an own one: its worker script must serve `piiScanTaskHandlers`. The pool
   * stays the caller's (dispose() does not end it).
   */
  readonly pool?: WorkerPool;
  /** Tasks waiting for a thread at most in the pool's own WorkerPool (default: no limit). */
  readonly maxQueued?: number;
  /** Old-generation heap of each of the pool's own threads in MB (default 1024): a scan needing more fails alone. */
  readonly memoryMb?: number;
}

/**
 * Whether sharing a long text's recognizers among threads (lanes) can shorten its scan: only with the name recognizer,
 * about half of a full scan's CPU, in one lane. A structured-only scan's recognizers are cheap next to what sharing
 * costs (each lane reads the text's runs again, the text crosses threads three times, the garbage collector's threads
 * work for each copy): on bench/peers.ts's 1 MiB text (warm threads, CPU of every thread of the process) two lanes
 * spent 126-149 ms against 56-91 ms for the text scanned whole as one task, and their busiest thread 41-45 ms against
 * 46-55 ms for the whole scan: at most 1.1x on free cores for twice the CPU.
 */
function lanesPay(options: PiiScanTaskOptions | undefined): boolean {
  return options?.names !== false;
}

/**
 * A batch's share of the texts still to batch, per thread: the first batches take an eighth of the list each (two
 * threads), later ones less and less, the last single texts, so the threads end together. A 16 KiB document's
 * structured scan (~1 ms) costs about as much as its trip between threads and the caller's turn to send the next one
 * (bench/pool-ab.ts); a batch pays that once for its texts, and each thread holds enough work to cover the caller's
 * thread waiting for a core while both are busy.
 */
const BATCH_SHARE = 4;
/** Characters of text in one batch at most (a batch's texts cross to its thread in one message). */
const BATCH_CHARS = 256 * 1024;

/**
 * `items` (in order) cut into batches for `threads` threads: each at most 1/(BATCH_SHARE x threads) of what is left
 * (at least one item) and BATCH_CHARS of text (a longer item alone).
 */
export function batches(items: readonly number[], length: (item: number) => number, threads: number): number[][] {
  const out: number[][] = [];
  for (let i = 0; i < items.length; ) {
    const want = Math.max(1, Math.ceil((items.length - i) / (BATCH_SHARE * threads)));
    const batch: number[] = [];
    let chars = 0;
    while (i < items.length && batch.length < want) {
      const size = length(items[i] as number);
      if (batch.length > 0 && chars + size > BATCH_CHARS) break;
      batch.push(items[i++] as number);
      chars += size;
    }
    out.push(batch);
  }
  return out;
}

/** The built worker next to this module (dist/). */
function defaultWorkerUrl(): URL {
  const url = new URL("./scan-worker.js", import.meta.url);
  if (!fs.existsSync(fileURLToPath(url))) throw new ScanPoolError(`the worker script ${fileURLToPath(url)} is missing`);
  return url;
}

function sizeOption(name: string, value: number | undefined, fallback: number): number {
  const v = value ?? fallback;
  if (!Number.isInteger(v) || v < 0) throw new InvalidArgumentError(name, value, "an integer of at least 0");
  return v;
}

/**
 * A pool of scanner threads. `scan(text)` resolves with exactly the findings of `PiiScanner.scan(text)` with the same
 * options, whatever the text's length; many texts are scanned in parallel.
 */
export class PiiScanPool implements AsyncDisposable {
  readonly threads: number;
  readonly #laneChars: number;
  readonly #inlineBelowChars: number;
  readonly #pool: WorkerPool;
  readonly #ownsPool: boolean;
  readonly #options: PiiScanTaskOptions | undefined;
  #inline: PiiScanner | undefined;
  #disposed = false;

  constructor(options: PiiScanPoolOptions = {}) {
    if (options.scanner && "recognizers" in options.scanner) throw new InvalidArgumentError("scanner.recognizers", "objects", "plain options (recognizer objects cannot cross threads)");
    for (const c of options.scanner?.custom ?? [])
      if (typeof c.validator === "function") throw new InvalidArgumentError(`custom recognizer '${c.name}' validator`, "a function", 'a named validator ("luhn", "iban", "ssn")');
    this.#laneChars = sizeOption("laneChars", options.laneChars, DEFAULT_LANE_CHARS);
    this.#inlineBelowChars = sizeOption("inlineBelowChars", options.inlineBelowChars, 0);
    this.#options = options.scanner;
    if (options.pool) {
      this.#pool = options.pool;
      this.#ownsPool = false;
    } else {
      const threads = options.threads ?? os.availableParallelism();
      if (!Number.isInteger(threads) || threads < 1 || threads > 64) throw new InvalidArgumentError("threads", threads, "an integer from 1 to 64");
      this.#pool = new WorkerPool({
        url: options.workerUrl ?? defaultWorkerUrl(),
        size: threads,
        name: "the PII scan pool",
        // a thread ending one document's scan starts the next at once, not after a round trip through this thread
        handAhead: HAND_AHEAD,
        ...(options.maxQueued === undefined ? {} : { maxQueued: options.maxQueued }),
        ...(options.memoryMb === undefined ? {} : { memoryMb: options.memoryMb }),
      });
      this.#ownsPool = true;
    }
    this.threads = this.#pool.size;
  }

  /**
   * The findings `PiiScanner.scan` gives for `text`: a short text on one thread (or the caller's, below
   * `inlineBelowChars`), a long one with its recognizers on all threads. `signal` stops the scan: its tasks still
   * queued are dropped and the threads running them are ended.
   */
  async scan(text: string, options: { readonly signal?: AbortSignal } = {}): Promise<PiiFinding[]> {
    if (typeof text !== "string") throw new InvalidArgumentError("text", text, "a string");
    if (this.#disposed || this.#pool.disposed) throw new ScanPoolError("this pool was disposed");
    if (text.length < this.#inlineBelowChars) {
      options.signal?.throwIfAborted();
      this.#inline ??= new PiiScanner(this.#options);
      return this.#inline.scan(text);
    }
    if (this.#oneTask(text)) {
      // one task: the caller's signal alone stops it (no controller and combined signal to make per document)
      try {
        return unpackFindings(await this.#pool.run<PackedFindings>(this.#task<PiiScanTask>({ kind: PII_SCAN_TASK, text }), options.signal ? { signal: options.signal } : {}));
      } catch (error) {
        if (error instanceof DisposedError) throw new ScanPoolError("this pool was disposed", { cause: error });
        throw error;
      }
    }
    // one controller for the tasks of this text: when one fails, the others stop too
    const stop = new AbortController();
    const signal = options.signal ? AbortSignal.any([options.signal, stop.signal]) : stop.signal;
    try {
      return await this.#scanInLanes(text, signal);
    } catch (error) {
      if (!stop.signal.aborted) stop.abort(error);
      if (error instanceof DisposedError) throw new ScanPoolError("this pool was disposed", { cause: error });
      throw error;
    }
  }

  /** Each lane runs some recognizers over the whole text; one task then reads all their findings document-wide. */
  async #scanInLanes(text: string, signal: AbortSignal): Promise<PiiFinding[]> {
    const lanes = this.threads;
    const found = await Promise.all(
      Array.from({ length: lanes }, (_, lane) => this.#pool.run<PiiLaneFindings>(this.#task<PiiLaneTask>({ kind: PII_LANE_TASK, text, lane, lanes }), { signal })),
    );
    const recognizers = found[0]?.recognizers ?? 0;
    const raw: (readonly PiiFinding[])[] = new Array<readonly PiiFinding[]>(recognizers);
    for (const lane of found) {
      if (lane.recognizers !== recognizers) throw new ScanPoolError("the threads disagree on the scanner's recognizers (mixed worker builds?)");
      lane.indices.forEach((index, k) => {
        if (raw[index] !== undefined) throw new ScanPoolError(`recognizer ${index} ran in two lanes`);
        raw[index] = lane.findings[k] ?? [];
      });
    }
    for (let i = 0; i < recognizers; i++) if (raw[i] === undefined) throw new ScanPoolError(`recognizer ${i} ran in no lane`);
    return unpackFindings(await this.#pool.run<PackedFindings>(this.#task<PiiFinishTask>({ kind: PII_FINISH_TASK, text, raw }), { signal }));
  }

  /** A task with this pool's scanner options. */
  #task<T extends PiiScanTask | PiiScanBatchTask | PiiLaneTask | PiiFinishTask>(task: Omit<T, "options">): T {
    return (this.#options ? { ...task, options: this.#options } : task) as T;
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

  /**
   * Findings in each text (`scan`'s for it), the texts scanned in parallel. The texts a thread scans whole go to the
   * threads in batches, several per task, each text scanned on its own (`batches`).
   */
  async scanMany(texts: readonly string[], options: { readonly signal?: AbortSignal } = {}): Promise<PiiFinding[][]> {
    if (!Array.isArray(texts)) throw new InvalidArgumentError("texts", texts, "an array of strings");
    if (this.#disposed || this.#pool.disposed) throw new ScanPoolError("this pool was disposed");
    const found = new Array<PiiFinding[]>(texts.length);
    const whole: number[] = []; // the texts one task scans whole
    const scans: Promise<void>[] = [];
    texts.forEach((text, i) => {
      if (typeof text === "string" && text.length >= this.#inlineBelowChars && this.#oneTask(text)) whole.push(i);
      else scans.push(this.scan(text, options).then((f) => void (found[i] = f)));
    });
    for (const batch of batches(whole, (i) => (texts[i] as string).length, this.threads)) {
      if (batch.length === 1) {
        const i = batch[0] as number;
        scans.push(this.scan(texts[i] as string, options).then((f) => void (found[i] = f)));
        continue;
      }
      const task = this.#task<PiiScanBatchTask>({ kind: PII_SCAN_BATCH_TASK, texts: batch.map((i) => texts[i] as string) });
      const run = this.#pool.run<PackedFindingLists>(task, options.signal ? { signal: options.signal } : {}).then((answer) => {
        const lists = unpackFindingLists(answer);
        if (lists.length !== batch.length) throw new ScanPoolError(`a batch of ${batch.length} texts came back with ${lists.length} lists of findings (mixed worker builds?)`);
        batch.forEach((i, k) => (found[i] = lists[k] as PiiFinding[]));
      });
      scans.push(run);
    }
    try {
      await Promise.all(scans);
    } catch (error) {
      if (error instanceof DisposedError) throw new ScanPoolError("this pool was disposed", { cause: error });
      throw error;
    }
    return found;
  }

  /** Whether `scan` sends `text` as one task (not in lanes). */
  #oneTask(text: string): boolean {
    return text.length < this.#laneChars || this.threads < 2 || !lanesPay(this.#options);
  }

  /** Ends the pool's own threads (a shared pool stays its owner's to end). */
  async dispose(): Promise<void> {
    if (this.#disposed) return;
    this.#disposed = true;
    this.#inline = undefined; // its name model and word lists
    if (this.#ownsPool) await this.#pool.dispose();
  }

  [Symbol.asyncDispose](): Promise<void> {
    return this.dispose();
  }
}
