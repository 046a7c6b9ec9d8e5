import type { GenerateChunk, GenerateRequest, GenerateResult, Llm } from "@bear/core";

/**
 * A deterministic Llm for tests where a real model's wording would make assertions flaky: the
 * reply is computed from the prompt. Generation honours the signal like a real model.
 */
export class ScriptedLlm implements Llm {
  readonly contextSize = 4096;
  calls = 0;
  constructor(
    readonly id: string,
    private readonly reply: (prompt: string, request: GenerateRequest) => string,
    private readonly delayMs = 0,
  ) {}

  async countTokens(text: string): Promise<number> {
    return text.split(/\s+/).filter(Boolean).length;
  }

  async generate(request: GenerateRequest): Promise<GenerateResult> {
    this.calls++;
    const started = performance.now();
    if (this.delayMs) await new Promise((r) => setTimeout(r, this.delayMs));
    if (request.signal?.aborted) return { text: "", tokensUsed: 0, promptTokens: 0, generationTime: 0, tokensPerSecond: 0, finishReason: "abort" };
    const prompt = request.prompt ?? (request.messages ?? []).map((m) => m.content).join("\n");
    const text = this.reply(prompt, request);
    const tokens = text.split(/\s+/).filter(Boolean).length;
    const ms = Math.max(0.1, performance.now() - started);
    return { text, tokensUsed: tokens, promptTokens: await this.countTokens(prompt), generationTime: ms, tokensPerSecond: (tokens / ms) * 1000, finishReason: "stop" };
  }

  async *stream(request: GenerateRequest): AsyncGenerator<GenerateChunk, GenerateResult, undefined> {
    const result = await this.generate(request);
    for (const piece of result.text.split(/(?<= )/)) yield { text: piece };
    return result;
  }
}
