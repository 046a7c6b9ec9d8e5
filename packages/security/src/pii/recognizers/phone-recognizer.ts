import { findPhoneNumbersInText, isSupportedCountry, parsePhoneNumberFromString, type CountryCode } from "libphonenumber-js/max";
import { SecurityConfigError } from "../../errors";
import { contextMatcher, enhance, hasContext } from "../context";
import { charClasses, LETTER, MARK } from "../char-classes";
import { textRuns, type TextRuns } from "../text-runs";
import { matchesAt } from "../triggered-matches";
import { NanpValidity } from "./nanp-validity";
import { NationalLengths } from "./national-lengths";
import type { PiiFinding, Recognizer } from "../pii-types";

const PHONE_CONTEXT = contextMatcher([
  "phone", "telephone", "tel", "cell", "mobile", "fax", "call", "contact", "number", "reach", "dial", "whatsapp", "text me",
  "desk", "registered", "answering",
]);
/** Words that, right before a digit group, say it is a phone number ("Mobile: 99 577450", "call me on 450 0840"). */
const STRONG_CONTEXT = /(?:\b(?:phone|telephone|tel|cell|mobile|fax|desk|call (?:me |us )?(?:on|at)|reach (?:me |us )?(?:on|at)|text me (?:on|at)|answering at|registered(?: (?:phone|mobile|number))?|whatsapp|dial)\b)[\s.:#-]*(?:(?:no|number|nr)\.?[\s:]*)?$/i;
/** A short national number written in groups: "450 0840", "99 668472", "0961-7596216". */
const SHORT_CANDIDATE = /(?<![\w.+/-])\(?\d{2,5}\)?[\s.-]\d{2,8}(?:[\s.-]\d{2,6}){0,2}(?![\w/-]|\.\d)/g;

/** Phone-like runs that libphonenumber's in-text finder (one default country) may miss. */
const CANDIDATE =
  /(?<![\w.+/-])(?:\+\d{1,3}[\s.-]?)?(?:\(0?\d{1,4}\)[\s.-]?)?\d{1,5}(?:[\s.-]\d{1,5}){0,5}(?:\s?(?:x|ext\.?)\s?\d{1,5})?(?![\w/-]|\.\d)/g;

/**
 * Where a phone pattern can start, from the text's digit runs: at a "+" or "(" right before a run, and at a run of
 * `min` to `max` digits. A pattern opening with `(?<![\w…])` then "+", "(" or at most `max` digits before a separator
 * or its end (CANDIDATE: 1 to 5, SHORT_CANDIDATE: 2 to 5) starts at one of them.
 */
function phoneStarts(text: string, min: number, max: number): number[] {
  const d = textRuns(text).digits;
  const out: number[] = [];
  for (let k = 0; k < d.count; k++) {
    const start = d.starts[k] as number;
    const length = (d.ends[k] as number) - start;
    const before = text.charCodeAt(start - 1);
    if (before === 43 || before === 40) out.push(start - 1);
    if (length >= min && length <= max) out.push(start);
  }
  return out;
}
const candidateStarts = (text: string): number[] => phoneStarts(text, 1, 5);
const shortCandidateStarts = (text: string): number[] => phoneStarts(text, 2, 5);
/** The phone patterns tried only at their starts (for the property test: same matches as a global search). */
export const ANCHORED_PHONE_PATTERNS: readonly (readonly [string, RegExp, (text: string) => Iterable<number>])[] = [
  ["CANDIDATE", CANDIDATE, candidateStarts],
  ["SHORT_CANDIDATE", SHORT_CANDIDATE, shortCandidateStarts],
];

/**
 * Characters libphonenumber's finder allows between the digit blocks of one number (its VALID_PUNCTUATION: dashes,
 * slashes, dots, spaces, brackets, tildes). No line break: a number it finds never crosses one.
 */
const FINDER_PUNCTUATION = new Set(
  "-\u2010\u2011\u2012\u2013\u2014\u2015\u2212\u30FC\uFF0D\uFF0F/\uFF0E. \u00A0\u00AD\u200B\u2060\u3000()\uFF08\uFF09\uFF3B\uFF3D[]~\u2053\u223C\uFF5E",
);
const NON_ASCII_DIGIT = /\p{Nd}/u;
/** Fewest digits of a number libphonenumber calls valid (Austria: +43 and four national digits). */
const MIN_VALID_DIGITS = 6;

const LETTER_OR_MARK = /[\p{L}\p{M}]/u;
const isDigitAt = (text: string, i: number): boolean => {
  const c = text.charCodeAt(i);
  return (c >= 48 && c <= 57) || (c > 127 && NON_ASCII_DIGIT.test(text[i] ?? ""));
};

/**
 * The longest block of digits in [from, to) joined by up to 4 of the finder's punctuation characters (a valid number
 * has at least MIN_VALID_DIGITS of them), and the count of ASCII digits.
 */
function digitRun(text: string, from: number, to: number): { digits: number; run: number } {
  let digits = 0;
  let run = 0;
  let current = 0;
  let gap = 0;
  for (let i = from; i < to; i++) {
    const c = text.charCodeAt(i);
    if (c >= 48 && c <= 57) {
      digits++;
      current = gap <= 4 ? current + 1 : 1;
      gap = 0;
    } else if (c > 127 && NON_ASCII_DIGIT.test(text[i] ?? "")) {
      current = gap <= 4 ? current + 1 : 1;
      gap = 0;
    } else if (current > 0 && FINDER_PUNCTUATION.has(text[i] ?? "")) {
      gap++;
      continue;
    } else {
      if (current > run) run = current;
      current = 0;
      gap = 0;
      continue;
    }
    if (current > run) run = current;
  }
  return { digits, run };
}

/**
 * Where the finder's candidates of one line can be looked for apart: the line cut inside every stretch between two
 * digits that `cuts` (by default one holding two words: runs of letters and marks with something else between them).
 * A candidate joins its digit blocks with at most 4 punctuation characters, or with one extension label ("ext.", "x",
 * "anexo"), so none spans such a stretch; each piece keeps the whole stretches on both sides, so the finder sees the
 * same characters around every candidate (it reads one before and three after) and its left-to-right search meets
 * the same ones.
 */
function linePieces(text: string, start: number, end: number, cuts: (words: number, from: number, to: number) => boolean = (words) => words >= 2): [number, number][] {
  const out: [number, number][] = [];
  let pieceStart = start;
  let lastDigit = -1; // end of the last digit seen
  let gapStart = -1; // where the stretch after the last digit starts
  let words = 0; // letter runs in the current stretch
  let inWord = false;
  for (let i = start; i < end; i++) {
    if (isDigitAt(text, i)) {
      if (lastDigit >= 0 && words >= 1 && cuts(words, gapStart, i)) {
        out.push([pieceStart, i]); // the piece ends right before this digit, with the whole stretch
        pieceStart = gapStart;
      }
      lastDigit = i + 1;
      gapStart = i + 1;
      words = 0;
      inWord = false;
      continue;
    }
    if (lastDigit < 0) continue;
    const c = text.charCodeAt(i);
    const letter = c < 128 ? ((c | 32) >= 97 && (c | 32) <= 122) : LETTER_OR_MARK.test(text[i] ?? "");
    if (letter && !inWord) words++;
    inWord = letter;
  }
  out.push([pieceStart, end]);
  return out;
}

/**
 * A word that may be (part of) one of the finder's extension labels ("ext", "extensión", "extn", "anexo", "доб", "x",
 * "int", full-width forms, any case): made only of their letters. A candidate holds at most one such label, before
 * its extension digits; any other word ends it.
 */
const MAYBE_EXTENSION_LABEL = /^(?:[eExXtTnNsSiIoOóÓaAдДоОбБｅＥｘＸｔＴｎＮｉＩ]|\u0301)+$/u;
const WORD = /[\p{L}\p{M}]+/u;

/**
 * The pieces of a window (digitWindows) the finder can be asked about apart: cut also at a stretch holding one word
 * that is no extension label ("2 424 911 23-Mar-16 EP 10770074.2": "EP", "Mar" end every candidate), as linePieces
 * cuts at two words, and holding a block of at least 6 joined digits. On a table of patent numbers the finder then
 * reads short pieces, most of which cannot hold a valid number (mayHoldNanpNumber), instead of the whole line.
 */
export function finderPieces(window: { readonly offset: number; readonly text: string }): { readonly offset: number; readonly text: string }[] {
  const t = window.text;
  const pieces = linePieces(t, 0, t.length, finderCuts(t));
  if (pieces.length === 1) return [window];
  return pieces.filter(([from, to]) => digitRun(t, from, to).run >= MIN_VALID_DIGITS).map(([from, to]) => ({ offset: window.offset + from, text: t.slice(from, to) }));
}

/** finderPieces' cut of `text`: a stretch of two words, or of one word that cannot be an extension label. */
const finderCuts =
  (text: string) =>
  (words: number, from: number, to: number): boolean =>
    words >= 2 || !MAYBE_EXTENSION_LABEL.test(WORD.exec(text.slice(from, to))?.[0] ?? "");

/**
 * The parts of a text that can hold a number libphonenumber would accept, each with its offset: in a line holding
 * at least 7 ASCII digits (or whose neighbour brings the pair to 7), the pieces (see linePieces) holding a block of
 * at least 6 digits joined only by the finder's punctuation (a valid number has 6 digits or more, and the finder
 * never joins blocks across other characters or lines). Its in-text finder is slow (well under 1 MB/s), and most of
 * a contract has no such piece: amounts ("$1,000,000"), dates and section numbers are not joined that way.
 */
export function digitWindows(text: string): { readonly offset: number; readonly text: string }[] {
  return windowsCut(text);
}

/**
 * `digitWindows(text).flatMap(finderPieces)` in one reading of each line: its lines cut at once where finderPieces
 * cuts (finderCuts holds every cut of linePieces' own, two words, so a window's pieces are the line's pieces between
 * the window's ends; and a piece holds no longer joined block than the window around it, so the one test of 6 joined
 * digits drops what the two dropped).
 */
export function finderWindows(text: string): { readonly offset: number; readonly text: string }[] {
  return windowsCut(text, finderCuts(text));
}

/** digitWindows with the lines cut by `cuts` (see linePieces). */
function windowsCut(text: string, cuts?: (words: number, from: number, to: number) => boolean): { readonly offset: number; readonly text: string }[] {
  const runs = textRuns(text);
  const lines = runs.otherNumbers ? linesByScan(text) : linesWithDigits(text, runs.digits);
  const out: { offset: number; text: string }[] = [];
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] as DigitLine;
    if (line.run < MIN_VALID_DIGITS) continue;
    const here = line.digits;
    const next = lines[i + 1]?.number === line.number + 1 ? (lines[i + 1] as DigitLine).digits : 0;
    const prev = lines[i - 1]?.number === line.number - 1 ? (lines[i - 1] as DigitLine).digits : 0;
    if (here + next < 7 && here + prev < 7) continue;
    if (line.firstRun === undefined) {
      for (const [from, to] of linePieces(text, line.start, line.end, cuts)) {
        if (digitRun(text, from, to).run >= MIN_VALID_DIGITS) out.push({ offset: from, text: text.slice(from, to) });
      }
    } else runPieces(text, runs.digits, line, cuts ?? ((words) => words >= 2), out);
  }
  return out;
}

/**
 * linePieces and the digitRun test of each piece, read from the line's digit runs (a text whose digits are all
 * ASCII): a stretch between two runs is read only up to its second word (a cut needs two words, or one that
 * `cuts` judges), and a piece's longest joined block is the sum of its runs joined by punctuation alone. Most of a
 * contract's line is prose between a few numbers, which linePieces read character by character.
 */
function runPieces(text: string, d: TextRuns["digits"], line: DigitLine, cuts: (words: number, from: number, to: number) => boolean, out: { offset: number; text: string }[]): void {
  const first = line.firstRun as number;
  const last = line.lastRun as number;
  let pieceStart = line.start;
  let run = (d.ends[first] as number) - (d.starts[first] as number); // the piece's longest joined block so far
  let current = run;
  for (let k = first + 1; k <= last; k++) {
    const from = d.ends[k - 1] as number;
    const to = d.starts[k] as number;
    const length = (d.ends[k] as number) - to;
    const words = wordsUpToTwo(text, from, to);
    if (words >= 1 && cuts(words, from, to)) {
      if (run >= MIN_VALID_DIGITS) out.push({ offset: pieceStart, text: text.slice(pieceStart, to) });
      pieceStart = from;
      run = current = length;
      continue;
    }
    current = words === 0 && joinedByPunctuation(text, from, to) ? current + length : length;
    if (current > run) run = current;
  }
  if (run >= MIN_VALID_DIGITS) out.push({ offset: pieceStart, text: text.slice(pieceStart, line.end) });
}

/** The words (runs of letters and marks, as linePieces counts them) of text[from, to), counted up to two. */
function wordsUpToTwo(text: string, from: number, to: number): number {
  const cls = charClasses();
  let words = 0;
  let inWord = false;
  for (let i = from; i < to; i++) {
    const c = text.charCodeAt(i);
    const letter = c < 128 ? (c | 32) >= 97 && (c | 32) <= 122 : ((cls[c] as number) & (LETTER | MARK)) !== 0;
    if (letter && !inWord && ++words === 2) return 2;
    inWord = letter;
  }
  return words;
}

/** A line [start, end) of a text, its number (from 0), its ASCII digits and its longest joined block (digitRun). */
interface DigitLine {
  readonly number: number;
  readonly start: number;
  readonly end: number;
  readonly digits: number;
  readonly run: number;
  /** The line's first and last digit runs (textRuns), when read from them (linesWithDigits). */
  readonly firstRun?: number;
  readonly lastRun?: number;
}

/** Every line, each read character by character (the text holds digits outside ASCII). */
function linesByScan(text: string): DigitLine[] {
  const lines: DigitLine[] = [];
  let start = 0;
  while (start <= text.length) {
    const nl = text.indexOf("\n", start);
    const end = nl < 0 ? text.length : nl;
    lines.push({ number: lines.length, start, end, ...digitRun(text, start, end) });
    if (nl < 0) break;
    start = nl + 1;
  }
  return lines;
}

/**
 * The lines holding ASCII digits, read from the text's digit runs (a text without other digits): two runs on one
 * line are joined, as digitRun joins them, when only four or fewer of the finder's punctuation characters stand between.
 */
function linesWithDigits(text: string, d: TextRuns["digits"]): DigitLine[] {
  const lines: DigitLine[] = [];
  let number = 0;
  let lineEnd = -1; // end of the current line (before its break), once a run on it is seen
  let line: { number: number; start: number; end: number; digits: number; run: number; firstRun: number; lastRun: number } | undefined;
  let current = 0;
  let prevEnd = 0;
  for (let k = 0; k < d.count; k++) {
    const start = d.starts[k] as number;
    const end = d.ends[k] as number;
    if (start > lineEnd) {
      // a new line: count the breaks since the last run's line
      if (line) lines.push(line);
      for (let nl = text.indexOf("\n", lineEnd < 0 ? 0 : lineEnd); nl >= 0 && nl < start; nl = text.indexOf("\n", nl + 1)) number++;
      const nl = text.indexOf("\n", end);
      lineEnd = nl < 0 ? text.length : nl;
      line = { number, start: text.lastIndexOf("\n", start - 1) + 1, end: lineEnd, digits: 0, run: 0, firstRun: k, lastRun: k };
      current = 0;
    } else if (!joinedByPunctuation(text, prevEnd, start)) current = 0;
    current += end - start;
    const l = line as DigitLine & { digits: number; run: number; lastRun: number };
    l.lastRun = k;
    l.digits += end - start;
    if (current > l.run) l.run = current;
    prevEnd = end;
  }
  if (line) lines.push(line);
  return lines;
}

/** True when text[from, to) is one to four of the finder's punctuation characters. */
function joinedByPunctuation(text: string, from: number, to: number): boolean {
  if (to - from > 4) return false;
  for (let i = from; i < to; i++) if (!FINDER_PUNCTUATION.has(text[i] ?? "")) return false;
  return true;
}

/**
 * Digits of a North American number (NANP, calling code 1): every valid one has ten, after any "1" or "+1", but
 * Canada's seven-digit universal access numbers ("310" and four digits, libphonenumber's metadata).
 */
const NANP_DIGITS = 10;
const SHORT_NANP_HEADS = ["310"];
/** The IDD prefix "011" and the SHORT_NANP_HEADS, as numbers: three digits each. */
const FINDER_TRIPLES: ReadonlySet<number> = new Set(["011", ...SHORT_NANP_HEADS].map(Number));

/**
 * True when the ASCII digits of `window`, read without what stands between them, hold "011" or a short NANP head
 * (as `window.replace(/[^0-9]/g, "")` would, without building that string: the last three digits read are kept as one
 * number, which names them uniquely).
 */
export function holdsFinderTriple(window: string): boolean {
  let last3 = 0;
  let seen = 0;
  for (let i = 0; i < window.length; i++) {
    const c = window.charCodeAt(i);
    if (c < 48 || c > 57) continue;
    last3 = (last3 * 10 + (c - 48)) % 1000;
    if (++seen >= 3 && FINDER_TRIPLES.has(last3)) return true;
  }
  return false;
}
const PLUS_OR_OTHER_DIGIT = /[+\uFF0B]|(?![0-9])\p{Nd}/u;

/**
 * The blocks of ASCII digits of `window`, grouped as the finder joins them (at most four of its punctuation characters
 * between two blocks, as digitRun joins them): a number the finder reads takes its digits from whole blocks of one
 * group, in order (its candidate starts and ends at a block's edge, and it splits a candidate only at punctuation),
 * but after an extension that ends inside a block (EXTENSION_INTO_LONG_BLOCK: such a window is left to the finder).
 */
function digitGroups(window: string): string[][] {
  const groups: string[][] = [];
  let group: string[] = [];
  let block = "";
  let gap = 0;
  for (let i = 0; i <= window.length; i++) {
    const c = window.charCodeAt(i);
    if (c >= 48 && c <= 57) {
      if (gap > 4) {
        groups.push(group);
        group = [];
      }
      block += window[i];
      gap = 0;
      continue;
    }
    if (block) group.push(block);
    block = "";
    if (group.length > 0 && i < window.length && FINDER_PUNCTUATION.has(window[i] ?? "")) gap++;
    else {
      if (group.length > 0) groups.push(group);
      group = [];
      gap = 0;
    }
  }
  return groups;
}

/**
 * The finder cuts a candidate longer than this many blocks or digits a block anywhere (its pattern takes at most 21
 * blocks of at most 20 digits): such a group is left to it.
 */
const MAX_GROUP_BLOCKS = 20;
const MAX_BLOCK_DIGITS = 17;

/**
 * True when some run of whole blocks of a group, after dropping up to two leading "1"s (the national prefix, or the
 * calling code written without a plus and then the national prefix), is ten digits that `validity` accepts; also true
 * for a group the finder may cut inside a block (MAX_GROUP_BLOCKS).
 */
function mayJoinNanpNumber(group: readonly string[], validity: NanpValidity): boolean {
  if (group.length > MAX_GROUP_BLOCKS || group.some((b) => b.length > MAX_BLOCK_DIGITS)) return true;
  for (let i = 0; i < group.length; i++) {
    let digits = "";
    for (let j = i; j < group.length && digits.length < NANP_DIGITS + 2; j++) {
      digits += group[j];
      for (let drop = 0; drop <= 2 && digits.length - drop >= NANP_DIGITS; drop++) {
        if (drop > 0 && digits[drop - 1] !== "1") break;
        if (digits.length - drop === NANP_DIGITS && validity.isValid(digits.slice(drop))) return true;
      }
    }
  }
  return false;
}

/**
 * A block of more than 6 digits (the fewest an extension takes: 6, 9 after "x", "#", "~", "int" or commas, 15 after ";"
 * or ",,", 20 after a full label) that may follow an extension label read after a number: a digit, spaces, tabs or
 * commas, then letters or marks (any word: "ext", "extensión", "доб"…) or one of # ＃ ~ ～ ; = (";ext="), or commas
 * alone, then any of the label's trailing separators. The finder's candidate then may end inside the block and its
 * next search start there ("Room 7 x 000000000212 736 5000" holds 212 736 5000), not at a block's start.
 */
const EXTENSION_INTO_LONG_BLOCK = /[0-9](?:[ \u00A0\t,]*[\p{L}\p{M}#\uFF03~\uFF5E;=]+|[ \u00A0\t]*,)[ \u00A0\t,:.\uFF0E-]*[0-9]{7}/u;

/**
 * False when the finder, assuming a NANP country that reads national numbers by dropping a leading "1"
 * (NanpValidity.forCountry), surely finds no valid number in `window`: without a plus sign the finder reads a number
 * as the default country's unless it opens with the IDD prefix "011", so a valid one has a national number of ten
 * digits from whole blocks joined only by the finder's punctuation (after any "1"), which `validity` must accept (the
 * same rule libphonenumber applies, NanpValidity), or is a "310"
 * universal access number. A window with a plus, "011" or "310" among its digits, digits of another script, or a
 * long block after what may be an extension label (EXTENSION_INTO_LONG_BLOCK) is left to the finder.
 */
export function mayHoldNanpNumber(window: string, validity: NanpValidity): boolean {
  if (PLUS_OR_OTHER_DIGIT.test(window)) return true;
  if (holdsFinderTriple(window)) return true;
  if (digitRun(window, 0, window.length).run < NANP_DIGITS) return false;
  if (EXTENSION_INTO_LONG_BLOCK.test(window)) return true;
  return digitGroups(window).some((group) => mayJoinNanpNumber(group, validity));
}

/**
 * A candidate of the finder opens at most 10 characters before its first digit (its pattern allows two leads, each a
 * bracket or plus sign and up to four punctuation characters), and the finder reads the one character before it.
 */
const FINDER_LEAD = 11;
/**
 * A candidate ends at a digit or at one "#" after it (an extension's suffix), and the finder then reads the character
 * after it and the three after its end (a time stamp's ":30"); kept with room to spare.
 */
const FINDER_TAIL = 8;

/**
 * The part [from, to) of a window the finder has to read to find what it finds in the whole window (shifted by
 * `from`): from FINDER_LEAD characters before its first digit (of any script: libphonenumber's digits are among them)
 * to FINDER_TAIL after its last. The finder searches its pattern left to right and each candidate holds digits, so
 * the text before a window's first candidate can start or after its last can end changes nothing it reads; a window
 * of prose around one number (a contract's paragraph is one line) is cut to the number and its neighbours.
 */
export function finderSpan(window: string): [number, number] {
  let first = 0;
  while (first < window.length && !isDigitAt(window, first)) first++;
  if (first === window.length) return [0, window.length];
  let last = window.length - 1;
  while (!isDigitAt(window, last)) last--;
  return [Math.max(0, first - FINDER_LEAD), Math.min(window.length, last + 1 + FINDER_TAIL)];
}

/** 123-45-6789 is written like an SSN, never like a phone number. */
const SSN_SHAPE = /^\d{3}[- ]\d{2}[- ]\d{4}$/;

export interface PhoneRecognizerOptions {
  /** Country assumed for numbers written without +country code. Default "US". */
  readonly defaultCountry?: CountryCode;
  /** Other countries whose national formats are accepted (at a lower score). */
  readonly extraCountries?: readonly CountryCode[];
}

const DEFAULT_EXTRA: readonly CountryCode[] = ["GB", "FR", "DE", "BE", "NL", "AU", "IT", "ES", "CH", "SE", "DK", "NO", "FI", "IE", "CA", "AT", "PT", "BR", "IN"];

/** `country` when libphonenumber's metadata knows it; a SecurityConfigError naming the option otherwise (its own error is "Unknown country"). */
function knownCountry(option: string, country: unknown): CountryCode {
  if (typeof country === "string" && isSupportedCountry(country)) return country;
  throw new SecurityConfigError(option, String(country), 'a two-letter country code in capitals that libphonenumber knows ("US", "GB", "DE"…)', {
    hint: `Set scanner.${option} to an ISO 3166-1 alpha-2 code such as "US"; it is the country assumed for phone numbers written without "+" and a calling code.`,
  });
}

/** International phone numbers, validated against libphonenumber's metadata. */
export class PhoneRecognizer implements Recognizer {
  readonly name = "PhoneRecognizer";
  readonly types = ["PHONE"] as const;
  private readonly defaultCountry: CountryCode;
  private readonly extra: readonly CountryCode[];
  /** The default country is a NANP one ("US", "CA"…): windows that cannot hold a valid number are passed over (mayHoldNanpNumber). */
  private readonly nanp: NanpValidity | undefined;
  /** Passes over the countries in which a candidate's length makes no valid number (NationalLengths). */
  private readonly lengths: NationalLengths;

  constructor(options: PhoneRecognizerOptions = {}) {
    this.defaultCountry = knownCountry("defaultCountry", options.defaultCountry ?? "US");
    this.extra = (options.extraCountries ?? DEFAULT_EXTRA).map((c) => knownCountry("extraCountries", c));
    this.nanp = NanpValidity.forCountry(this.defaultCountry);
    this.lengths = new NationalLengths([this.defaultCountry, ...this.extra]);
  }

  recognize(text: string): PiiFinding[] {
    const out: PiiFinding[] = [];
    const taken = new Set<string>();
    // the finder's answer for each text asked, asked once: page headers and footers ("Source: ACME INC, 10-Q,
    // 11/8/2019") repeat on every page (about 60% of a contract's windows are repeats), and the answer depends on the
    // characters asked about alone
    const answers = new Map<string, readonly { readonly startsAt: number; readonly endsAt: number; readonly valid: boolean }[]>();
    for (const w of finderWindows(text)) {
      // the finder reads the window's digits and their neighbours (finderSpan): the same number in two paragraphs is one question
      const [from, to] = finderSpan(w.text);
      const asked = from === 0 && to === w.text.length ? w.text : w.text.slice(from, to);
      let found = answers.get(asked);
      if (!found && this.nanp && !mayHoldNanpNumber(asked, this.nanp)) found = [];
      if (!found) {
        found = findPhoneNumbersInText(asked, { defaultCountry: this.defaultCountry, extended: false } as never).map((f) => ({
          startsAt: f.startsAt,
          endsAt: f.endsAt,
          valid: f.number.isValid(),
        }));
        answers.set(asked, found);
      }
      for (const f of found) {
        const [start, end] = [w.offset + from + f.startsAt, w.offset + from + f.endsAt];
        if (!f.valid || SSN_SHAPE.test(text.slice(start, end))) continue;
        const ctx = hasContext(text, start, end, PHONE_CONTEXT);
        taken.add(`${start}`);
        out.push({ type: "PHONE", start, end, score: enhance(0.7, ctx), recognizer: this.name });
      }
    }
    // a number parsed once per scan: the same one stands in every page's header, a notice clause and a signature block
    const validity = new Map<string, boolean>();
    for (const m of matchesAt(text, CANDIDATE, candidateStarts(text))) {
      const raw = m[0].replace(/\s*(?:x|ext\.?)\s*\d+$/i, "");
      const digits = raw.replace(/\D/g, "");
      if (digits.length < 8 || digits.length > 15 || SSN_SHAPE.test(raw)) continue;
      if (/^\d{4}[-./]\d{1,2}[-./]\d{1,2}(?!\d)|^\d{1,2}[-./]\d{1,2}[-./]\d{2,4}$/.test(raw)) continue;
      if (/^(?:19|20)\d{2}\s?[-–/]\s?(?:19|20)\d{2}$/.test(raw)) continue; // a span of years
      if (!/[\s.()+-]/.test(raw) && digits.length !== 10) continue;
      const start = m.index;
      if (taken.has(`${start}`) || out.some((f) => f.start <= start && start < f.end)) continue;
      const end = start + m[0].length;
      let valid = validity.get(raw);
      if (valid === undefined) {
        valid = raw.startsWith("+")
          ? parsePhoneNumberFromString(raw.replace("(0)", ""))?.isPossible() === true
          : [this.defaultCountry, ...this.extra].some((c) => this.lengths.mayBeValid(c, digits) && parsePhoneNumberFromString(raw, c)?.isValid() === true);
        validity.set(raw, valid);
      }
      if (!valid) continue;
      const ctx = hasContext(text, start, end, PHONE_CONTEXT);
      out.push({ type: "PHONE", start, end, score: enhance(0.5, ctx), recognizer: this.name });
    }
    // digit groups that only their context makes a phone number (too short or unknown to the metadata)
    for (const m of matchesAt(text, SHORT_CANDIDATE, shortCandidateStarts(text))) {
      const start = m.index;
      const end = start + m[0].length;
      const digits = m[0].replace(/\D/g, "");
      if (digits.length < 7 || digits.length > 13 || SSN_SHAPE.test(m[0]) || /^\d{4}[-./]\d{1,2}[-./]\d{1,2}$/.test(m[0])) continue;
      if (out.some((f) => f.start < end && start < f.end)) continue;
      if (!STRONG_CONTEXT.test(text.slice(Math.max(0, start - 40), start))) continue;
      out.push({ type: "PHONE", start, end, score: 0.6, recognizer: this.name });
    }
    return out;
  }
}
