import type { PiiFinding } from "./pii-types";
import { isCommonWord, isNotAName } from "./recognizers/lexicons";

/** At most this many distinct names are looked for again (one regular expression each). */
const MAX_NAMES = 50;
const GUESSES: ReadonlySet<string> = new Set(["PERSON", "LOCATION", "ORGANIZATION"]);
const LETTER_OR_DIGIT = /[\p{L}\p{N}]/u;

/** The code point ending just before `at` (a surrogate pair read whole), as a string; "" at the start. */
function codePointBefore(text: string, at: number): string {
  if (at <= 0) return "";
  const low = text.charCodeAt(at - 1);
  if (low >= 0xdc00 && low <= 0xdfff && at >= 2) {
    const high = text.charCodeAt(at - 2);
    if (high >= 0xd800 && high <= 0xdbff) return text.slice(at - 2, at);
  }
  return text[at - 1] ?? "";
}

/**
 * Where `name` stands as a whole word (no letter or digit right before or after), left to right, not overlapping:
 * what a `(?<![\p{L}\p{N}])name(?![\p{L}\p{N}])` search finds, without a look-behind tried at every offset.
 */
function* wholeWordMentions(text: string, name: string): Generator<number> {
  for (let at = text.indexOf(name); at >= 0; ) {
    const after = text.codePointAt(at + name.length);
    const free = !LETTER_OR_DIGIT.test(codePointBefore(text, at)) && (after === undefined || !LETTER_OR_DIGIT.test(String.fromCodePoint(after)));
    if (free) yield at;
    at = text.indexOf(name, free ? at + name.length : at + 1);
  }
}

/**
 * An organisation found once is found everywhere in the text: a cue names it once ("works for
 * Teradata", "Vringo, Inc.") and later mentions go without ("Teradata's office"). A mention replaces
 * a weaker name guess lying inside it (a lone unknown word read as a person); other findings it
 * overlaps stay. A name made of everyday words only ("Here", "Scale Unlimited") is never looked for
 * again: it is a name only where its cue is.
 */
export function withRepeatedMentions(text: string, findings: readonly PiiFinding[]): PiiFinding[] {
  const names = new Map<string, PiiFinding>();
  for (const f of findings) {
    if (f.type !== "ORGANIZATION") continue;
    const name = text.slice(f.start, f.end);
    // only names with a word of their own: "Board of Directors" or "Here" found once by mistake must not spread
    const own = name.split(/[\s,.&-]+/).some((w) => /\p{L}{2,}/u.test(w) && !isCommonWord(w) && !isNotAName(w));
    if (name.length < 3 || names.has(name) || !own) continue;
    names.set(name, f);
    if (names.size >= MAX_NAMES) break;
  }
  if (names.size === 0) return [...findings];
  let out = [...findings];
  for (const [name, f] of names) {
    for (const start of wholeWordMentions(text, name)) {
      const end = start + name.length;
      const hit = out.filter((x) => start < x.end && x.start < end);
      if (hit.some((x) => !GUESSES.has(String(x.type)) || x.score >= f.score || x.start < start || x.end > end)) continue;
      out = out.filter((x) => !hit.includes(x));
      out.push({ type: "ORGANIZATION", start, end, score: f.score, recognizer: "RepeatedMentionRecognizer" });
    }
  }
  return out.sort((a, b) => a.start - b.start || a.end - b.end);
}
