import type { ContractDocument } from "../text/contract-document";
import type { ClassifiedClause } from "./clause-classification";
import { WEAK_SCORE_CAP } from "./clause-lexicon";
import { DOCUMENT_LEVEL_CATEGORIES } from "./cuad-categories";
import { detectDocumentType } from "../document-type/detect-document-type";
import type { ClauseModel } from "./clause-model/clause-model";
import { documentFeatures } from "./clause-model/document-features";
import { labelClauses } from "./label-clauses";
import { RuleClauseClassifier, type SentenceScore } from "./rule-clause-classifier";
import { isTitleLine } from "./title-line";

/** Scores below this are not kept by `scoreDocument` (they never make a label and only weigh on memory). */
const MIN_KEPT_SCORE = 0.01;

/**
 * The trained clause classifier: a calibrated linear model over the words around each sentence and
 * the rule scores. A score is the model's probability that the sentence belongs to the category.
 */
export class ModelClauseClassifier {
  constructor(
    readonly model: ClauseModel,
    private readonly rules: RuleClauseClassifier = new RuleClauseClassifier(),
  ) {}

  /** Every (sentence, clause category) with a probability of at least 0.01. */
  scoreDocument(doc: ContractDocument): SentenceScore[] {
    const out: SentenceScore[] = [];
    const sentences = documentFeatures(doc, this.rules, this.model.hashBits, { sections: this.model.sections, typed: this.model.typed });
    const C = this.model.categories.length;
    const logits = new Float32Array(sentences.length * C);
    const rules = new Float32Array(sentences.length * C);
    sentences.forEach((s, i) => {
      logits.set(this.model.logits(s.features), i * C);
      rules.set(s.features.rules, i * C);
    });
    const probabilities = this.model.predictDocument({
      categories: C,
      logits,
      rules,
      clauseOf: Int32Array.from(sentences, (s) => s.clauseIndex),
      starts: Int32Array.from(sentences, (s) => s.span.start),
      textLength: doc.text.length,
      // The kind of agreement is only read by a second stage.
      type: this.model.stacked ? detectDocumentType(doc).type : "other",
      ...(this.model.hasClauseReader ? { clauseLogits: this.model.clauseLogits(doc.clauses, rules) } : {}),
    });
    for (const [i, s] of sentences.entries()) {
      const p = probabilities.subarray(i * C, (i + 1) * C);
      // A line that only names the clause ("9.5 Audit Rights.") is not the clause: rank it, never label it.
      const cap = isTitleLine(s.span.quote, doc.clauses[s.clauseIndex]?.heading) ? WEAK_SCORE_CAP : 1;
      this.model.categories.forEach((category, c) => {
        // Document name, parties and agreement date are key terms (extractKeyTerms), not clauses.
        if (DOCUMENT_LEVEL_CATEGORIES.includes(category)) return;
        const score = Math.round(Math.min(cap, p[c]!) * 1000) / 1000;
        if (score >= MIN_KEPT_SCORE) out.push({ category, clauseIndex: s.clauseIndex, span: s.span, score });
      });
    }
    return out;
  }

  classify(doc: ContractDocument, threshold = 0.5): ClassifiedClause[] {
    return labelClauses(doc, this.scoreDocument(doc), threshold, "model");
  }
}
