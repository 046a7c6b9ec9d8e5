import { Readable } from "node:stream";
import type { FastifyInstance } from "fastify";
import type { RouteContext } from "../http/route-context";
import { errorResponses, securityRequirement } from "../http/schemas";

export function registerAuditRoutes(app: FastifyInstance, ctx: RouteContext): void {
  const { services } = ctx;

  app.get(
    "/api/v1/audit/verify",
    {
      config: { rateCost: 5 },
      schema: {
        tags: ["audit"],
        summary: "Check the audit trail's signatures, hash chain and tail (against its signed head checkpoint)",
        security: securityRequirement,
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
            },
          },
          ...errorResponses(),
        },
      },
    },
    async (request) => {
      await ctx.authorize(request, "audit.read");
      const v = await services.workspace.auditLog().verify();
      return { ok: v.ok, records: v.records, head: v.head, truncated: v.truncated, checkpoint: v.checkpoint ?? null, problems: v.problems.map((p) => ({ ...p, seq: p.seq ?? null })) };
    },
  );

  app.get(
    "/api/v1/audit/export",
    {
      config: { rateCost: 5 },
      schema: {
        tags: ["audit"],
        summary: "Download the whole audit trail as JSON lines (ids, counts and actors only; no document text)",
        security: securityRequirement,
        produces: ["application/x-ndjson"],
        response: { 200: { description: "application/x-ndjson, one signed record per line", type: "string" }, ...errorResponses() },
      },
    },
    async (request, reply) => {
      const principal = await ctx.authorize(request, "audit.read");
      const lines = await services.workspace.exportAudit(principal.id);
      return reply
        .header("content-type", "application/x-ndjson; charset=utf-8")
        .header("content-disposition", `attachment; filename="bear-audit-${new Date().toISOString().slice(0, 10)}.jsonl"`)
        .send(Readable.from(lines));
    },
  );
}
