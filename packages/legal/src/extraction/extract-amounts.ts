import { MONEY_SOURCE, moneyFromGroups } from "../parsing/parse-money";
import { NUMBER_WORDS_SOURCE, parseNumberWords } from "../parsing/number-words";
import type { ContractDocument } from "../text/contract-document";
import { matchAll, spanOf } from "../text/span";
import type { MoneyTerm, PercentageTerm } from "./key-term-types";

const MONEY = new RegExp(MONEY_SOURCE, "gi");

/** Monetary amounts with ISO currency and numeric value ("Ten Thousand Dollars ($10,000)" is one amount). */
export function extractAmounts(doc: ContractDocument): MoneyTerm[] {
  const out: MoneyTerm[] = [];
  for (const m of matchAll(doc.text, MONEY)) {
    const value = m.groups ? moneyFromGroups(m.groups) : undefined;
    if (!value || !Number.isFinite(value.amount)) continue;
    out.push({ ...value, span: spanOf(doc.text, m.index, m.index + m[0].length) });
  }
  return out;
}

const PERCENT = new RegExp(
  `(?:(?<words>${NUMBER_WORDS_SOURCE})\\s+percent(?:age\\s+points?)?(?:\\s*\\(\\s*(?<fig>\\d+(?:\\.\\d+)?)\\s*%\\s*\\))?|(?<!\\d)(?<num>\\d+(?:\\.\\d+)?)\\s*(?:%|percent\\b|per\\s+cent\\b))`,
  "gi",
);

/**
 * Percentages: "5%", "12.5 percent", "fifty percent (50%)". A figure starts after no digit: a start inside a run of
 * digits read the run to its end (quadratic on "1111…"), and no match ends with a digit, so the run's first digit is
 * always where the search meets it.
 */
export function extractPercentages(doc: ContractDocument): PercentageTerm[] {
  const out: PercentageTerm[] = [];
  for (const m of matchAll(doc.text, PERCENT)) {
    const g = m.groups ?? {};
    const value = g["fig"] !== undefined ? Number(g["fig"]) : g["num"] !== undefined ? Number(g["num"]) : parseNumberWords(g["words"] ?? "");
    if (value === undefined || !Number.isFinite(value)) continue;
    out.push({ value, span: spanOf(doc.text, m.index, m.index + m[0].length) });
  }
  return out;
}
