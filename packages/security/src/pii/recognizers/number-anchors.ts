// Where the structured patterns can start, read from the text's shared runs (text-runs.ts): a pattern opening with a
// number after no word character starts a run of digits, one opening with one or two capitals right before its
// digits ("A12345678", "GB82…") starts a short run of letters followed by a digit, and a written date starts at a
// month's name. Each function names a superset of the positions where such a pattern can match.
import { AsciiWordSet, textRuns } from "../text-runs";

/** Every run of ASCII digits (a pattern `(?<![\w…])\d…` or `\b\d…` starts one). */
export function digitRunStarts(text: string): Int32Array {
  const d = textRuns(text).digits;
  return d.starts.subarray(0, d.count);
}

/** Runs of one to `most` ASCII letters right before an ASCII digit (a pattern `(?<![\w…])[A-Z]{1,most}\d…` starts one). */
export function lettersBeforeDigitStarts(text: string, most: number): number[] {
  const w = textRuns(text).words;
  const out: number[] = [];
  for (let k = 0; k < w.count; k++) {
    const start = w.starts[k] as number;
    const end = w.ends[k] as number;
    if (end - start > most) continue;
    const c = text.charCodeAt(end);
    if (c >= 48 && c <= 57) out.push(start);
  }
  return out;
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

const MONTHS = new AsciiWordSet([
  "jan", "january", "feb", "february", "mar", "march", "apr", "april", "may", "jun", "june", "jul", "july", "aug", "august", "sep", "sept",
  "september", "oct", "october", "nov", "november", "dec", "december",
]);
/** Runs of letters that are a month's name or abbreviation, any case (`\b(?:jan(?:uary)?|…)\.?\s`). */
export function monthStarts(text: string): number[] {
  const w = textRuns(text).words;
  return MONTHS.indexesIn(text).map((k) => w.starts[k] as number);
}
