// Where the structured patterns can start, read from the text's shared runs (text-runs.ts): a pattern opening with a
// number after no word character starts a run of digits, one opening with one or two capitals right before its
// digits ("A12345678", "GB82…") starts a short run of letters followed by a digit, and a written date starts at a
// month's name. Each function names a superset of the positions where such a pattern can match.
import { AsciiWordSet, textRuns, type TextRuns } from "../text-runs";

/**
 * The runs of ASCII digits of `min` to `max` digits, followed by one of the characters of `next` when given: a pattern
 * `(?<![\w…])\d{min,max}(?![\w…])`, or `\d{n}[next]…`, starts one (a longer or shorter run cannot hold its digits).
 */
export function digitRunsOf(min: number, max: number, next?: string): (text: string) => number[] {
  const follow = next === undefined ? undefined : new Set([...next].map((c) => c.charCodeAt(0)));
  return (text) => {
    const d = textRuns(text).digits;
    const out: number[] = [];
    for (let k = 0; k < d.count; k++) {
      const start = d.starts[k] as number;
      const end = d.ends[k] as number;
      const length = end - start;
      if (length < min || length > max || (follow && !follow.has(text.charCodeAt(end)))) continue;
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
/** Runs of letters that are a month's name or abbreviation, any case (`\b(?:jan(?:uary)?|…)\.?\s`). */
export function monthStarts(text: string): number[] {
  const w = textRuns(text).words;
  return MONTHS.indexesIn(text).map((k) => w.starts[k] as number);
}
