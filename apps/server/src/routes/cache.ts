import type { FastifyInstance } from "fastify";
import type { CacheKind } from "@bear/core";
import type { RouteContext } from "../http/route-context";
import { errorResponses, securityRequirement } from "../http/schemas";

const KINDS: readonly CacheKind[] = ["embedding", "search", "generation", "review"];

/** The cache's statistics, and its admin act: clearing it (all kinds, or one). */
export function registerCacheRoutes(app: FastifyInstance, ctx: RouteContext): void {
  app.get(
    "/api/v1/cache",
    {
      schema: {
        tags: ["system"],
        summary: "Cache statistics: hits, misses, evictions and expiries per kind; what L1 and L2 hold (admins)",
        security: securityRequirement,
        response: { 200: { type: "object", additionalProperties: true }, ...errorResponses() },
      },
    },
    async (request) => {
      await ctx.authorize(request, "audit.read");
      return ctx.services.workspace.cacheStats();
    },
  );

  app.delete<{ Querystring: { kind?: CacheKind } }>(
    "/api/v1/cache",
    {
      config: { rateCost: 5 },
      schema: {
        tags: ["system"],
        summary: "Empty the cache (every kind, or `kind`) in memory and in L2; other processes follow within a second (admins, audited)",
        security: securityRequirement,
        querystring: { type: "object", additionalProperties: false, properties: { kind: { type: "string", enum: [...KINDS] } } },
        response: { 200: { type: "object", required: ["cleared"], properties: { cleared: { type: "string" } } }, ...errorResponses() },
      },
    },
    async (request) => {
      const principal = await ctx.authorize(request, "cache.clear");
      await ctx.services.workspace.clearCache(principal.id, request.query.kind);
      return { cleared: request.query.kind ?? "all" };
    },
  );
}
