import type { PiiFinding } from "./pii-types";
import { isEnglishWord, isNotAName } from "./recognizers/lexicons";
import { textBefore } from "./recognizers/whole-words";
import { lowerBound } from "./lower-bound";

/** `("HDS")`, `(hereinafter "EIT")`, `(the "Company" or "Phreesia")`: a short name defined in a contract's preamble. */
const ALIAS = /\((?:[^()"“”\n]{0,30}?\s)?["“]\s*([^"“”()\n]{2,40}?)\s*["”]|hereinafter(?:\s+referred\s+to\s+as:?)?\s+(?:the\s+)?["“]\s*([^"“”()\n]{2,40}?)\s*["”]/gu;
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
/** Further quoted names in the same brackets: `("Party A" or "Phoenix Satellite TV")`, `("BE" or, as operator, "Operator")`. */
const MORE_IN_BRACKETS = /^(?:[^()"“”\n]{0,40}?["“]\s*([^"“”()\n]{2,40}?)\s*["”])/u;
/** Kinds of body, never a party's short name on their own ("Commission", "Trust", "Bank"). */
const GENERIC_BODY = /^(?:trust|fund|funds|bank|company|group|partnership|corporation|holdings|partners|association|society|authority|agency|board|commission|department|government|council|university|institute|centre|center)$/i;
/** Legal forms left out of a name's initials ("BLOOM ENERGY CORPORATION" → "BE"). */
const FORM_WORD = /^(?:inc|incorporated|llc|ltd|limited|corp|corporation|company|co|plc|lp|llp|gmbh|ag|sa|nv|bv)\.?$/i;

/** The words of an alias without punctuation and possessives ("Party," → "Party", "Vendor's" → "Vendor"). */
function aliasWords(alias: string): string[] {
  return alias
    .split(/[\s/-]+/)
    .map((w) => w.replace(/['’]s$|[^\p{L}\p{N}]+$/u, ""))
    .filter((w) => /\p{L}/u.test(w));
}

/**
 * True when a short name of everyday words is the party's own: each of its words is in the party's name ("Oak
 * Ridge" for "Oak Ridge Micro-Energy, Inc."), or it is the initials of the name ("BE" for "BLOOM ENERGY CORPORATION").
 */
function namedAfterParty(alias: string, words: readonly string[], party: string): boolean {
  const partyWords = (party.match(/[\p{L}\p{N}][\p{L}\p{N}'’&.-]*/gu) ?? []).map((w) => w.replace(/[.'’]+$/u, ""));
  const lower = new Set(partyWords.map((w) => w.toLowerCase()));
  if (words.length === 1 && GENERIC_BODY.test(words[0] ?? "")) return false;
  if (words.every((w) => lower.has(w.toLowerCase())) && !words.every((w) => isNotAName(w))) return true;
  if (!/^\p{Lu}{2,6}$/u.test(alias)) return false;
  const initials = partyWords.filter((w) => !FORM_WORD.test(w) && !/^(?:of|and|the|&)$/i.test(w)).map((w) => w[0]?.toUpperCase()).join("");
  return initials === alias;
}

/** What a contract calls itself or its parts ("Agreement", "Services"): never a party's short name. */
const DOCUMENT_WORD = /^(?:the\s+)?(?:Agreement|Contract|Amendment|Plan|Services?|Products?|Program|Schedule|Exhibit|License|Licence|Work|Works|Project|Term|Territory)$/i;
/** The last word of a document's short name ("JV Agreement", "Supply Contract"). */
const DOCUMENT_TAIL = /^(?:agreement|contract|amendment|addendum|plan|schedule|exhibit|policy|license|licence)$/i;
/** A brand written with a lower-case letter and a hyphen or an inner capital ("i-Escrow", "e-centives", "mPhase"): no everyday word. */
const HYPHEN_BRAND = /^\p{Ll}{1,2}(?:-\p{L}|\p{Lu})/u;

/**
 * A short name a contract defines for a party right after naming it (its name, legal form or address) is the
 * party too, whatever it looks like ("HDS", "PDMS", "e-centives"), unless it is made of everyday or role words
 * ("Company", "Effective Date") that are not the party's own ("Oak Ridge" for Oak Ridge Micro-Energy, "BE" for Bloom
 * Energy) or spells out a place just named (the People's Republic of China ("PRC")). Every quoted name in the
 * brackets counts (`("Party A" or "Phoenix Satellite TV")`). Later mentions are found by the repeated-mention pass.
 */
export function partyAliases(text: string, findings: readonly PiiFinding[]): PiiFinding[] {
  if (!/["“]/.test(text)) return [];
  const out: PiiFinding[] = [];
  const sorted = [...findings].sort((a, b) => a.end - b.end);
  const confident = confidentFindings(findings);
  for (const m of text.matchAll(ALIAS)) {
    const first = (m[1] ?? m[2] ?? "").trim();
    const candidates: { alias: string; start: number }[] = [{ alias: first, start: m.index + m[0].lastIndexOf(first) }];
    // the other quoted names inside the same brackets
    for (let at = m.index + m[0].length; m[0].startsWith("(") && candidates.length < 4; ) {
      const more = MORE_IN_BRACKETS.exec(text.slice(at, at + 120));
      if (!more) break;
      const alias = (more[1] ?? "").trim();
      candidates.push({ alias, start: at + more[0].lastIndexOf(alias) });
      at += more[0].length;
    }
    for (const { alias, start } of candidates) {
      const found = aliasFor(text, confident, sorted, m.index, alias, start);
      if (found) out.push(found);
    }
  }
  return out;
}

/** The findings of score 0.6 or more by start, with the longest one's length: which overlap a span is found by binary search. */
interface ConfidentFindings {
  readonly byStart: readonly PiiFinding[];
  readonly longest: number;
}
function confidentFindings(findings: readonly PiiFinding[]): ConfidentFindings {
  const byStart = findings.filter((f) => f.score >= 0.6).sort((a, b) => a.start - b.start);
  return { byStart, longest: byStart.reduce((m, f) => Math.max(m, f.end - f.start), 0) };
}
/** The confident findings overlapping [start, end) (those starting from `start - longest` on are the only ones that can). */
function overlapping(confident: ConfidentFindings, start: number, end: number): PiiFinding[] {
  const { byStart } = confident;
  const lo = lowerBound(byStart.length, (i) => (byStart[i]?.start ?? 0) < start - confident.longest);
  const out: PiiFinding[] = [];
  for (let i = lo; i < byStart.length; i++) {
    const f = byStart[i] as PiiFinding;
    if (f.start >= end) break;
    if (start < f.end) out.push(f);
  }
  return out;
}
/** The first of `sorted` (by end) ending at `from` or later. */
function firstEndingFrom(sorted: readonly PiiFinding[], from: number): number {
  return lowerBound(sorted.length, (i) => (sorted[i]?.end ?? 0) < from);
}

const firstWord = (s: string): string => (/[\p{L}\p{N}]+/u.exec(s)?.[0] ?? "").toLowerCase();

function aliasFor(text: string, confidentOnes: ConfidentFindings, sorted: readonly PiiFinding[], at: number, alias: string, start: number): PiiFinding | undefined {
  const words = aliasWords(alias);
  if (words.length === 0 || words.length > 4 || !/^[\p{L}\d]/u.test(alias)) return undefined;
  // (collectively "nanomaterials"): a lower-case term for a group of things, not a party's brand ("e-centives", "mPhase")
  if (!/^[\p{Lu}\d]/u.test(alias) && !HYPHEN_BRAND.test(alias) && /\bcollectively\b/i.test(text.slice(at, start))) return undefined;
  const everyday = !HYPHEN_BRAND.test(alias) && words.every((w) => isEnglishWord(w) || isNotAName(w) || /^(?:the|of|and|&)$/i.test(w));
  // a confident finding there already names it; a guess of the name model or the lexicons ("Oak" of ("Oak Ridge")) does
  // not, nor a place inside a longer short name that starts like the party's name ("Phoenix" of ("Phoenix Satellite
  // TV") for Phoenix Satellite Television Company Limited; not (the "Lima Project"))
  const end = start + alias.length;
  const placeInside = (f: PiiFinding): boolean => f.type === "LOCATION" && f.start >= start && f.end <= end && f.end - f.start < alias.length;
  const confident = overlapping(confidentOnes, start, end);
  if (confident.some((f) => !placeInside(f))) return undefined;
  // the party: a name or an address that ends in the same sentence, at most 400 characters before
  const windowStart = Math.max(0, at - 400);
  // brackets on a line of their own ("…Burnaby, BC V5A 1V3\n\n("Emerald" or the "Company")") close the paragraph above
  const sentence = text.slice(windowStart, at).replace(/\n\s*\n\s*$/u, (g) => " ".repeat(g.length));
  const cut = Math.max(sentence.search(/\n\s*\n(?![\s\S]*\n\s*\n)/), sentence.search(/[.;]\s+\p{Lu}(?![\s\S]*[.;]\s+\p{Lu})/u));
  const from = windowStart + (cut >= 0 ? cut : 0);
  let party: PiiFinding | undefined;
  let place: PiiFinding | undefined;
  let named: PiiFinding | undefined;
  for (let i = firstEndingFrom(sorted, from); i < sorted.length; i++) {
    const f = sorted[i] as PiiFinding;
    if (f.end > at) break;
    if (PARTY_TYPES.has(String(f.type))) party = f;
    // a name guessed inside an address is part of it, not the party
    if (f.type === "ADDRESS" && named && named.start >= f.start) named = undefined;
    // the alias's type follows the last confident name ("Secaucus" guessed as a person inside an address is not one)
    if ((f.type === "PERSON" || f.type === "ORGANIZATION") && f.score >= 0.6) named = f;
    place = f;
  }
  if (!party) return undefined;
  if (confident.length > 0 && !(named && firstWord(text.slice(named.start, named.end)) === firstWord(alias))) return undefined;
  // (the "JV Agreement"), (the "Supply Contract"): a document's short name, whatever its first word
  if (words.length >= 2 && DOCUMENT_TAIL.test(words[words.length - 1] ?? "")) return undefined;
  // (this "Agreement") names the document, whatever title was read as a name before it
  if (everyday && (DOCUMENT_WORD.test(alias) || /\bthis\s+["“]$/i.test(textBefore(text, start, 8)))) return undefined;
  if (everyday && !(named && namedAfterParty(alias, words, text.slice(named.start, named.end)))) return undefined;
  // "the People's Republic of China ("PRC")", "the Securities Exchange Act ("SEA")": the words just before spell the
  // alias out and are no party's name
  const right = place && at - place.end < 8 && place.type !== "LOCATION" ? place : undefined;
  if (!right && spelledOut(text.slice(Math.max(0, at - 80), at), alias)) return undefined;
  // a person's short name is made of the person's name ("Idan Quill ("Quill")", ("IQ")); a short name made of no
  // word of the last person read (a word of an address guessed as one, "Haus Quell") is an organisation's
  const person = named?.type === "PERSON" && madeFromName(words, text.slice(named.start, named.end));
  return { type: person ? "PERSON" : "ORGANIZATION", start, end: start + alias.length, score: 0.7, recognizer: "PartyAliasRecognizer" };
}

/** True when a short name's words are all words of `name`, or it is the initials of `name`'s words. */
function madeFromName(words: readonly string[], name: string): boolean {
  const nameWords = (name.match(/[\p{L}\p{N}]+/gu) ?? []).map((w) => w.toLowerCase());
  if (words.every((w) => nameWords.includes(w.toLowerCase()))) return true;
  return words.length === 1 && (words[0] ?? "").toLowerCase() === nameWords.map((w) => w[0]).join("");
}
