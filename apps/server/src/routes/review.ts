import { createHash } from "node:crypto";
import type { FastifyInstance } from "fastify";
import { invalidField } from "../http/http-errors";
import { principalOf, type RouteContext } from "../http/route-context";
import { errorResponses, ID_PATTERN, securityRequirement } from "../http/schemas";
import { readableDocument } from "./documents";

interface ReviewBody {
  readonly documentId?: string;
  readonly text?: string;
  readonly playbook?: string;
  readonly format?: "json" | "markdown" | "html";
}

/** Contract review (@bear/legal): key terms, CUAD clause map, playbook risks, checklists; every finding cites exact offsets. */
export function registerReviewRoutes(app: FastifyInstance, ctx: RouteContext): void {
  app.post<{ Body: ReviewBody }>(
    "/api/v1/review",
    {
      config: { rateCost: 5 },
      schema: {
        tags: ["review"],
        summary: "Review a contract (a stored document or a text): key terms, clauses, risks and checklist results, each citing exact offsets into the text",
        security: securityRequirement,
        body: {
          type: "object",
          additionalProperties: false,
          properties: {
            documentId: { type: "string", pattern: ID_PATTERN },
            text: { type: "string", minLength: 1, maxLength: 500_000 },
            playbook: { type: "string", minLength: 1, maxLength: 100_000, description: "A review playbook as YAML (default: the built-in one)" },
            format: { type: "string", enum: ["json", "markdown", "html"], default: "json" },
          },
        },
        response: {
          200: {
            description: "The report (application/json), or rendered as text/markdown or text/html (document text escaped)",
            type: "object",
            additionalProperties: true,
            properties: { schemaVersion: {}, method: { type: "string" }, summary: { type: "object", additionalProperties: true }, risks: { type: "array", items: { type: "object", additionalProperties: true } } },
          },
          ...errorResponses(404),
        },
      },
    },
    async (request, reply) => {
      const { documentId, text, playbook, format = "json" } = request.body;
      if ((text === undefined) === (documentId === undefined)) throw invalidField(text === undefined ? "body.documentId" : "body.text", text === undefined ? "is required (or text)" : "must not be sent together with documentId");
      let source: string;
      let name: string | undefined;
      let principal;
      let sourceFormat = "text"; // what `bear review` records for a plain-text contract
      if (documentId !== undefined) {
        const doc = await readableDocument(ctx, request, documentId);
        principal = principalOf(request);
        source = await ctx.services.rag.documentText(doc.id);
        name = doc.title;
        sourceFormat = doc.type;
      } else {
        principal = await ctx.authorize(request, "document.read");
        source = text as string;
      }
      const controller = new AbortController();
      reply.raw.once("close", () => controller.abort());
      const { workspace } = ctx.services;
      const report = await workspace.review(source, {
        actor: principal.id,
        resource: documentId ?? createHash("sha256").update(source).digest("hex").slice(0, 24),
        useModel: ctx.services.llm !== undefined,
        ...(playbook ? { playbook } : {}),
        ...(name ? { documentName: name, title: name } : {}),
        signal: controller.signal,
        details: { format: sourceFormat },
      });
      if (format === "json") return report;
      return reply.header("content-type", format === "html" ? "text/html; charset=utf-8" : "text/markdown; charset=utf-8").send(workspace.renderReview(report, format));
    },
  );
}
