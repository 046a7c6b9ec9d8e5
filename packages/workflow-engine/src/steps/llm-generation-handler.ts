import type { GenerateRequest, Llm } from "@bear/core";
import { z } from "zod";
import { StepFailedError } from "../errors";
import type { JsonValue } from "../execution/json-value";
import type { StepHandler } from "./step-handler";

export const llmGenerationParameters = z
  .strictObject({
    prompt: z.string().min(1).optional(),
    system: z.string().optional(),
    messages: z.array(z.strictObject({ role: z.enum(["system", "user", "assistant"]), content: z.string() })).min(1).optional(),
    max_tokens: z.number().int().positive().max(32_768).optional(),
    temperature: z.number().min(0).max(2).optional(),
    top_p: z.number().gt(0).max(1).optional(),
    stop: z.array(z.string()).max(16).optional(),
    seed: z.number().int().optional(),
    json_schema: z
      .record(z.string(), z.custom<JsonValue>(() => true))
      .superRefine((schema, ctx) => {
        const problem = compileProblem(schema);
        if (problem !== undefined) ctx.addIssue({ code: "custom", message: `is not a JSON Schema BEAR can check answers against: ${problem}` });
      })
      .optional(),
    /** Report progress while tokens arrive (default true). */
    stream: z.boolean().default(true),
  })
  .refine((p) => (p.prompt === undefined) !== (p.messages === undefined), { message: "give exactly one of prompt or messages" });
export type LlmGenerationParameters = z.infer<typeof llmGenerationParameters>;

/** The answer checker of each `json_schema` (compiled once per parameters object). */
const checkers = new WeakMap<object, z.ZodType>();

function compile(schema: Record<string, JsonValue>): z.ZodType {
  let checker = checkers.get(schema);
  if (checker === undefined) {
    checker = z.fromJSONSchema(schema as Parameters<typeof z.fromJSONSchema>[0]);
    checkers.set(schema, checker);
  }
  return checker;
}

function compileProblem(schema: Record<string, JsonValue>): string | undefined {
  try {
    compile(schema);
    return undefined;
  } catch (error) {
    return (error as Error).message;
  }
}

/**
 * The built-in `llm_generation` step, on core's Llm contract. The step's AbortSignal is passed to
 * the model, so cancelling the run stops the generation.
 */
export function llmGenerationHandler(llm: Llm): StepHandler<LlmGenerationParameters> {
  return {
    type: "llm_generation",
    parameters: llmGenerationParameters,
    async execute(ctx) {
      const p = ctx.parameters;
      // A bare `prompt` is a raw completion prompt (base models continue it); `messages`, or a
      // `system` text with the prompt, go through the model's own chat template.
      const input: Pick<GenerateRequest, "prompt" | "messages"> =
        p.messages !== undefined
          ? { messages: p.messages }
          : p.system !== undefined
            ? { messages: [{ role: "system", content: p.system }, { role: "user", content: p.prompt! }] }
            : { prompt: p.prompt! };
      const request: GenerateRequest = {
        ...input,
        signal: ctx.signal,
        ...(p.max_tokens === undefined ? {} : { maxTokens: p.max_tokens }),
        ...(p.temperature === undefined ? {} : { temperature: p.temperature }),
        ...(p.top_p === undefined ? {} : { topP: p.top_p }),
        ...(p.stop === undefined ? {} : { stop: p.stop }),
        ...(p.seed === undefined ? {} : { seed: p.seed }),
        ...(p.json_schema === undefined ? {} : { jsonSchema: p.json_schema }),
      };
      let result;
      if (p.stream) {
        const iterator = llm.stream(request);
        let pieces = 0;
        for (;;) {
          const next = await iterator.next();
          if (next.done) {
            result = next.value;
            break;
          }
          pieces++;
          if (pieces % 16 === 1) ctx.progress({ ...(p.max_tokens ? { fraction: Math.min(1, pieces / p.max_tokens) } : {}), message: `${pieces} pieces generated` });
        }
      } else {
        result = await llm.generate(request);
      }
      ctx.signal.throwIfAborted();
      if (result.finishReason === "error") throw new StepFailedError(ctx.stepId, `model '${llm.id}' reported an error while generating`);
      let json: JsonValue | undefined;
      if (p.json_schema !== undefined) {
        try {
          json = JSON.parse(result.text) as JsonValue;
        } catch (error) {
          throw new StepFailedError(ctx.stepId, `model '${llm.id}' did not return valid JSON (${result.text.length} characters)`, error);
        }
        // The sampling grammar does not model every keyword (node-llama-cpp's ignores pattern, minimum, maximum …),
        // and a prompt that quotes a hostile document can steer the model: check the answer before later steps use it.
        const checked = compile(p.json_schema).safeParse(json);
        if (!checked.success) {
          const issue = checked.error.issues[0];
          const where = issue && issue.path.length > 0 ? issue.path.join(".") : "(the answer)";
          throw new StepFailedError(ctx.stepId, `model '${llm.id}' returned JSON that does not fit json_schema: ${where}: ${issue?.message ?? "invalid"}`);
        }
      }
      return {
        text: result.text,
        ...(json === undefined ? {} : { json }),
        model: llm.id,
        tokensUsed: result.tokensUsed,
        promptTokens: result.promptTokens,
        finishReason: result.finishReason,
        generationTimeMs: Math.round(result.generationTime),
      };
    },
  };
}
