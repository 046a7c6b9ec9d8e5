import path from "node:path";
import { DisposedError, InvalidArgumentError, type Logger, silentLogger } from "@bear/core";
import type { InferenceSession, Tensor } from "onnxruntime-node";
import { OnnxSessionError } from "../errors";
import type { OnnxModelInfo, OnnxTensorSignature } from "../registry/model-info";

export interface OnnxSessionPoolOptions {
  /** Sessions kept open at once; the least recently used one is released beyond this. Default 4. */
  readonly maxSessions?: number;
  /** Threads inside one operator. Default 1 (the safe choice on small machines). */
  readonly intraOpNumThreads?: number;
  /** Threads across operators. Default 1. */
  readonly interOpNumThreads?: number;
  readonly logger?: Logger;
}

/** A plain description of an input tensor, so callers need not import onnxruntime themselves. */
export interface OnnxFeed {
  readonly type: "int64" | "int32" | "float32" | "bool" | "string";
  readonly data: BigInt64Array | Int32Array | Float32Array | Uint8Array | readonly string[];
  readonly dims: readonly number[];
}

export interface OnnxOutput {
  readonly type: string;
  readonly data: unknown;
  readonly dims: readonly number[];
}

interface PoolEntry {
  readonly key: string;
  readonly session: Promise<InferenceSession>;
  lastUsed: number;
}

function signatureOf(metadata: readonly InferenceSession.ValueMetadata[], names: readonly string[]): OnnxTensorSignature[] {
  return names.map((name, i) => {
    const m = metadata[i];
    return m && m.isTensor ? { name, type: m.type, shape: [...m.shape] } : { name, type: undefined, shape: undefined };
  });
}

/**
 * A cache of onnxruntime-node sessions (classifiers, rerankers, ONNX embedders), one per model
 * file and thread setting, with LRU release. onnxruntime is imported lazily on first use.
 */
export class OnnxSessionPool {
  readonly #entries = new Map<string, PoolEntry>();
  readonly #maxSessions: number;
  readonly #intra: number;
  readonly #inter: number;
  readonly #logger: Logger;
  #disposed = false;

  constructor(options: OnnxSessionPoolOptions = {}) {
    const maxSessions = options.maxSessions ?? 4;
    if (!Number.isInteger(maxSessions) || maxSessions < 1) throw new InvalidArgumentError("maxSessions", maxSessions, "an integer >= 1");
    this.#maxSessions = maxSessions;
    this.#intra = options.intraOpNumThreads ?? 1;
    this.#inter = options.interOpNumThreads ?? 1;
    this.#logger = (options.logger ?? silentLogger).child({ name: "model-manager:OnnxSessionPool" });
  }

  /** Number of open (or opening) sessions. */
  get size(): number {
    return this.#entries.size;
  }

  /** The cached session for `filePath`, created on first use. */
  async session(filePath: string): Promise<InferenceSession> {
    if (this.#disposed) throw new DisposedError("OnnxSessionPool");
    const resolved = path.resolve(filePath);
    const key = `${resolved}|${this.#intra}|${this.#inter}`;
    let entry = this.#entries.get(key);
    if (!entry) {
      const session = this.#create(resolved);
      entry = { key, session, lastUsed: Date.now() };
      this.#entries.set(key, entry);
      session.catch(() => this.#entries.delete(key));
      await session; // a file that fails to open never evicts a working session
      await this.#evictBeyondLimit(key);
    }
    entry.lastUsed = Date.now();
    return entry.session;
  }

  /** Input and output names, types and shapes of the model. */
  async signature(filePath: string): Promise<OnnxModelInfo> {
    const session = await this.session(filePath);
    return {
      format: "onnx",
      kind: "onnx",
      inputs: signatureOf(session.inputMetadata, session.inputNames),
      outputs: signatureOf(session.outputMetadata, session.outputNames),
    };
  }

  /** Runs the model on plain feeds and returns plain outputs. */
  async run(filePath: string, feeds: Readonly<Record<string, OnnxFeed>>): Promise<Record<string, OnnxOutput>> {
    const session = await this.session(filePath);
    const ort = await import("onnxruntime-node");
    const tensors: Record<string, Tensor> = {};
    for (const [name, feed] of Object.entries(feeds)) {
      tensors[name] = new ort.Tensor(feed.type, feed.data as never, [...feed.dims]);
    }
    try {
      const results = await session.run(tensors);
      const out: Record<string, OnnxOutput> = {};
      for (const [name, tensor] of Object.entries(results)) out[name] = { type: tensor.type, data: tensor.data, dims: [...tensor.dims] };
      return out;
    } catch (error) {
      throw new OnnxSessionError(path.basename(filePath), `run failed (${(error as Error).message})`, error);
    }
  }

  /** Releases one model's session(s). */
  async release(filePath: string): Promise<void> {
    const resolved = path.resolve(filePath);
    for (const [key, entry] of [...this.#entries]) {
      if (key.startsWith(`${resolved}|`)) {
        this.#entries.delete(key);
        await entry.session.then((s) => s.release()).catch(() => undefined);
      }
    }
  }

  async dispose(): Promise<void> {
    if (this.#disposed) return;
    this.#disposed = true;
    const entries = [...this.#entries.values()];
    this.#entries.clear();
    await Promise.all(entries.map((e) => e.session.then((s) => s.release()).catch(() => undefined)));
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.dispose();
  }

  async #create(filePath: string): Promise<InferenceSession> {
    const ort = await import("onnxruntime-node");
    const started = performance.now();
    try {
      const session = await ort.InferenceSession.create(filePath, {
        intraOpNumThreads: this.#intra,
        interOpNumThreads: this.#inter,
        executionMode: "sequential",
        graphOptimizationLevel: "all",
      });
      this.#logger.debug({ file: path.basename(filePath), ms: Math.round(performance.now() - started) }, "onnx session created");
      return session;
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      throw new OnnxSessionError(path.basename(filePath), `cannot create a session (${message.slice(0, 200)})`, error);
    }
  }

  async #evictBeyondLimit(keep: string): Promise<void> {
    while (this.#entries.size > this.#maxSessions) {
      const oldest = [...this.#entries.values()].filter((e) => e.key !== keep).sort((a, b) => a.lastUsed - b.lastUsed)[0];
      if (!oldest) return;
      this.#entries.delete(oldest.key);
      await oldest.session.then((s) => s.release()).catch(() => undefined);
    }
  }
}
