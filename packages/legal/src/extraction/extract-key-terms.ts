import { ContractDocument } from "../text/contract-document";
import { extractAmounts, extractPercentages } from "./extract-amounts";
import { extractCrossReferences } from "./extract-cross-references";
import { extractDates, resolveKeyDates } from "./extract-dates";
import { extractDefinedTerms } from "./extract-defined-terms";
import { extractGoverningLaw, extractJurisdiction } from "./extract-governing-law";
import { extractParties, extractSignatories } from "./extract-parties";
import { extractPeriods } from "./extract-periods";
import { extractRenewal } from "./extract-renewal";
import type { KeyTerms } from "./key-term-types";

/** Every key term of a contract, with no model: each item carries exact offsets into `text`. */
export function extractKeyTerms(text: string | ContractDocument): KeyTerms {
  const doc = ContractDocument.of(text);
  const parties = extractParties(doc);
  const dates = extractDates(doc);
  const periods = extractPeriods(doc);
  const renewal = extractRenewal(doc, periods);
  return {
    parties,
    dates,
    keyDates: resolveKeyDates(doc, dates, periods),
    periods,
    amounts: extractAmounts(doc),
    percentages: extractPercentages(doc),
    governingLaw: extractGoverningLaw(doc),
    jurisdiction: extractJurisdiction(doc),
    definedTerms: extractDefinedTerms(doc),
    crossReferences: extractCrossReferences(doc),
    signatories: extractSignatories(doc, parties),
    ...(renewal ? { renewal } : {}),
  };
}
