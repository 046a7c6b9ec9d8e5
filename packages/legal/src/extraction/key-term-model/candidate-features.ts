import { fnv1a } from "../../classification/clause-model/sentence-features";

/** A candidate value and the feature strings the key-term model scores it by. */
export interface Candidate<V> {
  readonly value: V;
  readonly features: readonly string[];
}

const isAsciiLetter = (c: number): boolean => (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
const isDigit = (c: number): boolean => c >= 48 && c <= 57;
/** `\s` without the `u` flag: JavaScript's white space and line terminators (one UTF-16 unit each). */
const isSpace = (c: number): boolean => c === 32 || (c >= 9 && c <= 13) || c === 0xa0 || c === 0x1680 || (c >= 0x2000 && c <= 0x200a) || c === 0x2028 || c === 0x2029 || c === 0x202f || c === 0x205f || c === 0x3000 || c === 0xfeff;

/**
 * Lower-cased words and punctuation marks; numbers become their digit count ("#4" for a year): the tokens of
 * /[A-Za-z]+|\d+|[^\sA-Za-z\d]/g, read unit by unit (every candidate of the key-term model reads two windows,
 * and the regular expression's iterator allocated a match array per token).
 */
export function contextTokens(text: string): string[] {
  const out: string[] = [];
  const n = text.length;
  for (let i = 0; i < n; ) {
    const c = text.charCodeAt(i);
    let j = i + 1;
    if (isAsciiLetter(c)) {
      while (j < n && isAsciiLetter(text.charCodeAt(j))) j++;
      out.push(text.slice(i, j).toLowerCase());
    } else if (isDigit(c)) {
      while (j < n && isDigit(text.charCodeAt(j))) j++;
      out.push(`#${Math.min(j - i, 5)}`);
    } else if (!isSpace(c)) out.push(text[i]!.toLowerCase());
    i = j;
  }
  return out;
}

/** The words of a sentence (its first 400 characters) as a bag. */
export const sentenceBag = (quote: string): string[] => [...new Set(contextTokens(quote.slice(0, 400)).filter((t) => /^[a-z#]/.test(t)))].map((t) => `s:${t}`);

/** The words just before and after a span, by position (b1 = the nearest before) and as bags. */
export function windowFeatures(text: string, start: number, end: number, before = 8, after = 8): string[] {
  const left = contextTokens(text.slice(Math.max(0, start - 12 * before), start)).slice(-before);
  const right = contextTokens(text.slice(end, end + 12 * after)).slice(0, after);
  const out: string[] = [];
  left.reverse().forEach((t, i) => {
    if (i < 3) out.push(`b${i + 1}:${t}`);
    out.push(`B:${t}`);
  });
  if (left.length >= 2) out.push(`bb:${left[1]} ${left[0]}`);
  right.forEach((t, i) => {
    if (i < 3) out.push(`a${i + 1}:${t}`);
    out.push(`A:${t}`);
  });
  if (right.length >= 2) out.push(`aa:${right[0]} ${right[1]}`);
  return out;
}

/** A number as a coarse band ("n:0", "n:1", "n:2-3", "n:4-7", …), so one weight covers a range. */
export function band(name: string, n: number): string {
  if (n <= 1) return `${name}:${Math.max(0, Math.floor(n))}`;
  const lo = 2 ** Math.floor(Math.log2(n));
  return `${name}:${lo}-${2 * lo - 1}`;
}

/** Hash buckets of feature strings, sorted and unique. */
export function hashFeatures(features: readonly string[], hashBits: number): Int32Array {
  const mask = (1 << hashBits) - 1;
  const set = new Set<number>();
  for (const f of features) set.add(fnv1a(f) & mask);
  return Int32Array.from([...set].sort((a, b) => a - b));
}

/** A company name compared loosely: lower case, no punctuation, no "the" or corporate suffix. */
export function comparableName(s: string): string {
  return s
    .toLowerCase()
    .replace(/&/g, "and")
    .replace(/[^a-z0-9]+/g, " ")
    .replace(/\b(?:the|inc|corp|corporation|ltd|limited|llc|co|company|plc|l p|lp)\b/g, " ")
    .replace(/\s+/g, " ")
    .trim();
}
