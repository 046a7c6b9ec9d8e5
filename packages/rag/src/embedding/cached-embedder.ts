import { float32Codec, type Cache, type CacheKey, type EmbedOptions, type Embedder } from "@bear/core";

/**
 * Wraps an Embedder with the shared cache (kind "embedding", keyed by embedder id, dimensions and
 * text; the key is a keyed hash, so the text is never stored), so re-ingesting and repeated queries
 * cost nothing. Texts repeated within one call are embedded once.
 */
export class CachedEmbedder implements Embedder {
  readonly id: string;
  readonly dimensions: number;
  readonly inner: Embedder;
  readonly #cache: Cache;

  constructor(inner: Embedder, cache: Cache) {
    this.inner = inner;
    this.id = inner.id;
    this.dimensions = inner.dimensions;
    this.#cache = cache;
  }

  #key(text: string): CacheKey {
    return { kind: "embedding", parts: [this.id, this.dimensions, text] };
  }

  async embed(texts: readonly string[], options: EmbedOptions = {}): Promise<Float32Array[]> {
    const out = await this.#cache.getMany(texts.map((t) => this.#key(t)), { codec: float32Codec });
    const missing = [...new Set(texts.filter((_, i) => !out[i]))];
    if (missing.length > 0) {
      const vectors = await this.inner.embed(missing, options);
      const fresh = new Map(missing.map((text, i) => [text, vectors[i]!]));
      await this.#cache.setMany(missing.map((text) => ({ key: this.#key(text), value: fresh.get(text)! })), { codec: float32Codec });
      texts.forEach((text, i) => (out[i] ??= fresh.get(text)));
    }
    return out as Float32Array[];
  }
}
