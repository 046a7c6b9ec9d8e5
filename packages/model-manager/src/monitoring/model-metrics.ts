import { Subject, type Observable } from "rxjs";

/** What happened to a model, as a discriminated union on `type`. Ids and numbers only, never text. */
export type ModelEvent =
  | { readonly type: "model.loaded"; readonly modelId: string; readonly loadMs: number; readonly threads: number; readonly contextSize: number; readonly memoryBytes: number }
  | { readonly type: "model.unloaded"; readonly modelId: string; readonly reason: "requested" | "evicted" | "disposed" }
  | { readonly type: "model.load-failed"; readonly modelId: string; readonly code: string }
  | {
      readonly type: "generation.completed";
      readonly modelId: string;
      readonly promptTokens: number;
      readonly generatedTokens: number;
      readonly promptTokensPerSecond: number;
      readonly generationTokensPerSecond: number;
      readonly queueWaitMs: number;
      readonly totalMs: number;
      readonly finishReason: string;
    }
  | { readonly type: "generation.failed"; readonly modelId: string; readonly code: string }
  | { readonly type: "embedding.completed"; readonly modelId: string; readonly texts: number; readonly totalMs: number; readonly queueWaitMs: number };

export interface ModelMetricsSnapshot {
  readonly modelId: string;
  readonly loads: number;
  readonly lastLoadMs: number | undefined;
  readonly generations: number;
  readonly embeddings: number;
  readonly errors: number;
  readonly promptTokens: number;
  readonly generatedTokens: number;
  /** Prompt tokens over prompt-processing time, across all generations. */
  readonly promptTokensPerSecond: number;
  /** Generated tokens over generation time, across all generations. */
  readonly generationTokensPerSecond: number;
  readonly averageQueueWaitMs: number;
  readonly maxQueueWaitMs: number;
}

interface Accumulator {
  loads: number;
  lastLoadMs: number | undefined;
  generations: number;
  embeddings: number;
  errors: number;
  promptTokens: number;
  promptMs: number;
  generatedTokens: number;
  generationMs: number;
  queueWaitTotal: number;
  queueWaitCount: number;
  maxQueueWaitMs: number;
}

/** Per-model counters plus the event stream they are computed from. */
export class ModelMetrics {
  readonly #subject = new Subject<ModelEvent>();
  readonly #byModel = new Map<string, Accumulator>();
  /** Every model event as it happens. */
  readonly onDidRecord: Observable<ModelEvent> = this.#subject.asObservable();

  record(event: ModelEvent): void {
    const a = this.#acc(event.modelId);
    switch (event.type) {
      case "model.loaded":
        a.loads++;
        a.lastLoadMs = event.loadMs;
        break;
      case "model.load-failed":
      case "generation.failed":
        a.errors++;
        break;
      case "generation.completed": {
        a.generations++;
        a.promptTokens += event.promptTokens;
        a.generatedTokens += event.generatedTokens;
        if (event.promptTokensPerSecond > 0) a.promptMs += (event.promptTokens / event.promptTokensPerSecond) * 1000;
        if (event.generationTokensPerSecond > 0) a.generationMs += (event.generatedTokens / event.generationTokensPerSecond) * 1000;
        this.#wait(a, event.queueWaitMs);
        break;
      }
      case "embedding.completed":
        a.embeddings++;
        this.#wait(a, event.queueWaitMs);
        break;
      case "model.unloaded":
        break;
    }
    this.#subject.next(event);
  }

  snapshot(): ModelMetricsSnapshot[] {
    return [...this.#byModel.entries()].map(([modelId, a]) => ({
      modelId,
      loads: a.loads,
      lastLoadMs: a.lastLoadMs,
      generations: a.generations,
      embeddings: a.embeddings,
      errors: a.errors,
      promptTokens: a.promptTokens,
      generatedTokens: a.generatedTokens,
      promptTokensPerSecond: a.promptMs > 0 ? (a.promptTokens / a.promptMs) * 1000 : 0,
      generationTokensPerSecond: a.generationMs > 0 ? (a.generatedTokens / a.generationMs) * 1000 : 0,
      averageQueueWaitMs: a.queueWaitCount > 0 ? a.queueWaitTotal / a.queueWaitCount : 0,
      maxQueueWaitMs: a.maxQueueWaitMs,
    }));
  }

  complete(): void {
    this.#subject.complete();
  }

  #wait(a: Accumulator, ms: number): void {
    a.queueWaitTotal += ms;
    a.queueWaitCount++;
    a.maxQueueWaitMs = Math.max(a.maxQueueWaitMs, ms);
  }

  #acc(modelId: string): Accumulator {
    let a = this.#byModel.get(modelId);
    if (!a) {
      a = { loads: 0, lastLoadMs: undefined, generations: 0, embeddings: 0, errors: 0, promptTokens: 0, promptMs: 0, generatedTokens: 0, generationMs: 0, queueWaitTotal: 0, queueWaitCount: 0, maxQueueWaitMs: 0 };
      this.#byModel.set(modelId, a);
    }
    return a;
  }
}
