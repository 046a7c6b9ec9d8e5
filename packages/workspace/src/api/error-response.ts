import { BearError } from "@bear/core";
import { RateLimitedError } from "@bear/security";
import { toHttpError, type ErrorBody } from "./http-error";
import { validationError } from "./validation-error";

/**
 * What a failed request answers: its status, body and headers. A schema validation error (ajv's
 * `validation` issues) becomes a 400 naming the field; a 401 asks for a bearer key; a rate limit
 * and a busy index (a `bear ingest` beside the server) say when to retry.
 */
export function errorResponse(error: unknown): { status: number; body: ErrorBody; headers: Record<string, string> } {
  const e = error as { validation?: unknown; validationContext?: string };
  const mapped = Array.isArray(e.validation) ? validationError(e.validationContext ?? "body", e.validation) : error;
  const { status, body } = toHttpError(mapped);
  const headers: Record<string, string> = {};
  if (status === 401) headers["www-authenticate"] = 'Bearer realm="bear"';
  if (RateLimitedError.isInstance(mapped) && mapped.code === "RATE_LIMITED") {
    const ms = Number((mapped.details as { retryAfterMs?: number } | undefined)?.retryAfterMs ?? 1000);
    headers["retry-after"] = String(Math.max(1, Math.ceil(ms / 1000)));
  }
  if (BearError.isInstance(mapped) && mapped.code === "RAG_INDEX_BUSY") headers["retry-after"] = "10";
  if (BearError.isInstance(mapped) && mapped.code === "PAGE_IMAGE_BUSY") {
    const ms = Number((mapped.details as { retryAfterMs?: number } | undefined)?.retryAfterMs ?? 1000);
    headers["retry-after"] = String(Math.max(1, Math.ceil(ms / 1000)));
  }
  return { status, body, headers };
}
