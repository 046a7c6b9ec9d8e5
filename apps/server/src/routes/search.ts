import path from "node:path";
import type { FastifyInstance, FastifyRequest } from "fastify";
import type { RetrievalMode } from "@bear/core";
import type { Answer, Citation, Principal, SearchHit, SearchOptions } from "@bear/workspace";
import { toHttpError } from "../http/http-errors";
import { visibleMatters, type RouteContext } from "../http/route-context";
import { errorResponses, ID_PATTERN, MATTER_PATTERN, securityRequirement } from "../http/schemas";
import { usableConversation } from "./conversations";

interface RetrievalBody {
  readonly k?: number;
  readonly mode?: RetrievalMode;
  readonly matters?: string[];
  readonly documentIds?: string[];
  readonly documentTypes?: string[];
}

const retrievalProperties = {
  k: { type: "integer", minimum: 1, maximum: 100 },
  mode: { type: "string", enum: ["lexical", "vector", "hybrid"] },
  matters: { type: "array", maxItems: 50, items: { type: "string", pattern: MATTER_PATTERN } },
  documentIds: { type: "array", maxItems: 200, items: { type: "string", pattern: ID_PATTERN } },
  documentTypes: { type: "array", maxItems: 10, items: { type: "string", enum: ["text", "markdown", "html", "pdf", "docx", "eml"] } },
} as const;

export function hitDto(h: SearchHit) {
  return {
    chunkId: h.chunkId,
    documentId: h.documentId,
    title: h.title,
    fileName: path.basename(h.source),
    matter: h.matter,
    documentType: h.documentType,
    page: h.page,
    start: h.start,
    end: h.end,
    sectionPath: [...h.sectionPath],
    text: h.text,
    score: h.score,
    snippet: h.snippet,
    highlights: h.highlights.map((x) => ({ start: x.start, end: x.end })),
    ...(h.ocr ? { ocr: { confidence: h.ocr.confidence } } : {}),
  };
}

function citationDto(c: Citation) {
  return { marker: c.marker, chunkId: c.chunkId, documentId: c.documentId, title: c.title, fileName: path.basename(c.source), matter: c.matter, page: c.page, start: c.start, end: c.end, quote: c.quote, ...(c.ocr ? { ocr: { confidence: c.ocr.confidence } } : {}) };
}

export function answerDto(a: Answer) {
  return {
    question: a.question,
    text: a.text,
    mode: a.mode,
    citations: a.citations.map(citationDto),
    droppedCitations: a.droppedCitations.map((d) => ({ marker: d.marker, reason: d.reason })),
    passagesUsed: a.passagesUsed,
    notFound: a.notFound,
    ...(a.finishReason ? { finishReason: a.finishReason } : {}),
    ...(a.scope ? { scope: [...a.scope] } : {}),
  };
}

/**
 * Search options limited to what the caller may see: every matter asked for is authorized (a
 * refusal is a 403, audited), and the engine only ever sees the caller's visible matters.
 */
async function retrievalOptions(ctx: RouteContext, request: FastifyRequest, body: RetrievalBody): Promise<SearchOptions & { principal: Principal }> {
  const principal = await ctx.authorize(request, "search");
  for (const matter of body.matters ?? []) await ctx.authorize(request, "search", { matter });
  const visible = visibleMatters(principal);
  const filter = {
    ...(body.matters ? { matters: body.matters } : {}),
    ...(body.documentIds ? { documentIds: body.documentIds } : {}),
    ...(body.documentTypes ? { documentTypes: body.documentTypes } : {}),
  };
  return {
    principal,
    ...(body.k === undefined ? {} : { k: body.k }),
    ...(body.mode ? { mode: body.mode } : {}),
    ...(Object.keys(filter).length > 0 ? { filter } : {}),
    ...(visible ? { allowedMatters: [...visible] } : {}),
  };
}

const answerSchema = {
  type: "object",
  properties: {
    question: { type: "string" },
    text: { type: "string" },
    mode: { type: "string", enum: ["llm", "extractive"] },
    citations: { type: "array", items: { $ref: "Citation#" } },
    droppedCitations: { type: "array", items: { type: "object", properties: { marker: { type: "string" }, reason: { type: "string" } } } },
    passagesUsed: { type: "integer" },
    notFound: { type: "boolean", description: "true when nothing retrieved supports an answer (the text says so; no citations)" },
    finishReason: { type: "string" },
    scope: { type: "array", items: { type: "string" }, description: "the documents the answer was limited to (the caller's, the ones the question names, or the conversation's); absent when it searched every visible document" },
  },
} as const;

export function registerSearchRoutes(app: FastifyInstance, ctx: RouteContext): void {
  const { services } = ctx;

  app.post<{ Body: RetrievalBody & { query: string } }>(
    "/api/v1/search",
    {
      schema: {
        tags: ["search"],
        summary: "Find the passages that best match a query (lexical BM25 by default), in the matters the caller may see",
        security: securityRequirement,
        body: {
          type: "object",
          required: ["query"],
          additionalProperties: false,
          properties: { query: { type: "string", minLength: 1, maxLength: 4000, pattern: "\\S" }, ...retrievalProperties },
        },
        response: {
          200: { type: "object", properties: { hits: { type: "array", items: { $ref: "SearchHit#" } }, tookMs: { type: "number" } } },
          ...errorResponses(),
        },
      },
    },
    async (request) => {
      const started = performance.now();
      const { principal, ...options } = await retrievalOptions(ctx, request, request.body);
      // Audited as the workspace's policy says, with the caller as actor (as `bear search` is).
      const hits = await services.workspace.search(request.body.query, options, principal.id);
      return { hits: hits.map(hitDto), tookMs: Math.round((performance.now() - started) * 100) / 100 };
    },
  );

  app.post<{ Body: RetrievalBody & { question: string; stream?: boolean; maxSentences?: number; maxAnswerTokens?: number; conversationId?: string } }>(
    "/api/v1/ask",
    {
      schema: {
        tags: ["search"],
        summary: "Answer a question from the documents with exact citations; `stream: true` answers as server-sent events (passages, text, answer, done)",
        security: securityRequirement,
        body: {
          type: "object",
          required: ["question"],
          additionalProperties: false,
          properties: {
            question: { type: "string", minLength: 1, maxLength: 4000, pattern: "\\S" },
            stream: { type: "boolean", default: false },
            maxSentences: { type: "integer", minimum: 1, maximum: 20 },
            maxAnswerTokens: { type: "integer", minimum: 16, maximum: 4096 },
            conversationId: { type: "string", pattern: "^conv_[A-Za-z0-9_-]{20}$", description: "ask inside a conversation (POST /api/v1/conversations): limited to its matter and documents, a follow-up keeps the scope of the answer before it, and the question and answer are appended to it" },
            ...retrievalProperties,
          },
        },
        response: {
          200: {
            description: "The answer (application/json), or with `stream: true` a text/event-stream of `passages`, `text`, `answer`, `done` (or `error`) events",
            type: "object",
            properties: { answer: answerSchema, passages: { type: "array", items: { $ref: "SearchHit#" } } },
          },
          ...errorResponses(),
        },
      },
    },
    async (request, reply) => {
      const body = request.body;
      const { principal, ...options } = await retrievalOptions(ctx, request, body);
      const answerOptions = {
        ...options,
        ...(body.maxSentences === undefined ? {} : { maxSentences: body.maxSentences }),
        ...(body.maxAnswerTokens === undefined ? {} : { maxAnswerTokens: body.maxAnswerTokens }),
      };
      // In a conversation: usable only by callers on its matter (another matter's id is a 404).
      const conversation = body.conversationId === undefined ? undefined : await usableConversation(ctx, request, body.conversationId, "search");
      const answers = (signal?: AbortSignal) => {
        const opts = { ...answerOptions, ...(signal ? { signal } : {}) };
        return conversation ? services.workspace.answerInConversation(conversation, body.question, opts, principal.id) : services.workspace.answerStream(body.question, opts, principal.id);
      };
      if (!body.stream) {
        let answer: Answer | undefined;
        for await (const event of answers()) if (event.type === "answer") answer = event.answer;
        if (!answer) throw new Error("the answer stream ended without an answer");
        return { answer: answerDto(answer), passages: answer.passages.map(hitDto) };
      }
      // Validate and authorize before the stream starts, so refusals are still plain HTTP errors.
      const sse = ctx.streams.start(reply);
      try {
        for await (const event of answers(sse.signal)) {
          if (sse.signal.aborted) break;
          if (event.type === "passages") sse.send("passages", event.passages.map(hitDto));
          else if (event.type === "text") sse.send("text", { text: event.text });
          else sse.send("answer", answerDto(event.answer));
        }
        sse.send("done", {});
      } catch (error) {
        sse.send("error", toHttpError(error).body.error);
      } finally {
        sse.end();
      }
      return reply;
    },
  );
}
