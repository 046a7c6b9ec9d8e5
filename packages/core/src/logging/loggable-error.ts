/**
 * What a log line keeps of an error: its type, message, code, hint and stack, and its cause the same
 * way. Nothing else: client libraries hang the failed request on their errors (ioredis `command.args`
 * holds a cached value, HTTP clients the request body), and pino's standard serializer would copy it.
 */
export function loggableError(error: unknown, depth = 0): unknown {
  if (typeof error !== "object" || error === null) return error;
  const e = error as { name?: unknown; message?: unknown; code?: unknown; hint?: unknown; stack?: unknown; cause?: unknown };
  const out: Record<string, unknown> = { type: (error as object).constructor?.name ?? "Error" };
  if (typeof e.message === "string") out["message"] = e.message;
  if (typeof e.code === "string" || typeof e.code === "number") out["code"] = e.code;
  if (typeof e.hint === "string") out["hint"] = e.hint;
  if (typeof e.stack === "string") out["stack"] = e.stack;
  if (e.cause !== undefined && depth < 3) out["cause"] = loggableError(e.cause, depth + 1);
  return out;
}
