import type { Readable } from "node:stream";
import type { Action, Principal, Resource } from "@bear/security";

/** Who is calling, and the one decision point that lets them act (refusals are audited by access control). */
export interface ApiCaller {
  /** The authenticated principal (401 when the request carried none). */
  readonly principal: Principal;
  /** Authorizes `action` (on `resource`) or throws AccessDeniedError (403). */
  authorize(action: Action, resource?: Resource): Promise<Principal>;
  /**
   * Authorizes an act on something that belongs to a matter. A caller outside the matter (the ethical
   * wall) gets `notFound()`, the very answer an unknown id gets, so no id confirms what another matter
   * holds; the refusal is still audited. A caller inside the matter but without the role gets the 403.
   */
  authorizeInMatter(action: Action, resource: Resource & { readonly matter: string }, notFound: () => Error): Promise<Principal>;
  /** Matters the caller may see: undefined means every matter (admins). */
  visibleMatters(): readonly string[] | undefined;
}

/** One file part of a multipart request, as the HTTP layer streams it. */
export interface ApiFilePart {
  readonly fieldname: string;
  readonly filename: string | undefined;
  readonly file: Readable & { readonly truncated?: boolean };
}

/** A validated request: its parts (already checked against the operation's schema), the caller, and a signal that aborts when the client leaves. */
export interface ApiRequest<P = unknown, Q = unknown, B = unknown> {
  readonly params: P;
  readonly query: Q;
  readonly body: B;
  readonly caller: ApiCaller;
  readonly signal: AbortSignal;
  /** Multipart requests only: whether the body is multipart, and its one file part. */
  readonly multipart?: { readonly isMultipart: boolean; file(): Promise<ApiFilePart | undefined> };
}

export interface ApiEvent {
  readonly event: string;
  readonly data: unknown;
}

/** What an operation answers: JSON with a status, raw content with headers, or a stream of server-sent events. */
export type ApiResult =
  | { readonly kind: "json"; readonly status: number; readonly body: unknown }
  | { readonly kind: "content"; readonly headers: Readonly<Record<string, string>>; readonly body: string | Uint8Array | Readable }
  | { readonly kind: "events"; readonly events: (signal: AbortSignal) => AsyncIterable<ApiEvent> };

export const ok = (body: unknown): ApiResult => ({ kind: "json", status: 200, body });
export const created = (body: unknown): ApiResult => ({ kind: "json", status: 201, body });
export const noContent = (): ApiResult => ({ kind: "json", status: 204, body: undefined });
export const content = (headers: Readonly<Record<string, string>>, body: string | Uint8Array | Readable): ApiResult => ({ kind: "content", headers, body });
/** A stream of events; the server sends an `error` event (and ends) when the iterable throws. */
export const events = (stream: (signal: AbortSignal) => AsyncIterable<ApiEvent>): ApiResult => ({ kind: "events", events: stream });

/** JSON schemas of an operation's parts, as OpenAPI documents them. */
export interface ApiSchema {
  readonly params?: object;
  readonly querystring?: object;
  readonly body?: object;
  readonly response: Readonly<Record<number, unknown>>;
  readonly produces?: readonly string[];
  readonly consumes?: readonly string[];
}

/**
 * One REST operation, free of any HTTP framework: where it answers, what it accepts (JSON schemas
 * the server validates before calling it) and what it does with a validated request.
 */
export interface ApiOperation<P = unknown, Q = unknown, B = unknown> {
  readonly method: "GET" | "POST" | "DELETE";
  readonly url: string;
  readonly tags: readonly string[];
  readonly summary: string;
  readonly schema: ApiSchema;
  /** Tokens it takes from the caller's rate-limit bucket (default 1). */
  readonly rateCost?: number;
  /** No authentication (health). */
  readonly public?: boolean;
  handle(request: ApiRequest<P, Q, B>): Promise<ApiResult>;
}

/** Keeps an operation's request types checked where it is written. */
export function operation<P = unknown, Q = unknown, B = unknown>(op: ApiOperation<P, Q, B>): ApiOperation {
  return op as ApiOperation;
}
