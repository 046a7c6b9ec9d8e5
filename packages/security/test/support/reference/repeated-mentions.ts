import type { PiiFinding } from "../../../src/pii/pii-types";
import { namesToRepeat } from "../../../src/pii/repeated-mentions";

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
  // which names, and their types agreed, as the scanner decides them now (only the search for mentions is the oracle's)
  const { names, typed } = namesToRepeat(text, findings);
  if (names.size === 0) return [...typed];
  let out = [...typed];
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
