import { NUMBER_WORDS_SOURCE, parseNumberWords } from "./number-words";

const MONTHS = ["january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november", "december"];
const MONTH_SOURCE = "(?:Jan(?:uary|\\.)?|Feb(?:ruary|\\.)?|Mar(?:ch|\\.)?|Apr(?:il|\\.)?|May|June?|July?|Aug(?:ust|\\.)?|Sept?(?:ember|\\.)?|Oct(?:ober|\\.)?|Nov(?:ember|\\.)?|Dec(?:ember|\\.)?)";
// "17t h", "1s t", "2n d", "3r d": how some EDGAR conversions break an ordinal suffix.
const SUFFIX_SOURCE = "(?:st|nd|rd|th|s\\s?t|n\\s?d|r\\s?d|t\\s?h)";
const DAY_SOURCE = `(?:\\d{1,2}\\s?${SUFFIX_SOURCE}?|${NUMBER_WORDS_SOURCE})`;

// What may come before a dotted date with a two-digit year, on the same line: "dated 1.4.10", "Dated: 12.31.21",
// "Date:1.4.10" (after a colon the next lines too: a signature block's "Date:\n\n4.7.98"), "as of 1.4.10", and "on" only after a verb that dates ("made on", "entered into on", "effective on",
// "commencing on", "expires on", "terminates on", "signed on", "executed on"): "based on 4.2.10" cites a clause.
const DATING_VERB = "(?:made|entered\\s+into|signed|executed|effective|commenc\\w*|expir\\w*|terminat\\w*)";
const DOTTED_DATE_CUE = `(?<=\\b(?:dated?[ \\t]*:\\s{0,4}|dated?[ \\t]{1,3}|as\\s+of[ \\t]{1,3}|${DATING_VERB}\\s+on[ \\t]{1,3})\\d{1,2}\\.\\d{1,2}\\.)`;

/**
 * Dates as contracts write them. Groups are named so one pattern serves extraction and parsing:
 * "November 9, 2005", "Nov. 9th 2005", "9 November 2005", "the 5th day of December, 2007",
 * "this first day of June 2004", "2005-11-09", and all-number dates: "11/9/2005", "11/09/05", "3-14-18", "1.4.2011"
 * (dashes only before a four-digit year when the first number is above 12). Which of the two numbers is the month is
 * the document's (`dateOrders`): a date that can be read one way only ("13/03/2021", "31.12.2020" day first;
 * "04.18.2018" month first) is read that way and fixes the order of the document's other dates with the same
 * separator (with none of that separator, of the whole document); with none, or as many each way, they are month
 * first, as US contracts write them. Dotted numbers with a
 * two-digit year ("1.4.10", "14.2.15") number clauses and are dates only after a date cue on the same line ("dated
 * 1.4.10", "Date: 1.4.10", "as of", "made on", "effective on", …; not "based on 4.2.10").
 */
export const DATE_SOURCE = [
  `(?:(?:the|this)\\s+)?(?<dDay>${DAY_SOURCE})\\s+day\\s+of\\s+(?<dMonth>${MONTH_SOURCE})\\s*,?\\s*(?:in\\s+the\\s+year\\s+)?(?<dYear>\\d{4})`,
  // "March 18. 2021": a full stop for the comma, as scanned text has it.
  `(?<aMonth>${MONTH_SOURCE})\\s+(?<aDay>\\d{1,2})\\s?${SUFFIX_SOURCE}?\\s*[,.]?\\s*(?<aYear>\\d{4})`,
  `(?<bDay>\\d{1,2})\\s?${SUFFIX_SOURCE}?\\s+(?:of\\s+)?(?<bMonth>${MONTH_SOURCE})\\s*,?\\s*(?<bYear>\\d{4})`,
  `(?<iYear>\\d{4})-(?<iMonth>\\d{2})-(?<iDay>\\d{2})`,
  // Bounded: never starts or ends inside a longer number ("2013/03/21", "Invoice No. 4417/10/2020", "Reg. 123-10-2020").
  `(?<![\\d./-])(?<nFirst>\\d{1,2})(?<nSep>[/-])(?<nSecond>\\d{1,2})[/-](?<nYear>\\d{4}|\\d{2})(?!\\d)`,
  // Dots: a two-digit year only after a date cue, else the numbers are a clause's ("4.7.21 Notices …").
  `(?<![\\d./-])(?<eFirst>\\d{1,2})\\.(?<eSecond>\\d{1,2})\\.(?<eYear>\\d{4}|${DOTTED_DATE_CUE}\\d{2})(?!\\.?\\d)`,
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

/** Which number an all-number date's month is, per separator ("/", "-", "."); absent: month first. */
export type DateOrders = Readonly<Partial<Record<string, "month-first" | "day-first">>>;

type Groups = Readonly<Record<string, string | undefined>>;

/** An all-number date's two leading numbers and separator, or undefined for a date with a month name or ISO. */
function numberDate(groups: Groups): { first: number; second: number; sep: string; year: string } | undefined {
  for (const p of ["n", "e"]) {
    const first = groups[`${p}First`];
    const second = groups[`${p}Second`];
    const year = groups[`${p}Year`];
    if (first !== undefined && second !== undefined && year !== undefined) return { first: Number(first), second: Number(second), sep: groups.nSep ?? ".", year };
  }
  return undefined;
}

/** The one order an all-number date can be read in ("13/03/2021": day first; "04.18.2018": month first), if only one. */
function forcedOrder(n: { first: number; second: number; sep: string; year: string }): "month-first" | "day-first" | undefined {
  // "13-03-21" is no date: dashes are day first only before a four-digit year.
  if (n.first > 12 && n.second <= 12 && (n.sep !== "-" || n.year.length === 4)) return "day-first";
  if (n.second > 12 && n.first <= 12) return "month-first";
  return undefined;
}

/** An all-number date read in `order`, or undefined when that reading is impossible. */
function readNumberDate(n: { first: number; second: number; year: string }, order: "month-first" | "day-first"): IsoDate | undefined {
  return order === "day-first" ? isoDate(fullYear(n.year), n.second, n.first) : isoDate(fullYear(n.year), n.first, n.second);
}

const SEPARATORS = ["/", "-", "."] as const;

/**
 * The order of a document's all-number dates, per separator: the way its unambiguous ones are written (the majority,
 * if both), each distinct valid written date counted once (a filing stamp repeated on every page is one date;
 * "13/03/2021" and "03/13/2021" are two, one each way; "45.01.2020" none). A separator with no such date of its own,
 * or a tie, follows the whole document's majority; with none there either it is left out (month first).
 */
export function dateOrders(matches: Iterable<Groups>): DateOrders {
  const votes = new Map<string, number>();
  const seen = new Set<string>();
  let whole = 0;
  for (const groups of matches) {
    const n = numberDate(groups);
    const order = n && forcedOrder(n);
    const iso = n && order && readNumberDate(n, order);
    if (!n || !iso) continue;
    const vote = order === "day-first" ? 1 : -1;
    // Keyed by the written form, not the date: "13/03/2021" and "03/13/2021" are one date written both ways.
    const written = `${n.first} ${n.second} ${fullYear(n.year)}`;
    if (!seen.has(written)) whole += vote;
    if (!seen.has(`${n.sep}${written}`)) votes.set(n.sep, (votes.get(n.sep) ?? 0) + vote);
    seen.add(written).add(`${n.sep}${written}`);
  }
  const out: Record<string, "month-first" | "day-first"> = {};
  for (const sep of SEPARATORS) {
    const v = votes.get(sep) || whole;
    if (v !== 0) out[sep] = v > 0 ? "day-first" : "month-first";
  }
  return out;
}

/** Normalises the groups of a DATE_SOURCE match to ISO, all-number dates in the document's `orders`; undefined if the date is impossible. */
export function isoFromMatch(groups: Groups, orders: DateOrders = {}): IsoDate | undefined {
  const n = numberDate(groups);
  if (n) {
    // A first number above 12 that may not be a day ("20-1-10") is no date, whatever the document's order.
    return readNumberDate(n, forcedOrder(n) ?? (n.first > 12 ? "month-first" : (orders[n.sep] ?? "month-first")));
  }
  for (const p of ["d", "a", "b", "i"]) {
    const year = groups[`${p}Year`];
    const month = groups[`${p}Month`];
    const day = groups[`${p}Day`];
    if (year === undefined || month === undefined || day === undefined) continue;
    const m = /^\d+$/.test(month) ? Number(month) : monthIndex(month);
    const d = dayNumber(day);
    if (m === undefined || d === undefined) return undefined;
    return isoDate(fullYear(year), m, d);
  }
  return undefined;
}

/** A date written in a text: where it is and its ISO value. */
export interface DateMention {
  readonly start: number;
  readonly end: number;
  readonly iso: IsoDate;
}

const DATE = new RegExp(DATE_SOURCE, "gi");

/** Every date written in a document, all-number dates read in the document's order (`dateOrders`). */
export function datesIn(text: string): DateMention[] {
  const matches = [...text.matchAll(DATE)];
  const orders = dateOrders(matches.map((m) => m.groups ?? {}));
  const out: DateMention[] = [];
  for (const m of matches) {
    const iso = m.groups ? isoFromMatch(m.groups, orders) : undefined;
    if (iso !== undefined) out.push({ start: m.index, end: m.index + m[0].length, iso });
  }
  return out;
}

const WHOLE_DATE = new RegExp(`^\\s*(?:${DATE_SOURCE})\\s*$`, "i");

/** Parses one written date ("the 5th day of December, 2007", "Nov. 9, 2005", "9/11/05" as US m/d/y, "31/01/2025" day first; a lone all-number date that could be either is month first) to ISO. */
export function parseDate(input: string): IsoDate | undefined {
  const m = WHOLE_DATE.exec(input);
  return m?.groups ? isoFromMatch(m.groups, dateOrders([m.groups])) : undefined;
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
