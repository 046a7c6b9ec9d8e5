import type { GenerateChunk, GenerateRequest, GenerateResult, Llm } from "@bear/core";
import type { ClusterNode } from "@bear/cluster";
import type { JsonObject } from "@bear/workflow-engine";
import { GENERATE_STEP, TOKENS_STEP, generateResult, tokensResult } from "./cluster-steps";

/**
 * core's `Llm` for a cluster's API instance: generation runs on a worker that has the model
 * (`llm.generate`, its tokens streamed back as they come), and so does token counting
 * (`llm.tokens`, the calls of one tick sent as one step), so the instance never loads the model.
 * Its id is the configured model's; its context size the one the last worker reported (until one
 * has, `fallbackContextSize`).
 */
export class RemoteLlm implements Llm {
  #contextSize: number | undefined;
  #pending: Array<{ text: string; resolve(n: number): void; reject(e: unknown): void }> = [];

  constructor(
    private readonly node: ClusterNode,
    readonly id: string,
    private readonly fallbackContextSize: () => number,
  ) {}

  get contextSize(): number {
    return this.#contextSize ?? this.fallbackContextSize();
  }

  /** Counted on a worker with the model's tokenizer; the calls made in one tick go as one step. */
  countTokens(text: string): Promise<number> {
    return new Promise((resolve, reject) => {
      this.#pending.push({ text, resolve, reject });
      if (this.#pending.length === 1) queueMicrotask(() => void this.#countPending());
    });
  }

  async #countPending(): Promise<void> {
    const batch = this.#pending;
    this.#pending = [];
    try {
      const output = await this.node.runStep(TOKENS_STEP, { model: this.id, texts: batch.map((b) => b.text) }, { matter: null });
      const { counts, contextSize } = tokensResult(output, batch.length);
      this.#contextSize = contextSize;
      batch.forEach((b, i) => b.resolve(counts[i]!));
    } catch (error) {
      for (const b of batch) b.reject(error);
    }
  }

  async generate(request: GenerateRequest): Promise<GenerateResult> {
    const started = Date.now();
    try {
      return generateResult(await this.node.runStep(GENERATE_STEP, { model: this.id, request: wireRequest(request) }, { matter: null, ...(request.signal ? { signal: request.signal } : {}) }));
    } catch (error) {
      if (request.signal?.aborted) return aborted(started, "");
      throw error;
    }
  }

  /**
   * The worker publishes the text as it is generated (see @bear/cluster's StepStreams); the
   * step's output holds the whole result, which also supplies any piece lost on the way. Breaking
   * out of the loop or aborting `request.signal` cancels the step on the worker.
   */
  async *stream(request: GenerateRequest): AsyncGenerator<GenerateChunk, GenerateResult, undefined> {
    const started = Date.now();
    const controller = new AbortController();
    const onAbort = (): void => controller.abort(request.signal?.reason);
    request.signal?.addEventListener("abort", onAbort, { once: true });
    if (request.signal?.aborted) onAbort();
    const reader = await this.node.streams.open();
    let streamed = "";
    let settled = false;
    try {
      // one attempt: a retry would stream its text again from the start
      const step = this.node.runStep(GENERATE_STEP, { model: this.id, request: wireRequest(request), stream: reader.id }, { matter: null, signal: controller.signal, attempts: 1 });
      const done = step.then(
        (output) => ({ output }),
        (error: unknown) => ({ error }),
      );
      void done.then(() => reader.end());
      for (let piece = await reader.next(); piece !== undefined; piece = await reader.next()) {
        streamed += piece;
        yield { text: piece };
      }
      const outcome = await done;
      settled = true;
      if ("error" in outcome) {
        if (controller.signal.aborted) return aborted(started, streamed);
        throw outcome.error;
      }
      const result = generateResult(outcome.output);
      // pieces published after the step's completion reached this instance, or lost to a reconnect
      if (result.text.length > streamed.length && result.text.startsWith(streamed)) yield { text: result.text.slice(streamed.length) };
      return result;
    } finally {
      request.signal?.removeEventListener("abort", onAbort);
      if (!settled) controller.abort(new Error("the generation's reader stopped"));
      reader.close();
    }
  }
}

/** The request as step parameters (JSON; the signal stays here). */
function wireRequest(request: GenerateRequest): JsonObject {
  const { signal: _signal, ...rest } = request;
  return JSON.parse(JSON.stringify(rest)) as JsonObject;
}

function aborted(started: number, text: string): GenerateResult {
  return { text, tokensUsed: 0, promptTokens: 0, generationTime: Date.now() - started, tokensPerSecond: 0, finishReason: "abort" };
}
