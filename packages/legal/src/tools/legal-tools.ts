import type { AgentTool, AgentToolContext } from "@bear/core";
import { extractKeyTerms } from "../extraction/extract-key-terms";
import { reviewContract, type ReviewContractOptions } from "../report/review-contract";
import type { ContractReviewReport } from "../report/review-report";

/** How the tool reviews: the app passes its audited review (the Workspace's), or `reviewContract`. */
export type ReviewFunction = (text: string, options: Pick<ReviewContractOptions, "signal" | "documentName">, context: AgentToolContext) => Promise<ContractReviewReport>;

const TEXT = { type: "string", minLength: 1, maxLength: 5_000_000 } as const;

/** Drops what JSON cannot hold (undefined fields): tool results cross a JSON boundary. */
const plain = (value: unknown): unknown => JSON.parse(JSON.stringify(value)) as unknown;

/**
 * The contract tools of @bear/legal for agents and `tool_execution` steps: `review` (the full
 * review report, rules only unless the app's review function uses a model) and
 * `extract_key_terms` (parties, dates, periods, amounts, governing law… with spans).
 */
export function legalTools(review: ReviewFunction = (text, options) => reviewContract(text, options)): AgentTool[] {
  return [
    {
      name: "review",
      description: "Reviews a contract: key terms, clause map, playbook risks and checklists, every finding with its quote and offsets.",
      inputSchema: { type: "object", additionalProperties: false, required: ["text"], properties: { text: TEXT, document_name: { type: "string", maxLength: 300 } } },
      async execute(input, context) {
        const { text, document_name } = input as { text: string; document_name?: string };
        return plain(await review(text, { signal: context.signal, ...(document_name ? { documentName: document_name } : {}) }, context));
      },
    },
    {
      name: "extract_key_terms",
      description: "Extracts a contract's key terms (parties, dates, periods, amounts, governing law, defined terms, signatories) with their spans.",
      inputSchema: { type: "object", additionalProperties: false, required: ["text"], properties: { text: TEXT } },
      async execute(input, context) {
        context.signal.throwIfAborted();
        return plain(extractKeyTerms((input as { text: string }).text));
      },
    },
  ];
}
