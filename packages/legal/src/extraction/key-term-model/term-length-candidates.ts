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
  const sentences = doc.sentences.filter((s) => TERM_WORDS.test(s.quote) && (termRanks.has(s) || !isTerminationWithoutCause(s.quote)));
  // Term sentences first, then those about this agreement ("This Agreement shall terminate on the date three (3) years from …"), then the rest.
  const priority = (s: Span) => (termRanks.has(s) ? 0 : ABOUT_THE_AGREEMENT.test(s.quote) ? 1 : 2);
  const ordered = [0, 1, 2].flatMap((p) => sentences.filter((s) => priority(s) === p));
  const named = new Map<string, IsoDate | undefined>();
  let definitions: DefinedTermSpan[] | undefined;
  const out: Candidate<DateCandidate>[] = [];
  let added = 0;
  for (const sentence of ordered) {
    if (added >= MAX_TERM_LENGTHS) break;
    const region = ENDS_IN_COUNT.test(sentence.quote) ? `${sentence.quote} ${continuation(text, sentence.end)}` : sentence.quote;
    const lengths = termLengths(region).filter((l) => l.start < sentence.quote.length);
    if (lengths.length === 0) continue;
    const bases: Base[] = general.map((iso, k) => ({ iso, features: [`base:${k === 0 ? "first" : "other"}`], from: iso === starts.effective || iso === ruleDates.effective?.iso ? "Effective Date" : iso === starts.agreement || iso === ruleDates.agreement?.iso ? "Agreement date" : iso }));
    // A date written in the sentence itself is a start too ("shall be ten (10) years, commencing on January 1, 2016").
    for (const iso of starts.runnersUp ?? []) bases.push({ iso, features: ["base:runner-up"], from: iso });
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
    const monthEnds = monthEndLengths(region, lengths);
    for (const length of lengths) {
      const monthEnd = monthEnds.has(length);
      for (const base of byIso.values()) {
        const f = ["bias", "term-computed", `len:${length.kind}`, `dur:${length.unit}`, band("dur", length.value), ...base.features, ...sentenceBag(sentence.quote), ...windowFeatures(region, length.start, length.end, 6, 6).map((w) => `d${w}`)];
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
      }
      if (++added >= MAX_TERM_LENGTHS) break;
    }
  }
  return out;
}
