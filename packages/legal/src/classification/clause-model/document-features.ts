import type { ContractDocument } from "../../text/contract-document";
import type { Span } from "../../text/span";
import type { RuleClauseClassifier } from "../rule-clause-classifier";
import { sentenceContexts, type ContextOptions } from "./sentence-contexts";
import { sentenceFeatures, type SentenceFeatures } from "./sentence-features";

/** One sentence of a contract, where it sits and what the model reads of it. */
export interface FeaturedSentence {
  readonly clauseIndex: number;
  readonly span: Span;
  readonly features: SentenceFeatures;
}

/** Every sentence of a contract with its hashed model features (the sentence in its context: `sentenceContexts`). */
export function documentFeatures(doc: ContractDocument, rules: RuleClauseClassifier, hashBits: number, options: ContextOptions = {}): FeaturedSentence[] {
  return sentenceContexts(doc, rules, options).map((s) => ({ clauseIndex: s.clauseIndex, span: s.span, features: sentenceFeatures(s.context, hashBits, { typed: options.typed === true }) }));
}
