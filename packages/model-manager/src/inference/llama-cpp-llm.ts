import type { GenerateChunk, GenerateRequest, GenerateResult, Llm } from "@bear/core";
import { inject, injectable } from "inversify";
import type { Observable } from "rxjs";
import type { ModelManager } from "../model-manager";
import { ModelManagerToken, LlmModelId } from "../tokens";
import type { GenerationEvent } from "./generation-stream";

/**
 * core's `Llm` on a GGUF model through node-llama-cpp. A thin handle: the manager loads the model
 * on first use (and reloads it after an eviction), and queues concurrent callers fairly.
 */
@injectable()
export class LlamaCppLlm implements Llm {
  constructor(
    @inject(ModelManagerToken) private readonly manager: ModelManager,
    @inject(LlmModelId) readonly id: string,
  ) {}

  get contextSize(): number {
    return this.manager.plannedContextSize(this.id);
  }

  countTokens(text: string): Promise<number> {
    return this.manager.countTokens(this.id, text);
  }

  generate(request: GenerateRequest): Promise<GenerateResult> {
    return this.manager.generate(this.id, request);
  }

  stream(request: GenerateRequest): AsyncGenerator<GenerateChunk, GenerateResult, undefined> {
    return this.manager.stream(this.id, request);
  }

  /** The stream as an rxjs Observable (chunks, then the result); unsubscribing aborts. */
  observe(request: GenerateRequest): Observable<GenerationEvent> {
    return this.manager.observe(this.id, request);
  }
}


