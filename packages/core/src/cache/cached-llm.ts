import type { GenerateChunk, GenerateRequest, GenerateResult, Llm } from "../contracts/llm";
import type { Cache, CacheKey } from "./cache";

/**
 * An Llm whose deterministic generations (temperature exactly 0) are cached, keyed by the model id,
 * its context size, the prompt or messages and every sampling parameter. Sampled generations, and
 * results that were aborted or failed, are never cached. A cached `stream()` yields the whole text
 * as one piece.
 */
export class CachedLlm implements Llm {
  readonly inner: Llm;
  readonly #cache: Cache;
  readonly #defaultTemperature: number | undefined;

  /** `defaultTemperature`: what the model uses when a request names none (model-manager's is 0). */
  constructor(inner: Llm, cache: Cache, options: { readonly defaultTemperature?: number } = {}) {
    this.inner = inner;
    this.#cache = cache;
    this.#defaultTemperature = options.defaultTemperature;
  }

  get id(): string {
    return this.inner.id;
  }

  get contextSize(): number {
    return this.inner.contextSize;
  }

  countTokens(text: string): Promise<number> {
    return this.inner.countTokens(text);
  }

  async generate(request: GenerateRequest): Promise<GenerateResult> {
    const key = this.#keyOf(request);
    if (!key) return this.inner.generate(request);
    const found = await this.#cache.getMany<GenerateResult>([key]);
    if (found[0]) return found[0];
    const result = await this.inner.generate(request);
    if (cacheable(result)) await this.#cache.setMany([{ key, value: result }]);
    return result;
  }

  async *stream(request: GenerateRequest): AsyncGenerator<GenerateChunk, GenerateResult, undefined> {
    const key = this.#keyOf(request);
    if (!key) return yield* this.inner.stream(request);
    const [found] = await this.#cache.getMany<GenerateResult>([key]);
    if (found) {
      if (found.text.length > 0) yield { text: found.text };
      return found;
    }
    const result = yield* this.inner.stream(request);
    if (cacheable(result)) await this.#cache.setMany([{ key, value: result }]);
    return result;
  }

  /** The key of a deterministic request; undefined when the output is sampled. */
  #keyOf(request: GenerateRequest): CacheKey | undefined {
    const temperature = request.temperature ?? this.#defaultTemperature;
    if (temperature !== 0) return undefined;
    const { signal: _signal, ...params } = request;
    return { kind: "generation", parts: [this.inner.id, this.inner.contextSize, { ...params, temperature }] };
  }
}

function cacheable(result: GenerateResult): boolean {
  return result.finishReason === "stop" || result.finishReason === "length";
}
