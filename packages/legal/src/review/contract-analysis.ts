import type { ClauseClassification } from "../classification/clause-classification";
import type { KeyTerms } from "../extraction/key-term-types";

/** What the review steps share: the text and what extraction and classification found in it. */
export interface ContractAnalysis {
  readonly text: string;
  readonly keyTerms: KeyTerms;
  readonly classification: ClauseClassification;
}
