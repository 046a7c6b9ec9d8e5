import { Readable } from "node:stream";
import { isOfflineEnforced, type CacheKind } from "@bear/core";
import type { ApiContext } from "./api-services";
import { content, ok, operation, type ApiOperation } from "./api-operation";
import { errorResponses } from "./api-schemas";
import type { RequestMetricsSnapshot } from "../metrics/bear-metrics";
import { PrometheusText } from "../metrics/prometheus-text";

const KINDS: readonly CacheKind[] = ["embedding", "search", "generation", "review"];

/** Health, the caller, metrics (ours and the host's). */
export function healthOperations({ services, host }: ApiContext): ApiOperation[] {
  const tags = ["system"];
  return [
    operation({
      method: "GET",
      url: "/api/v1/health",
      tags,
      public: true,
      summary: "Liveness: version, offline guard state, uptime (no authentication)",
      schema: {
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
      handle: async () => ok({ status: "ok" as const, version: host.version, offline: isOfflineEnforced(), uptimeSeconds: process.uptime() }),
    }),
    operation({
      method: "GET",
      url: "/api/v1/me",
      tags,
      summary: "The caller: principal id, roles and the matters it may see (admins: all)",
      schema: {
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
      async handle({ caller }) {
        const p = caller.principal;
        const all = p.roles.includes("admin");
        if (all) await services.rag.refresh();
        const matters = all ? [...new Set(services.rag.documents().map((d) => d.matter))].sort() : [...p.matters];
        return ok({ id: p.id, kind: p.kind, roles: [...p.roles], matters, allMatters: all });
      },
    }),
    operation({
      method: "GET",
      url: "/api/v1/metrics",
      tags,
      summary: "Request counts and latency per route, documents, workflows, models, cache and memory (admins)",
      schema: {
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
      async handle({ caller }) {
        await caller.authorize("audit.read");
        const memory = process.memoryUsage();
        await services.rag.refresh();
        return ok({
          uptimeSeconds: process.uptime(),
          requests: host.requestMetrics(),
          documents: services.rag.documents().length,
          workflows: { active: services.workflows.activeRuns.length },
          models: { loaded: services.models.loaded().map((m) => m.modelId), perModel: services.models.metrics.snapshot() },
          eventStreams: host.openEventStreams(),
          cache: await services.workspace.cacheStats(),
          memory: { rss: memory.rss, heapUsed: memory.heapUsed, external: memory.external },
        });
      },
    }),
    operation({
      method: "GET",
      url: "/metrics",
      tags,
      summary:
        "The same figures for Prometheus (text format 0.0.4): agent health as the monitor judged it, load and task outcomes; requests per route, workflows, documents, memory (admins; send the API key as a bearer token)",
      schema: { produces: [PrometheusText.contentType], response: { 200: { description: "Prometheus text exposition format 0.0.4", type: "string" }, ...errorResponses() } },
      async handle({ caller }) {
        await caller.authorize("audit.read");
        const requests = host.requestMetrics() as Partial<RequestMetricsSnapshot> | undefined;
        const text = await services.workspace.metricsText(Array.isArray(requests?.routes) ? { requests: requests as RequestMetricsSnapshot } : {});
        return content({ "content-type": PrometheusText.contentType }, text);
      },
    }),
  ];
}

/** The audit trail: verify, export. */
export function auditOperations({ services }: ApiContext): ApiOperation[] {
  const tags = ["audit"];
  return [
    operation({
      method: "GET",
      url: "/api/v1/audit/verify",
      tags,
      rateCost: 5,
      summary: "Check the audit trail's signatures, hash chain and tail (against its signed head checkpoint)",
      schema: {
        response: {
          200: {
            type: "object",
            properties: {
              ok: { type: "boolean" },
              records: { type: "integer" },
              head: { type: "string" },
              truncated: { type: "boolean", description: "the tail was cut: the log ends before the record its signed head checkpoint names, or that checkpoint is missing or forged" },
              checkpoint: {
                type: "object",
                nullable: true,
                description: "the signed head checkpoint (HMAC with the audit key) that every writer moves after each record",
                properties: { seq: { type: "integer" }, hash: { type: "string" }, ts: { type: "string" } },
              },
              problems: {
                type: "array",
                items: { type: "object", properties: { kind: { type: "string" }, file: { type: "string" }, line: { type: "integer" }, seq: { type: "integer", nullable: true }, message: { type: "string" } } },
              },
              recovered: {
                type: "array",
                description: "appends cut mid-line (disk full, power cut) that a later append moved aside to a quarantine file and noted in the chain; not tampering",
                items: { type: "object", properties: { seq: { type: "integer" }, file: { type: "string" }, line: { type: "integer" }, quarantine: { type: "string" }, message: { type: "string" } } },
              },
            },
          },
          ...errorResponses(),
        },
      },
      async handle({ caller }) {
        await caller.authorize("audit.read");
        const v = await services.workspace.auditLog().verify();
        return ok({ ok: v.ok, records: v.records, head: v.head, truncated: v.truncated, checkpoint: v.checkpoint ?? null, problems: v.problems.map((p) => ({ ...p, seq: p.seq ?? null })), recovered: v.recovered });
      },
    }),
    operation({
      method: "GET",
      url: "/api/v1/audit/export",
      tags,
      rateCost: 5,
      summary: "Download the whole audit trail as JSON lines (ids, counts and actors only; no document text)",
      schema: { produces: ["application/x-ndjson"], response: { 200: { description: "application/x-ndjson, one signed record per line", type: "string" }, ...errorResponses() } },
      async handle({ caller }) {
        const principal = await caller.authorize("audit.read");
        const lines = await services.workspace.exportAudit(principal.id);
        return content(
          { "content-type": "application/x-ndjson; charset=utf-8", "content-disposition": `attachment; filename="bear-audit-${new Date().toISOString().slice(0, 10)}.jsonl"` },
          Readable.from(lines),
        );
      },
    }),
  ];
}

/** The cache's statistics, and its admin act: clearing it (all kinds, or one). */
export function cacheOperations({ services }: ApiContext): ApiOperation[] {
  const tags = ["system"];
  return [
    operation({
      method: "GET",
      url: "/api/v1/cache",
      tags,
      summary: "Cache statistics: hits, misses, evictions and expiries per kind; what L1 and L2 hold (admins)",
      schema: { response: { 200: { type: "object", additionalProperties: true }, ...errorResponses() } },
      async handle({ caller }) {
        await caller.authorize("audit.read");
        return ok(await services.workspace.cacheStats());
      },
    }),
    operation<unknown, { kind?: CacheKind }>({
      method: "DELETE",
      url: "/api/v1/cache",
      tags,
      rateCost: 5,
      summary: "Empty the cache (every kind, or `kind`) in memory and in L2; other processes follow within a second (admins, audited)",
      schema: {
        querystring: { type: "object", additionalProperties: false, properties: { kind: { type: "string", enum: [...KINDS] } } },
        response: { 200: { type: "object", required: ["cleared"], properties: { cleared: { type: "string" } } }, ...errorResponses() },
      },
      async handle({ query, caller }) {
        const principal = await caller.authorize("cache.clear");
        await services.workspace.clearCache(principal.id, query.kind);
        return ok({ cleared: query.kind ?? "all" });
      },
    }),
  ];
}
