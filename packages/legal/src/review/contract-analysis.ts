import type { ClauseClassification } from "../classification/clause-classification";
import type { ComplianceResult } from "../compliance/check-compliance";
import type { KeyTerms } from "../extraction/key-term-types";

/** What the review steps share: the text and what extraction and classification found in it. */
export interface ContractAnalysis {
  readonly text: string;
  readonly keyTerms: KeyTerms;
  readonly classification: ClauseClassification;
  /**
   * The checklists already run on the text. A playbook rule on a built-in checklist's requirement
   * (`checklist: { requirement, status }`) reads its result here, so the risks and the checklist section of a
   * report rest on the same reading; a requirement not here is checked when the rule needs it.
   */
  readonly compliance?: readonly ComplianceResult[];
}
