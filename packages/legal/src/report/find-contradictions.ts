import type { CuadCategory } from "../classification/cuad-categories";
import type { ContractReviewReport } from "./review-report";

/** Two parts of one report that disagree about the same fact. */
export interface Contradiction {
  /** The clause category the two disagree about (absent when it is a checklist requirement). */
  readonly category?: CuadCategory;
  /** The checklist requirement the two disagree about ("nda-5"). */
  readonly requirement?: string;
  /** e.g. `risk 'no-governing-law'` or `summary.governingLaw`. */
  readonly finding: string;
  /** Why the two disagree, in a line (no document text). */
  readonly reason: string;
}

const SUMMARY_FIELDS = [
  ["governingLaw", "Governing Law"],
  ["effectiveDate", "Effective Date"],
  ["expirationDate", "Expiration Date"],
] as const;

/**
 * Every place where the report contradicts its own clause map or checklists: a finding that says a clause is
 * missing beside a clause labelled with it, a summary field left empty while a clause of its category is
 * labelled, or a finding resting on a checklist requirement's status that the report's checklist shows
 * otherwise. An empty list is what every report must give.
 */
export function findContradictions(report: ContractReviewReport): Contradiction[] {
  const labelled = new Set(report.clauses.flatMap((c) => c.labels.map((l) => l.category)));
  const out: Contradiction[] = [];
  for (const risk of report.risks)
    for (const category of risk.missing ?? [])
      if (labelled.has(category)) out.push({ category, finding: `risk '${risk.ruleId}'`, reason: `says ${category} is missing, and a clause is labelled ${category}` });
  const statuses = new Map(report.compliance.flatMap((c) => c.results.map((r) => [r.id, r.status] as const)));
  for (const risk of report.risks)
    for (const { id, status } of risk.requirements ?? []) {
      const shown = statuses.get(id);
      if (shown !== undefined && shown !== status) out.push({ requirement: id, finding: `risk '${risk.ruleId}'`, reason: `rests on ${id} being ${status}, and the checklist shows it ${shown}` });
    }
  for (const [field, category] of SUMMARY_FIELDS)
    if (report.summary[field] === undefined && labelled.has(category)) out.push({ category, finding: `summary.${field}`, reason: `is empty, and a clause is labelled ${category}` });
  if (report.summary.parties.length === 0 && report.risks.every((r) => !r.missing?.includes("Parties")) && labelled.has("Parties"))
    out.push({ category: "Parties", finding: "summary.parties", reason: "is empty, and a clause is labelled Parties" });
  return out;
}
