import path from "node:path";
import type { RetrievalMode } from "@bear/core";
import type { Answer, Citation, SearchHit, SearchOptions } from "@bear/rag";
import type { Principal } from "@bear/security";
import type { ApiContext } from "./api-services";
import { events, ok, operation, type ApiCaller, type ApiEvent, type ApiOperation } from "./api-operation";
import { errorResponses, ID_PATTERN, MATTER_PATTERN } from "./api-schemas";
import { CONVERSATION_ID_PATTERN, usableConversation } from "./conversation-operations";

interface RetrievalBody {
  readonly k?: number;
  readonly mode?: RetrievalMode;
  readonly matters?: string[];
  readonly documentIds?: string[];
  readonly documentTypes?: string[];
}

interface AskBody extends RetrievalBody {
  readonly question: string;
  readonly stream?: boolean;
  readonly maxSentences?: number;
  readonly maxAnswerTokens?: number;
  readonly conversationId?: string;
}

const retrievalProperties = {
  k: { type: "integer", minimum: 1, maximum: 100 },
  mode: { type: "string", enum: ["lexical", "vector", "hybrid"] },
  matters: { type: "array", maxItems: 50, items: { type: "string", pattern: MATTER_PATTERN } },
  documentIds: { type: "array", maxItems: 200, items: { type: "string", pattern: ID_PATTERN } },
  documentTypes: { type: "array", maxItems: 10, items: { type: "string", enum: ["text", "markdown", "html", "pdf", "docx", "eml"] } },
} as const;

/** A search hit as the API shows it: the file name, never the server path. */
export function hitView(h: SearchHit) {
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

function citationView(c: Citation) {
  return { marker: c.marker, chunkId: c.chunkId, documentId: c.documentId, title: c.title, fileName: path.basename(c.source), matter: c.matter, page: c.page, start: c.start, end: c.end, quote: c.quote, ...(c.ocr ? { ocr: { confidence: c.ocr.confidence } } : {}) };
}

/** A cited answer as the API shows it. */
export function answerView(a: Answer) {
  return {
    question: a.question,
    text: a.text,
    mode: a.mode,
    citations: a.citations.map(citationView),
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
async function retrievalOptions(caller: ApiCaller, body: RetrievalBody): Promise<SearchOptions & { principal: Principal }> {
  const principal = await caller.authorize("search");
  for (const matter of body.matters ?? []) await caller.authorize("search", { matter });
  const visible = caller.visibleMatters();
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

const askBodySchema = {
  type: "object",
  required: ["question"],
  additionalProperties: false,
  properties: {
    question: { type: "string", minLength: 1, maxLength: 4000, pattern: "\\S" },
    stream: { type: "boolean", default: false },
    maxSentences: { type: "integer", minimum: 1, maximum: 20 },
    maxAnswerTokens: { type: "integer", minimum: 16, maximum: 4096 },
    conversationId: { type: "string", pattern: CONVERSATION_ID_PATTERN, description: "ask inside a conversation (POST /api/v1/conversations): limited to its matter and documents, a follow-up keeps the scope of the answer before it, and the question and answer are appended to it" },
    ...retrievalProperties,
  },
} as const;

/** Search and cited answers (JSON, or server-sent events), in the matters the caller may see. */
export function searchOperations({ services }: ApiContext): ApiOperation[] {
  const { workspace } = services;
  const tags = ["search"];
  return [
    operation<unknown, unknown, RetrievalBody & { query: string }>({
      method: "POST",
      url: "/api/v1/search",
      tags,
      summary: "Find the passages that best match a query (lexical BM25 by default), in the matters the caller may see",
      schema: {
        body: { type: "object", required: ["query"], additionalProperties: false, properties: { query: { type: "string", minLength: 1, maxLength: 4000, pattern: "\\S" }, ...retrievalProperties } },
        response: { 200: { type: "object", properties: { hits: { type: "array", items: { $ref: "SearchHit#" } }, tookMs: { type: "number" } } }, ...errorResponses() },
      },
      async handle({ body, caller }) {
        const started = performance.now();
        const { principal, ...options } = await retrievalOptions(caller, body);
        // Audited as the workspace's policy says, with the caller as actor (as `bear search` is).
        const hits = await workspace.search(body.query, options, principal.id);
        return ok({ hits: hits.map(hitView), tookMs: Math.round((performance.now() - started) * 100) / 100 });
      },
    }),
    operation<unknown, unknown, AskBody>({
      method: "POST",
      url: "/api/v1/ask",
      tags,
      summary: "Answer a question from the documents with exact citations; `stream: true` answers as server-sent events (passages, text, answer, done)",
      schema: {
        body: askBodySchema,
        response: {
          200: {
            description: "The answer (application/json), or with `stream: true` a text/event-stream of `passages`, `text`, `answer`, `done` (or `error`) events",
            type: "object",
            properties: { answer: answerSchema, passages: { type: "array", items: { $ref: "SearchHit#" } } },
          },
          ...errorResponses(),
        },
      },
      async handle({ body, caller }) {
        const { principal, ...options } = await retrievalOptions(caller, body);
        const answerOptions = {
          ...options,
          ...(body.maxSentences === undefined ? {} : { maxSentences: body.maxSentences }),
          ...(body.maxAnswerTokens === undefined ? {} : { maxAnswerTokens: body.maxAnswerTokens }),
        };
        // In a conversation: usable only by callers on its matter (another matter's id is a 404).
        const conversation = body.conversationId === undefined ? undefined : await usableConversation(workspace.conversations, caller, body.conversationId, "search");
        const answers = (signal?: AbortSignal) => {
          const opts = { ...answerOptions, ...(signal ? { signal } : {}) };
          return conversation ? workspace.answerInConversation(conversation, body.question, opts, principal.id) : workspace.answerStream(body.question, opts, principal.id);
        };
        if (!body.stream) {
          let answer: Answer | undefined;
          for await (const event of answers()) if (event.type === "answer") answer = event.answer;
          if (!answer) throw new Error("the answer stream ended without an answer");
          return ok({ answer: answerView(answer), passages: answer.passages.map(hitView) });
        }
        // Validated and authorized before the stream starts, so refusals are still plain HTTP errors.
        return events(async function* (signal): AsyncGenerator<ApiEvent> {
          for await (const event of answers(signal)) {
            if (signal.aborted) return;
            if (event.type === "passages") yield { event: "passages", data: event.passages.map(hitView) };
            else if (event.type === "text") yield { event: "text", data: { text: event.text } };
            else yield { event: "answer", data: answerView(event.answer) };
          }
          yield { event: "done", data: {} };
        });
      },
    }),
  ];
}
