// The review task the workspace's worker threads run besides @bear/security's scan tasks. Structured-cloneable.
import type { GenerateRequest, WorkerTask } from "@bear/core";

export const REVIEW_TASK = "legal.review";

/** Contract review; `llm` describes the model the worker reaches back to through the pool's calls. */
export interface ReviewTask extends WorkerTask {
  readonly kind: typeof REVIEW_TASK;
  readonly text: string;
  readonly playbook?: string;
  readonly documentName?: string;
  readonly title?: string;
  readonly llm?: { readonly id: string; readonly contextSize: number };
}

/** A call the review makes back to the thread that owns the model. */
export type LlmCall = { readonly method: "countTokens"; readonly text: string } | { readonly method: "generate"; readonly request: Omit<GenerateRequest, "signal"> };
