import type { FastifyInstance } from "fastify";
import { invalidField } from "../http/http-errors";
import type { RouteContext } from "../http/route-context";
import { authorizeInMatter } from "../http/route-context";
import { errorResponses, ID_PATTERN, MATTER_PATTERN, securityRequirement } from "../http/schemas";
import { readableDocument } from "./documents";

/** Policies that need no vault key (the reversible `tokenize` policy is not offered over HTTP). */
const POLICIES = ["default", "mask-numbers", "pseudonymize", "redact"] as const;

interface RedactBody {
  readonly text?: string;
  readonly documentId?: string;
  readonly policy?: (typeof POLICIES)[number];
  readonly format?: "json" | "text";
  /** Share placeholders with the matter's earlier redactions, as `bear redact --matter`. */
  readonly matter?: string;
}

export function registerRedactRoutes(app: FastifyInstance, ctx: RouteContext): void {
  app.post<{ Body: RedactBody }>(
    "/api/v1/redact",
    {
      config: { rateCost: 2 },
      schema: {
        tags: ["redaction"],
        summary: "Remove personal data from a text or a stored document; `format: \"text\"` returns the redacted copy as a download",
        security: securityRequirement,
        body: {
          type: "object",
          additionalProperties: false,
          properties: {
            text: { type: "string", maxLength: 500_000 },
            documentId: { type: "string", pattern: ID_PATTERN },
            policy: { type: "string", enum: [...POLICIES], default: "default" },
            format: { type: "string", enum: ["json", "text"], default: "json" },
            matter: {
              type: "string",
              pattern: MATTER_PATTERN,
              description: "Number placeholders across the matter (as `bear redact --matter`): the same person keeps <PERSON_1> in every document redacted with it; a stored document is redacted in its own matter only",
            },
          },
        },
        response: {
          200: {
            description: "The redacted text and where each replacement stands (or, with format 'text', the redacted copy as text/plain)",
            type: "object",
            properties: {
              text: { type: "string" },
              policy: { type: "string" },
              documentId: { type: "string" },
              matter: { type: "string" },
              entities: { type: "integer" },
              replacements: { type: "array", items: { type: "object", properties: { type: { type: "string" }, start: { type: "integer" }, end: { type: "integer" } } } },
            },
          },
          ...errorResponses(404),
        },
      },
    },
    async (request, reply) => {
      const { text, documentId, policy = "default", format = "json", matter } = request.body;
      if ((text === undefined) === (documentId === undefined)) throw invalidField(text === undefined ? "body.text" : "body.documentId", text === undefined ? "is required (or documentId)" : "must not be sent together with text");
      let source: string;
      let fileName = "redacted.txt";
      let principal;
      if (documentId !== undefined) {
        const doc = await readableDocument(ctx, request, documentId, "pii.scrub");
        principal = await ctx.authorize(request, "document.read", { matter: doc.matter, document: doc.id });
        // a document's people are numbered in its own matter's table, never in another matter's
        if (matter !== undefined && matter !== doc.matter) throw invalidField("body.matter", "must be the document's own matter");
        source = await ctx.services.rag.documentText(doc.id);
        fileName = `${doc.title.replace(/[^A-Za-z0-9._ -]+/g, "_").slice(0, 80) || "document"}.redacted.txt`;
      } else {
        // the matter's table is behind its ethical wall: a caller outside the matter gets the answer of an unknown one
        principal = matter === undefined ? await ctx.authorize(request, "pii.scrub") : await authorizeInMatter(ctx, request, "pii.scrub", { matter }, () => invalidField("body.matter", "is not a matter you can use"));
        source = text as string;
      }
      // The workspace's scrubber and its plugins' recognizers, as `bear redact` uses them, on the worker
      // pool; a client that goes away stops it.
      const controller = new AbortController();
      reply.raw.once("close", () => controller.abort());
      const { result } = await ctx.services.workspace.redact(source, {
        actor: principal.id,
        policy,
        signal: controller.signal,
        ...(documentId ? { documentId } : {}),
        ...(matter !== undefined ? { matterId: matter } : {}),
      });
      if (format === "text") {
        return reply.header("content-type", "text/plain; charset=utf-8").header("content-disposition", `attachment; filename="${fileName}"`).send(result.text);
      }
      return {
        text: result.text,
        policy: result.policy,
        ...(documentId ? { documentId } : {}),
        ...(matter !== undefined ? { matter } : {}),
        entities: result.findings.length,
        replacements: result.replacements.map((r) => ({ type: r.type, start: r.start, end: r.end })),
      };
    },
  );
}
