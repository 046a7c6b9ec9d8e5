import type { Llm, Logger } from "@bear/core";
import { ContractDocument } from "../text/contract-document";
import type { ClauseClassification } from "./clause-classification";
import type { ClauseLexicon } from "./clause-lexicon";
import type { ClauseModel } from "./clause-model/clause-model";
import { shippedClauseModel } from "./clause-model/shipped-clause-model";
import { LlmClauseClassifier, type LlmClassifierOptions } from "./llm-clause-classifier";
import { ModelClauseClassifier } from "./model-clause-classifier";
import { RuleClauseClassifier } from "./rule-clause-classifier";

export interface ClassifyClausesOptions extends Omit<LlmClassifierOptions, "logger"> {
  /** When given, clauses are re-scored by the model (LLM-assisted mode). */
  readonly llm?: Llm;
  /**
   * The trained clause model: default the one shipped with the package (when its file is present);
   * `false` labels with the rules alone.
   */
  readonly model?: ClauseModel | false;
  /** Minimum score of a kept label (default: MODEL_THRESHOLD with the trained model, where a score is a probability; 0.5 with the rules). */
  readonly threshold?: number;
  /** Replaces the built-in lexicon (of the rules, and of the rule scores the model reads). */
  readonly lexicon?: ClauseLexicon;
  readonly logger?: Logger;
}

const defaultRules = new RuleClauseClassifier();

/** Default label threshold of the trained model: its probabilities maximise F1 near 0.3 on cross-validation (README). */
export const MODEL_THRESHOLD = 0.3;
/** Default label threshold of the rule scores. */
export const RULES_THRESHOLD = 0.5;
const classifiers = new WeakMap<ClauseModel, ModelClauseClassifier>();

function modelClassifier(model: ClauseModel, rules: RuleClauseClassifier): ModelClauseClassifier {
  if (rules !== defaultRules) return new ModelClauseClassifier(model, rules);
  let c = classifiers.get(model);
  if (!c) classifiers.set(model, (c = new ModelClauseClassifier(model, rules)));
  return c;
}

/**
 * Labels each clause of a contract with CUAD categories. The trained model decides when it is
 * available, else the rule/lexicon model; with `llm` the model re-scores candidate clauses through
 * constrained JSON output.
 */
export async function classifyClauses(text: string | ContractDocument, options: ClassifyClausesOptions = {}): Promise<ClauseClassification> {
  const doc = ContractDocument.of(text);
  const rules = options.lexicon ? new RuleClauseClassifier(options.lexicon) : defaultRules;
  const model = options.model === false ? undefined : (options.model ?? shippedClauseModel());
  const threshold = options.threshold ?? (model ? MODEL_THRESHOLD : RULES_THRESHOLD);
  const base = model ? modelClassifier(model, rules) : rules;
  const method = model ? "model" : "rules";
  if (!options.llm) return { method, threshold, clauses: base.classify(doc, threshold) };
  const candidate = Math.min(options.candidateScore ?? 0.15, threshold);
  const llm = new LlmClauseClassifier(options.llm, { ...options, candidateScore: candidate });
  const { clauses, failures, skipped } = await llm.refine(base.classify(doc, candidate), threshold);
  if (skipped) return { method, threshold, modelId: options.llm.id, llmSkipped: skipped, clauses };
  return { method: "llm-assisted", threshold, modelId: options.llm.id, ...(failures.length > 0 ? { llmFailures: failures } : {}), clauses };
}
