import type { PiiEntityType, PiiFinding } from "./pii-types";

export type RiskLevel = "none" | "low" | "medium" | "high" | "critical";
export const RISK_LEVELS: readonly RiskLevel[] = ["none", "low", "medium", "high", "critical"];

export interface RiskAssessment {
  readonly level: RiskLevel;
  readonly reasons: readonly string[];
  readonly counts: Readonly<Record<string, number>>;
}

const HIGH: ReadonlySet<PiiEntityType> = new Set(["US_SSN", "CREDIT_CARD", "US_PASSPORT", "DRIVER_LICENSE", "IBAN"]);
const MEDIUM: ReadonlySet<PiiEntityType> = new Set(["DATE_OF_BIRTH", "PHONE", "EMAIL", "ADDRESS"]);
const LOW: ReadonlySet<PiiEntityType> = new Set(["PERSON", "LOCATION", "ORGANIZATION", "IP_ADDRESS", "URL"]);

const rank = (level: RiskLevel): number => RISK_LEVELS.indexOf(level);

/**
 * Risk from the types and counts found: any government id, card or bank account is high; a person
 * together with such an identifier or a date of birth (identity-theft kit), or 10+ high items, is
 * critical; contact details are medium; names and places alone are low (medium from 20 on).
 */
export function assessRisk(findings: readonly PiiFinding[]): RiskAssessment {
  const counts: Record<string, number> = {};
  for (const f of findings) counts[f.type] = (counts[f.type] ?? 0) + 1;
  const reasons: string[] = [];
  let level: RiskLevel = "none";
  const raise = (to: RiskLevel, reason: string): void => {
    reasons.push(reason);
    if (rank(to) > rank(level)) level = to;
  };
  const typed = Object.entries(counts).sort(([a], [b]) => a.localeCompare(b));
  let highCount = 0;
  for (const [type, n] of typed) {
    if (HIGH.has(type)) {
      highCount += n;
      raise("high", `${n} ${type} found (identifier usable for fraud)`);
    } else if (MEDIUM.has(type)) raise("medium", `${n} ${type} found (contact or identity detail)`);
    else if (LOW.has(type)) raise(n >= 20 ? "medium" : "low", `${n} ${type} found${n >= 20 ? " (many)" : ""}`);
    else raise("medium", `${n} ${type} found (custom entity type)`);
  }
  const hasPerson = (counts["PERSON"] ?? 0) > 0;
  if (hasPerson && (highCount > 0 || (counts["DATE_OF_BIRTH"] ?? 0) > 0))
    raise("critical", "names appear together with a government, financial identifier or date of birth");
  if (highCount >= 10) raise("critical", `${highCount} high-risk identifiers in one text`);
  return { level, reasons, counts };
}
