import { createHash } from "node:crypto";
import { readFile, stat } from "node:fs/promises";
import path from "node:path";
import { DisposedError, InvalidArgumentError, type EmbedOptions, type Embedder } from "@bear/core";
import type * as Ort from "onnxruntime-node";
import type { InferenceSession, Tensor } from "onnxruntime-node";
import { ModelError } from "../errors";
import { WordPieceTokenizer } from "./wordpiece-tokenizer";

export type OnnxPooling = "auto" | "mean" | "cls" | "model";

export interface OnnxEmbedderOptions {
  /** Folder with model.onnx (or onnx/model.onnx) and tokenizer.json or vocab.txt. */
  readonly modelDir: string;
  /** Default: model.onnx inside modelDir (or modelDir/onnx). */
  readonly modelFile?: string;
  /**
   * `model`: use the model's own pooled output (sentence_embedding); `mean`: masked mean of
   * the token vectors; `cls`: the first token's vector; `auto` (default): `model` when the
   * graph has a sentence_embedding output, else `mean`.
   */
  readonly pooling?: OnnxPooling;
  readonly batchSize?: number;
  /** onnxruntime intra-op threads. Default 1 (embedding is batched, and cores are shared). */
  readonly threads?: number;
  /** Tokens per text including [CLS]/[SEP]. Default: the tokenizer's truncation, capped at 512. */
  readonly maxTokens?: number;
  /** Prepended to every text (e5: "passage: ", bge queries: "Represent this sentence…"). */
  readonly prefix?: string;
}

function l2normalise(v: Float32Array): Float32Array {
  let sum = 0;
  for (const x of v) sum += x * x;
  const norm = Math.sqrt(sum);
  if (norm > 0) for (let i = 0; i < v.length; i++) v[i] = v[i]! / norm;
  return v;
}

async function exists(p: string): Promise<boolean> {
  return stat(p).then(
    (s) => s.isFile(),
    () => false,
  );
}

/**
 * Sentence embeddings from any BERT-style ONNX model (all-MiniLM, bge, e5, nomic…) through
 * onnxruntime-node: WordPiece tokens in, pooled and L2-normalised vectors out, in batches.
 * Create with `await OnnxEmbedder.load({ modelDir })`.
 */
export class OnnxEmbedder implements Embedder {
  readonly id: string;
  readonly dimensions: number;
  readonly #session: InferenceSession;
  readonly #ort: typeof Ort;
  readonly #tokenizer: WordPieceTokenizer;
  readonly #pooling: Exclude<OnnxPooling, "auto">;
  readonly #batchSize: number;
  readonly #maxTokens: number;
  readonly #prefix: string;
  #disposed = false;

  private constructor(init: {
    id: string;
    dimensions: number;
    session: InferenceSession;
    ort: typeof Ort;
    tokenizer: WordPieceTokenizer;
    pooling: Exclude<OnnxPooling, "auto">;
    batchSize: number;
    maxTokens: number;
    prefix: string;
  }) {
    this.id = init.id;
    this.dimensions = init.dimensions;
    this.#session = init.session;
    this.#ort = init.ort;
    this.#tokenizer = init.tokenizer;
    this.#pooling = init.pooling;
    this.#batchSize = init.batchSize;
    this.#maxTokens = init.maxTokens;
    this.#prefix = init.prefix;
  }

  static async load(options: OnnxEmbedderOptions): Promise<OnnxEmbedder> {
    const batchSize = options.batchSize ?? 64;
    const threads = options.threads ?? 1;
    if (!Number.isInteger(batchSize) || batchSize < 1) throw new InvalidArgumentError("batchSize", batchSize, "a positive integer");
    if (!Number.isInteger(threads) || threads < 1) throw new InvalidArgumentError("threads", threads, "a positive integer");
    const candidates = options.modelFile
      ? [path.resolve(options.modelDir, options.modelFile)]
      : [path.join(options.modelDir, "model.onnx"), path.join(options.modelDir, "onnx", "model.onnx")];
    let modelFile: string | undefined;
    for (const c of candidates) if (await exists(c)) modelFile = c;
    if (!modelFile) throw new ModelError(`no ONNX model found at ${candidates.map((c) => `'${c}'`).join(" or ")}`);
    const tokenizerDir = (await exists(path.join(options.modelDir, "tokenizer.json"))) || (await exists(path.join(options.modelDir, "vocab.txt")))
      ? options.modelDir
      : path.dirname(modelFile);
    const tokenizer = await WordPieceTokenizer.fromDirectory(tokenizerDir);
    const bytes = await readFile(modelFile);
    const ort = await import("onnxruntime-node");
    let session: InferenceSession;
    try {
      session = await ort.InferenceSession.create(bytes, { intraOpNumThreads: threads, interOpNumThreads: 1, executionMode: "sequential", graphOptimizationLevel: "all" });
    } catch (error) {
      throw new ModelError(`onnxruntime could not load '${modelFile}'`, { cause: error });
    }
    if (!session.inputNames.includes("input_ids")) {
      throw new ModelError(`ONNX model '${modelFile}' has inputs [${session.inputNames.join(", ")}], not the BERT-style input_ids/attention_mask`);
    }
    const requested = options.pooling ?? "auto";
    const hasPooled = session.outputNames.includes("sentence_embedding");
    const pooling = requested === "auto" ? (hasPooled ? "model" : "mean") : requested;
    if (pooling === "model" && !hasPooled) {
      throw new ModelError(`ONNX model '${modelFile}' has no sentence_embedding output (outputs: ${session.outputNames.join(", ")})`, {
        hint: "Use pooling 'mean' or 'cls'.",
      });
    }
    const maxTokens = Math.min(options.maxTokens ?? tokenizer.maxLength, 512);
    const digest = createHash("sha256").update(bytes).digest("hex").slice(0, 12);
    const name = path.basename(path.dirname(modelFile)) === "onnx" ? path.basename(path.dirname(path.dirname(modelFile))) : path.basename(path.dirname(modelFile));
    const prefix = options.prefix ?? "";
    const init = { session, ort, tokenizer, pooling, batchSize, maxTokens, prefix } as const;
    const probe = new OnnxEmbedder({ ...init, id: "probe", dimensions: 0 });
    const [vector] = await probe.#embedBatch(["dimension probe"]);
    const prefixTag = prefix ? `:${createHash("sha256").update(prefix).digest("hex").slice(0, 6)}` : "";
    const id = `onnx:${name}@${digest}:${pooling}:${maxTokens}${prefixTag}`;
    return new OnnxEmbedder({ ...init, id, dimensions: vector!.length });
  }

  async embed(texts: readonly string[], options: EmbedOptions = {}): Promise<Float32Array[]> {
    if (this.#disposed) throw new DisposedError(`OnnxEmbedder '${this.id}'`);
    const out: Float32Array[] = new Array<Float32Array>(texts.length);
    // Sort by length so each batch pads little.
    const order = texts.map((t, i) => [t.length, i] as const).sort((a, b) => a[0] - b[0]).map(([, i]) => i);
    for (let b = 0; b < order.length; b += this.#batchSize) {
      options.signal?.throwIfAborted();
      const idx = order.slice(b, b + this.#batchSize);
      const vectors = await this.#embedBatch(idx.map((i) => texts[i]!));
      idx.forEach((i, j) => (out[i] = vectors[j]!));
    }
    return out;
  }

  async #embedBatch(texts: readonly string[]): Promise<Float32Array[]> {
    const encoded = texts.map((t) => this.#tokenizer.encode(this.#prefix + t, this.#maxTokens));
    const seq = Math.max(...encoded.map((e) => e.length));
    const n = encoded.length;
    const ids = new BigInt64Array(n * seq);
    const mask = new BigInt64Array(n * seq);
    encoded.forEach((e, r) => {
      for (let c = 0; c < seq; c++) {
        ids[r * seq + c] = BigInt(c < e.length ? e[c]! : this.#tokenizer.padId);
        mask[r * seq + c] = c < e.length ? 1n : 0n;
      }
    });
    const { Tensor } = this.#ort;
    const feeds: Record<string, Tensor> = {
      input_ids: new Tensor("int64", ids, [n, seq]),
    };
    if (this.#session.inputNames.includes("attention_mask")) feeds["attention_mask"] = new Tensor("int64", mask, [n, seq]);
    if (this.#session.inputNames.includes("token_type_ids")) feeds["token_type_ids"] = new Tensor("int64", new BigInt64Array(n * seq), [n, seq]);
    const wanted = this.#pooling === "model" ? "sentence_embedding" : this.#tokenOutputName();
    const result = await this.#session.run(feeds, [wanted]);
    const tensor = result[wanted]!;
    const data = tensor.data as Float32Array;
    const vectors: Float32Array[] = [];
    if (this.#pooling === "model") {
      const dim = tensor.dims[1]!;
      for (let r = 0; r < n; r++) vectors.push(l2normalise(Float32Array.from(data.subarray(r * dim, (r + 1) * dim))));
    } else {
      const dim = tensor.dims[2]!;
      const rowSeq = tensor.dims[1]!;
      for (let r = 0; r < n; r++) {
        const v = new Float32Array(dim);
        if (this.#pooling === "cls") v.set(data.subarray(r * rowSeq * dim, r * rowSeq * dim + dim));
        else {
          const len = encoded[r]!.length;
          for (let c = 0; c < len; c++) {
            const base = (r * rowSeq + c) * dim;
            for (let d = 0; d < dim; d++) v[d] = v[d]! + data[base + d]!;
          }
          for (let d = 0; d < dim; d++) v[d] = v[d]! / len;
        }
        vectors.push(l2normalise(v));
      }
    }
    for (const t of Object.values(result)) t.dispose?.();
    return vectors;
  }

  #tokenOutputName(): string {
    const names = this.#session.outputNames;
    return names.find((n) => n === "last_hidden_state" || n === "token_embeddings") ?? names[0]!;
  }

  async dispose(): Promise<void> {
    if (this.#disposed) return;
    this.#disposed = true;
    await this.#session.release();
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.dispose();
  }
}
