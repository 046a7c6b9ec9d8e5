import type { FastifyInstance, FastifyRequest } from "fastify";
import { ConversationNotFoundError, DocumentNotFoundError, type Conversation, type ConversationSummary } from "@bear/workspace";
import { authorizeInMatter, type RouteContext } from "../http/route-context";
import { errorResponses, ID_PATTERN, MATTER_PATTERN, securityRequirement } from "../http/schemas";

/** `conv_` and 20 base64url characters, as @bear/workspace makes them. */
const CONVERSATION_ID_PATTERN = "^conv_[A-Za-z0-9_-]{20}$";

const citationProperties = {
  marker: { type: "integer" },
  documentId: { type: "string" },
  title: { type: "string" },
  fileName: { type: "string" },
  page: { type: "integer" },
  start: { type: "integer" },
  end: { type: "integer" },
  quote: { type: "string" },
} as const;

const summaryProperties = {
  id: { type: "string" },
  matter: { type: "string" },
  title: { type: "string" },
  createdBy: { type: "string" },
  createdAt: { type: "string" },
  updatedAt: { type: "string" },
  documentIds: { type: "array", items: { type: "string" }, description: "every question is limited to these documents; empty: the whole matter" },
} as const;

const summarySchema = { type: "object", properties: { ...summaryProperties, turnCount: { type: "integer" } } } as const;
const conversationSchema = {
  type: "object",
  properties: {
    ...summaryProperties,
    turns: {
      type: "array",
      items: {
        type: "object",
        properties: {
          at: { type: "string" },
          actor: { type: "string" },
          question: { type: "string" },
          answer: {
            type: "object",
            properties: {
              text: { type: "string" },
              mode: { type: "string" },
              notFound: { type: "boolean" },
              citations: { type: "array", items: { type: "object", properties: citationProperties } },
              scope: { type: "array", items: { type: "string" } },
            },
          },
        },
      },
    },
  },
} as const;

const idParams = {
  type: "object",
  required: ["id"],
  additionalProperties: false,
  properties: { id: { type: "string", pattern: CONVERSATION_ID_PATTERN } },
} as const;

const summaryDto = (c: ConversationSummary) => ({ ...c, documentIds: [...c.documentIds] });

/**
 * A conversation the caller may use: 404 alike for an unknown id and another matter's
 * conversation (the probe is audited), 403 for a caller on the matter without the role.
 */
export async function usableConversation(ctx: RouteContext, request: FastifyRequest, id: string, action: "document.read" | "search"): Promise<Conversation> {
  const conversation = ctx.services.workspace.conversations.find(id);
  if (!conversation) throw new ConversationNotFoundError(id);
  await authorizeInMatter(ctx, request, action, { matter: conversation.matter }, () => new ConversationNotFoundError(id));
  return conversation;
}

/** Ask-page conversations, kept per matter in the workspace (sealed when it is encrypted). */
export function registerConversationRoutes(app: FastifyInstance, ctx: RouteContext): void {
  const { services } = ctx;

  app.get<{ Querystring: { matter: string } }>(
    "/api/v1/conversations",
    {
      schema: {
        tags: ["search"],
        summary: "The matter's ask conversations, most recently updated first",
        security: securityRequirement,
        querystring: { type: "object", required: ["matter"], additionalProperties: false, properties: { matter: { type: "string", pattern: MATTER_PATTERN } } },
        response: { 200: { type: "object", properties: { conversations: { type: "array", items: summarySchema } } }, ...errorResponses() },
      },
    },
    async (request) => {
      const { matter } = request.query;
      await ctx.authorize(request, "document.read", { matter });
      return { conversations: services.workspace.conversations.list(matter).map(summaryDto) };
    },
  );

  app.post<{ Body: { matter: string; title?: string; documentIds?: string[] } }>(
    "/api/v1/conversations",
    {
      schema: {
        tags: ["search"],
        summary: "Start a conversation in a matter, optionally limited to some of its documents; ask in it with POST /api/v1/ask { conversationId }",
        security: securityRequirement,
        body: {
          type: "object",
          required: ["matter"],
          additionalProperties: false,
          properties: {
            matter: { type: "string", pattern: MATTER_PATTERN },
            title: { type: "string", maxLength: 200 },
            documentIds: { type: "array", maxItems: 200, items: { type: "string", pattern: ID_PATTERN } },
          },
        },
        response: { 201: conversationSchema, ...errorResponses(404) },
      },
    },
    async (request, reply) => {
      const { matter, title, documentIds = [] } = request.body;
      const principal = await ctx.authorize(request, "search", { matter });
      // Every document of the scope must be one of this matter's (another matter's id is as unknown as a made-up one).
      await services.rag.refresh();
      const inMatter = new Set(services.rag.documents({ matter }).map((d) => d.id));
      const unknown = documentIds.find((id) => !inMatter.has(id));
      if (unknown !== undefined) throw new DocumentNotFoundError(unknown);
      const conversation = services.workspace.conversations.create({ matter, actor: principal.id, documentIds, ...(title === undefined ? {} : { title }) });
      return reply.status(201).send(conversation);
    },
  );

  app.get<{ Params: { id: string } }>(
    "/api/v1/conversations/:id",
    {
      schema: {
        tags: ["search"],
        summary: "One conversation with its questions and cited answers",
        security: securityRequirement,
        params: idParams,
        response: { 200: conversationSchema, ...errorResponses(404) },
      },
    },
    async (request) => usableConversation(ctx, request, request.params.id, "document.read"),
  );

  app.delete<{ Params: { id: string } }>(
    "/api/v1/conversations/:id",
    {
      schema: {
        tags: ["search"],
        summary: "Delete a conversation",
        security: securityRequirement,
        params: idParams,
        response: { 204: { type: "null", description: "deleted" }, ...errorResponses(404) },
      },
    },
    async (request, reply) => {
      const conversation = await usableConversation(ctx, request, request.params.id, "search");
      services.workspace.conversations.remove(conversation);
      return reply.status(204).send();
    },
  );
}
