import { isCommonWord, isEnglishWord, isNotAName } from "./lexicons";
import { isJobTitleWord } from "./job-titles";
import { capitalise } from "./lexicon-tags";
import { STOP_START } from "./name-spans";
import { casedLegalForms, legalForms } from "./legal-forms";

/** Adds an organisation found between two offsets (the recognizer tidies and checks the span). */
export type Push = (start: number, end: number, score: number, lowerCase?: boolean) => void;

const SUFFIXES = `${legalForms("s")}|Bank|Group|Partners|Holdings|Trust|Associates|Foundation|Capital|Insurance|Solutions|Technologies|Systems|Enterprises|Industries|Bancorp|University|Hospital|Agency|Authority|Software|Services|Resources|Labs|Analytics|Consulting|Networks|Ventures|Pharmaceuticals|Logistics|Board|Center|Centre|Association|Department|Commission|Council|Institute|Journal|Society|Federation`;
/** Corporate suffixes, as written and in capitals ("Bank", "BANK"). */
export const ORG_SUFFIX = `(?:${SUFFIXES}|${SUFFIXES.toUpperCase()})`;
/** Words that do not occur inside a company name (in any case). */
export const FUNCTION_WORD =
  /^(?:if|any|each|all|such|upon|unless|when|with|by|to|in|on|at|as|or|is|are|be|this|that|these|those|its|their|our|his|her|other|no|not|than|then|shall|may|will|an|under|from|into|per|against|between|during|through|without|within)$/i;
/** Suffixes that only legal entities carry, in any case (see startsWithStrongSuffix). */
const STRONG_SUFFIX_ANY_CASE = new RegExp(`^[\\s,]*(?:${legalForms("t", "apart")})(?![\\p{L}])`, "iu");
/** Legal forms that are everyday words in another case (the given name "Asa", "ab initio"): only as written or in capitals. */
const STRONG_SUFFIX_CASED = new RegExp(`^[\\s,]*(?:${casedLegalForms("t")})(?![\\p{L}])`, "u");
/** Does `text` open with a suffix only legal entities carry (unlike "Bank", "Group", "Company", which defined terms use too)? */
export function startsWithStrongSuffix(text: string): boolean {
  return STRONG_SUFFIX_ANY_CASE.test(text) || STRONG_SUFFIX_CASED.test(text);
}

/** A connector inside a name ("Bank of America", "Johnson & Johnson"). */
export const CONNECTOR = /^(?:of|and|&|the|for)$/i;
/** A word that ends company names ("Partners", "Bank", "Capital"), in any case. */
const SUFFIX_WORD = new RegExp(`^(?:${SUFFIXES})$`, "i");
/** A word that ends company names ("Partners", "Holdings", "Group"), in any case. */
export const isOrgSuffixWord = (w: string): boolean => SUFFIX_WORD.test(w);
/** A word that starts a clause, a heading or a defined term ("THE", "And", "Borrower"), in any case. */
export const isStopOrRole = (w: string): boolean => STOP_START.has(capitalise(w.toLowerCase())) || isNotAName(bare(w));
/** "Company's" → "Company". */
export const bare = (w: string): string => w.replace(/['’]s$/u, "");
/** A word that reads as a name, not an everyday word. */
export const distinctive = (w: string): boolean => !isCommonWord(w) && !isNotAName(w) && !STOP_START.has(w);

/** Where the name proper starts: after clause words and role words ("Title: Chairman Borrower Airland Limited"). */
export function nameStart(words: readonly string[]): number {
  // a role or a job title followed by a distinctive name closes what came before ("Borrower Airland", "Director
  // Bizexpress"), but not "Bank of" nor "Mellon Investor Services" (no distinctive word after the role word)
  // a word that ends company names stands inside one after a word of it ("Chase Bank USA, N.A.", "Marathon Partners
  // LUX Fund, L.P.", "HARVEST SMALL CAP PARTNERS GP, LLC"): no cut there
  const cut = (i: number, first: number): boolean => {
    const w = words[i] ?? "";
    const next = words[i + 1] ?? "";
    if (i > first && SUFFIX_WORD.test(bare(w)) && !isStopOrRole(words[i - 1] ?? "") && !isJobTitleWord(words[i - 1] ?? "")) return false;
    // "Authorized Signatory MEZZANINE PARTNERS": a job title in title case before a name in capitals ends there
    if (isJobTitleWord(w) && !SUFFIX_WORD.test(w) && /^\p{Lu}\p{Ll}/u.test(w) && /^\p{Lu}{2,}/u.test(next)) return true;
    // (a fund's series numeral, "Fund I LP", is no distinctive word after a month or role: "Snowy August Fund I LP" stays whole)
    if (CONNECTOR.test(w) || CONNECTOR.test(next) || !words.slice(i + 1).some((x) => !isCommonWord(bare(x)) && !/^[IVX]{1,4}$/.test(x))) return false;
    return isStopOrRole(w) || isJobTitleWord(w);
  };
  let first = 0;
  while (first < words.length && isStopOrRole(words[first] ?? "")) first++;
  for (let i = first; i < words.length - 1; i++) if (cut(i, first)) first = i + 1;
  // "Jeremy Hartmann of Gradiant Research LLC": a person's name before "of" is not part of the company's
  const of = words.indexOf("of", first);
  const before = words.slice(first, of);
  if (before.length >= 2 && before.length <= 3 && before.every((w) => /^\p{Lu}\p{Ll}/u.test(w) && !isEnglishWord(w) && !isNotAName(w))) first = of + 1;
  return first;
}
