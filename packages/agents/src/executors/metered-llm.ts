import type { GenerateChunk, GenerateRequest, GenerateResult, Llm } from "@bear/core";
import { Subject, type Observable } from "rxjs";

/** Usage of one model as seen by the agents (numbers only). */
export interface ModelUsage {
  readonly modelId: string;
  readonly generations: number;
  readonly failures: number;
  readonly tokensGenerated: number;
  readonly promptTokens: number;
  readonly totalGenerationMs: number;
  /** Generated tokens per second over all generations. */
  readonly tokensPerSecond: number;
}

export type ModelUsageEvent =
  | { readonly type: "generation.completed"; readonly modelId: string; readonly tokens: number; readonly ms: number; readonly finishReason: string }
  | { readonly type: "generation.failed"; readonly modelId: string; readonly code: string };

/**
 * Wraps any core `Llm` and counts what goes through it, so the monitor can report model metrics
 * next to agent metrics whatever the model implementation is.
 */
export class MeteredLlm implements Llm {
  readonly #inner: Llm;
  readonly #events = new Subject<ModelUsageEvent>();
  #generations = 0;
  #failures = 0;
  #tokens = 0;
  #promptTokens = 0;
  #ms = 0;
  readonly onDidGenerate: Observable<ModelUsageEvent> = this.#events.asObservable();

  constructor(inner: Llm) {
    this.#inner = inner;
  }

  get id(): string {
    return this.#inner.id;
  }

  get contextSize(): number {
    return this.#inner.contextSize;
  }

  countTokens(text: string): Promise<number> {
    return this.#inner.countTokens(text);
  }

  async generate(request: GenerateRequest): Promise<GenerateResult> {
    try {
      const result = await this.#inner.generate(request);
      this.#record(result);
      return result;
    } catch (error) {
      this.#fail(error);
      throw error;
    }
  }

  async *stream(request: GenerateRequest): AsyncGenerator<GenerateChunk, GenerateResult, undefined> {
    try {
      const result = yield* this.#inner.stream(request);
      this.#record(result);
      return result;
    } catch (error) {
      this.#fail(error);
      throw error;
    }
  }

  usage(): ModelUsage {
    return {
      modelId: this.id,
      generations: this.#generations,
      failures: this.#failures,
      tokensGenerated: this.#tokens,
      promptTokens: this.#promptTokens,
      totalGenerationMs: Math.round(this.#ms),
      tokensPerSecond: this.#ms > 0 ? Math.round((this.#tokens / this.#ms) * 1000 * 10) / 10 : 0,
    };
  }

  #record(result: GenerateResult): void {
    if (result.finishReason === "error") {
      this.#failures++;
      this.#events.next({ type: "generation.failed", modelId: this.id, code: "FINISH_REASON_ERROR" });
      return;
    }
    this.#generations++;
    this.#tokens += result.tokensUsed;
    this.#promptTokens += result.promptTokens;
    this.#ms += result.generationTime;
    this.#events.next({ type: "generation.completed", modelId: this.id, tokens: result.tokensUsed, ms: result.generationTime, finishReason: result.finishReason });
  }

  #fail(error: unknown): void {
    this.#failures++;
    const code = (error as { code?: unknown } | null)?.code;
    this.#events.next({ type: "generation.failed", modelId: this.id, code: typeof code === "string" ? code : "ERROR" });
  }
}
