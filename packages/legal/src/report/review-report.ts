import type { ClassifiedClause } from "../classification/clause-classification";
import type { ComplianceResult, RequirementStatus } from "../compliance/check-compliance";
import type { KeyTerms } from "../extraction/key-term-types";
import type { RiskFinding } from "../review/assess-risk";
import type { Severity } from "../review/playbook";
import type { CitationCheck } from "./validate-citations";
import type { DocumentTypeResult } from "../document-type/detect-document-type";

export const REPORT_SCHEMA_VERSION = 1 as const;

export interface ReportSummary {
  readonly parties: readonly string[];
  readonly governingLaw?: string;
  readonly agreementDate?: string;
  readonly effectiveDate?: string;
  readonly expirationDate?: string;
  readonly clauseCount: number;
  readonly labelledClauseCount: number;
  /** Categories found, with the number of clauses carrying each. */
  readonly categories: Readonly<Record<string, number>>;
  readonly risks: Readonly<Record<Severity, number>>;
  readonly compliance: Readonly<Record<RequirementStatus, number>>;
}

/**
 * The machine-readable review. Every object of the shape `{ start, end, quote }` anywhere in it is a
 * citation: `text.slice(start, end) === quote` for the reviewed text (validateCitations checks it).
 */
export interface ContractReviewReport {
  readonly schemaVersion: typeof REPORT_SCHEMA_VERSION;
  readonly title?: string;
  readonly generatedAt: string;
  readonly document: { readonly characters: number; readonly name?: string };
  readonly method: "model" | "rules" | "llm-assisted";
  readonly modelId?: string;
  /** Why the model given was not asked (its context is too small); the rules decided. */
  readonly llmSkipped?: string;
  /** The name of the playbook the risks were assessed against. */
  readonly playbook: string;
  /** The kind of agreement, which picks the default playbook and checklists. */
  readonly documentType: DocumentTypeResult;
  readonly summary: ReportSummary;
  readonly keyTerms: KeyTerms;
  readonly clauses: readonly ClassifiedClause[];
  readonly risks: readonly RiskFinding[];
  readonly compliance: readonly ComplianceResult[];
  readonly citations: CitationCheck;
}
