import { BearError, type BearErrorJson } from "@bear/core";

/** An error the API layer raises with its HTTP status (auth, validation, uploads), shaped like every BearError. */
export class HttpError extends BearError<string> {
  constructor(
    readonly statusCode: number,
    code: string,
    message: string,
    options: { hint?: string; details?: Record<string, unknown> } = {},
  ) {
    super(code, message, options);
  }
}

/** 400 naming the failing field (`body.query`, `querystring.k`, `file.filename`…). */
export function invalidField(field: string, message: string, hint?: string): HttpError {
  return new HttpError(400, "VALIDATION_FAILED", `${field} ${message}`, { details: { field }, ...(hint ? { hint } : {}) });
}

/** HTTP status of each stable BearError code the packages throw; anything else is a 500. */
const STATUS_BY_CODE: Readonly<Record<string, number>> = {
  INVALID_ARGUMENT: 400,
  MATTER_ID_INVALID: 400,
  RUN_ID_RESERVED: 400,
  PATH_OUTSIDE_WORKSPACE: 400,
  CONFIG_INVALID: 400,
  AUTHENTICATION_FAILED: 401,
  ACCESS_DENIED: 403,
  RAG_MATTER_DENIED: 403,
  VAULT_ACCESS_DENIED: 403,
  OFFLINE_VIOLATION: 403,
  RAG_DOCUMENT_NOT_FOUND: 404,
  RAG_PAGE_NOT_FOUND: 404,
  RAG_SOURCE_CHANGED: 409,
  MODEL_NOT_FOUND: 404,
  RUN_NOT_FOUND: 404,
  AGENT_NOT_FOUND: 404,
  PRINCIPAL_UNKNOWN: 404,
  AGENT_EXISTS: 409,
  AGENT_BUSY: 409,
  AGENT_NOT_CREATABLE: 422,
  INTERNAL_CAPABILITY: 400,
  CAPABILITY_UNSUPPORTED: 400,
  SPECIALIST_INVALID: 400,
  RAG_UNSUPPORTED_FORMAT: 422,
  RAG_FILE_EMPTY: 422,
  RAG_FILE_TOO_LARGE: 413,
  UPLOAD_TOO_LARGE: 413,
  INGEST_FAILED: 422,
  WORKSPACE_NOT_INITIALISED: 400,
  USER_EXISTS: 409,
  USER_NOT_FOUND: 404,
  CONVERSATION_NOT_FOUND: 404,
  RAG_FILE_ENCRYPTED: 422,
  RAG_FILE_CORRUPT: 422,
  RAG_FILE_UNREADABLE: 422,
  RAG_OCR_LANGUAGE_MISSING: 503,
  RAG_OCR_ENGINE_UNAVAILABLE: 503,
  RAG_NO_EMBEDDER: 400,
  RAG_EMBEDDER_MISMATCH: 409,
  MODEL_KIND_MISMATCH: 400,
  MODEL_FILE_INVALID: 422,
  MODEL_LOAD_FAILED: 422,
  MODEL_INSUFFICIENT_MEMORY: 503,
  GENERATION_FAILED: 400,
  DOWNLOAD_FAILED: 502,
  DOWNLOAD_CHECKSUM_MISMATCH: 422,
  DOWNLOAD_CANCELLED: 499,
  WORKFLOW_PARSE_FAILED: 400,
  WORKFLOW_INVALID: 400,
  WORKFLOW_INPUTS_INVALID: 400,
  REFERENCE_INVALID: 400,
  CONDITION_INVALID: 400,
  STEP_HANDLER_MISSING: 400,
  VALUE_NOT_JSON: 400,
  NO_CAPABLE_AGENT: 422,
  PLAYBOOK_INVALID: 400,
  CHECKLIST_INVALID: 400,
  INPUT_INVALID: 400,
  REPORT_FORMAT_UNKNOWN: 400,
  RATE_LIMITED: 429,
  DISPOSED: 503,
  RAG_INDEX_BUSY: 503,
  WORKER_POOL_BUSY: 503,
  WORKER_OUT_OF_MEMORY: 413,
  // a cluster's API instance: no worker serves the step type (now), or an encrypted workspace's cipher is not bound yet
  NO_CAPABLE_WORKER: 503,
  WORKSPACE_CIPHER_MISSING: 503,
};

export interface ErrorBody {
  readonly error: BearErrorJson;
}

/** Status and JSON body for any thrown value; never echoes internals of an unexpected error. */
export function toHttpError(error: unknown): { status: number; body: ErrorBody } {
  if (error instanceof HttpError) return { status: error.statusCode, body: { error: error.toJSON() } };
  if (BearError.isInstance(error)) {
    const status = STATUS_BY_CODE[error.code] ?? 500;
    return { status, body: { error: error.toJSON() } };
  }
  const fastify = error as { statusCode?: number; code?: string; message?: string; validation?: unknown };
  const status = typeof fastify.statusCode === "number" && fastify.statusCode >= 400 && fastify.statusCode < 600 ? fastify.statusCode : 500;
  if (status >= 500) return { status, body: { error: { name: "Error", code: "INTERNAL", message: "internal error", hint: "The server log has the details." } } };
  const code = status === 413 ? "PAYLOAD_TOO_LARGE" : status === 415 ? "UNSUPPORTED_MEDIA_TYPE" : (fastify.code ?? "BAD_REQUEST");
  return { status, body: { error: { name: "HttpError", code, message: fastify.message ?? "bad request" } } };
}
