import { type EmbedOptions, type Embedder, InvalidArgumentError } from "@bear/core";
import { inject, injectable } from "inversify";
import { EmbeddingError } from "../errors";
import type { ModelManager } from "../model-manager";
import { EmbedderModelId, ModelManagerToken } from "../tokens";

/** L2-normalises in place (a zero vector stays zero). */
export function normalizeL2(vector: Float32Array): Float32Array {
  let sum = 0;
  for (const v of vector) sum += v * v;
  const norm = Math.sqrt(sum);
  if (norm > 0) for (let i = 0; i < vector.length; i++) vector[i] = (vector[i] as number) / norm;
  return vector;
}

/**
 * core's `Embedder` on a GGUF embedding model (BERT-style, pooled) through node-llama-cpp
 * embedding contexts. Vectors are L2-normalised; texts longer than the context are truncated.
 */
@injectable()
export class LlamaCppEmbedder implements Embedder {
  #dimensions: number | undefined;

  constructor(
    @inject(ModelManagerToken) private readonly manager: ModelManager,
    @inject(EmbedderModelId) private readonly modelId: string,
  ) {}

  get id(): string {
    return `llama-cpp:${this.modelId}`;
  }

  /** Vector size, from the GGUF header (known before the model is loaded). */
  get dimensions(): number {
    if (this.#dimensions === undefined) {
      const info = this.manager.registry.get(this.modelId).info;
      this.#dimensions = info?.format === "gguf" ? (info.embeddingLength ?? 0) : 0;
    }
    return this.#dimensions;
  }

  async embed(texts: readonly string[], options: EmbedOptions = {}): Promise<Float32Array[]> {
    if (!Array.isArray(texts) || texts.some((t) => typeof t !== "string")) throw new InvalidArgumentError("texts", texts, "an array of strings");
    if (texts.length === 0) return [];
    const started = performance.now();
    const loaded = await this.manager.acquireEmbedding(this.modelId);
    const lease = await loaded.queue.acquire(options.signal);
    try {
      const out: Float32Array[] = [];
      for (const text of texts) {
        options.signal?.throwIfAborted();
        let tokens = loaded.model.tokenize(text);
        // Room for the BOS/EOS (CLS/SEP) tokens the context adds; llama.cpp wants input < context size.
        const limit = loaded.contextSize - 3;
        if (tokens.length > limit) tokens = tokens.slice(0, limit);
        const embedding = await loaded.context.getEmbeddingFor(tokens);
        out.push(normalizeL2(Float32Array.from(embedding.vector)));
      }
      this.#dimensions = out[0]?.length ?? this.#dimensions;
      this.manager.recordEmbedding(this.modelId, texts.length, performance.now() - started, lease.waitMs);
      return out;
    } catch (error) {
      if (options.signal?.aborted) throw error;
      throw new EmbeddingError(this.modelId, error instanceof Error ? error.message : String(error), error);
    } finally {
      lease.release();
    }
  }
}
