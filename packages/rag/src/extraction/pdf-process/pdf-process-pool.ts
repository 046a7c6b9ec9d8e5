// pdf.js, the image decoders, and every other parser of an uploaded file, run in a small pool of child
// processes: each under an address-space cap (`prlimit --as`, which counts ArrayBuffers and native
// memory as a worker's heap limit does not) and a V8 heap cap, with a deadline per job in CPU time
// (job-deadline.ts), an empty environment, and one job at a time. A child over its cap dies, a job over
// its deadline has its child killed; the caller gets a typed error, and the next job gets a new child.
// Two children by default, so one slow file does not hold up the uploads behind it.
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import { fileURLToPath } from "node:url";
import { addressSpaceLimitedCommand } from "@bear/core";
import { ExtractionError, OcrError, RagError } from "../../errors";
import { cpuClockAvailable, DEFAULT_STALL_MIN_CPU_MS, DEFAULT_STALL_WINDOW_MS, watchJobDeadline, WALL_ONLY_FACTOR, type DeadlineClock, type StallCheck } from "./job-deadline";
import type { PdfJobKind, PdfJobReply, PdfJobRequest, PdfJobs, SerializedJobError } from "./pdf-job";

/** What a reader process may use beyond its own code: V8 heap, and address space above the base. Default 1024. */
export const DEFAULT_PDF_MEMORY_MB = 1024;
/** Reader processes run at once (more jobs wait). */
export const DEFAULT_PDF_PROCESSES = 2;
/**
 * Address space a reader holds before it reads anything: node with pdf.js and Skia loaded reserves
 * ~1.8 GB of virtual memory (2.3 GB without MALLOC_ARENA_MAX; it does not start under 1 GB). With
 * 2048 + 1024 MB the largest buffer a decoder can still allocate is ~1.2 GB (measured, node 20).
 */
export const PDF_PROCESS_BASE_MB = 2048;

const MiB = 1024 * 1024;
const STDERR_TAIL = 4096;

export interface PdfProcessOptions {
  /** The reader script; defaults to dist/pdf-child.js next to this package's bundle. */
  readonly childUrl?: URL;
  /** V8 heap of a reader, and its address space above PDF_PROCESS_BASE_MB, in MB. Default 1024. */
  readonly memoryMb?: number;
  /** Readers at once. Default 2. */
  readonly processes?: number;
  /**
   * Cap the address space with prlimit where it works (default true). False runs with the V8 heap cap
   * only, as on a machine without prlimit.
   */
  readonly addressSpaceLimit?: boolean;
  /**
   * When a reader counts as stalled (its CPU stopped advancing while it has a job): its job fails and it
   * is killed. Default: under 50 ms of CPU in 10 s of wall (DEFAULT_STALL_WINDOW_MS, DEFAULT_STALL_MIN_CPU_MS).
   */
  readonly stall?: StallCheck;
}

/** How one job fails when its reader runs out of memory or time (each caller has its own error class). */
export interface JobFailures {
  readonly outOfMemory: (memoryMb: number) => Error;
  /** Over its CPU budget (`clock` "cpu", `limitMs` the budget), stalled ("stalled", `limitMs` the window), or past the wall backstop ("wall"; see watchJobDeadline). */
  readonly timedOut: (limitMs: number, clock: DeadlineClock) => Error;
  /** The reader died for another reason (a crash in a parser). */
  readonly crashed: (reason: string) => Error;
}

export interface JobOptions {
  /** The job's budget of reader CPU time (see watchJobDeadline for the wall backstop). */
  readonly timeoutMs: number;
  readonly signal?: AbortSignal;
  readonly failures: JobFailures;
}

/** What a pool's readers get, for `bear doctor` and tests. */
export interface PdfContainment {
  readonly addressSpaceLimit: boolean;
  readonly addressSpaceMb: number;
  readonly heapMb: number;
  readonly processes: number;
  /** Deadlines are the readers' CPU time (Linux /proc); false: wall time, WALL_ONLY_FACTOR × the budget. */
  readonly cpuDeadline: boolean;
  readonly summary: string;
}

interface Reader {
  readonly child: ChildProcess;
  busy: boolean;
  /** The document this reader keeps open for drawing. */
  docKey: string | undefined;
  stderrTail: string;
  exited: boolean;
}

interface QueuedJob {
  readonly start: (reader: Reader) => void;
  readonly signal: AbortSignal | undefined;
  readonly reject: (error: unknown) => void;
}

/**
 * A minimal environment: no BEAR_PASSPHRASE, no Redis URL, no NODE_OPTIONS, nothing of the server's.
 * Two malloc arenas: glibc reserves 64 MB of address space per arena (8 per core), which would eat the cap.
 */
export function readerEnvironment(): NodeJS.ProcessEnv {
  return { LANG: "C.UTF-8", MALLOC_ARENA_MAX: "2" };
}

export class PdfProcessPool {
  readonly #script: string;
  readonly #memoryMb: number;
  readonly #size: number;
  readonly #limitAddressSpace: boolean;
  readonly #stall: StallCheck;
  readonly #readers = new Set<Reader>();
  readonly #queue: QueuedJob[] = [];
  #nextId = 0;

  constructor(childUrl: URL, options: Omit<PdfProcessOptions, "childUrl"> = {}) {
    this.#script = fileURLToPath(childUrl);
    this.#memoryMb = options.memoryMb ?? DEFAULT_PDF_MEMORY_MB;
    this.#size = Math.max(1, options.processes ?? DEFAULT_PDF_PROCESSES);
    this.#limitAddressSpace = options.addressSpaceLimit ?? true;
    this.#stall = options.stall ?? {};
  }

  get memoryMb(): number {
    return this.#memoryMb;
  }

  /** Process ids of the live readers (tests read their limits and environment from /proc). */
  pids(): number[] {
    return [...this.#readers].flatMap((r) => (r.child.pid === undefined || r.exited ? [] : [r.child.pid]));
  }

  /** Runs one job in a free reader (a new one when none is free and the pool is not full). */
  run<K extends PdfJobKind>(kind: K, args: PdfJobs[K]["args"] | ((reader: { holds(docKey: string): boolean }) => PdfJobs[K]["args"]), options: JobOptions): Promise<PdfJobs[K]["result"]> {
    const { signal } = options;
    if (signal?.aborted) return Promise.reject(signal.reason as Error);
    return new Promise((resolve, reject) => {
      const job: QueuedJob = {
        signal,
        reject,
        start: (reader) => {
          const built = typeof args === "function" ? args({ holds: (docKey) => reader.docKey === docKey }) : args;
          this.#runOn(reader, kind, built, options).then(resolve, reject);
        },
      };
      const onAbort = (): void => {
        const at = this.#queue.indexOf(job);
        if (at >= 0) {
          this.#queue.splice(at, 1);
          reject(signal?.reason as Error);
        }
      };
      signal?.addEventListener("abort", onAbort, { once: true });
      this.#queue.push(job);
      this.#dispatch();
    });
  }

  /** Stops every reader (queued jobs are refused). */
  dispose(): void {
    for (const job of this.#queue.splice(0)) job.reject(new Error("the PDF reader pool was disposed"));
    for (const reader of this.#readers) this.#kill(reader);
  }

  #dispatch(): void {
    while (this.#queue.length > 0) {
      const job = this.#queue[0]!;
      if (job.signal?.aborted) {
        this.#queue.shift();
        job.reject(job.signal.reason as Error);
        continue;
      }
      let reader = [...this.#readers].find((r) => !r.busy && !r.exited);
      if (!reader && this.#readers.size < this.#size) reader = this.#spawn();
      if (!reader) return;
      this.#queue.shift();
      reader.busy = true;
      reader.child.ref();
      job.start(reader);
    }
  }

  #spawn(): Reader {
    const node: [string, ...string[]] = [process.execPath, `--max-old-space-size=${this.#memoryMb}`, this.#script];
    const { argv } = this.#limitAddressSpace ? addressSpaceLimitedCommand(node, (PDF_PROCESS_BASE_MB + this.#memoryMb) * MiB) : { argv: node };
    const [command, ...rest] = argv;
    const child = spawn(command, rest, { env: readerEnvironment(), stdio: ["ignore", "ignore", "pipe", "ipc"], serialization: "advanced" });
    const reader: Reader = { child, busy: false, docKey: undefined, stderrTail: "", exited: false };
    child.stderr?.setEncoding("utf8");
    child.stderr?.on("data", (chunk: string) => {
      reader.stderrTail = (reader.stderrTail + chunk).slice(-STDERR_TAIL);
    });
    child.on("exit", () => {
      reader.exited = true;
      this.#readers.delete(reader);
    });
    child.on("error", () => undefined); // a failed spawn surfaces as the job's exit
    this.#readers.add(reader);
    this.#idle(reader);
    return reader;
  }

  /** An idle reader does not keep the process alive. */
  #idle(reader: Reader): void {
    reader.child.unref();
    (reader.child.channel as { unref?: () => void } | undefined)?.unref?.();
    (reader.child.stderr as { unref?: () => void } | null)?.unref?.();
  }

  #kill(reader: Reader): void {
    reader.exited = true;
    this.#readers.delete(reader);
    reader.child.kill("SIGKILL");
  }

  #runOn<K extends PdfJobKind>(reader: Reader, kind: K, args: PdfJobs[K]["args"], { timeoutMs, signal, failures }: JobOptions): Promise<PdfJobs[K]["result"]> {
    const { child } = reader;
    (child.channel as { ref?: () => void } | undefined)?.ref?.();
    const id = this.#nextId++;
    return new Promise((resolve, reject) => {
      let settled = false;
      const finish = (outcome: () => void, keep: boolean): void => {
        if (settled) return;
        settled = true;
        stopDeadline();
        child.off("message", onMessage);
        child.off("exit", onExit);
        signal?.removeEventListener("abort", onAbort);
        if (keep && !reader.exited) {
          reader.busy = false;
          this.#idle(reader);
        } else this.#kill(reader);
        outcome();
        this.#dispatch();
      };
      const onMessage = (reply: PdfJobReply): void => {
        if (reply.id !== id) return;
        if (kind === "draw-page" || kind === "decode-image") reader.docKey = reply.ok ? (args as PdfJobs["draw-page" | "decode-image"]["args"]).docKey : undefined;
        if (reply.ok) finish(() => resolve(reply.result as PdfJobs[K]["result"]), true);
        else finish(() => reject(rebuild(reply.error, failures, this.#memoryMb)), true);
      };
      const onExit = (code: number | null, signalName: NodeJS.Signals | null): void => {
        const tail = reader.stderrTail;
        const memory = /out of memory|allocation failed|Failed to reserve|OOM/i.test(tail);
        finish(() => reject(memory ? failures.outOfMemory(this.#memoryMb) : failures.crashed(signalName ? `signal ${signalName}` : `exit code ${code}`)), false);
      };
      const onAbort = (): void => finish(() => reject(signal?.reason as Error), false);
      const stopDeadline = watchJobDeadline(child.pid, timeoutMs, (clock, limitMs) => finish(() => reject(failures.timedOut(limitMs, clock)), false), this.#stall);
      child.on("message", onMessage);
      child.on("exit", onExit);
      signal?.addEventListener("abort", onAbort, { once: true });
      if (reader.exited) return onExit(child.exitCode, child.signalCode);
      const request: PdfJobRequest<K> = { id, kind, args };
      child.send(request, (error) => {
        if (error) finish(() => reject(failures.crashed(`could not send the job (${error.message})`)), false);
      });
    });
  }
}

/** The error the reader threw, as the same class and code; an allocation failure pdf.js let through is the memory cap. */
function rebuild(error: SerializedJobError, failures: JobFailures, memoryMb: number): Error {
  const options = { ...(error.hint ? { hint: error.hint } : {}), ...(error.details ? { details: error.details } : {}) };
  switch (error.errorClass) {
    case "ExtractionError":
      return new ExtractionError(error.code as ConstructorParameters<typeof ExtractionError>[0], error.file ?? "document", error.message, options);
    case "OcrError":
      return new OcrError(error.code as ConstructorParameters<typeof OcrError>[0], error.message, options);
    case "RagError":
      return new RagError(error.code as ConstructorParameters<typeof RagError>[0], error.message, options);
    default:
      if (/allocation failed|out of memory/i.test(error.message)) return failures.outOfMemory(memoryMb);
      return new Error(error.message);
  }
}

const pools = new Map<string, PdfProcessPool>();

/** The built reader next to this module (dist/), or undefined when running from TypeScript sources. */
export function defaultChildUrl(): URL | undefined {
  const url = new URL("./pdf-child.js", import.meta.url);
  if (fs.existsSync(fileURLToPath(url))) return url;
  if (import.meta.url.endsWith(".ts")) return undefined;
  throw new Error(`the PDF reader ${fileURLToPath(url)} is missing; rebuild @bear/rag`);
}

/**
 * The shared pool for these options, or undefined when there is no built reader (running from
 * TypeScript sources): the caller then reads in its own thread, as before.
 */
export function pdfProcessPool(options: PdfProcessOptions = {}): PdfProcessPool | undefined {
  const url = options.childUrl ?? defaultChildUrl();
  if (!url) return undefined;
  const memoryMb = options.memoryMb ?? DEFAULT_PDF_MEMORY_MB;
  const processes = options.processes ?? DEFAULT_PDF_PROCESSES;
  const limit = options.addressSpaceLimit ?? true;
  const stall = { windowMs: options.stall?.windowMs ?? DEFAULT_STALL_WINDOW_MS, minCpuMs: options.stall?.minCpuMs ?? DEFAULT_STALL_MIN_CPU_MS };
  const key = `${url.href}|${memoryMb}|${processes}|${limit}|${stall.windowMs}|${stall.minCpuMs}`;
  let pool = pools.get(key);
  if (!pool) {
    pool = new PdfProcessPool(url, { memoryMb, processes, addressSpaceLimit: limit, stall });
    pools.set(key, pool);
  }
  return pool;
}

/** What PDF readers get on this machine (for `bear doctor`). */
export function pdfContainment(options: Pick<PdfProcessOptions, "memoryMb" | "processes"> = {}): PdfContainment {
  const memoryMb = options.memoryMb ?? DEFAULT_PDF_MEMORY_MB;
  const processes = options.processes ?? DEFAULT_PDF_PROCESSES;
  const addressSpaceMb = PDF_PROCESS_BASE_MB + memoryMb;
  const limited = addressSpaceLimitedCommand(["node"], addressSpaceMb * MiB).limited;
  const cpuDeadline = cpuClockAvailable();
  const deadline = cpuDeadline ? "a CPU-time deadline per job (a reader whose CPU stops advancing is stopped)" : `a wall-clock deadline per job (${WALL_ONLY_FACTOR}x its CPU budget: no /proc to read CPU time from)`;
  const summary = limited
    ? `PDF readers: ${processes} child processes, address space capped at ${addressSpaceMb} MB (prlimit), V8 heap at ${memoryMb} MB, empty environment, ${deadline}`
    : `PDF readers PARTIAL: ${processes} child processes, V8 heap capped at ${memoryMb} MB but NOT their address space (prlimit is missing: install util-linux), empty environment, ${deadline}`;
  return { addressSpaceLimit: limited, addressSpaceMb, heapMb: memoryMb, processes, cpuDeadline, summary };
}

