import type { ChatMessage, FinishReason, GenerateRequest, GenerateResult } from "@bear/core";
import type * as NodeLlamaCpp from "node-llama-cpp";
import type { ChatHistoryItem, LlamaCompletionResponse, LlamaGrammar, LlamaModel, LlamaText, Token } from "node-llama-cpp";
import { GenerationError } from "../errors";
import type { LoadedLlm } from "../runtime/loaded-model";

/** Timings of one generation, for metrics. */
export interface GenerationStats {
  readonly queueWaitMs: number;
  readonly promptTokensPerSecond: number;
  readonly generationTokensPerSecond: number;
}

let library: typeof NodeLlamaCpp | undefined;

/** node-llama-cpp, imported on first use and then reused without another `await import()` per call. */
async function nodeLlamaCpp(): Promise<typeof NodeLlamaCpp> {
  library ??= await import("node-llama-cpp");
  return library;
}

/**
 * Tokenizes a raw prompt exactly as LlamaCompletion would (its BOS rule), so the prompt is
 * tokenized once: the count is exact and the completion gets the tokens.
 */
function promptTokensOf(model: LlamaModel, prompt: string): { tokens: Token[]; count: number } {
  const vocabulary = String(model.vocabularyType);
  const bos = vocabulary === "rwkv" || vocabulary === "ugm" ? null : vocabulary === "wpm" || model.tokens.shouldPrependBosToken ? model.tokens.bos : null;
  const tokens = model.tokenize(prompt, false, bos != null ? "trimLeadingSpace" : undefined);
  return { tokens, count: tokens.length + (bos != null ? 1 : 0) };
}

/** Default generation length when the request gives none. */
export const DEFAULT_MAX_TOKENS = 256;

function toHistory(messages: readonly ChatMessage[]): ChatHistoryItem[] {
  const history: ChatHistoryItem[] = messages.map((m) =>
    m.role === "system" ? { type: "system", text: m.content } : m.role === "user" ? { type: "user", text: m.content } : { type: "model", response: [m.content] },
  );
  history.push({ type: "model", response: [] });
  return history;
}

async function grammarFor(loaded: LoadedLlm, schema: Readonly<Record<string, unknown>>): Promise<LlamaGrammar> {
  const key = JSON.stringify(schema);
  let grammar = loaded.grammars.get(key);
  if (!grammar) {
    grammar = loaded.llama.createGrammarForJsonSchema(schema as never) as Promise<LlamaGrammar>;
    loaded.grammars.set(key, grammar);
    grammar.catch(() => loaded.grammars.delete(key));
  }
  try {
    return await grammar;
  } catch (error) {
    throw new GenerationError(loaded.id, `the JSON schema cannot be turned into a grammar (${(error as Error).message})`, error);
  }
}

function finishReasonOf(response: LlamaCompletionResponse): FinishReason {
  switch (response.metadata.stopReason) {
    case "maxTokens":
      return "length";
    case "abort":
      return "abort";
    default:
      return "stop";
  }
}

export function abortedResult(startedAt: number, promptTokens = 0, text = "", tokensUsed = 0): GenerateResult {
  const generationTime = performance.now() - startedAt;
  return { text, tokensUsed, promptTokens, generationTime, tokensPerSecond: generationTime > 0 ? (tokensUsed / generationTime) * 1000 : 0, finishReason: "abort" };
}

/**
 * One generation on a loaded model: waits for a sequence in FIFO order, renders messages with the
 * model's chat template, applies the JSON-schema grammar, streams text pieces to `onChunk`, and
 * stops promptly on abort (returning what it has with finishReason "abort").
 */
export async function runGeneration(
  loaded: LoadedLlm,
  request: GenerateRequest,
  onChunk: ((text: string) => void) | undefined,
  onStats: (stats: GenerationStats, result: GenerateResult) => void,
): Promise<GenerateResult> {
  const startedAt = performance.now();
  const signal = request.signal;
  let lease;
  try {
    lease = await loaded.queue.acquire(signal);
  } catch (error) {
    if (signal?.aborted) return abortedResult(startedAt);
    throw error;
  }
  const queueWaitMs = lease.waitMs;
  const sequence = loaded.freeSequences.pop();
  if (!sequence) {
    lease.release();
    throw new GenerationError(loaded.id, "no free context sequence (queue and sequence pool disagree)");
  }
  loaded.lastUsedAt = Date.now();
  const { LlamaCompletion, resolveChatWrapper } = library ?? (await nodeLlamaCpp());
  let text = "";
  let generated = 0;
  let promptTokens = 0;
  try {
    await sequence.clearHistory();
    let input: Token[] | LlamaText;
    const stopTriggers: Array<string | LlamaText> = [...(request.stop ?? [])];
    if (request.messages) {
      loaded.chatWrapper ??= resolveChatWrapper(loaded.model);
      const state = loaded.chatWrapper.generateContextState({ chatHistory: toHistory(request.messages) });
      input = state.contextText;
      stopTriggers.push(...state.stopGenerationTriggers);
      promptTokens = state.contextText.tokenize(loaded.model.tokenizer).length;
    } else {
      const prompt = promptTokensOf(loaded.model, request.prompt ?? "");
      input = prompt.tokens;
      promptTokens = prompt.count;
    }
    const room = loaded.contextSize - promptTokens - 1;
    if (room < 1) {
      throw new GenerationError(loaded.id, `the prompt has ${promptTokens} tokens but the context holds ${loaded.contextSize}`);
    }
    const maxTokens = Math.min(request.maxTokens ?? DEFAULT_MAX_TOKENS, room);
    const grammar = request.jsonSchema ? await grammarFor(loaded, request.jsonSchema) : undefined;
    if (signal?.aborted) return abortedResult(startedAt, promptTokens);

    const completion = new LlamaCompletion({ contextSequence: sequence, autoDisposeSequence: false });
    const evalStart = performance.now();
    let firstTokenAt: number | undefined;
    let response: LlamaCompletionResponse;
    try {
      response = await completion.generateCompletionWithMeta(input, {
        maxTokens,
        temperature: request.temperature ?? 0,
        ...(request.topP === undefined ? {} : { topP: request.topP }),
        ...(request.topK === undefined ? {} : { topK: request.topK }),
        ...(request.seed === undefined ? {} : { seed: request.seed }),
        ...(grammar ? { grammar } : {}),
        ...(stopTriggers.length > 0 ? { customStopTriggers: stopTriggers } : {}),
        ...(signal ? { signal, stopOnAbortSignal: true } : {}),
        disableContextShift: true,
        onToken: (tokens: Token[]) => {
          firstTokenAt ??= performance.now();
          generated += tokens.length;
        },
        onTextChunk: (chunk: string) => {
          text += chunk;
          onChunk?.(chunk);
        },
      });
    } finally {
      completion.dispose({ disposeSequence: false });
    }
    const endAt = performance.now();
    const generationTime = endAt - startedAt;
    const result: GenerateResult = {
      text: response.response,
      tokensUsed: generated,
      promptTokens,
      generationTime,
      tokensPerSecond: endAt > evalStart ? (generated / (endAt - evalStart)) * 1000 : 0,
      finishReason: finishReasonOf(response),
    };
    const promptMs = (firstTokenAt ?? endAt) - evalStart;
    const genMs = firstTokenAt === undefined ? 0 : endAt - firstTokenAt;
    onStats(
      {
        queueWaitMs,
        promptTokensPerSecond: promptMs > 0 ? (promptTokens / promptMs) * 1000 : 0,
        generationTokensPerSecond: genMs > 0 && generated > 1 ? ((generated - 1) / genMs) * 1000 : 0,
      },
      result,
    );
    return result;
  } catch (error) {
    if (signal?.aborted) return abortedResult(startedAt, promptTokens, text, generated);
    if (error instanceof GenerationError) throw error;
    throw new GenerationError(loaded.id, error instanceof Error ? error.message : String(error), error);
  } finally {
    loaded.freeSequences.push(sequence);
    lease.release();
  }
}
