import { randomBytes } from "node:crypto";
import { describe, expect, it } from "@jest/globals";
import type { GenerateChunk, GenerateRequest, GenerateResult, Llm } from "../contracts/llm";
import { CachedLlm } from "./cached-llm";
import { TieredCache } from "./tiered-cache";

/** A deterministic stand-in model: counts its calls, echoes the prompt. */
class EchoLlm implements Llm {
  readonly id = "echo";
  readonly contextSize = 512;
  calls = 0;
  async countTokens(text: string): Promise<number> {
    return text.split(/\s+/).length;
  }
  async generate(request: GenerateRequest): Promise<GenerateResult> {
    this.calls++;
    const text = `echo: ${request.prompt ?? request.messages?.map((m) => m.content).join(" ")}`;
    return { text, tokensUsed: 2, promptTokens: 2, generationTime: 1, tokensPerSecond: 2, finishReason: request.signal?.aborted ? "abort" : "stop" };
  }
  async *stream(request: GenerateRequest): AsyncGenerator<GenerateChunk, GenerateResult, undefined> {
    const result = await this.generate(request);
    for (const word of result.text.split(" ")) yield { text: word };
    return result;
  }
}

const cache = () => new TieredCache({ secret: randomBytes(32), maxMemoryBytes: 1 << 20 });

describe("CachedLlm", () => {
  it("serves a repeated temperature-0 request from the cache, and samples every other time", async () => {
    const inner = new EchoLlm();
    const llm = new CachedLlm(inner, cache());
    const first = await llm.generate({ prompt: "notice period?", temperature: 0, maxTokens: 10 });
    expect(await llm.generate({ maxTokens: 10, temperature: 0, prompt: "notice period?" })).toEqual(first);
    expect(inner.calls).toBe(1);
    await llm.generate({ prompt: "notice period?", temperature: 0, maxTokens: 11 });
    expect(inner.calls).toBe(2);
    await llm.generate({ prompt: "notice period?", temperature: 0.7 });
    await llm.generate({ prompt: "notice period?", temperature: 0.7 });
    expect(inner.calls).toBe(4);
    // No temperature: deterministic only when the model's default is 0.
    await llm.generate({ prompt: "x" });
    await llm.generate({ prompt: "x" });
    expect(inner.calls).toBe(6);
    const greedyByDefault = new CachedLlm(inner, cache(), { defaultTemperature: 0 });
    await greedyByDefault.generate({ prompt: "x" });
    await greedyByDefault.generate({ prompt: "x", temperature: 0 });
    expect(inner.calls).toBe(7);
  });

  it("streams a cached result as one piece, with the same final result", async () => {
    const inner = new EchoLlm();
    const llm = new CachedLlm(inner, cache());
    const collect = async (request: GenerateRequest) => {
      const it = llm.stream(request);
      const pieces: string[] = [];
      for (;;) {
        const next = await it.next();
        if (next.done) return { pieces, result: next.value };
        pieces.push(next.value.text);
      }
    };
    const fresh = await collect({ messages: [{ role: "user", content: "a b" }], temperature: 0 });
    const cached = await collect({ messages: [{ role: "user", content: "a b" }], temperature: 0 });
    expect(fresh.pieces.length).toBeGreaterThan(1);
    expect(cached.pieces).toEqual([fresh.result.text]);
    expect(cached.result).toEqual(fresh.result);
    expect(inner.calls).toBe(1);
  });

  it("does not cache an aborted generation", async () => {
    const inner = new EchoLlm();
    const llm = new CachedLlm(inner, cache());
    const controller = new AbortController();
    controller.abort();
    await llm.generate({ prompt: "p", temperature: 0, signal: controller.signal });
    await llm.generate({ prompt: "p", temperature: 0 });
    expect(inner.calls).toBe(2);
  });
});
