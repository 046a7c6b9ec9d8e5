import { NUMBER_WORDS_SOURCE, parseNumberWords } from "./number-words";

const MONTHS = ["january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november", "december"];
const MONTH_SOURCE = "(?:Jan(?:uary|\\.)?|Feb(?:ruary|\\.)?|Mar(?:ch|\\.)?|Apr(?:il|\\.)?|May|June?|July?|Aug(?:ust|\\.)?|Sept?(?:ember|\\.)?|Oct(?:ober|\\.)?|Nov(?:ember|\\.)?|Dec(?:ember|\\.)?)";
// "17t h", "1s t", "2n d", "3r d": how some EDGAR conversions break an ordinal suffix.
const SUFFIX_SOURCE = "(?:st|nd|rd|th|s\\s?t|n\\s?d|r\\s?d|t\\s?h)";
const DAY_SOURCE = `(?:\\d{1,2}\\s?${SUFFIX_SOURCE}?|${NUMBER_WORDS_SOURCE})`;

// What may come before a dotted date with a two-digit year: "dated 1.4.10", "Date: 1.4.10", "as of 1.4.10", "on 1.4.10".
const DOTTED_DATE_CUE = "(?<=\\b(?:dated|date\\s*:|as\\s+of|on)\\s{1,3}\\d{1,2}\\.\\d{1,2}\\.)";

/**
 * Dates as contracts write them. Groups are named so one pattern serves extraction and parsing:
 * "November 9, 2005", "Nov. 9th 2005", "9 November 2005", "the 5th day of December, 2007",
 * "this first day of June 2004", "2005-11-09", "11/9/2005", "11/09/05", "3-14-18" (slashes and dashes: month first,
 * as US contracts write them; "13/03/2021" day first, when the first number cannot be a month, with dashes only before a
 * four-digit year), and "1.4.2011", "31.12.2020" (dots: day first, as Europe writes them; "04.18.2018" month first, when
 * the second number cannot be a month). Dotted numbers with a two-digit year ("1.4.10", "14.2.15") number clauses and
 * are dates only after a date cue ("dated 1.4.10", "Date: 1.4.10", "as of", "on").
 */
export const DATE_SOURCE = [
  `(?:(?:the|this)\\s+)?(?<dDay>${DAY_SOURCE})\\s+day\\s+of\\s+(?<dMonth>${MONTH_SOURCE})\\s*,?\\s*(?:in\\s+the\\s+year\\s+)?(?<dYear>\\d{4})`,
  // "March 18. 2021": a full stop for the comma, as scanned text has it.
  `(?<aMonth>${MONTH_SOURCE})\\s+(?<aDay>\\d{1,2})\\s?${SUFFIX_SOURCE}?\\s*[,.]?\\s*(?<aYear>\\d{4})`,
  `(?<bDay>\\d{1,2})\\s?${SUFFIX_SOURCE}?\\s+(?:of\\s+)?(?<bMonth>${MONTH_SOURCE})\\s*,?\\s*(?<bYear>\\d{4})`,
  `(?<iYear>\\d{4})-(?<iMonth>\\d{2})-(?<iDay>\\d{2})`,
  // Bounded: never starts or ends inside a longer number ("2013/03/21", "Invoice No. 4417/10/2020", "Reg. 123-10-2020").
  `(?<![\\d./-])(?<nMonth>\\d{1,2})(?<nSep>[/-])(?<nDay>\\d{1,2})[/-](?<nYear>\\d{4}|\\d{2})(?!\\d)`,
  // Dots: a two-digit year only after a date cue, else the numbers are a clause's ("4.7.21 Notices …").
  `(?<![\\d./-])(?<eDay>\\d{1,2})\\.(?<eMonth>\\d{1,2})\\.(?<eYear>\\d{4}|${DOTTED_DATE_CUE}\\d{2})(?!\\.?\\d)`,
]
  .map((s) => `(?:${s})`)
  .join("|");

/** A date in ISO form (YYYY-MM-DD). */
export type IsoDate = string;

function monthIndex(name: string): number | undefined {
  const key = name.toLowerCase().replace(/\.$/, "").slice(0, 3);
  const i = MONTHS.findIndex((m) => m.startsWith(key));
  return i < 0 ? undefined : i + 1;
}

function dayNumber(raw: string): number | undefined {
  const digits = /^(\d{1,2})/.exec(raw.trim());
  return digits ? Number(digits[1]) : parseNumberWords(raw);
}

/** Builds an ISO date, or undefined when the day does not exist in that month. */
export function isoDate(year: number, month: number, day: number): IsoDate | undefined {
  if (!Number.isInteger(year) || !Number.isInteger(month) || !Number.isInteger(day)) return undefined;
  if (month < 1 || month > 12 || day < 1 || year < 1000 || year > 9999) return undefined;
  const probe = new Date(Date.UTC(year, month - 1, day));
  if (probe.getUTCMonth() !== month - 1 || probe.getUTCDate() !== day) return undefined;
  return `${String(year).padStart(4, "0")}-${String(month).padStart(2, "0")}-${String(day).padStart(2, "0")}`;
}

function fullYear(raw: string): number {
  const y = Number(raw);
  if (raw.length === 4) return y;
  return y < 50 ? 2000 + y : 1900 + y;
}

/** Normalises the groups of a DATE_SOURCE match to ISO; undefined if the date is impossible. */
export function isoFromMatch(groups: Readonly<Record<string, string | undefined>>): IsoDate | undefined {
  for (const p of ["d", "a", "b", "i", "n", "e"]) {
    const year = groups[`${p}Year`];
    const month = groups[`${p}Month`];
    const day = groups[`${p}Day`];
    if (year === undefined || month === undefined || day === undefined) continue;
    let m = /^\d+$/.test(month) ? Number(month) : monthIndex(month);
    let d = dayNumber(day);
    if (m === undefined || d === undefined) return undefined;
    // Slashes and dashes are month first unless the first number cannot be a month ("13/03/2021"; with dashes only
    // before a four-digit year); dots are day first unless the second cannot be a month ("04.18.2018").
    if (p === "n" && m > 12 && d <= 12 && (groups.nSep === "/" || year.length === 4)) [m, d] = [d, m];
    if (p === "e" && m > 12 && d <= 12) [m, d] = [d, m];
    return isoDate(fullYear(year), m, d);
  }
  return undefined;
}

const WHOLE_DATE = new RegExp(`^\\s*(?:${DATE_SOURCE})\\s*$`, "i");

/** Parses one written date ("the 5th day of December, 2007", "Nov. 9, 2005", "9/11/05" as US m/d/y, "31/01/2025" day first) to ISO. */
export function parseDate(input: string): IsoDate | undefined {
  const m = WHOLE_DATE.exec(input);
  return m?.groups ? isoFromMatch(m.groups) : undefined;
}

/** Adds a duration to an ISO date (calendar arithmetic; month ends clamp: Jan 31 + 1 month = Feb 28/29). */
export function addToDate(date: IsoDate, amount: number, unit: "day" | "week" | "month" | "year"): IsoDate {
  const [y, m, d] = date.split("-").map(Number) as [number, number, number];
  if (unit === "day" || unit === "week") {
    const t = new Date(Date.UTC(y, m - 1, d + amount * (unit === "week" ? 7 : 1)));
    return t.toISOString().slice(0, 10);
  }
  const months = unit === "year" ? amount * 12 : amount;
  const total = y * 12 + (m - 1) + months;
  const ny = Math.floor(total / 12);
  const nm = (total % 12) + 1;
  const last = new Date(Date.UTC(ny, nm, 0)).getUTCDate();
  return isoDate(ny, nm, Math.min(d, last)) ?? date;
}
