// The name recognizer's every-word passes over lower-case text (LOWER_WORD, LOWER_PAIR), read with the character table
// in one pass: no match object or string per word, and a word is kept only when its hash says it may be a name.
import { charClasses, hasSurrogates, LETTER, LOWER, NUMBER } from "../char-classes";

/** One lower-case word of three letters or more, not inside a word, a number or a hyphenated or quoted word. */
export const LOWER_WORD = /(?=\p{Ll}{3})(?<![\p{L}\p{N}'’-])\p{Ll}[\p{Ll}]{2,}(?![\p{L}\p{N}-])/gu;
/** Two lower-case words (a lower-case given name and surname are checked against the lexicons). */
export const LOWER_PAIR = /(?=\p{Ll}[\p{Ll}'’-])(?<![\p{L}\p{N}'’-])(\p{Ll}[\p{Ll}'’-]+) (\p{Ll}[\p{Ll}'’-]+)(?![\p{L}\p{N}'’-])/gu;

const APOSTROPHE = 39;
const RIGHT_QUOTE = 0x2019;
const HYPHEN = 45;

/** What lowerRuns keeps: LOWER_WORD matches as [start, end), LOWER_PAIR matches as [start, end of the first word, start of the second, end], in order. */
export interface LowerRuns {
  readonly words: number[];
  readonly pairs: number[];
}

/** Whether text[from, to) may be wanted (a hash filter's question: no string is cut out to ask it). */
export type RangeTest = (text: string, from: number, to: number) => boolean;

/**
 * The LOWER_WORD matches whose word `keep` accepts and the LOWER_PAIR matches whose first word it accepts, in one pass
 * over the text (a contract is mostly lower-case words, and the name recognizer reads only the few its given-name
 * filter lets through).
 */
export function lowerRuns(text: string, keep: RangeTest): LowerRuns {
  const words: number[] = [];
  const pairs: number[] = [];
  if (hasSurrogates(text)) {
    for (const m of text.matchAll(LOWER_WORD)) if (keep(text, m.index, m.index + m[0].length)) words.push(m.index, m.index + m[0].length);
    for (const m of text.matchAll(LOWER_PAIR)) {
      const first = m.index + (m[1] ?? "").length;
      if (keep(text, m.index, first)) pairs.push(m.index, first, first + 1, m.index + m[0].length);
    }
    return { words, pairs };
  }
  const cls = charClasses();
  const n = text.length;
  // [\p{Ll}'’-]
  const inWord = (c: number): boolean => ((cls[c] ?? 0) & LOWER) !== 0 || c === APOSTROPHE || c === RIGHT_QUOTE || c === HYPHEN;
  // LOWER_PAIR's matches do not overlap: none starts before the last one's end
  let pairFrom = 0;
  let i = 0;
  while (i < n) {
    if (!((cls[text.charCodeAt(i)] ?? 0) & LOWER)) {
      i++;
      continue;
    }
    // a whole run of lower-case letters: a match of either can only start where a run starts (inside one, the
    // look-behinds see a letter), and a LOWER_WORD match must take all of it (a shorter one would stand before a letter)
    let j = i + 1;
    while (j < n && (cls[text.charCodeAt(j)] ?? 0) & LOWER) j++;
    const before = i > 0 ? text.charCodeAt(i - 1) : -1;
    // both look-behinds: (?<![\p{L}\p{N}'’-])
    if (before < 0 || !((cls[before] ?? 0) & (LETTER | NUMBER) || before === APOSTROPHE || before === RIGHT_QUOTE || before === HYPHEN)) {
      if (j - i >= 3) {
        const after = j < n ? text.charCodeAt(j) : -1;
        if ((after < 0 || !((cls[after] ?? 0) & (LETTER | NUMBER) || after === HYPHEN)) && keep(text, i, j)) words.push(i, j);
      }
      if (i >= pairFrom && i + 1 < n && inWord(text.charCodeAt(i + 1))) {
        // both words of a pair are whole runs of word characters (a space is none, and the look-ahead refuses a shorter one)
        let e1 = j;
        while (e1 < n && inWord(text.charCodeAt(e1))) e1++;
        if (e1 + 2 < n && text.charCodeAt(e1) === 32 && (cls[text.charCodeAt(e1 + 1)] ?? 0) & LOWER && inWord(text.charCodeAt(e1 + 2))) {
          let e2 = e1 + 3;
          while (e2 < n && inWord(text.charCodeAt(e2))) e2++;
          const after = e2 < n ? text.charCodeAt(e2) : -1;
          if (after < 0 || !((cls[after] ?? 0) & (LETTER | NUMBER))) {
            if (keep(text, i, e1)) pairs.push(i, e1, e1 + 1, e2);
            pairFrom = e2;
          }
        }
      }
    }
    i = j;
  }
  return { words, pairs };
}
