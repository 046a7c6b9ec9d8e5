import type { PiiFinding } from "./pii-types";
import { isEnglishWord, isNotAName } from "./recognizers/lexicons";
import { startsWithStrongSuffix } from "./recognizers/organization-words";

/** A finding at or above this score was named by a cue (a legal form, a party clause, a title, a signature block). */
const CUE_SCORE = 0.6;
const WORD = /[\p{L}\p{N}][\p{L}\p{N}'’&.-]*/gu;
const bareWord = (w: string): string => w.replace(/['’]s$|['’.]+$/u, "").toLowerCase();

/** The words that tell an organisation apart: no legal form, no everyday or role word ("Kelvane" of "Kelvane AB"). */
function distinctiveWords(name: string): string[] {
  return (name.match(WORD) ?? []).map(bareWord).filter((w) => w.length >= 3 && !startsWithStrongSuffix(w) && !isEnglishWord(w) && !isNotAName(w));
}

/**
 * One entity, one type: a word the model or the lexicons guessed as a person or a place ("Kelvane shall supply",
 * "CEO of Kelvane") that is a distinctive word of an organisation a cue named in the same text ("Kelvane AB") is
 * that organisation, so the placeholders of its mentions agree. Not when the word is also part of a person's name
 * found by a cue ("Ivo Quenby" beside "Quenby Partners LLC": "Quenby" stays what it was read as).
 */
export function typeShortNames(text: string, findings: readonly PiiFinding[]): PiiFinding[] {
  const orgWords = new Set<string>();
  const personWords = new Set<string>();
  for (const f of findings) {
    if (f.score < CUE_SCORE || (f.type !== "ORGANIZATION" && f.type !== "PERSON")) continue;
    const name = text.slice(f.start, f.end);
    if (f.type === "ORGANIZATION") for (const w of distinctiveWords(name)) orgWords.add(w);
    else for (const w of name.match(WORD) ?? []) personWords.add(bareWord(w));
  }
  if (orgWords.size === 0) return [...findings];
  return findings.map((f) => {
    if (f.score >= CUE_SCORE || (f.type !== "PERSON" && f.type !== "LOCATION")) return f;
    const words = (text.slice(f.start, f.end).match(WORD) ?? []).map(bareWord);
    if (words.length === 0 || words.length > 3) return f;
    return words.every((w) => orgWords.has(w) && !personWords.has(w)) ? { ...f, type: "ORGANIZATION" } : f;
  });
}
