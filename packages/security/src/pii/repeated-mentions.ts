import type { PiiFinding } from "./pii-types";
import { isCommonWord, isNotAName } from "./recognizers/lexicons";
import { lowerBound } from "./lower-bound";

/** At most this many distinct names are looked for again (one regular expression each). */
const MAX_NAMES = 50;
/** A person found with this score (a title, a role, a signature block) is looked for again by the full name. */
const PERSON_CUE_SCORE = 0.8;
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
    // a person named by a cue ("By: /s/ John Smith", "Mr. John Smith") is the same person on the signature line below
    const cuePerson = f.type === "PERSON" && f.score >= PERSON_CUE_SCORE;
    if (f.type !== "ORGANIZATION" && !cuePerson) continue;
    const name = text.slice(f.start, f.end);
    if (cuePerson && !/\s/u.test(name.trim())) continue;
    // only names with a word of their own: "Board of Directors" or "Here" found once by mistake must not spread
    // (a person's cue already says it is a name: "John Smith" is two everyday words)
    const own = name.split(/[\s,.&-]+/).some((w) => /\p{L}{2,}/u.test(w) && (cuePerson || !isCommonWord(w)) && !isNotAName(w));
    if (name.length < 3 || names.has(name) || !own) continue;
    names.set(name, f);
    // "Pretzel  Time" (spaced out in a justified preamble) is "Pretzel Time" in the text after it
    const single = name.replace(/\s+/gu, " ");
    if (single !== name && !names.has(single)) names.set(single, f);
    if (names.size >= MAX_NAMES) break;
  }
  if (names.size === 0) return [...findings];
  const sorted = [...findings].sort((a, b) => a.start - b.start || a.end - b.end);
  return isDisjoint(sorted) ? replaceInOrder(text, names, sorted) : replaceInList(text, names, findings);
}

/** Non-empty spans, none overlapping the next (a scan's resolved findings). */
function isDisjoint(sorted: readonly PiiFinding[]): boolean {
  for (let i = 0; i < sorted.length; i++) {
    const f = sorted[i] as PiiFinding;
    if (f.end <= f.start || (i > 0 && f.start < (sorted[i - 1] as PiiFinding).end)) return false;
  }
  return true;
}

/** Whether a mention of `f`'s name at [start, end) may replace the findings it overlaps. */
function mayReplace(hit: readonly PiiFinding[], f: PiiFinding, start: number, end: number): boolean {
  return !hit.some((x) => !GUESSES.has(String(x.type)) || x.score >= f.score || x.start < start || x.end > end);
}

/**
 * Disjoint findings in offset order stay disjoint and in order (a mention replaces every finding it overlaps or is
 * refused), so the findings a mention overlaps are found by binary search instead of a pass over all of them.
 */
function replaceInOrder(text: string, names: ReadonlyMap<string, PiiFinding>, sorted: PiiFinding[]): PiiFinding[] {
  const out = sorted;
  for (const [name, f] of names) {
    for (const start of wholeWordMentions(text, name)) {
      const end = start + name.length;
      // the first finding ending after `start` (ends grow with starts in disjoint spans)
      const lo = lowerBound(out.length, (i) => (out[i] as PiiFinding).end <= start);
      let to = lo;
      while (to < out.length && (out[to] as PiiFinding).start < end) to++;
      if (!mayReplace(out.slice(lo, to), f, start, end)) continue;
      out.splice(lo, to - lo, { type: f.type, start, end, score: f.score, recognizer: "RepeatedMentionRecognizer" });
    }
  }
  return out;
}

/** Any findings (overlapping ones too): each mention looks at all of them. */
function replaceInList(text: string, names: ReadonlyMap<string, PiiFinding>, findings: readonly PiiFinding[]): PiiFinding[] {
  let out = [...findings];
  for (const [name, f] of names) {
    for (const start of wholeWordMentions(text, name)) {
      const end = start + name.length;
      const hit = out.filter((x) => start < x.end && x.start < end);
      if (!mayReplace(hit, f, start, end)) continue;
      out = out.filter((x) => !hit.includes(x));
      out.push({ type: f.type, start, end, score: f.score, recognizer: "RepeatedMentionRecognizer" });
    }
  }
  return out.sort((a, b) => a.start - b.start || a.end - b.end);
}
