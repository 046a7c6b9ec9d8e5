import type { PiiFinding } from "./pii-types";
import { isEnglishWord, isNotAName } from "./recognizers/lexicons";

/** `("HDS")`, `(hereinafter "EIT")`, `(the "Company" or "Phreesia")`: a short name defined in a contract's preamble. */
const ALIAS = /\((?:[^()"“”\n]{0,30}?\s)?["“]\s*([^"“”()\n]{2,40}?)\s*["”]|hereinafter(?:\s+referred\s+to\s+as)?\s+(?:the\s+)?["“]\s*([^"“”()\n]{2,40}?)\s*["”]/gu;
const PARTY_TYPES: ReadonlySet<string> = new Set(["ORGANIZATION", "PERSON", "ADDRESS"]);
/** True when the capitalised words ending `before` have the alias as initials ("People's Republic of China" → "PRC"). */
function spelledOut(before: string, alias: string): boolean {
  if (!/^\p{Lu}{2,6}$/u.test(alias)) return false;
  const words = (before.match(/[\p{L}'’-]+/gu) ?? []).filter((w) => !/^(?:of|the|and|for|&)$/i.test(w));
  const tail = words.slice(-alias.length);
  return tail.length === alias.length && tail.map((w) => w[0]).join("").toUpperCase() === alias;
}

/**
 * A short name a contract defines for a party right after naming it (its name, legal form or address) is the
 * party too, whatever it looks like ("HDS", "PDMS", "e-centives"), unless it is made of everyday or role words
 * ("Company", "Effective Date") or spells out a place just named (the People's Republic of China ("PRC")).
 * Later mentions are found by the repeated-mention pass.
 */
export function partyAliases(text: string, findings: readonly PiiFinding[]): PiiFinding[] {
  if (!/["“]/.test(text)) return [];
  const out: PiiFinding[] = [];
  const sorted = [...findings].sort((a, b) => a.end - b.end);
  for (const m of text.matchAll(ALIAS)) {
    const alias = (m[1] ?? m[2] ?? "").trim();
    // ("Party,"), ("Vendor's Minimum Share"): the words without punctuation and possessives
    const words = alias
      .split(/[\s-]+/)
      .map((w) => w.replace(/['’]s$|[^\p{L}\p{N}]+$/u, ""))
      .filter((w) => /\p{L}/u.test(w));
    if (words.length === 0 || words.length > 4 || !/^[\p{L}\d]/u.test(alias)) continue;
    if (words.every((w) => isEnglishWord(w) || isNotAName(w) || /^(?:the|of|and|&)$/i.test(w))) continue;
    const start = m.index + m[0].lastIndexOf(alias);
    if (findings.some((f) => f.start < start + alias.length && start < f.end)) continue;
    // the party: a name or an address that ends in the same sentence, at most 400 characters before
    const windowStart = Math.max(0, m.index - 400);
    const sentence = text.slice(windowStart, m.index);
    const cut = Math.max(sentence.search(/\n\s*\n(?![\s\S]*\n\s*\n)/), sentence.search(/[.;]\s+\p{Lu}(?![\s\S]*[.;]\s+\p{Lu})/u));
    const from = windowStart + (cut >= 0 ? cut : 0);
    let party: PiiFinding | undefined;
    let place: PiiFinding | undefined;
    let named: PiiFinding | undefined;
    for (const f of sorted) {
      if (f.end > m.index) break;
      if (f.end < from) continue;
      if (PARTY_TYPES.has(String(f.type))) party = f;
      // the alias's type follows the last confident name ("Secaucus" guessed as a person inside an address is not one)
      if ((f.type === "PERSON" || f.type === "ORGANIZATION") && f.score >= 0.6) named = f;
      place = f;
    }
    if (!party) continue;
    // "the People's Republic of China ("PRC")", "the Securities Exchange Act ("SEA")": the words just before spell the
    // alias out and are no party's name
    const right = place && m.index - place.end < 8 && place.type !== "LOCATION" ? place : undefined;
    if (!right && spelledOut(text.slice(Math.max(0, m.index - 80), m.index), alias)) continue;
    out.push({ type: named?.type === "PERSON" ? "PERSON" : "ORGANIZATION", start, end: start + alias.length, score: 0.7, recognizer: "PartyAliasRecognizer" });
  }
  return out;
}
