import type { ContractDocument } from "../../text/contract-document";
import type { Span } from "../../text/span";
import type { RuleClauseClassifier } from "../rule-clause-classifier";
import { sentenceFeatures, type SentenceFeatures } from "./sentence-features";

/** One sentence of a contract, where it sits and what the model reads of it. */
export interface FeaturedSentence {
  readonly clauseIndex: number;
  readonly span: Span;
  readonly features: SentenceFeatures;
}

/**
 * Every sentence of a contract with its model features: the words of the sentence, its clause
 * heading, the sentence before it in the clause, where it sits, and the rule scores. Training and
 * run time both build features here, so they cannot drift apart.
 */
export function documentFeatures(doc: ContractDocument, rules: RuleClauseClassifier, hashBits: number): FeaturedSentence[] {
  const out: FeaturedSentence[] = [];
  const length = Math.max(1, doc.text.length);
  for (const clause of doc.clauses) {
    clause.sentences.forEach((span, i) => {
      const previous = i > 0 ? clause.sentences[i - 1]!.quote : undefined;
      const next = clause.sentences[i + 1]?.quote;
      const clauseOpening = i > 1 ? clause.sentences[0]!.quote : undefined;
      const features = sentenceFeatures(
        {
          sentence: span.quote,
          ...(clause.heading === undefined ? {} : { heading: clause.heading }),
          ...(previous === undefined ? {} : { previous }),
          ...(next === undefined ? {} : { next }),
          ...(clauseOpening === undefined ? {} : { clauseOpening }),
          position: span.start / length,
          ruleScores: rules.scoreSentence(span.quote, clause.heading),
        },
        hashBits,
      );
      out.push({ clauseIndex: clause.index, span, features });
    });
  }
  return out;
}
