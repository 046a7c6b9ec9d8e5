// Where the structured patterns can start, read from the text's shared runs (text-runs.ts): a pattern opening with a
// number after no word character starts a run of digits, one opening with one or two capitals right before its
// digits ("A12345678", "GB82…") starts a short run of letters followed by a digit, and a written date starts at a
// month's name. Each function names a superset of the positions where such a pattern can match.
import { AsciiWordSet, textRuns, type TextRuns } from "../text-runs";
import { isSpaceAt } from "../triggered-matches";

/**
 * The runs of ASCII digits of `min` to `max` digits, followed by one of the characters of `next` when given: a pattern
 * `(?<![\w…])\d{min,max}(?![\w…])`, or `\d{n}[next]…`, starts one (a longer or shorter run cannot hold its digits).
 * `then`, when given, is a further test of what follows the run (`end`: the offset after its last digit).
 */
export function digitRunsOf(
  min: number,
  max: number,
  next?: string,
  then?: (text: string, end: number) => boolean,
): (text: string) => number[] {
  const follow = next === undefined ? undefined : new Set([...next].map((c) => c.charCodeAt(0)));
  return (text) => {
    const d = textRuns(text).digits;
    const out: number[] = [];
    for (let k = 0; k < d.count; k++) {
      const start = d.starts[k] as number;
      const end = d.ends[k] as number;
      const length = end - start;
      if (length < min || length > max || (follow && !follow.has(text.charCodeAt(end))) || (then && !then(text, end))) continue;
      out.push(start);
    }
    return out;
  };
}

/** For the runs of a text: the starts of its runs of one and of two ASCII letters right before a digit, read once. */
const shortLetterRuns = new WeakMap<TextRuns, readonly [number[], number[]]>();

/** Runs of one to `most` (1 or 2) ASCII letters right before an ASCII digit (a pattern `(?<![\w…])[A-Z]{1,most}\d…` starts one). */
export function lettersBeforeDigitStarts(text: string, most: 1 | 2): number[] {
  const runs = textRuns(text);
  let known = shortLetterRuns.get(runs);
  if (!known) {
    const w = runs.words;
    const one: number[] = [];
    const upToTwo: number[] = [];
    for (let k = 0; k < w.count; k++) {
      const start = w.starts[k] as number;
      const end = w.ends[k] as number;
      if (end - start > 2) continue;
      const c = text.charCodeAt(end);
      if (c < 48 || c > 57) continue;
      upToTwo.push(start);
      if (end - start === 1) one.push(start);
    }
    known = [one, upToTwo];
    shortLetterRuns.set(runs, known);
  }
  return known[most - 1] as number[];
}

/** The union of two ascending lists of positions, ascending. */
export function mergedStarts(a: ArrayLike<number>, b: ArrayLike<number>): number[] {
  const out: number[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    if (j >= b.length || (i < a.length && (a[i] as number) < (b[j] as number))) out.push(a[i++] as number);
    else if (i >= a.length || (b[j] as number) < (a[i] as number)) out.push(b[j++] as number);
    else {
      out.push(a[i++] as number);
      j++;
    }
  }
  return out;
}

/** Months' names and abbreviations, each name before its shorter forms (as a greedy `jan(?:uary)?` tries them). */
const MONTH_WORDS = [
  "january", "jan", "february", "feb", "march", "mar", "april", "apr", "may", "june", "jun", "july", "jul", "august", "aug", "september", "sept",
  "sep", "october", "oct", "november", "nov", "december", "dec",
];
/** A month's name or abbreviation (any case with the `i` flag), maybe with a period. */
export const MONTH = `(?:${MONTH_WORDS.join("|")})\\.?`;
const MONTHS = new AsciiWordSet(MONTH_WORDS);
/** Whether text[at] is an ASCII digit (`\d`). */
export const isDigitAt = (text: string, at: number): boolean => {
  const c = text.charCodeAt(at);
  return c >= 48 && c <= 57;
};

/** The offset after the whitespace (`\s+`) starting at `at`, or -1 when none starts there. */
export function afterSpaces(text: string, at: number): number {
  if (at >= text.length || !isSpaceAt(text, at)) return -1;
  let j = at + 1;
  while (j < text.length && isSpaceAt(text, j)) j++;
  return j;
}

/**
 * Runs of letters that are a month's name or abbreviation, any case, where a day can follow: the month, maybe a period,
 * whitespace, a digit (`\b(?:jan(?:uary)?|…)\.?\s+\d`).
 */
export function monthBeforeDayStarts(text: string): number[] {
  const w = textRuns(text).words;
  const out: number[] = [];
  for (const k of MONTHS.indexesIn(text)) {
    let end = w.ends[k] as number;
    if (text.charCodeAt(end) === 46) end++;
    const next = afterSpaces(text, end);
    if (next >= 0 && isDigitAt(text, next)) out.push(w.starts[k] as number);
  }
  return out;
}

/**
 * After a day's digits (`end`): maybe an ordinal suffix (st, nd, rd, th, any case), whitespace, then an ASCII letter
 * (a month's name, or "of" before it): `\d(?:st|nd|rd|th)?\s+(?:of\s+)?MONTH` with the `i` flag and no `u` (no letter
 * past ASCII folds into these).
 */
export function dayBeforeMonth(text: string, end: number): boolean {
  const a = text.charCodeAt(end) | 32;
  const b = text.charCodeAt(end + 1) | 32;
  const suffix = (a === 115 && b === 116) || (a === 110 && b === 100) || (a === 114 && b === 100) || (a === 116 && b === 104);
  const next = afterSpaces(text, suffix ? end + 2 : end);
  if (next < 0) return false;
  const c = text.charCodeAt(next) | 32;
  return c >= 97 && c <= 122;
}
