import { NUMBER_WORDS_SOURCE, parseNumberWords } from "./number-words";

/** ISO 4217 code for a symbol or name as contracts write it. */
const CURRENCIES: readonly [RegExp, string][] = [
  [/^(?:US\s?\$|U\.S\.\s?\$|USD|U\.S\.\s+dollars?|US\s+dollars?|United\s+States\s+dollars?)$/i, "USD"],
  [/^(?:C\$|CAD|CDN\$|Canadian\s+dollars?)$/i, "CAD"],
  [/^(?:A\$|AUD|Australian\s+dollars?)$/i, "AUD"],
  [/^(?:HK\$|HKD)$/i, "HKD"],
  [/^(?:S\$|SGD)$/i, "SGD"],
  [/^(?:€|EUR|euros?)$/i, "EUR"],
  [/^(?:£|GBP|pounds?(?:\s+sterling)?|sterling)$/i, "GBP"],
  [/^(?:¥|JPY|yen)$/i, "JPY"],
  [/^(?:RMB|CNY|renminbi|yuan)$/i, "CNY"],
  [/^(?:CHF|Swiss\s+francs?)$/i, "CHF"],
  [/^(?:INR|Rs\.?|rupees?)$/i, "INR"],
  [/^(?:\$|dollars?)$/i, "USD"],
];

export function currencyCode(raw: string): string | undefined {
  const t = raw.trim().replace(/\s+/g, " ");
  return CURRENCIES.find(([re]) => re.test(t))?.[1];
}

const PREFIX = "(?:US\\s?\\$|U\\.S\\.\\s?\\$|C\\$|CDN\\$|A\\$|HK\\$|S\\$|\\$|€|£|¥|USD|EUR|GBP|CAD|AUD|CHF|JPY|CNY|RMB|INR|SGD|HKD)";
/**
 * A figure with all its decimals ("0.075"). It never starts or ends inside a run of digits: "7,1234" and "2.5.1"
 * are not figures, so no amount is cut out of them.
 */
const FIGURE = "(?<![\\d]|\\d[.,])(?:\\d{1,3}(?:,\\d{3})+|\\d+)(?:\\.\\d+)?(?![\\d]|[.,]\\d)";
const SCALE = "(?:thousand|million|billion|mm|m|bn|k)";
const SUFFIX_NAME = "(?:U\\.S\\.\\s+dollars?|US\\s+dollars?|United\\s+States\\s+dollars?|Canadian\\s+dollars?|Australian\\s+dollars?|dollars?|euros?|pounds\\s+sterling|pounds?|yen|Swiss\\s+francs?|USD|EUR|GBP|CAD|AUD|CHF|JPY)";

/**
 * Money as written: "$1,250,000.00", "US$ 5 million", "USD 10,000", "€500", "10,000 euros",
 * "Ten Thousand Dollars ($10,000)", "five million U.S. dollars". Groups: `cur`/`fig`/`scale`
 * (symbol first), `fig2`/`scale2`/`cur2` (figure first), `words`/`cur3` (in words).
 */
export const MONEY_SOURCE = [
  `(?<cur>${PREFIX})\\s?(?<fig>${FIGURE})(?:\\s*(?<scale>${SCALE})\\b)?`,
  `(?<fig2>${FIGURE})(?:\\s*(?<scale2>${SCALE}))?\\s+(?<cur2>${SUFFIX_NAME})\\b`,
  `(?<words>${NUMBER_WORDS_SOURCE})\\s+(?<cur3>${SUFFIX_NAME})\\b(?:\\s*\\(\\s*(?<fig3cur>${PREFIX})?\\s?(?<fig3>${FIGURE})\\s*\\))?`,
]
  .map((s) => `(?:${s})`)
  .join("|");

function scaleFactor(raw: string | undefined): number {
  switch (raw?.toLowerCase()) {
    case "thousand":
    case "k":
      return 1e3;
    case "million":
    case "m":
    case "mm":
      return 1e6;
    case "billion":
    case "bn":
      return 1e9;
    default:
      return 1;
  }
}

function figure(raw: string): number {
  return Number(raw.replace(/,/g, ""));
}

const EXPONENT: Readonly<Record<number, number>> = { 1: 0, 1e3: 3, 1e6: 6, 1e9: 9 };

/** figure × scale read as one decimal number ("2.5" million is 2.5e6 exactly; "0.075" keeps its three decimals). */
function scaled(raw: string, scale: string | undefined): number {
  return Number(`${raw.replace(/,/g, "")}e${EXPONENT[scaleFactor(scale)] ?? 0}`);
}

/** A normalised amount. */
export interface MoneyValue {
  readonly amount: number;
  readonly currency: string;
}

export function moneyFromGroups(g: Readonly<Record<string, string | undefined>>): MoneyValue | undefined {
  if (g["cur"] !== undefined && g["fig"] !== undefined) {
    const currency = currencyCode(g["cur"]);
    return currency ? { amount: scaled(g["fig"], g["scale"]), currency } : undefined;
  }
  if (g["fig2"] !== undefined && g["cur2"] !== undefined) {
    const currency = currencyCode(g["cur2"]);
    return currency ? { amount: scaled(g["fig2"], g["scale2"]), currency } : undefined;
  }
  if (g["words"] !== undefined && g["cur3"] !== undefined) {
    const currency = currencyCode(g["cur3"]);
    const amount = g["fig3"] !== undefined ? figure(g["fig3"]) : parseNumberWords(g["words"]);
    return currency && amount !== undefined ? { amount, currency } : undefined;
  }
  return undefined;
}

const WHOLE = new RegExp(`^\\s*(?:${MONEY_SOURCE})\\s*$`, "i");

/** Parses one written amount ("$1.5 million", "Ten Thousand Dollars ($10,000)") to { amount, currency }. */
export function parseMoney(input: string): MoneyValue | undefined {
  const m = WHOLE.exec(input);
  return m?.groups ? moneyFromGroups(m.groups) : undefined;
}
