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

/** A finding at or above this score was named by a cue (a legal form, a party clause, a title, a defined short name). */
const CUE_SCORE = 0.6;
const NAME_TYPES: ReadonlySet<string> = new Set(["PERSON", "ORGANIZATION"]);

/** A short name the contract defines for a person party (`Ada Quill ("Quill")`): the person wherever it is written. */
const isPersonAlias = (f: PiiFinding): boolean => f.type === "PERSON" && f.recognizer === "PartyAliasRecognizer";

/** The most confident of a name's readings (the first of equals): its type is the name's. */
function agreedReading(readings: readonly PiiFinding[]): PiiFinding | undefined {
  let best: PiiFinding | undefined;
  for (const r of readings) if (!best || r.score > best.score) best = r;
  return best;
}

/**
 * An organisation found once is found everywhere in the text: a cue names it once ("works for
 * Teradata", "Vringo, Inc.") and later mentions go without ("Teradata's office"). A mention replaces
 * a weaker name guess lying inside it (a lone unknown word read as a person); other findings it
 * overlaps stay. A name made of everyday words only ("Here", "Scale Unlimited") is never looked for
 * again: it is a name only where its cue is. A word in capitals guessed as an organisation is looked for again like
 * any other (not spreading it left a party's one-word name visible where no cue reached it).
 * One entity, one type: a name read as a person in some places and as an organisation in others takes the type of its
 * most confident reading everywhere (a short name defined for a person party over a guess that it is a company), and
 * a short name defined for a person party is looked for again as that person.
 */
export function withRepeatedMentions(text: string, findings: readonly PiiFinding[]): PiiFinding[] {
  const { names, typed } = namesToRepeat(text, findings);
  if (names.size === 0) return [...typed];
  const sorted = [...typed].sort((a, b) => a.start - b.start || a.end - b.end);
  return isDisjoint(sorted) ? replaceInOrder(text, names, sorted) : replaceInList(text, names, typed);
}

/**
 * The names withRepeatedMentions looks for again, each with the finding whose type and score its mentions take, and
 * the findings with their types agreed (internal; the fast path's frozen reference shares it: only the search changed).
 */
export function namesToRepeat(text: string, findings: readonly PiiFinding[]): { names: ReadonlyMap<string, PiiFinding>; typed: readonly PiiFinding[] } {
  const names = new Map<string, PiiFinding>();
  for (const f of findings) {
    // a person named by a cue ("By: /s/ John Smith", "Mr. John Smith") is the same person on the signature line below
    const cuePerson = f.type === "PERSON" && f.score >= PERSON_CUE_SCORE;
    const personAlias = isPersonAlias(f);
    if (f.type !== "ORGANIZATION" && !cuePerson && !personAlias) continue;
    const name = text.slice(f.start, f.end);
    if (cuePerson && !personAlias && !/\s/u.test(name.trim())) continue;
    // only names with a word of their own: "Board of Directors" or "Here" found once by mistake must not spread
    // (a person's cue already says it is a name: "John Smith" is two everyday words)
    const person = cuePerson || personAlias;
    const own = name.split(/[\s,.&-]+/).some((w) => /\p{L}{2,}/u.test(w) && (person || !isCommonWord(w)) && !isNotAName(w));
    if (name.length < 3 || names.has(name) || !own) continue;
    names.set(name, f);
    // "Harbor  Lantern" (spaced out in a justified preamble) is "Harbor Lantern" in the text after it
    const single = name.replace(/\s+/gu, " ");
    if (single !== name && !names.has(single)) names.set(single, f);
    if (names.size >= MAX_NAMES) break;
  }
  return { names, typed: agreeOnTypes(text, names, findings) };
}

/**
 * Each name read both as a person and as an organisation takes the type of its most confident reading (a name looked
 * for again is looked for as that reading), and its guesses of another type (score under 0.6) are re-typed: one
 * entity, one placeholder. Not when cues (score 0.6 or more) read it both ways: which one is right is not known here.
 */
function agreeOnTypes(text: string, names: Map<string, PiiFinding>, findings: readonly PiiFinding[]): readonly PiiFinding[] {
  const readings = new Map<string, PiiFinding[]>();
  for (const f of findings) {
    if (!NAME_TYPES.has(String(f.type))) continue;
    const name = text.slice(f.start, f.end);
    const list = readings.get(name);
    if (list) list.push(f);
    else readings.set(name, [f]);
  }
  const retype = new Map<string, string>();
  for (const [name, list] of readings) {
    if (!list.some((r) => r.type !== list[0]?.type)) continue;
    // cues of both types ("By: /s/ Acme Holdings LP" read as a signer, "Acme Holdings LP" as a party): left as read
    const cueTypes = new Set(list.filter((r) => r.score >= CUE_SCORE).map((r) => r.type));
    if (cueTypes.size > 1) continue;
    const agreed = agreedReading(list);
    if (!agreed) continue;
    if (names.has(name)) names.set(name, agreed);
    retype.set(name, String(agreed.type));
  }
  if (retype.size === 0) return findings;
  return findings.map((f) => {
    const type = f.score < CUE_SCORE && NAME_TYPES.has(String(f.type)) ? retype.get(text.slice(f.start, f.end)) : undefined;
    return type && type !== f.type ? { ...f, type } : f;
  });
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
