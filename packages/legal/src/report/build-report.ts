import type { ClauseClassification } from "../classification/clause-classification";
import type { ComplianceResult, RequirementStatus } from "../compliance/check-compliance";
import type { KeyDate, KeyTerms, RenewalTerm } from "../extraction/key-term-types";
import type { RiskFinding } from "../review/assess-risk";
import { SEVERITIES, type Severity } from "../review/playbook";
import { REPORT_SCHEMA_VERSION, type ContractReviewReport } from "./review-report";
import { validateCitations } from "./validate-citations";
import type { CuadCategory } from "../classification/cuad-categories";
import { reconcileEvidence } from "../review/evidence-set";
import { ContractDocument } from "../text/contract-document";
import { detectDocumentType, type DocumentTypeResult } from "../document-type/detect-document-type";

export interface ReportParts {
  readonly text: string;
  readonly keyTerms: KeyTerms;
  readonly classification: ClauseClassification;
  readonly risks: readonly RiskFinding[];
  readonly compliance: readonly ComplianceResult[];
  readonly playbook: string;
  /** The kind of agreement (detected when not given). */
  readonly documentType?: DocumentTypeResult;
  readonly title?: string;
  readonly documentName?: string;
  /** Fixed time for reproducible reports (default: now). */
  readonly now?: Date;
}

/** Assembles the JSON report from the results of each review step, and validates every citation in it. */
export function buildReport(parts: ReportParts): ContractReviewReport {
  const doc = new ContractDocument(parts.text);
  const evidence = reconcileEvidence(doc, parts.keyTerms, parts.classification);
  const documentType = parts.documentType ?? detectDocumentType(doc);
  const kt = evidence.keyTerms;
  const classification = evidence.classification;
  // A term the clause map places but the extractor could not read still fills the summary: with where it is.
  const statedIn = (category: CuadCategory) => {
    const clause = classification.clauses.find((c) => c.labels.some((l) => l.category === category));
    return clause ? `stated in clause ${clause.number ?? `#${clause.index + 1}`} (not parsed)` : undefined;
  };
  const categories: Record<string, number> = {};
  for (const clause of classification.clauses) for (const l of clause.labels) categories[l.category] = (categories[l.category] ?? 0) + 1;
  const risks = Object.fromEntries(SEVERITIES.map((s) => [s, 0])) as Record<Severity, number>;
  for (const r of parts.risks) risks[r.severity]++;
  const compliance: Record<RequirementStatus, number> = { met: 0, contradicted: 0, unclear: 0, missing: 0 };
  for (const c of parts.compliance) for (const r of c.results) compliance[r.status]++;
  const date = (d: { iso?: string; note?: string } | undefined) => d?.iso ?? d?.note;
  const agreementDate = date(kt.keyDates.agreement);
  const effectiveDate = date(kt.keyDates.effective) ?? statedIn("Effective Date");
  const expirationDate = expiryText(kt.keyDates.expiration, kt.renewal) ?? statedIn("Expiration Date");
  const governingLaw = kt.governingLaw[0]?.law ?? statedIn("Governing Law");
  const body = {
    schemaVersion: REPORT_SCHEMA_VERSION,
    ...(parts.title === undefined ? {} : { title: parts.title }),
    generatedAt: (parts.now ?? new Date()).toISOString(),
    document: { characters: parts.text.length, ...(parts.documentName === undefined ? {} : { name: parts.documentName }) },
    method: classification.method,
    ...(classification.modelId === undefined ? {} : { modelId: classification.modelId }),
    ...(classification.llmSkipped === undefined ? {} : { llmSkipped: classification.llmSkipped }),
    playbook: parts.playbook,
    documentType,
    summary: {
      parties: kt.parties.map((p) => (p.role ? `${p.name} ("${p.role}")` : p.name)),
      ...(governingLaw === undefined ? {} : { governingLaw }),
      ...(agreementDate === undefined ? {} : { agreementDate }),
      ...(effectiveDate === undefined ? {} : { effectiveDate }),
      ...(expirationDate === undefined ? {} : { expirationDate }),
      clauseCount: classification.clauses.length,
      labelledClauseCount: classification.clauses.filter((c) => c.labels.length > 0).length,
      categories,
      risks,
      compliance,
    },
    keyTerms: kt,
    clauses: classification.clauses,
    risks: parts.risks,
    compliance: parts.compliance,
  };
  return { ...body, citations: validateCitations(body, parts.text) };
}

/** How the report words a contract that runs until terminated (summary and key-terms table). */
export const NO_FIXED_EXPIRY = "no fixed expiry (perpetual)";

/**
 * The expiry as the summary says it: "no fixed expiry (perpetual)" for a contract that runs until
 * terminated, and the end of the initial term marked as such when the contract renews automatically
 * (its date is when the first term ends, not when the contract must end).
 */
export function expiryText(expiration: KeyDate | undefined, renewal: RenewalTerm | undefined): string | undefined {
  if (expiration === undefined) return undefined;
  if (expiration.iso === undefined) return expiration.note === "perpetual" ? NO_FIXED_EXPIRY : expiration.note;
  return renewal?.automatic ? `${expiration.iso} (end of the initial term; renews automatically)` : expiration.iso;
}
