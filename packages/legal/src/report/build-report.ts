import type { ClauseClassification } from "../classification/clause-classification";
import type { ComplianceResult, RequirementStatus } from "../compliance/check-compliance";
import type { KeyTerms } from "../extraction/key-term-types";
import type { RiskFinding } from "../review/assess-risk";
import { SEVERITIES, type Severity } from "../review/playbook";
import { REPORT_SCHEMA_VERSION, type ContractReviewReport } from "./review-report";
import { validateCitations } from "./validate-citations";

export interface ReportParts {
  readonly text: string;
  readonly keyTerms: KeyTerms;
  readonly classification: ClauseClassification;
  readonly risks: readonly RiskFinding[];
  readonly compliance: readonly ComplianceResult[];
  readonly playbook: string;
  readonly title?: string;
  readonly documentName?: string;
  /** Fixed time for reproducible reports (default: now). */
  readonly now?: Date;
}

/** Assembles the JSON report from the results of each review step, and validates every citation in it. */
export function buildReport(parts: ReportParts): ContractReviewReport {
  const kt = parts.keyTerms;
  const categories: Record<string, number> = {};
  for (const clause of parts.classification.clauses) for (const l of clause.labels) categories[l.category] = (categories[l.category] ?? 0) + 1;
  const risks = Object.fromEntries(SEVERITIES.map((s) => [s, 0])) as Record<Severity, number>;
  for (const r of parts.risks) risks[r.severity]++;
  const compliance: Record<RequirementStatus, number> = { met: 0, contradicted: 0, unclear: 0, missing: 0 };
  for (const c of parts.compliance) for (const r of c.results) compliance[r.status]++;
  const date = (d: { iso?: string; note?: string } | undefined) => d?.iso ?? d?.note;
  const agreementDate = date(kt.keyDates.agreement);
  const effectiveDate = date(kt.keyDates.effective);
  const expirationDate = date(kt.keyDates.expiration);
  const body = {
    schemaVersion: REPORT_SCHEMA_VERSION,
    ...(parts.title === undefined ? {} : { title: parts.title }),
    generatedAt: (parts.now ?? new Date()).toISOString(),
    document: { characters: parts.text.length, ...(parts.documentName === undefined ? {} : { name: parts.documentName }) },
    method: parts.classification.method,
    ...(parts.classification.modelId === undefined ? {} : { modelId: parts.classification.modelId }),
    ...(parts.classification.llmSkipped === undefined ? {} : { llmSkipped: parts.classification.llmSkipped }),
    playbook: parts.playbook,
    summary: {
      parties: kt.parties.map((p) => (p.role ? `${p.name} ("${p.role}")` : p.name)),
      ...(kt.governingLaw[0] ? { governingLaw: kt.governingLaw[0].law } : {}),
      ...(agreementDate === undefined ? {} : { agreementDate }),
      ...(effectiveDate === undefined ? {} : { effectiveDate }),
      ...(expirationDate === undefined ? {} : { expirationDate }),
      clauseCount: parts.classification.clauses.length,
      labelledClauseCount: parts.classification.clauses.filter((c) => c.labels.length > 0).length,
      categories,
      risks,
      compliance,
    },
    keyTerms: kt,
    clauses: parts.classification.clauses,
    risks: parts.risks,
    compliance: parts.compliance,
  };
  return { ...body, citations: validateCitations(body, parts.text) };
}
