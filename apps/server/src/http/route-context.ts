import type { FastifyRequest } from "fastify";
import type { Action, Principal, Resource } from "@bear/workspace";
import type { BearServices } from "../services/server-services";
import type { ApiKeyAuth } from "./api-key-auth";
import { HttpError } from "./http-errors";
import type { RequestMetrics } from "./request-metrics";
import type { SseStreams } from "./sse";

declare module "fastify" {
  interface FastifyRequest {
    /** The authenticated caller (set by the auth hook on every non-public route). */
    principal: Principal | undefined;
  }
  interface FastifyContextConfig {
    /** No authentication (health, docs, the web UI). */
    public?: boolean;
    /** Tokens this route takes from the caller's rate-limit bucket (default 1). */
    rateCost?: number;
  }
}

/** What every route module gets: the composed packages and the access decisions. */
export interface RouteContext {
  readonly services: BearServices;
  readonly auth: ApiKeyAuth;
  readonly metrics: RequestMetrics;
  readonly streams: SseStreams;
  readonly version: string;
  readonly allowModelDownloads: boolean;
  /** Authorizes the request's principal (403 and an audit record when refused). */
  authorize(request: FastifyRequest, action: Action, resource?: Resource): Promise<Principal>;
}

export function principalOf(request: FastifyRequest): Principal {
  if (!request.principal) throw new HttpError(401, "AUTHENTICATION_FAILED", "this route needs an API key and the request has none");
  return request.principal;
}

/**
 * Authorizes an act on something that belongs to a matter. A caller outside the matter (the ethical
 * wall) gets `notFound()`, the very answer an unknown id gets, so no id confirms what another matter
 * holds; the refusal is still audited. A caller inside the matter but without the role gets the 403.
 */
export async function authorizeInMatter(ctx: RouteContext, request: FastifyRequest, action: Action, resource: Resource & { readonly matter: string }, notFound: () => Error): Promise<Principal> {
  try {
    return await ctx.authorize(request, action, resource);
  } catch (error) {
    const visible = visibleMatters(principalOf(request));
    if (visible !== undefined && !visible.includes(resource.matter)) throw notFound();
    throw error;
  }
}

/** Matters a principal may see: undefined means every matter (admins). */
export function visibleMatters(principal: Principal): readonly string[] | undefined {
  return principal.roles.includes("admin") ? undefined : principal.matters;
}
