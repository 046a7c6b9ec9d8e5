import type { AgentTool, AgentToolContext, RetrievalMode } from "@bear/core";
import type { SearchHit, SearchOptions } from "../retrieval/search-types";

/** How the tool searches: the app passes its audited search (the Workspace's), or `rag.search`. */
export type SearchFunction = (query: string, options: SearchOptions, context: AgentToolContext) => Promise<readonly SearchHit[]>;

/**
 * `search` as a tool for agents and `tool_execution` steps: cited passages for a query. A call
 * made for a run of a matter searches that matter only.
 */
export function searchTool(search: SearchFunction): AgentTool {
  return {
    name: "search",
    description: "Searches the indexed documents; returns passages with their document, page and exact character offsets.",
    inputSchema: {
      type: "object",
      additionalProperties: false,
      required: ["query"],
      properties: {
        query: { type: "string", minLength: 1, maxLength: 2000 },
        k: { type: "integer", minimum: 1, maximum: 50 },
        mode: { type: "string", enum: ["lexical", "vector", "hybrid"] },
      },
    },
    async execute(input, context) {
      const { query, k, mode } = input as { query: string; k?: number; mode?: RetrievalMode };
      const hits = await search(query, { k: k ?? 8, ...(mode ? { mode } : {}), ...(context.matter !== undefined ? { allowedMatters: [context.matter] } : {}), signal: context.signal }, context);
      return {
        hits: hits.map((h) => ({ documentId: h.documentId, title: h.title, matter: h.matter, page: h.page, start: h.start, end: h.end, score: Math.round(h.score * 10_000) / 10_000, text: h.text })),
      };
    },
  };
}
