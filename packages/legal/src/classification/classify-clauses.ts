import type { Llm, Logger } from "@bear/core";
import { ContractDocument } from "../text/contract-document";
import type { ClauseClassification } from "./clause-classification";
import type { ClauseLexicon } from "./clause-lexicon";
import { LlmClauseClassifier, type LlmClassifierOptions } from "./llm-clause-classifier";
import { RuleClauseClassifier } from "./rule-clause-classifier";

export interface ClassifyClausesOptions extends Omit<LlmClassifierOptions, "logger"> {
  /** When given, clauses are re-scored by the model (LLM-assisted mode). */
  readonly llm?: Llm;
  /** Minimum score of a kept label (default 0.5). */
  readonly threshold?: number;
  /** Replaces the built-in lexicon. */
  readonly lexicon?: ClauseLexicon;
  readonly logger?: Logger;
}

const defaultRules = new RuleClauseClassifier();

/**
 * Labels each clause of a contract with CUAD categories. With no model the rule/lexicon model
 * decides; with `llm` the model re-scores candidate clauses through constrained JSON output.
 */
export async function classifyClauses(text: string | ContractDocument, options: ClassifyClausesOptions = {}): Promise<ClauseClassification> {
  const doc = ContractDocument.of(text);
  const threshold = options.threshold ?? 0.5;
  const rules = options.lexicon ? new RuleClauseClassifier(options.lexicon) : defaultRules;
  if (!options.llm) return { method: "rules", threshold, clauses: rules.classify(doc, threshold) };
  const candidate = Math.min(options.candidateScore ?? 0.15, threshold);
  const llm = new LlmClauseClassifier(options.llm, { ...options, candidateScore: candidate });
  const { clauses, failures, skipped } = await llm.refine(rules.classify(doc, candidate), threshold);
  if (skipped) return { method: "rules", threshold, modelId: options.llm.id, llmSkipped: skipped, clauses };
  return { method: "llm-assisted", threshold, modelId: options.llm.id, ...(failures.length > 0 ? { llmFailures: failures } : {}), clauses };
}
