import type { GenerateRequest } from "@bear/core";
import { InvalidArgumentError } from "@bear/core";
import { z } from "zod";

const message = z.object({ role: z.enum(["system", "user", "assistant"]), content: z.string() }).strict();

const requestSchema = z
  .object({
    prompt: z.string().optional(),
    messages: z.array(message).min(1).max(1000).optional(),
    maxTokens: z.number().int().min(1).max(1_048_576).optional(),
    temperature: z.number().min(0).max(5).optional(),
    topP: z.number().min(0).max(1).optional(),
    topK: z.number().int().min(0).optional(),
    stop: z.array(z.string().min(1).max(200)).max(32).optional(),
    seed: z.number().int().min(0).max(2 ** 32 - 1).optional(),
    jsonSchema: z.record(z.string(), z.unknown()).optional(),
    signal: z.instanceof(AbortSignal).optional(),
  })
  .strict()
  .refine((r) => (r.prompt === undefined) !== (r.messages === undefined), { message: "give exactly one of prompt and messages" });

/** Validates a GenerateRequest at the boundary; throws InvalidArgumentError naming the bad field. */
export function parseGenerateRequest(request: GenerateRequest): GenerateRequest {
  const result = requestSchema.safeParse(request);
  if (!result.success) {
    const issue = result.error.issues[0];
    const field = issue?.path.length ? `generate request field '${issue.path.join(".")}'` : "generate request";
    const value = issue?.path.reduce<unknown>((v, k) => (v as Record<string | number, unknown> | undefined)?.[k as string], request);
    throw new InvalidArgumentError(field, issue?.path.length ? value : "(request)", issue?.message ?? "a valid request");
  }
  return request;
}
