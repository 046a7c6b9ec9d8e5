import fs from "node:fs";
import os from "node:os";
import { fileURLToPath } from "node:url";
import { WorkerPool, type Llm, type WorkerPoolStats } from "@bear/core";
import { reviewContract, type ContractReviewReport } from "@bear/legal";
import { PiiScanPool, type PiiFinding, type PiiScanner } from "@bear/security";
import { REVIEW_TASK, type LlmCall, type ReviewTask } from "./offload-tasks";

export interface OffloadOptions {
  /** Worker threads (default: one per core but one, 1 to 4). 0 runs everything in the calling thread. */
  readonly workers?: number;
  /** Tasks waiting for a worker at most (default 256; a long text's scan is one task per thread, then one more). */
  readonly maxQueued?: number;
  /** Heap of each worker in MB (default 1024). */
  readonly memoryMb?: number;
  /** The worker script (default: dist/offload-worker.js of this package). */
  readonly workerUrl?: URL;
}

/** The built worker beside this module (dist/), or, running from TypeScript sources, the package's built one. */
function defaultWorkerUrl(): URL | undefined {
  const candidates = [new URL("./offload-worker.js", import.meta.url)];
  if (import.meta.url.endsWith(".ts")) candidates.push(new URL("../../dist/offload-worker.js", import.meta.url));
  return candidates.find((url) => fs.existsSync(fileURLToPath(url)));
}

/**
 * The workspace's CPU-heavy acts off the calling thread, on ONE @bear/core WorkerPool: PII scans (through
 * @bear/security's PiiScanPool on that pool: REST redaction, and ingest scrubbing through the workspace's scrubber)
 * and contract review (reaching back for the model when one is used). Policies are applied on the calling thread,
 * which holds the token vault and the matters' placeholder tables; applying is linear and cheap, scanning is not.
 * A server's event loop keeps answering while a 500 KB redaction or review runs. Without a built worker script
 * (sources only) or with `workers: 0` everything runs in-process.
 */
export class Offload {
  readonly #pool: WorkerPool | undefined;
  /** Scans on the pool's threads (undefined when in-process). */
  readonly scans: PiiScanPool | undefined;

  constructor(options: OffloadOptions = {}) {
    const size = options.workers ?? Math.max(1, Math.min(4, os.availableParallelism() - 1));
    const url = options.workerUrl ?? defaultWorkerUrl();
    this.#pool =
      size > 0 && url ? new WorkerPool({ url, size, maxQueued: options.maxQueued ?? 256, memoryMb: options.memoryMb ?? 1024, name: "the workspace's worker pool" }) : undefined;
    this.scans = this.#pool ? new PiiScanPool({ pool: this.#pool }) : undefined;
  }

  /** True when the work runs in worker threads. */
  get isolated(): boolean {
    return this.#pool !== undefined;
  }

  stats(): WorkerPoolStats | undefined {
    return this.#pool?.stats();
  }

  /** The built-in scan of `text`: on the pool, or by `local` in this thread when there is none. */
  scan(text: string, options: { signal?: AbortSignal }, local: PiiScanner): Promise<PiiFinding[]> {
    if (!this.scans) {
      options.signal?.throwIfAborted();
      return Promise.resolve(local.scan(text));
    }
    return this.scans.scan(text, options.signal ? { signal: options.signal } : {});
  }

  /** Contract review (rules, the clause model, and `llm` when given). */
  async review(text: string, options: { playbook?: string; documentName?: string; title?: string; llm?: Llm; signal?: AbortSignal }): Promise<ContractReviewReport> {
    const { llm, signal, ...rest } = options;
    if (!this.#pool) return reviewContract(text, { ...rest, ...(llm ? { llm } : {}), ...(signal ? { signal } : {}) });
    const task: ReviewTask = { kind: REVIEW_TASK, text, ...rest, ...(llm ? { llm: { id: llm.id, contextSize: llm.contextSize } } : {}) };
    return this.#pool.run<ContractReviewReport>(task, {
      ...(signal ? { signal } : {}),
      ...(llm
        ? {
            onCall: (payload: unknown, ended: AbortSignal): Promise<unknown> => {
              const call = payload as LlmCall;
              return call.method === "countTokens" ? llm.countTokens(call.text) : llm.generate({ ...call.request, signal: ended });
            },
          }
        : {}),
    });
  }

  async dispose(): Promise<void> {
    await this.scans?.dispose();
    await this.#pool?.dispose();
  }
}
