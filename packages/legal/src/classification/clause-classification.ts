import type { Span } from "../text/span";
import type { CuadCategory } from "./cuad-categories";

/** Where a label came from. */
// "key-terms": the extractor found the term (a date, the governing law) in this clause and the classifier had not labelled it.
export type LabelSource = "rules" | "model" | "llm" | "rules+llm" | "key-terms";

/** One sentence that supports a label, with its own score. */
export interface LabelEvidence {
  readonly span: Span;
  readonly score: number;
}

export interface ClauseLabel {
  readonly category: CuadCategory;
  /** 0–1; labels at or above the threshold are kept. */
  readonly score: number;
  readonly source: LabelSource;
  /** The sentences that carry the category, best first (at least one). */
  readonly evidence: readonly LabelEvidence[];
  /**
   * LLM-assisted review only: the model's confidence when it would have dropped a label the first stage is sure of.
   * The label stays (a clause's own text can steer the model, so the model may add and re-rank, never silently
   * remove); the disagreement is shown for a lawyer to judge.
   */
  readonly llmDisagreed?: { readonly llmConfidence: number };
}

export interface ClassifiedClause {
  readonly index: number;
  readonly number?: string;
  readonly heading?: string;
  readonly span: Span;
  /** Categories at or above the threshold, best first. */
  readonly labels: readonly ClauseLabel[];
  /**
   * LLM-assisted review only: categories the model alone gives (the first stage scored them under the candidate
   * score), at or above the threshold after blending. Shown to the lawyer, never used by key terms, risks or
   * checklists: a sentence in the contract can steer the model, and a label from nothing would silence a "missing X"
   * finding.
   */
  readonly llmSuggestions?: readonly ClauseLabel[];
}

export interface ClauseClassification {
  /** "model": the trained clause model (rule scores among its features); "rules": the lexicon alone. */
  readonly method: "model" | "rules" | "llm-assisted";
  readonly threshold: number;
  /** Set in llm-assisted mode. */
  readonly modelId?: string;
  /** Clauses the model could not label (rule labels kept); ids only. */
  readonly llmFailures?: readonly number[];
  /** Why a model that was given was not asked (its context is too small); the rules decided. */
  readonly llmSkipped?: string;
  readonly clauses: readonly ClassifiedClause[];
}
