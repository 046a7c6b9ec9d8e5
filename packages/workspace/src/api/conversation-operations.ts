import { DocumentNotFoundError } from "@bear/rag";
import { ConversationNotFoundError, type Conversation, type ConversationStore, type ConversationSummary } from "../conversations/conversation-store";
import type { ApiContext } from "./api-services";
import { created, noContent, ok, operation, type ApiCaller, type ApiOperation } from "./api-operation";
import { errorResponses, ID_PATTERN, MATTER_PATTERN } from "./api-schemas";

/** `conv_` and 20 base64url characters, as @bear/workspace makes them. */
export const CONVERSATION_ID_PATTERN = "^conv_[A-Za-z0-9_-]{20}$";

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

const idParams = { type: "object", required: ["id"], additionalProperties: false, properties: { id: { type: "string", pattern: CONVERSATION_ID_PATTERN } } } as const;

const summaryView = (c: ConversationSummary) => ({ ...c, documentIds: [...c.documentIds] });

/**
 * A conversation the caller may use: 404 alike for an unknown id and another matter's
 * conversation (the probe is audited), 403 for a caller on the matter without the role.
 */
export async function usableConversation(conversations: ConversationStore, caller: ApiCaller, id: string, action: "document.read" | "search"): Promise<Conversation> {
  const conversation = conversations.find(id);
  if (!conversation) throw new ConversationNotFoundError(id);
  await caller.authorizeInMatter(action, { matter: conversation.matter }, () => new ConversationNotFoundError(id));
  return conversation;
}

/** Ask-page conversations, kept per matter in the workspace (sealed when it is encrypted). */
export function conversationOperations({ services }: ApiContext): ApiOperation[] {
  const { rag } = services;
  const conversations = services.workspace.conversations;
  const tags = ["search"];
  return [
    operation<unknown, { matter: string }>({
      method: "GET",
      url: "/api/v1/conversations",
      tags,
      summary: "The matter's ask conversations, most recently updated first",
      schema: {
        querystring: { type: "object", required: ["matter"], additionalProperties: false, properties: { matter: { type: "string", pattern: MATTER_PATTERN } } },
        response: { 200: { type: "object", properties: { conversations: { type: "array", items: summarySchema } } }, ...errorResponses() },
      },
      async handle({ query, caller }) {
        await caller.authorize("document.read", { matter: query.matter });
        return ok({ conversations: conversations.list(query.matter).map(summaryView) });
      },
    }),
    operation<unknown, unknown, { matter: string; title?: string; documentIds?: string[] }>({
      method: "POST",
      url: "/api/v1/conversations",
      tags,
      summary: "Start a conversation in a matter, optionally limited to some of its documents; ask in it with POST /api/v1/ask { conversationId }",
      schema: {
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
      async handle({ body, caller }) {
        const { matter, title, documentIds = [] } = body;
        const principal = await caller.authorize("search", { matter });
        // Every document of the scope must be one of this matter's (another matter's id is as unknown as a made-up one).
        await rag.refresh();
        const inMatter = new Set(rag.documents({ matter }).map((d) => d.id));
        const unknown = documentIds.find((id) => !inMatter.has(id));
        if (unknown !== undefined) throw new DocumentNotFoundError(unknown);
        return created(conversations.create({ matter, actor: principal.id, documentIds, ...(title === undefined ? {} : { title }) }));
      },
    }),
    operation<{ id: string }>({
      method: "GET",
      url: "/api/v1/conversations/:id",
      tags,
      summary: "One conversation with its questions and cited answers",
      schema: { params: idParams, response: { 200: conversationSchema, ...errorResponses(404) } },
      handle: async ({ params, caller }) => ok(await usableConversation(conversations, caller, params.id, "document.read")),
    }),
    operation<{ id: string }>({
      method: "DELETE",
      url: "/api/v1/conversations/:id",
      tags,
      summary: "Delete a conversation",
      schema: { params: idParams, response: { 204: { type: "null", description: "deleted" }, ...errorResponses(404) } },
      async handle({ params, caller }) {
        conversations.remove(await usableConversation(conversations, caller, params.id, "search"));
        return noContent();
      },
    }),
  ];
}
