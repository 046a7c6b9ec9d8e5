export interface EmbedOptions {
  readonly signal?: AbortSignal;
}

/**
 * Turns texts into fixed-size vectors. Implementations: ONNX and lexical in @bear/rag,
 * GGUF in @bear/model-manager. Vectors are L2-normalised so cosine = dot product.
 */
export const Embedder = Symbol.for("@bear/core:Embedder");
export interface Embedder {
  /** Stable identity of the model and its settings; part of every embedding cache key. */
  readonly id: string;
  readonly dimensions: number;
  embed(texts: readonly string[], options?: EmbedOptions): Promise<Float32Array[]>;
}
