import type { Llama, LlamaContext, LlamaContextSequence, LlamaEmbeddingContext, LlamaGrammar, LlamaModel } from "node-llama-cpp";
import type { ChatWrapper } from "node-llama-cpp";
import type { RequestQueue } from "./request-queue";

/** Facts about one loaded model, safe to hand out. */
export interface LoadedModelInfo {
  readonly modelId: string;
  readonly kind: "causal" | "embedding";
  readonly threads: number;
  readonly contextSize: number;
  readonly batchSize: number;
  /** Requests served at once (context sequences). */
  readonly concurrency: number;
  readonly gpuLayers: number;
  /** Estimated memory held (weights + context). */
  readonly memoryBytes: number;
  readonly loadMs: number;
  readonly lastUsedAt: number;
}

interface LoadedBase {
  readonly id: string;
  readonly llama: Llama;
  readonly model: LlamaModel;
  readonly queue: RequestQueue;
  readonly threads: number;
  readonly contextSize: number;
  readonly batchSize: number;
  readonly memoryBytes: number;
  readonly loadMs: number;
  lastUsedAt: number;
  disposed: boolean;
}

/** A causal model with its context and a pool of free sequences (one per concurrent request). */
export interface LoadedLlm extends LoadedBase {
  readonly kind: "causal";
  readonly context: LlamaContext;
  readonly freeSequences: LlamaContextSequence[];
  readonly grammars: Map<string, Promise<LlamaGrammar>>;
  chatWrapper: ChatWrapper | undefined;
}

export interface LoadedEmbedding extends LoadedBase {
  readonly kind: "embedding";
  readonly context: LlamaEmbeddingContext;
  readonly dimensions: number;
}

export type LoadedModel = LoadedLlm | LoadedEmbedding;

export function describeLoaded(loaded: LoadedModel): LoadedModelInfo {
  return {
    modelId: loaded.id,
    kind: loaded.kind,
    threads: loaded.threads,
    contextSize: loaded.contextSize,
    batchSize: loaded.batchSize,
    concurrency: loaded.queue.concurrency,
    gpuLayers: loaded.model.gpuLayers,
    memoryBytes: loaded.memoryBytes,
    loadMs: loaded.loadMs,
    lastUsedAt: loaded.lastUsedAt,
  };
}
