import { makeDuration } from "../parsing/parse-duration";
import type { ContractDocument } from "../text/contract-document";
import { matchAll, spanOf, type Span } from "../text/span";
import type { PeriodTerm } from "./key-term-types";

// Renewal periods written without a number: "from year to year", "on a month-to-month basis",
// "for successive annual periods", "annually renew".
const RECURRING = /\b(?:from\s+)?(?<y2y>year)[\s-]+to[\s-]+year\b|\b(?<m2m>month)[\s-]+to[\s-]+month\b|\b(?<annual>annual(?:ly)?)\b(?=[\s-]+(?:renew|renewal|term|period|basis|extension)|\s+thereafter\b)|\b(?:renew\w*|extend\w*|continu\w*)\s+(?:\w+\s+){0,3}(?<annual2>annually)\b/gi;

/** Periods of one year or one month written as "year to year", "month-to-month", "annual", within `span`. */
export function recurringPeriods(doc: ContractDocument, span: Span): PeriodTerm[] {
  const out: PeriodTerm[] = [];
  for (const m of matchAll(span.quote, RECURRING)) {
    const g = m.groups ?? {};
    const word = g["annual2"] ?? g["annual"] ?? g["y2y"] ?? g["m2m"] ?? "";
    // Cite the phrase itself ("year to year", "annual"), not the verb in front of it.
    const at = g["annual2"] === undefined ? m.index + m[0].indexOf(word) : m.index + m[0].lastIndexOf(word);
    const end = g["y2y"] !== undefined || g["m2m"] !== undefined ? m.index + m[0].length : at + word.length;
    out.push({ kind: "renewal", duration: makeDuration(1, g["m2m"] === undefined ? "year" : "month"), span: spanOf(doc.text, span.start + at, span.start + end) });
  }
  return out;
}
