import type { FastifyInstance } from "fastify";
import { isOfflineEnforced } from "@bear/core";
import { principalOf, type RouteContext } from "../http/route-context";
import { errorResponses, securityRequirement } from "../http/schemas";

export function registerHealthRoutes(app: FastifyInstance, ctx: RouteContext): void {
  app.get(
    "/api/v1/health",
    {
      config: { public: true },
      schema: {
        tags: ["system"],
        summary: "Liveness: version, offline guard state, uptime (no authentication)",
        response: {
          200: {
            type: "object",
            required: ["status", "version", "offline", "uptimeSeconds"],
            properties: {
              status: { type: "string", enum: ["ok"] },
              version: { type: "string" },
              offline: { type: "boolean" },
              uptimeSeconds: { type: "number" },
            },
          },
        },
      },
    },
    async () => ({ status: "ok" as const, version: ctx.version, offline: isOfflineEnforced(), uptimeSeconds: process.uptime() }),
  );

  app.get(
    "/api/v1/me",
    {
      schema: {
        tags: ["system"],
        summary: "The caller: principal id, roles and the matters it may see (admins: all)",
        security: securityRequirement,
        response: {
          200: {
            type: "object",
            properties: {
              id: { type: "string" },
              kind: { type: "string" },
              roles: { type: "array", items: { type: "string" } },
              matters: { type: "array", items: { type: "string" } },
              allMatters: { type: "boolean" },
            },
          },
          ...errorResponses(),
        },
      },
    },
    async (request) => {
      const p = principalOf(request);
      const all = p.roles.includes("admin");
      if (all) await ctx.services.rag.refresh();
      const matters = all ? [...new Set(ctx.services.rag.documents().map((d) => d.matter))].sort() : [...p.matters];
      return { id: p.id, kind: p.kind, roles: [...p.roles], matters, allMatters: all };
    },
  );

  app.get(
    "/api/v1/metrics",
    {
      schema: {
        tags: ["system"],
        summary: "Request counts and latency per route, documents, workflows, models, cache and memory (admins)",
        security: securityRequirement,
        response: {
          200: {
            type: "object",
            properties: {
              uptimeSeconds: { type: "number" },
              requests: { type: "object", additionalProperties: true },
              documents: { type: "integer" },
              workflows: { type: "object", properties: { active: { type: "integer" } } },
              models: { type: "object", additionalProperties: true },
              eventStreams: { type: "integer" },
              cache: { type: "object", additionalProperties: true, description: "hits, misses, evictions and expiries per kind (this process, and all processes when L2 keeps totals); L1 and L2 size" },
              memory: { type: "object", additionalProperties: { type: "number" } },
            },
          },
          ...errorResponses(),
        },
      },
    },
    async (request) => {
      await ctx.authorize(request, "audit.read");
      const { services } = ctx;
      const memory = process.memoryUsage();
      await services.rag.refresh();
      return {
        uptimeSeconds: process.uptime(),
        requests: ctx.metrics.snapshot(),
        documents: services.rag.documents().length,
        workflows: { active: services.workflows.activeRuns.length },
        models: { loaded: services.models.loaded().map((m) => m.modelId), perModel: services.models.metrics.snapshot() },
        eventStreams: ctx.streams.size,
        cache: await services.workspace.cacheStats(),
        memory: { rss: memory.rss, heapUsed: memory.heapUsed, external: memory.external },
      };
    },
  );
}
