/** One chat message. Document text always travels as `user` content, quoted, never as `system`. */
export interface ChatMessage {
  readonly role: "system" | "user" | "assistant";
  readonly content: string;
}

export interface GenerateRequest {
  /** Either a raw prompt or chat messages (rendered with the model's own chat template). */
  readonly prompt?: string;
  readonly messages?: readonly ChatMessage[];
  readonly maxTokens?: number;
  readonly temperature?: number;
  readonly topP?: number;
  readonly topK?: number;
  readonly stop?: readonly string[];
  readonly seed?: number;
  /** A JSON schema the output must satisfy (grammar-constrained where the model supports it). */
  readonly jsonSchema?: Readonly<Record<string, unknown>>;
  readonly signal?: AbortSignal;
}

export type FinishReason = "stop" | "length" | "abort" | "error";

export interface GenerateResult {
  readonly text: string;
  /** Tokens generated. */
  readonly tokensUsed: number;
  readonly promptTokens: number;
  /** Wall time of the whole call in milliseconds. */
  readonly generationTime: number;
  readonly tokensPerSecond: number;
  readonly finishReason: FinishReason;
}

export interface GenerateChunk {
  readonly text: string;
}

/** A local text-generation model. Implemented by @bear/model-manager; consumed by rag and agents. */
export const Llm = Symbol.for("@bear/core:Llm");
export interface Llm {
  readonly id: string;
  /** Context window in tokens. */
  readonly contextSize: number;
  countTokens(text: string): Promise<number>;
  generate(request: GenerateRequest): Promise<GenerateResult>;
  /** Yields text pieces as they are generated; the iterator's return value is the final result. */
  stream(request: GenerateRequest): AsyncGenerator<GenerateChunk, GenerateResult, undefined>;
}
