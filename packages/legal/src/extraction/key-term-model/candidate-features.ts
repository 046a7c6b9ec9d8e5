import { fnv1a } from "../../classification/clause-model/sentence-features";

/** A candidate value and the feature strings the key-term model scores it by. */
export interface Candidate<V> {
  readonly value: V;
  readonly features: readonly string[];
}

const WORD = /[A-Za-z]+|\d+|[^\sA-Za-z\d]/g;

/** Lower-cased words and punctuation marks; numbers become their digit count ("#4" for a year). */
export function contextTokens(text: string): string[] {
  const out: string[] = [];
  for (const m of text.matchAll(WORD)) {
    const t = m[0];
    out.push(/^\d/.test(t) ? `#${Math.min(t.length, 5)}` : t.toLowerCase());
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
