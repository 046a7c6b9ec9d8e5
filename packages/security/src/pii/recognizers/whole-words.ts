// Whole-word literal search without a regular expression: indexOf finds each spelling (memchr-fast), and only the
// places it names are checked; a look-behind regex instead tries every offset of the text.

import { charClasses, hasSurrogates, LETTER, LOWER, NUMBER } from "../char-classes";

const LETTER_OR_DIGIT = /[\p{L}\p{N}]/u;
const isHigh = (c: number): boolean => c >= 0xd800 && c <= 0xdbff;
const isLow = (c: number): boolean => c >= 0xdc00 && c <= 0xdfff;

/** The code point ending just before `at` (a surrogate pair read whole), as a string; "" at the start. */
function codePointBefore(text: string, at: number): string {
  if (at <= 0) return "";
  if (isLow(text.charCodeAt(at - 1)) && at >= 2 && isHigh(text.charCodeAt(at - 2))) return text.slice(at - 2, at);
  return text[at - 1] ?? "";
}

/** Whether a `u` regex tries a match at `at`: never between the halves of a surrogate pair. */
const isCodePointStart = (text: string, at: number): boolean => !(at > 0 && isLow(text.charCodeAt(at)) && isHigh(text.charCodeAt(at - 1)));

/** `variant` at `at`, read as code points (its last unit must not be the first half of a pair in the text). */
function spelledAt(text: string, at: number, variant: string): boolean {
  if (!text.startsWith(variant, at)) return false;
  const end = at + variant.length;
  return !(isHigh(text.charCodeAt(end - 1)) && isLow(text.charCodeAt(end)));
}

/**
 * The matches, left to right and not overlapping, of `/(?<![\p{L}\p{N}])(?:v1|v2|…)(?![\p{L}\p{N}])/gu` built from
 * the escaped `variants` (tried in their order at each offset), as `[start, end]`.
 */
export function wholeWordVariants(text: string, variants: readonly string[]): [number, number][] {
  const spellings = [...new Set(variants)];
  const starts = new Set<number>();
  for (const v of spellings) {
    if (v.length === 0) return wholeWordVariantsByRegex(text, variants); // an empty spelling matches everywhere: rare, keep it simple
    for (let at = text.indexOf(v); at >= 0; at = text.indexOf(v, at + 1)) starts.add(at);
  }
  const out: [number, number][] = [];
  let next = 0;
  for (const at of [...starts].sort((a, b) => a - b)) {
    if (at < next || !isCodePointStart(text, at) || LETTER_OR_DIGIT.test(codePointBefore(text, at))) continue;
    for (const v of variants) {
      if (!spelledAt(text, at, v)) continue;
      const after = text.codePointAt(at + v.length);
      if (after !== undefined && LETTER_OR_DIGIT.test(String.fromCodePoint(after))) continue;
      out.push([at, at + v.length]);
      next = at + v.length;
      break;
    }
  }
  return out;
}

const escape = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/** The same search with the regular expression itself (the definition the fast search keeps to; also its test oracle). */
export function wholeWordVariantsByRegex(text: string, variants: readonly string[]): [number, number][] {
  const re = new RegExp(`(?<![\\p{L}\\p{N}])(?:${variants.map(escape).join("|")})(?![\\p{L}\\p{N}])`, "gu");
  return [...text.matchAll(re)].map((m) => [m.index, m.index + m[0].length]);
}

const LOWER_CASE_WORD = /^\p{Ll}{3,}$/u;
const BEFORE_LOWER_WORD = /[\p{L}\p{N}'’-]/u;

/**
 * Whether `word` is one of the matches of `/(?<![\p{L}\p{N}'’-])\p{Ll}{3,}(?![\p{L}\p{N}])/gu` in `text` (the text
 * writes it in lower case, standing alone), found with indexOf at its occurrences instead of listing every word.
 */
export function hasLowerCaseWord(text: string, word: string): boolean {
  if (!LOWER_CASE_WORD.test(word)) return false;
  // such a match is a whole run of lower-case letters, so it is `word` exactly when its edges are free
  for (let at = text.indexOf(word); at >= 0; at = text.indexOf(word, at + 1)) {
    if (BEFORE_LOWER_WORD.test(codePointBefore(text, at))) continue;
    const after = text.codePointAt(at + word.length);
    if (after === undefined || !LETTER_OR_DIGIT.test(String.fromCodePoint(after))) return true;
  }
  return false;
}

/** The same answer from the list of every such word (its definition, and the test oracle). */
export function lowerCaseWordsByRegex(text: string): Set<string> {
  return new Set(text.match(/(?<![\p{L}\p{N}'’-])\p{Ll}{3,}(?![\p{L}\p{N}])/gu) ?? []);
}

/**
 * The same set, read in one pass with the character table (the regex tries its look-behind at every offset): each
 * maximal run of three or more lower-case letters with no letter, digit, apostrophe or hyphen before it and no letter
 * or digit after it. A text holding surrogates is left to the regular expression.
 */
export function lowerCaseWords(text: string): Set<string> {
  if (hasSurrogates(text)) return lowerCaseWordsByRegex(text);
  const classes = charClasses();
  const words = new Set<string>();
  const n = text.length;
  let i = 0;
  while (i < n) {
    if (((classes[text.charCodeAt(i)] ?? 0) & LOWER) === 0) {
      i++;
      continue;
    }
    const start = i;
    while (i < n && ((classes[text.charCodeAt(i)] ?? 0) & LOWER) !== 0) i++;
    if (i - start < 3) continue;
    const before = start > 0 ? text.charCodeAt(start - 1) : -1;
    if (before >= 0 && (((classes[before] ?? 0) & (LETTER | NUMBER)) !== 0 || before === 0x27 || before === 0x2019 || before === 0x2d)) continue;
    if (i < n && ((classes[text.charCodeAt(i)] ?? 0) & (LETTER | NUMBER)) !== 0) continue;
    words.add(text.slice(start, i));
  }
  return words;
}

/** The code point starting at `at`, as a string; "" at the end. */
const codePointAt = (text: string, at: number): string => {
  const c = text.codePointAt(at);
  return c === undefined ? "" : String.fromCodePoint(c);
};

/**
 * At most `max` characters of `text` ending at `at`, never starting inside a word (nor a surrogate pair): a window cut
 * through "Martin" must not open with the word "in" (a `\b` or `^` at its start would take the cut for a word start).
 */
export function textBefore(text: string, at: number, max: number): string {
  let from = Math.max(0, at - max);
  if (from > 0 && from < at && !isCodePointStart(text, from)) from++;
  while (from > 0 && from < at && LETTER_OR_DIGIT.test(codePointBefore(text, from)) && LETTER_OR_DIGIT.test(codePointAt(text, from))) {
    from += codePointAt(text, from).length;
  }
  return text.slice(from, Math.max(from, at));
}
