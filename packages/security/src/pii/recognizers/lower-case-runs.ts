// The name recognizer's every-word passes over lower-case text (LOWER_WORD, LOWER_PAIR), read with the character table:
// no match object or string per word, and a word is cut out of the text only when its hash says it may be a name.
import { charClasses, hasSurrogates, LETTER, LOWER, NUMBER } from "../char-classes";

/** One lower-case word of three letters or more, not inside a word, a number or a hyphenated or quoted word. */
export const LOWER_WORD = /(?=\p{Ll}{3})(?<![\p{L}\p{N}'’-])\p{Ll}[\p{Ll}]{2,}(?![\p{L}\p{N}-])/gu;
/** Two lower-case words (a lower-case given name and surname are checked against the lexicons). */
export const LOWER_PAIR = /(?=\p{Ll}[\p{Ll}'’-])(?<![\p{L}\p{N}'’-])(\p{Ll}[\p{Ll}'’-]+) (\p{Ll}[\p{Ll}'’-]+)(?![\p{L}\p{N}'’-])/gu;

const APOSTROPHE = 39;
const RIGHT_QUOTE = 0x2019;
const HYPHEN = 45;

/** [start, end) of every LOWER_WORD match, in order. */
export function lowerWords(text: string): number[] {
  const out: number[] = [];
  if (hasSurrogates(text)) {
    for (const m of text.matchAll(LOWER_WORD)) out.push(m.index, m.index + m[0].length);
    return out;
  }
  const cls = charClasses();
  const n = text.length;
  let i = 0;
  while (i < n) {
    if (!((cls[text.charCodeAt(i)] ?? 0) & LOWER)) {
      i++;
      continue;
    }
    // a whole run of lower-case letters: a match can only start where a run starts (inside one, the look-behind
    // sees a letter) and must take all of it (a shorter match would stand before a letter)
    let j = i + 1;
    while (j < n && (cls[text.charCodeAt(j)] ?? 0) & LOWER) j++;
    if (j - i >= 3) {
      const before = i > 0 ? text.charCodeAt(i - 1) : -1;
      const after = j < n ? text.charCodeAt(j) : -1;
      const freeBefore = before < 0 || !((cls[before] ?? 0) & (LETTER | NUMBER) || before === APOSTROPHE || before === RIGHT_QUOTE || before === HYPHEN);
      const freeAfter = after < 0 || !((cls[after] ?? 0) & (LETTER | NUMBER) || after === HYPHEN);
      if (freeBefore && freeAfter) out.push(i, j);
    }
    i = j;
  }
  return out;
}

/** [start, end of the first word, start of the second, end] of every LOWER_PAIR match, in order. */
export function lowerPairs(text: string): number[] {
  const out: number[] = [];
  if (hasSurrogates(text)) {
    for (const m of text.matchAll(LOWER_PAIR)) out.push(m.index, m.index + (m[1] ?? "").length, m.index + (m[1] ?? "").length + 1, m.index + m[0].length);
    return out;
  }
  const cls = charClasses();
  const n = text.length;
  // [\p{Ll}'’-]
  const inWord = (c: number): boolean => ((cls[c] ?? 0) & LOWER) !== 0 || c === APOSTROPHE || c === RIGHT_QUOTE || c === HYPHEN;
  let p = 0;
  while (p < n) {
    if (!((cls[text.charCodeAt(p)] ?? 0) & LOWER) || p + 1 >= n || !inWord(text.charCodeAt(p + 1))) {
      p++;
      continue;
    }
    const before = p > 0 ? text.charCodeAt(p - 1) : -1;
    if (before >= 0 && ((cls[before] ?? 0) & (LETTER | NUMBER) || before === APOSTROPHE || before === RIGHT_QUOTE || before === HYPHEN)) {
      p++;
      continue;
    }
    // both words are whole runs of word characters (a space is none, and the look-ahead refuses a shorter one)
    let e1 = p + 2;
    while (e1 < n && inWord(text.charCodeAt(e1))) e1++;
    if (e1 + 2 < n && text.charCodeAt(e1) === 32 && (cls[text.charCodeAt(e1 + 1)] ?? 0) & LOWER && inWord(text.charCodeAt(e1 + 2))) {
      let e2 = e1 + 3;
      while (e2 < n && inWord(text.charCodeAt(e2))) e2++;
      const after = e2 < n ? text.charCodeAt(e2) : -1;
      if (after < 0 || !((cls[after] ?? 0) & (LETTER | NUMBER))) {
        out.push(p, e1, e1 + 1, e2);
        p = e2;
        continue;
      }
    }
    // no match starts inside the first word: there the look-behind sees a word character
    p = e1;
  }
  return out;
}
