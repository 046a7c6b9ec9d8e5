// Expiry candidates counted from a start: a start date plus a year or month length of a sentence about the
// term ("shall continue for ten (10) Contract Years", "the eighth anniversary of the Commencement Date").
import { addToDate, type IsoDate } from "../../parsing/parse-date";
import { NUMBER_WORDS_SOURCE, parseNumberWords } from "../../parsing/number-words";
import { parseQuantity } from "../../parsing/parse-duration";
import type { ContractDocument } from "../../text/contract-document";
import { matchAll, type Span } from "../../text/span";
import { definedTermSpans, type DefinedTermSpan } from "../extract-defined-terms";
import type { KeyDates } from "../key-term-types";
import { isTermSentence } from "../resolve-expiration";
import { isTerminationWithoutCause } from "../termination-rights";
import { band, sentenceBag, windowFeatures, type Candidate } from "./candidate-features";
import type { DateCandidate, ModelStarts } from "./date-candidates";

// "(2)", and "(I)" where a scan read the figure one as a capital I.
const COUNT = `(?:(?<![\\d.,])\\d{1,2}|${NUMBER_WORDS_SOURCE})(?:\\s*\\(\\s*(?:\\d{1,2}|I)\\s*\\))?`;
// "ten (10) Contract Years", "twelve (12) full calendar months", "two (2) year(s)", "six-month".
const TERM_LENGTH = new RegExp(`(?<count>${COUNT})[\\s-]+(?:(?:full|complete|calendar|contract|consecutive|initial)\\s+){0,2}(?<unit>years?|months?)(?:\\s*\\(s\\))?(?![a-z])`, "gi");
// "the fifth anniversary", "the tenth (10th) anniversary", "the fifth (5t h) anniversary" (a suffix split by an
// EDGAR conversion), "the end of the fifteenth (15th) Contract Year".
const ANNIVERSARY = new RegExp(`(?<ordinal>\\d{1,2}(?:st|nd|rd|th)|${NUMBER_WORDS_SOURCE})\\s*(?:\\(\\s*\\d{1,2}\\s*(?:st|nd|rd|th|s\\s?t|n\\s?d|r\\s?d|t\\s?h)?\\s*\\)\\s*)?(?:anniversary|(?:contract|lease|agreement)\\s+year)\\b`, "gi");
// A sentence that may set how long the agreement runs.
const TERM_WORDS = /\b(?:term|continue|remain|expire|expiration|in\s+(?:full\s+)?(?:force|effect)|period|until|ending|thereafter|duration|terminate)\b/i;
const MAX_TERM_LENGTHS = 12;
const ABOUT_THE_AGREEMENT = /\b(?:this|the)\s+agreement\b/i;
// A sentence cut after its count ("shall remain in effect for Thirty-six (36)" + a page footer + "months following …"):
// read on into the next line that starts in lower case, within a few lines.
const ENDS_IN_COUNT = /(?:\(\s*\d{1,2}\s*\)|\b\d{1,2})\s*$/;
const CONTINUATION = /^[ \t]*([a-z][^\n]*)/m;
const continuation = (text: string, from: number) => CONTINUATION.exec(text.slice(from, from + 300))?.[1] ?? "";
// "at midnight on the last day of the month fifteen (15) years from the Effective Date".
const MONTH_END = /\blast\s+day\s+of\s+the\s+(?:calendar\s+)?month\b/gi;
// How far (characters) a month-end wording reaches to the length it ends.
const MONTH_END_REACH = 60;
// A start named as a date: "the Commencement Date", "the Service Ready Date" (at most four capitalised words).
const NAMED_DATE = /\b(?:[A-Z][A-Za-z-]*\s+){1,4}Date\b/g;
const MAX_NAMED_DATES = 3;

const WITNESS = /IN\s+WITNESS\s+WHEREOF/gi;
// How far (characters) after "IN WITNESS WHEREOF" its signature blocks' dates are read.
const SIGNATURE_REACH = 2000;
const MAX_SIGNATURE_BASES = 2;
// A filing's page footer ("Source: ACME CORP, 8-K, 12/3/2018") dates the filing, not a signature.
const FOOTER_LINE = /Source:/;
const lineBefore = (text: string, at: number) => text.slice(Math.max(0, text.lastIndexOf("\n", at - 1) + 1), at);
/** The latest date written in the signature blocks after each "IN WITNESS WHEREOF" (the day the last party signed). */
function lastSignatureDates(text: string, mentions: readonly DateMention[]): IsoDate[] {
  const out = new Set<IsoDate>();
  for (const w of text.matchAll(WITNESS)) {
    const latest = mentions.filter((m) => m.start > w.index && m.start < w.index + SIGNATURE_REACH && !FOOTER_LINE.test(lineBefore(text, m.start))).map((m) => m.iso).sort().at(-1);
    if (latest !== undefined) out.add(latest);
  }
  return [...out].slice(0, MAX_SIGNATURE_BASES);
}
// A term sentence ending in a colon opens a list of its ends; how far (characters) the list is read.
const LIST_OPENING = /:\s*$/;
const LIST_REACH = 600;
/** The list items after a sentence that opens one: up to the next numbered clause ("6.3 Notwithstanding"), within a few hundred characters. */
const listAfter = (text: string, from: number) => text.slice(from, from + LIST_REACH).split(/\n\s*\d+(?:\.\d+)*\.?\s+[A-Z]/)[0]!;
// "the end of the fifth Contract Year", "the end of the third calendar year", "the close of the tenth year": the
// length ends a year, not a day.
const YEAR_END_BEFORE = /\b(?:end|close|expiration|expiry)\s+of\s+(?:the\s+)?$/i;
const CALENDAR_YEAR = /\b(?:calendar|fiscal)\s+years?\b/i;
/** Whether a year length ends at the end of a year ("until the end of the fifteenth (15th) Contract Year", "five calendar years"). */
function endsAYear(region: string, length: TermLength): boolean {
  if (length.unit !== "year") return false;
  return YEAR_END_BEFORE.test(region.slice(Math.max(0, length.start - 30), length.start)) || CALENDAR_YEAR.test(region.slice(length.start, length.end));
}

export interface TermLength {
  readonly kind: "length" | "anniversary";
  readonly value: number;
  readonly unit: "year" | "month";
  readonly start: number;
  readonly end: number;
}

/** The year and month lengths a sentence states, and its anniversaries as whole years. */
export function termLengths(sentence: string): TermLength[] {
  const out: TermLength[] = [];
  for (const m of matchAll(sentence, TERM_LENGTH)) {
    const value = parseQuantity(m.groups!.count!.replace(/\(\s*I\s*\)/i, ""));
    if (value === undefined || !Number.isInteger(value) || value < 1 || value > 99) continue;
    out.push({ kind: "length", value, unit: /^y/i.test(m.groups!.unit!) ? "year" : "month", start: m.index, end: m.index + m[0].length });
  }
  for (const m of matchAll(sentence, ANNIVERSARY)) {
    const raw = m.groups!.ordinal!;
    const value = /^\d/.test(raw) ? parseInt(raw, 10) : parseNumberWords(raw);
    if (value === undefined || !Number.isInteger(value) || value < 1 || value > 99) continue;
    out.push({ kind: "anniversary", value, unit: "year", start: m.index, end: m.index + m[0].length });
  }
  return out.sort((a, b) => a.start - b.start);
}

export interface DateMention {
  readonly start: number;
  readonly end: number;
  readonly iso: IsoDate;
}


/**
 * The date a named start is given where it is defined (`definedTermSpans`, the defined-terms extractor's
 * reading: '(the "Commencement Date")', '"Commencement Date" shall mean November 16, 1998'): the date
 * nearest the term in its defining sentence. `definitions`: the contract's defined terms, when already read.
 */
export function namedDate(doc: ContractDocument, mentions: readonly DateMention[], name: string, definitions: readonly DefinedTermSpan[] = definedTermSpans(doc)): IsoDate | undefined {
  const key = comparableTerm(name);
  const at = definitions.find((d) => comparableTerm(d.term) === key);
  const sentence = at && doc.sentenceAt(at.start);
  if (!at || !sentence) return undefined;
  return mentions.filter((d) => d.start >= sentence.start && d.end <= sentence.end).sort((a, b) => Math.abs(a.start - at.start) - Math.abs(b.start - at.start))[0]?.iso;
}

const comparableTerm = (term: string) => term.replace(/\s+/g, " ").trim().toLowerCase();

/**
 * The lengths a "last day of the month" wording belongs to ("ending on the last day of the month in which
 * the tenth anniversary falls"): for each such wording, the length nearest it in the sentence, within a
 * few words. Other lengths of the same sentence ("renewal terms of one (1) year") keep their day.
 */
export function monthEndLengths(sentence: string, lengths: readonly TermLength[]): Set<TermLength> {
  const out = new Set<TermLength>();
  for (const m of matchAll(sentence, MONTH_END)) {
    const end = m.index + m[0].length;
    const gap = (l: TermLength) => (l.start >= end ? l.start - end : l.end <= m.index ? m.index - l.end : 0);
    const nearest = [...lengths].sort((a, b) => gap(a) - gap(b))[0];
    if (nearest && gap(nearest) <= MONTH_END_REACH) out.add(nearest);
  }
  return out;
}

interface Base {
  readonly iso: IsoDate;
  readonly features: readonly string[];
  readonly from: string;
}

/**
 * The expiry candidates of a contract that count from a start: the model's effective and agreement dates,
 * the rules', the first date of the text, a date written in the sentence itself, and a date the sentence
 * names ("anniversary of the Commencement Date") when its definition gives one. The agreement's own term
 * sentences are read first, then other sentences about the agreement, so a long contract's other periods
 * never crowd them out. A right to terminate without cause ("either party may terminate after three years")
 * sets no end, so its lengths are no candidates unless the sentence also sets the term.
 */
export function termLengthCandidates(doc: ContractDocument, mentions: readonly DateMention[], ruleDates: KeyDates, starts: ModelStarts, ruleFeatures: (iso: IsoDate) => string[]): Candidate<DateCandidate>[] {
  const general = [...new Set([starts.effective, starts.agreement, ruleDates.effective?.iso, ruleDates.agreement?.iso, mentions[0]?.iso].filter((x): x is IsoDate => x !== undefined))];
  if (general.length === 0) return [];
  const text = doc.text;
  const termRanks = new Map<Span, number>();
  doc.sentences.filter((s) => TERM_WORDS.test(s.quote) && isTermSentence(s.quote)).forEach((s, i) => termRanks.set(s, i));
  // A contract whose term sentences state no length or date may state its length anywhere ("a one year engagement"):
  // then every sentence's lengths come last, marked. A right to terminate without cause ("either party may terminate
  // after three years") sets no end, so its lengths are never candidates unless the sentence also sets the term.
  const anywhere = ![...termRanks.keys()].some((s) => termLengths(s.quote).length > 0 || mentions.some((m) => m.start >= s.start && m.end <= s.end));
  const sentences = doc.sentences.filter((s) => (TERM_WORDS.test(s.quote) || anywhere) && (termRanks.has(s) || !isTerminationWithoutCause(s.quote)));
  // Term sentences first, then those about this agreement ("This Agreement shall terminate on the date three (3) years from …"),
  // then the rest, then (when no term sentence states a length or date) sentences without a word about the term.
  const priority = (s: Span) => (termRanks.has(s) ? 0 : !TERM_WORDS.test(s.quote) ? 3 : ABOUT_THE_AGREEMENT.test(s.quote) ? 1 : 2);
  const ordered = [0, 1, 2, 3].flatMap((p) => sentences.filter((s) => priority(s) === p));
  const lastSigned = lastSignatureDates(text, mentions);
  const named = new Map<string, IsoDate | undefined>();
  let definitions: DefinedTermSpan[] | undefined;
  const out: Candidate<DateCandidate>[] = [];
  let added = 0;
  for (const sentence of ordered) {
    if (added >= MAX_TERM_LENGTHS) break;
    // A term sentence that ends in a colon opens a list ("shall remain in effect until the earlier of: (a) the fifth
    // anniversary …; and (b) …"): its items are read with it.
    const listed = termRanks.has(sentence) && LIST_OPENING.test(sentence.quote);
    const region = listed ? `${sentence.quote} ${listAfter(text, sentence.end)}` : ENDS_IN_COUNT.test(sentence.quote) ? `${sentence.quote} ${continuation(text, sentence.end)}` : sentence.quote;
    const lengths = termLengths(region).filter((l) => listed || l.start < sentence.quote.length);
    if (lengths.length === 0) continue;
    const bases: Base[] = general.map((iso, k) => ({ iso, features: [`base:${k === 0 ? "first" : "other"}`], from: iso === starts.effective || iso === ruleDates.effective?.iso ? "Effective Date" : iso === starts.agreement || iso === ruleDates.agreement?.iso ? "Agreement date" : iso }));
    // A date written in the sentence itself is a start too ("shall be ten (10) years, commencing on January 1, 2016").
    for (const iso of starts.runnersUp ?? []) bases.push({ iso, features: ["base:runner-up"], from: iso });
    // The last date the parties signed on ("as of the Effective Date", the later of the signature dates).
    for (const iso of lastSigned) bases.push({ iso, features: ["base:last-signature"], from: iso });
    for (const m of mentions) if (m.start >= sentence.start && m.end <= sentence.end) bases.push({ iso: m.iso, features: ["base:in-sentence"], from: m.iso });
    for (const m of region.matchAll(NAMED_DATE)) {
      const name = m[0].replace(/^(?:The|This|Such|Each|Any)\s+/, "");
      if (named.size >= MAX_NAMED_DATES && !named.has(name)) continue;
      if (!named.has(name)) named.set(name, namedDate(doc, mentions, name, (definitions ??= definedTermSpans(doc))));
      const iso = named.get(name);
      if (iso !== undefined) bases.push({ iso, features: ["base:named-date", ...(/^effective\s+date$/i.test(name) ? ["base:named-effective"] : [])], from: `the ${name}` });
    }
    const byIso = new Map<IsoDate, Base>();
    for (const b of bases) {
      const seen = byIso.get(b.iso);
      byIso.set(b.iso, seen ? { ...seen, features: [...new Set([...seen.features, ...b.features])] } : b);
    }
    const termSentence = termRanks.has(sentence);
    const kind = priority(sentence) === 3 ? ["from-any-sentence"] : [];
    const monthEnds = monthEndLengths(region, lengths);
    for (const length of lengths) {
      const monthEnd = monthEnds.has(length);
      const yearEnd = endsAYear(region, length);
      for (const base of byIso.values()) {
        const f = ["bias", "term-computed", `len:${length.kind}`, `dur:${length.unit}`, band("dur", length.value), ...base.features, ...kind, ...sentenceBag(sentence.quote), ...windowFeatures(region, length.start, length.end, 6, 6).map((w) => `d${w}`)];
        if (listed) f.push("in-list", ...(length.start >= sentence.quote.length ? ["list-item"] : []));
        if (base.iso === starts.effective) f.push("base:model-effective");
        if (base.iso === starts.agreement) f.push("base:model-agreement");
        if (base.iso === ruleDates.effective?.iso) f.push("base:rule-effective");
        if (base.iso === ruleDates.agreement?.iso) f.push("base:rule-agreement");
        if (termSentence) f.push("term-sentence", band("term-rank", termRanks.get(sentence)!));
        f.push(band("spos", sentence.start / 2000));
        const counted = addToDate(base.iso, length.value, length.unit);
        // "the last day of the month … years from": the end of the month the length ends in.
        const iso = monthEnd ? addToDate(addToDate(`${counted.slice(0, 8)}01`, 1, "month"), -1, "day") : counted;
        if (monthEnd) f.push("month-end");
        f.push(...ruleFeatures(iso));
        const note = `${base.from} + ${length.value} ${length.unit}${length.value === 1 ? "" : "s"}${monthEnd ? " (end of that month)" : ""}`;
        out.push({ value: { kind: "computed", iso, start: sentence.start, end: sentence.end, keyDate: { iso, derivation: "computed", span: sentence, note } }, features: f });
        // "until the end of the fifteenth (15th) Contract Year" where contract years are calendar years: the 31st of
        // December of the year the length ends in, beside the day itself (the ranker reads which one the sentence means).
        if (yearEnd && !monthEnd) {
          const decemberEnd = `${counted.slice(0, 4)}-12-31` as IsoDate;
          if (decemberEnd !== iso) out.push({ value: { kind: "computed", iso: decemberEnd, start: sentence.start, end: sentence.end, keyDate: { iso: decemberEnd, derivation: "computed", span: sentence, note: `${note} (end of that year)` } }, features: [...f.filter((x) => !x.startsWith("same:")), "year-end", ...ruleFeatures(decemberEnd)] });
        }
      }
      if (++added >= MAX_TERM_LENGTHS) break;
    }
  }
  return out;
}
