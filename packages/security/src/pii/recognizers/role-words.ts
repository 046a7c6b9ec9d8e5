// Role words built by word formation rather than listed: a contract coins them ("Certificateholders", "Co-Borrowers",
// "Escrowee") and a reader knows them for roles from their parts, so no recognizer may read them as names.
import { isEnglishWord, isGivenOrFamilyName, isNotAName } from "./lexicons";
import { isKnownPlaceName } from "./lexicon-tags";

/** A role noun the lists name, singular or plural ("Servicer", "Lessees"; not "chapter" of "Subchapter"). */
function isRoleNoun(word: string): boolean {
  return isNotAName(word) || (/s$/i.test(word) && isNotAName(word.slice(0, -1)));
}

/**
 * "Escrowee", "Trustor", "Promisor", "Offeree", "Designee": "-or" or "-ee" after an English verb (its stem, or the stem
 * with "e" or "ate" back: "promis-e", "design-ate") names the party that does or receives it. Not a known given or
 * family name ("Trainor", "Windsor", "Chaffee"), a known place ("Pawnee") or an English word (read as one elsewhere).
 */
export function isCorrelativeRole(word: string): boolean {
  if (!/^\p{Lu}/u.test(word)) return false;
  const m = /^(\p{L}{4,}?)(?:or|ee)s?$/iu.exec(word);
  const stem = m?.[1]?.toLowerCase();
  if (stem === undefined || isEnglishWord(word) || isGivenOrFamilyName(word) || isKnownPlaceName(word)) return false;
  return isEnglishWord(stem) || isEnglishWord(`${stem}e`) || isEnglishWord(`${stem}ate`);
}

/**
 * A role written as one word by word formation, not by a list: an English noun run together with "holder(s)" or
 * "owner(s)" ("Securityholders", "Certificateholder", "Unitowners"), as "Stockholders" is; "co-"/"sub-" before a role
 * noun ("Co-Borrowers", "Sub-Agent", "Sublessees", "Co-Trustee"). A possessive is no part of the word.
 */
export function isRoleCompound(word: string): boolean {
  const w = word.replace(/['’]s?$/u, "");
  const held = /^(\p{L}{3,}?)-?(?:holder|owner)s?$/iu.exec(w);
  if (held?.[1] !== undefined && isEnglishWord(held[1])) return true;
  const prefixed = /^(?:co|sub)(-?)(\p{L}{4,})$/iu.exec(w);
  // without a hyphen, a known name is no compound ("Cosimo"); with one, "Co-" and "Sub-" are plain prefixes
  return prefixed?.[2] !== undefined && isRoleNoun(prefixed[2]) && (prefixed[1] === "-" || !isGivenOrFamilyName(w));
}

/**
 * "Payor" in a text that also writes "Payee" (or "Bailee" beside "Bailor"): a word in "-or"/"-ee" whose correlative,
 * the same stem with the other ending, is written capitalised in the same text names one side of a pair of roles,
 * even when the word is also a surname. Only the text's own words decide.
 */
export function hasCorrelativeIn(text: string, word: string): boolean {
  const m = /^(\p{Lu}\p{L}{2,}?)(or|ee)(s?)$/u.exec(word);
  if (!m?.[1]) return false;
  const other = `${m[1]}${m[2] === "or" ? "ee" : "or"}`;
  for (let at = text.indexOf(other); at >= 0; at = text.indexOf(other, at + 1)) {
    // the whole word ("Payee", "Payees", "Payee's"), not the start of a longer one
    const after = text.slice(at + other.length, at + other.length + 2);
    if (!/\p{L}/u.test(text[at - 1] ?? "") && /^s?(?!\p{L})/u.test(after)) return true;
  }
  return false;
}

/**
 * Whether the text itself uses `word` as a role: after a determiner ("the Escrowee", "each Promisor", "such Offeree")
 * or defined in quotes ('"Designee"'). A surname is written alone or after a given name or title ("reply to Walkor"),
 * so an "-or"/"-ee" word the lists do not know is read as a role only where the text shows it is one.
 */
export function usedAsRoleIn(text: string, word: string): boolean {
  const escaped = word.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  return new RegExp(`(?:\\b(?:[Tt]he|[Ee]ach|[Aa]ny|[Ss]uch|[Ss]aid|[Ee]very|[Nn]o|[Aa]n?)\\s+|["“])${escaped}(?![\\p{L}])`, "u").test(text);
}
