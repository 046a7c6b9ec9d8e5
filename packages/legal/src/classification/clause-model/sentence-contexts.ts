import type { ContractDocument } from "../../text/contract-document";
import type { Span } from "../../text/span";
import type { RuleClauseClassifier } from "../rule-clause-classifier";
import type { SentenceContext } from "./sentence-features";

/** One sentence of a contract with what surrounds it: the unit both first-stage readers score. */
export interface SentenceInContext {
  readonly clauseIndex: number;
  readonly span: Span;
  readonly context: SentenceContext;
}

/**
 * Every sentence of a contract in its context: its clause heading, the sentences before and after it
 * in the clause, the clause's opening, where it sits, and the rule scores. Training and run time both
 * read sentences through here, so they cannot drift apart.
 */
export function sentenceContexts(doc: ContractDocument, rules: RuleClauseClassifier): SentenceInContext[] {
  const out: SentenceInContext[] = [];
  const length = Math.max(1, doc.text.length);
  for (const clause of doc.clauses) {
    clause.sentences.forEach((span, i) => {
      const previous = i > 0 ? clause.sentences[i - 1]!.quote : undefined;
      const next = clause.sentences[i + 1]?.quote;
      const clauseOpening = i > 1 ? clause.sentences[0]!.quote : undefined;
      const context: SentenceContext = {
        sentence: span.quote,
        ...(clause.heading === undefined ? {} : { heading: clause.heading }),
        ...(previous === undefined ? {} : { previous }),
        ...(next === undefined ? {} : { next }),
        ...(clauseOpening === undefined ? {} : { clauseOpening }),
        position: span.start / length,
        ruleScores: rules.scoreSentence(span.quote, clause.heading),
      };
      out.push({ clauseIndex: clause.index, span, context });
    });
  }
  return out;
}
