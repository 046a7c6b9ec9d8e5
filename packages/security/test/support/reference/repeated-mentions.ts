import type { PiiFinding } from "../../../src/pii/pii-types";
import { isCommonWord, isNotAName } from "../../../src/pii/recognizers/lexicons";

/** At most this many distinct names are looked for again (one regular expression each). */
const MAX_NAMES = 50;
/** A person found with this score (a title, a role, a signature block) is looked for again by the full name. */
const PERSON_CUE_SCORE = 0.8;
const GUESSES: ReadonlySet<string> = new Set(["PERSON", "LOCATION", "ORGANIZATION"]);
const escape = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

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
  let out = [...findings];
  for (const [name, f] of names) {
    for (const m of text.matchAll(new RegExp(`(?<![\\p{L}\\p{N}])${escape(name)}(?![\\p{L}\\p{N}])`, "gu"))) {
      const [start, end] = [m.index, m.index + name.length];
      const hit = out.filter((x) => start < x.end && x.start < end);
      if (hit.some((x) => !GUESSES.has(String(x.type)) || x.score >= f.score || x.start < start || x.end > end)) continue;
      out = out.filter((x) => !hit.includes(x));
      out.push({ type: f.type, start, end, score: f.score, recognizer: "RepeatedMentionRecognizer" });
    }
  }
  return out.sort((a, b) => a.start - b.start || a.end - b.end);
}
