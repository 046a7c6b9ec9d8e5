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
  DOCUMENT_EXISTS: 409,
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
  PAGE_IMAGE_BUSY: 429,
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

/** The generic body of a 500: an unexpected error, or a package error the API has no status for (its code goes to the server log). */
const INTERNAL_ERROR: BearErrorJson = { name: "Error", code: "INTERNAL", message: "internal error", hint: "The server log has the details." };

/**
 * Messages the API gives instead of the package's, where that one names server internals (the index folder, a pid)
 * the CLI user wants and an API caller must not learn.
 */
const API_MESSAGE_BY_CODE: Readonly<Record<string, string>> = {
  RAG_INDEX_BUSY: "the index is being written by another process (a `bear ingest`, or another upload); retry in a few seconds",
};

/** Details keys that carry a pid or a server path whatever their value (any other absolute path value is dropped too). */
const SERVER_DETAIL_KEYS = new Set(["indexDir", "dataDir", "filePath", "root", "runnerPath", "lockFile", "holder", "pid"]);

/** An absolute POSIX or Windows path (not the path part of a URL: no scheme or host before it), up to a quote or space. */
const ABSOLUTE_PATH = /(?<![\w.:/\\])(?:\/(?:[^\s'"`/]+\/)+|[A-Za-z]:\\(?:[^\s'"`\\]+\\)+)([^\s'"`/\\]*)/g;

function isAbsolutePath(value: string): boolean {
  return /^(?:\/|[A-Za-z]:\\|\\\\)/.test(value);
}

function lastPart(file: string): string {
  return file.split(/[\\/]/).filter(Boolean).at(-1) ?? ".";
}

/** A quoted absolute path (messages quote the paths they name, which may hold spaces). */
const QUOTED_PATH = /(['"`])((?:\/|[A-Za-z]:\\|\\\\)[^'"`]*)\1/g;

/** A server path in a message or hint is cut to its last part ('/home/u/.bear/uploads/acme/nda.pdf' → 'nda.pdf'). */
function withoutServerPaths(text: string): string {
  return text.replace(QUOTED_PATH, (_whole, quote: string, file: string) => `${quote}${lastPart(file)}${quote}`).replace(ABSOLUTE_PATH, (_whole, base: string) => base || ".");
}

/** A mapped package error as an API caller may see it: no server path, no pid. */
function publicJson(error: BearError<string>): BearErrorJson {
  const json = error.toJSON();
  const details = json.details && Object.fromEntries(Object.entries(json.details).filter(([key, value]) => !SERVER_DETAIL_KEYS.has(key) && !(typeof value === "string" && isAbsolutePath(value))));
  return {
    ...json,
    message: API_MESSAGE_BY_CODE[error.code] ?? withoutServerPaths(json.message),
    ...(json.hint === undefined ? {} : { hint: withoutServerPaths(json.hint) }),
    ...(details === undefined ? {} : { details }),
  };
}

/**
 * Status and JSON body for any thrown value; never echoes internals. An unexpected error, and a package error whose
 * code has no status here, is the generic 500 (the server logs the code); a mapped package error keeps its code,
 * message and hint with server paths cut to their last part and path or pid details dropped.
 */
export function toHttpError(error: unknown): { status: number; body: ErrorBody } {
  if (error instanceof HttpError) return { status: error.statusCode, body: { error: error.toJSON() } };
  if (BearError.isInstance(error)) {
    const status = STATUS_BY_CODE[error.code];
    if (status === undefined) return { status: 500, body: { error: INTERNAL_ERROR } };
    return { status, body: { error: publicJson(error) } };
  }
  const fastify = error as { statusCode?: number; code?: string; message?: string; validation?: unknown };
  const status = typeof fastify.statusCode === "number" && fastify.statusCode >= 400 && fastify.statusCode < 600 ? fastify.statusCode : 500;
  if (status >= 500) return { status, body: { error: INTERNAL_ERROR } };
  const code = status === 413 ? "PAYLOAD_TOO_LARGE" : status === 415 ? "UNSUPPORTED_MEDIA_TYPE" : (fastify.code ?? "BAD_REQUEST");
  return { status, body: { error: { name: "HttpError", code, message: fastify.message ?? "bad request" } } };
}
