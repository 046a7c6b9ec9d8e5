import { isCommonWord } from "./lexicons";

/** The word right before and right after a span (letters only), or "" at a line's edge. */
const WORD_BEFORE = /(\p{L}+)[ \t]*[,;:]?[ \t]*$/u;
const WORD_AFTER = /^[ \t]*[,;:]?[ \t]*(\p{L}+)/u;
const isCaps = (w: string): boolean => /^\p{Lu}{2,}$/u.test(w);

/**
 * "AND INCORPORATED BY REFERENCE", "WITHOUT LIMITATION": inside a clause written in capitals, a run of everyday words
 * is part of the clause, not a name (the capitals say nothing there). True when every word of the span is an everyday
 * word in capitals and the words on both sides are in capitals too. A name that is no everyday word ("ZORBEX") stays.
 */
export function isShoutedPhrase(text: string, start: number, end: number): boolean {
  const words = text.slice(start, end).split(/[^\p{L}]+/u).filter(Boolean);
  if (words.length === 0 || !words.every((w) => isCaps(w) && isCommonWord(w.toLowerCase()))) return false;
  const before = WORD_BEFORE.exec(text.slice(Math.max(0, start - 40), start))?.[1] ?? "";
  const after = WORD_AFTER.exec(text.slice(end, end + 40))?.[1] ?? "";
  return isCaps(before) && isCaps(after);
}

/** "United States dollars", "Swiss francs", "Japanese yen": a currency's name follows the place. */
const CURRENCY_AFTER = /^[ \t]+(?:dollars?|pounds?|francs?|euros?|pesos?|yen|yuan|rupees?|kron[aeo]r?|rand|reais|real|currency)(?![\p{L}])/iu;

/** True when the place at [.., end) names a currency ("in United States dollars"), not a location. */
export function namesCurrency(text: string, end: number): boolean {
  return CURRENCY_AFTER.test(text.slice(end, end + 16));
}
