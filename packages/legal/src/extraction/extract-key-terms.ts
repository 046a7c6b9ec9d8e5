import { ContractDocument } from "../text/contract-document";
import { extractAmounts, extractPercentages } from "./extract-amounts";
import { extractCrossReferences } from "./extract-cross-references";
import { extractDates, resolveKeyDates } from "./extract-dates";
import { extractDefinedTerms } from "./extract-defined-terms";
import { extractGoverningLaw, extractJurisdiction } from "./extract-governing-law";
import { extractParties } from "./extract-parties";
import { extractPeriods } from "./extract-periods";
import { extractRenewal } from "./extract-renewal";
import { readSignatureBlocks, withSigningParties } from "./signature-blocks";
import { modelKeyDates, modelParties } from "./key-term-model/apply-key-term-model";
import type { KeyTermModel } from "./key-term-model/key-term-model";
import { shippedKeyTermModel } from "./key-term-model/shipped-key-term-model";
import type { KeyTerms } from "./key-term-types";

export interface ExtractKeyTermsOptions {
  /** The trained key-term model that picks the parties and the agreement / effective / expiry dates (default: the shipped one when present); `false` = rules only. */
  readonly model?: KeyTermModel | false;
}

/** Every key term of a contract: each item carries exact offsets into `text`. */
export function extractKeyTerms(text: string | ContractDocument, options: ExtractKeyTermsOptions = {}): KeyTerms {
  const doc = ContractDocument.of(text);
  const model = options.model === false ? undefined : (options.model ?? shippedKeyTermModel());
  const ruleParties = extractParties(doc);
  const chosen = model ? modelParties(doc, model, ruleParties) : ruleParties;
  const blocks = readSignatureBlocks(doc, chosen);
  const parties = withSigningParties(doc, chosen, blocks);
  const dates = extractDates(doc);
  const periods = extractPeriods(doc);
  const renewal = extractRenewal(doc, periods);
  const ruleDates = resolveKeyDates(doc, dates, periods);
  return {
    parties,
    dates,
    keyDates: model ? modelKeyDates(doc, model, ruleDates, dates.filter((d) => d.derivedFrom === undefined), renewal) : ruleDates,
    periods,
    amounts: extractAmounts(doc),
    percentages: extractPercentages(doc),
    governingLaw: extractGoverningLaw(doc),
    jurisdiction: extractJurisdiction(doc),
    definedTerms: extractDefinedTerms(doc),
    crossReferences: extractCrossReferences(doc),
    signatories: blocks.signatories,
    ...(renewal ? { renewal } : {}),
  };
}
