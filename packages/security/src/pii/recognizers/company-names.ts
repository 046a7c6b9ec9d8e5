import { isCommonWord, isEnglishWord } from "./lexicons";
import { isKnownName, isKnownPlaceName } from "./lexicon-tags";
import { textBefore } from "./whole-words";
import { capitalStarts, cutOutside, skipRunAfterMiss, segmentMatches, triggeredMatches, type Cut, type Starts, type Trigger } from "../triggered-matches";
import { LETTER, NUMBER } from "../char-classes";
import { legalForms } from "./legal-forms";
import { bare, CONNECTOR, FUNCTION_WORD, isStopOrRole, nameStart, ORG_SUFFIX, startsWithStrongSuffix, type Push } from "./organization-words";

/**
 * One to nine capitalised words (a fund's name is long: "ALPINE CREDIT OPPORTUNITIES FUND IV OFFSHORE FEEDER, L.P."; the first may be written "iMine", "eBay"; a number may close them; a word in brackets may stand among them: "Fonterra (USA)
 * Inc.", "Oaktree Capital Management (International) Limited"), then a corporate or institutional suffix.
 */
const ORG_CUE = new RegExp(
  `(?<![\\p{L}_])(?:[\\p{Lu}]|\\p{Ll}\\p{Lu})[\\p{L}&'’._-]*(?:[ \\t]+(?:(?:of|and|&|the|for)[ \\t]+)?(?:[\\p{Lu}][\\p{L}&'’._-]*|\\d{1,3}(?=[ \\t]+\\p{Lu})|\\d{1,2}\\p{Lu}{1,2}(?![\\p{L}\\p{N}])|\\(\\p{Lu}[\\p{L}.'’-]*(?:[ \\t]\\p{Lu}[\\p{L}.'’-]*)?\\))){0,8}(?:[ \\t]+\\d{1,4}(?:-\\d{1,4})?)?(?:[ \\t]*,)?[ \\t]+${ORG_SUFFIX}(?:[ \\t]*\\.)?(?![\\p{L}]|-\\p{L})`,
  "gu",
);
/** What each ORG_CUE match holds: a space or tab before the suffix. */
const ORG_CUE_TRIGGER = new RegExp(`[ \\t]${ORG_SUFFIX}`, "g");
/**
 * What no ORG_CUE match holds: it is made of letters, digits, & ' ’ . _ - , spaces, tabs, brackets and the "/" of
 * "A/S", and its look-arounds test for letters, "_" and "-" only (a cut reads as the text's edge). A contract's
 * paragraph is often one line: a segment between quotes, colons or semicolons is much shorter.
 */
const ORG_CUE_CUT = cutOutside(LETTER | NUMBER, "&'’._-, \t()/");
/**
 * Where an ORG_CUE match may start: a capital, or a lower-case letter before one ("eBay"), after no letter. After a
 * miss at a start its look-behind allowed (no letter, no "_" before), the rest of the first word's run (letters
 * & ' ’ . _ -) is passed over: a start there reads to the same end.
 */
const ORG_CUE_STARTS = skipRunAfterMiss(capitalStarts(true), LETTER, "&'’._-", "_");
/** A legal form that ends the name before ("Ltd." of "Co., Ltd. and …"). */
const LEADING_FORM = new RegExp(`^(?:${legalForms("h")})\\.?,?$`, "i");
/** Labels in capitals that head a contact or notice block ("CONTACT", "ATTENTION"), never a word of a name after them. */
const LINE_LABEL = /^(?:CONTACT|ATTENTION|ATTN|NOTICES?|COPY|COPIES|CC|RE|TO|FROM)$/;
/** A fund's series numeral after the legal form (", II", " IV"), before a comma, a bracket, lower-case words or the line end. */
const NUMERAL_AFTER_FORM = /^,?[ \t]+(?:I{2,3}|IV|VI{0,3}|IX|X)(?=[ \t]*(?:[,;)(]|\n|$)|[ \t]+\p{Ll})/u;
/** Buildings and sites named after a company ("Zhongguancun Software Park"): a place, not the company. */
export const SITE_AFTER = /^\s+(?:Park|Building|Tower|Plaza|Square|Mall|Campus|Street|Road|Avenue)(?![\p{L}])/u;
/** "a Delaware Corporation", "an Illinois Limited Liability Company": a legal form, not a name. */
const ARTICLE_BEFORE = /(?:^|[^\p{L}])(?:a|an|A|An)\s+$/u;
/** Suffixes of public bodies and institutions that take "of …" after them ("Federal Reserve Board of Governors"). */
const INSTITUTION = /^[\s,]*(?:Bank|Board|University|Institute|Department|Commission|Council|Association|Society|Federation|Agency|Authority|Foundation|Center|Centre)$/i;
/** "of the Federal Reserve System", "of Certified Public Accountants": the rest of an institution's name ("and the" starts another). */
const OF_TAIL = /^\s+(?:of|OF)\s+(?:(?:the|THE)\s+)?\p{Lu}[\p{L}'’-]*(?:\s+(?:(?:of|for|OF|FOR)\s+(?:(?:the|THE)\s+)?|(?:and|AND|&)\s+)?\p{Lu}[\p{L}'’-]*){0,5}/u;
/** Institutions named head first: "Bank of China", "Corps of Engineers", "Board of Governors of the Federal Reserve System". */
const HEADS = "Bank|University|Ministry|Department|Bureau|Corps|College|Academy|Board|Office|Commission|Council|Court|Institute";
/** "… and the Board of Arbitration": another institution starts inside a tail. */
const NEXT_HEAD = new RegExp(`\\s+(?:of|for|and|&|OF|FOR|AND)\\s+(?:(?:the|THE)\\s+)?(?:${HEADS}|${HEADS.toUpperCase()})(?![\\p{L}])`, "u");
/** The tail of an institution's name, up to another institution ("… of Directors and Board of Arbitration"). */
function ofTail(after: string, connector: RegExp = OF_TAIL): string | undefined {
  let tail = connector.exec(after)?.[0];
  if (!tail) return undefined;
  // text in capitals: "COURT OF LAW OR AN ARBITRATION PANEL" ends at the first function word
  const fn = tail.split(/(\s+)/).findIndex((w, i) => i > 2 && FUNCTION_WORD.test(w));
  if (fn > 0) tail = tail.split(/(\s+)/).slice(0, fn - 1).join("");
  const next = NEXT_HEAD.exec(tail.slice(3));
  return next ? tail.slice(0, 3 + next.index) : tail;
}
/** Words naming a document ("Agreement", "AMENDMENT"): a title holding one is no company's name. */
const DOCUMENT_TITLE = /^(?:agreement|contract|amendment|addendum|schedule|exhibit|annex|appendix)$/i;
/** "Web Site Services Agreement": a document word right after the suffix makes it a title. */
const DOCUMENT_AFTER = /^\s+(?:agreement|contract|amendment|addendum|schedule|exhibit|annex|appendix)(?![\p{L}])/iu;
/** A caption word and its number or letter, which may stand right before a name ("ATTACHMENT D", "Exhibit 10"). */
const CAPTION_WORD = /^(?:ATTACHMENT|Attachment|EXHIBIT|Exhibit|SCHEDULE|Schedule|ANNEX|Annex|APPENDIX|Appendix)$/;
const CAPTION_NUMBER = /^(?:[IVXLC]+|\p{Lu}|\d{1,3}(?:\.\d{1,2})?)[.:-]?$/u;
/** Governing bodies of the company itself ("Board of Directors"): not another organisation. */
const GENERIC_BODY = /^(?:directors|managers|trustees|members|supervisors|arbitration|arbitrators)$/i;

/** Bodies named for a purpose: "Centre for Probe Development", "Institute for Advanced Study". */
const FOR_HEADS = "Centre|Center|Institute|Foundation|Council|Agency|Office|Society|Association|Alliance|Coalition";
const FOR_TAIL = new RegExp(OF_TAIL.source.replace("(?:of|OF)", "(?:for|FOR)"), "u");
const INSTITUTION_OF = new RegExp(
  `(?<![\\p{L}])(?:(?:${HEADS}|${HEADS.toUpperCase()})(?=\\s+(?:of|OF)\\s)|(?:${FOR_HEADS}|${FOR_HEADS.toUpperCase()})(?=\\s+(?:for|FOR)\\s))`,
  "gu",
);
/** Where an INSTITUTION_OF match may start: its head word (without the look-arounds). */
const INSTITUTION_OF_START = { regex: new RegExp(`(?:${HEADS}|${HEADS.toUpperCase()}|${FOR_HEADS}|${FOR_HEADS.toUpperCase()})`, "g") };
/** Heads that name an institution whatever follows; the others ("Board", "Office") also head generic bodies. */
const STRONG_HEAD = /^(?:bank|university|ministry|department|bureau|corps|college|academy)$/i;
/** Up to three capitalised words before the head ("People's Bank", "Army Corps", "U.S. Department"). */
const HEAD_PREFIX = /(?:\p{Lu}[\p{L}'’.-]*\s+){1,3}$/u;

/** The patterns searched by segment or from a trigger (for the property tests against a whole-text search). */
export const SEGMENTED_COMPANY_NAMES: readonly (readonly [string, RegExp, RegExp, Cut, Starts?])[] = [["ORG_CUE", ORG_CUE, ORG_CUE_TRIGGER, ORG_CUE_CUT, ORG_CUE_STARTS]];
export const TRIGGERED_COMPANY_NAMES: readonly (readonly [string, RegExp, Trigger])[] = [["INSTITUTION_OF", INSTITUTION_OF, INSTITUTION_OF_START]];

/** "People's Bank of China", "Army Corps of Engineers": a head word, "of", and a name that is not a company's own body. */
export function institutions(text: string, push: Push): void {
  for (const m of triggeredMatches(text, INSTITUTION_OF, INSTITUTION_OF_START)) {
    const end = m.index + m[0].length;
    const after = text.slice(end, end + 120);
    const tail = /^\s+(?:for|FOR)\s/u.test(after) ? ofTail(after, FOR_TAIL) : ofTail(after);
    if (!tail) continue;
    const tailWords = tail.split(/\s+/).filter((w) => /^\p{Lu}/u.test(w) && !CONNECTOR.test(w)).map((w) => w.replace(/['’]s?$/u, ""));
    if (tailWords.every((w) => GENERIC_BODY.test(w) || isStopOrRole(w))) continue;
    // "Board of Directors of the REIT": a governing body of another entity, not an organisation of its own
    if (GENERIC_BODY.test(tailWords[0] ?? "")) continue;
    // "Board of Arbitration", "Office of Counsel": a weak head needs a distinctive word or a long name after it
    if (!STRONG_HEAD.test(m[0]) && tailWords.length < 3 && tailWords.every((w) => isCommonWord(bare(w)))) continue;
    const prefix = HEAD_PREFIX.exec(text.slice(Math.max(0, m.index - 40), m.index))?.[0] ?? "";
    const lead = prefix.split(/\s+/).filter(Boolean);
    let k = nameStart([...lead, m[0]]);
    if (k > lead.length) k = lead.length;
    const skipped = lead.slice(0, k).join(" ");
    const start = m.index - prefix.length + (k === 0 ? 0 : prefix.indexOf(lead[k] ?? m[0], skipped.length));
    push(k < lead.length ? start : m.index, end + tail.length, 0.75);
  }
}

/** "Acme Widgets, Inc.", "Federal Reserve Board of Governors", "48 Factoring Inc". */
export function suffixNames(text: string, push: Push): void {
  for (const m of segmentMatches(text, ORG_CUE, ORG_CUE_TRIGGER, ORG_CUE_CUT, ORG_CUE_STARTS)) {
    const head = m[0].replace(new RegExp(`[\\s,]*${ORG_SUFFIX}(?:\\s*\\.)?$`, "u"), "");
    const words = head.split(/[\s,]+/).filter((w) => /\p{L}/u.test(w));
    // "The Company", "Borrower Company": generic words before the suffix make a defined term, not a name
    let first = nameStart(words);
    // "… Co., Ltd. and Oaktree Capital Limited": the previous name's legal form and a connector start no name
    while (first < words.length - 1 && (LEADING_FORM.test(words[first] ?? "") || CONNECTOR.test(words[first] ?? ""))) first++;
    // "SVB and GOLD HILL VENTURE LENDING 03, L.P.": an acronym and "and" before a name of two words or more is another
    // party named before it, not the first word of a firm's name
    if (first < words.length - 3 && /^\p{Lu}{2,5}$/u.test(words[first] ?? "") && /^(?:and|&)$/i.test(words[first + 1] ?? "")) first += 2;
    // "Acme Holdings Ltd and Foo Inc.", "ALPHA, INC. THE BETA BANK" (two parties on one line): a legal form and "and" or
    // "the" inside the match end one name and start the next, as "Fund and" does ("Quillon Opportunity Fund and Zorbex Inc.")
    for (let k = words.length - 2; k > first; k--)
      if (/^(?:and|&|the)$/i.test(words[k] ?? "") && (LEADING_FORM.test(words[k - 1] ?? "") || (/^(?:and|&)$/i.test(words[k] ?? "") && /^funds?,?$/i.test(words[k - 1] ?? "")))) {
        const from = m.index + m[0].indexOf(words[first] ?? "", words.slice(0, first).join(" ").length);
        const to = m.index + m[0].indexOf(` ${words[k]} `, words.slice(0, k).join(" ").length - 1);
        if (!words.slice(first, k).every((w) => isStopOrRole(w) || LEADING_FORM.test(w))) push(from, to, 0.8);
        first = k + 1;
        break;
      }
    // "Alder Widgets Ltd. Birch Lane Ltd." (two parties on one line): a legal form closed by its period and a
    // capitalised word that is no legal form ("Co., Ltd." stays one form) end one name and start the next
    for (let k = words.length - 1; k > first + 1; k--)
      if (/\.$/.test(words[k - 1] ?? "") && LEADING_FORM.test(words[k - 1] ?? "") && !LEADING_FORM.test(words[k] ?? "") && /^\p{Lu}/u.test(words[k] ?? "")) {
        const from = m.index + m[0].indexOf(words[first] ?? "", words.slice(0, first).join(" ").length);
        const next = m.index + m[0].indexOf(words[k] ?? "", words.slice(0, k).join(" ").length);
        const prev = text.slice(from, next).trimEnd().replace(/,$/, "");
        if (!words.slice(first, k).every((w) => isStopOrRole(w) || LEADING_FORM.test(w))) push(from, from + prev.length, 0.8);
        first = k;
        break;
      }
    // "CONTACT ACME MEDIA AG": a contact or notice label in capitals opening the line is no word of the name after it
    // (two name words at least stay: "CONTACT ENERGY LIMITED" is whole)
    if (first < words.length - 2 && LINE_LABEL.test(words[first] ?? "") && /^(?:[ \t]*|.*\n[ \t]*)$/su.test(textBefore(text, m.index + m[0].indexOf(words[first] ?? ""), 40))) first++;
    // "ATTACHMENT D West Pharmaceutical Services", "Exhibit B The Foo Company": a caption before a name is not part of it
    if (first < words.length - 2 && CAPTION_WORD.test(words[first] ?? "") && CAPTION_NUMBER.test(words[first + 1] ?? "")) {
      first += 2;
      if (first < words.length - 1 && /^the$/i.test(words[first] ?? "")) first++;
    }
    // "7. WARRANTIES. LIMITED LIABILITY": a word in capitals closed by a period ends a sentence, not a name's word
    for (let k = words.length - 1; k >= first; k--)
      if (/^\p{Lu}{4,}\.$/u.test(words[k] ?? "") && !LEADING_FORM.test(words[k] ?? "")) {
        first = k + 1;
        break;
      }
    const rest = words.slice(first);
    if (rest.length === 0 || rest.every((w) => isStopOrRole(w) || CONNECTOR.test(w))) continue;
    // "IF FOR ANY REASON THE BANK", "Expenses The Company": a clause, not a name
    if (rest.some((w) => FUNCTION_WORD.test(w)) || /^the$/i.test(rest[rest.length - 1] ?? "")) continue;
    // "ARTICLE IV BOARD", "Exhibit B Company": a heading number, not a name
    if (rest.every((w) => /^(?:[IVXLC]+|\p{Lu})\.?$/u.test(w))) continue;
    const suffix = m[0].slice(head.length);
    const end = m.index + m[0].length;
    // "Calgary, AB T2P 1J9": Alberta before a Canadian postcode, not a Swedish "AB"
    if (/AB$/.test(suffix) && /^\s+[A-Z]\d[A-Z]/.test(text.slice(end, end + 6))) continue;
    if (SITE_AFTER.test(text.slice(end, end + 12))) continue;
    const start = first === 0 ? m.index : m.index + m[0].indexOf(rest[0] ?? "", words.slice(0, first).join(" ").length);
    if (ARTICLE_BEFORE.test(textBefore(text, start, 4)) && rest.every((w) => isKnownPlaceName(w) || isEnglishWord(w))) continue;
    // a generic suffix ("Bank", "Company", "Group") after one everyday word is a defined term ("Investment
    // Company", "Intermediary Bank"); after a comma it is another clause ("this Agreement, Bank agrees")
    const generic = !startsWithStrongSuffix(suffix);
    if (generic && /^\s*,/.test(suffix)) continue;
    const one = bare(rest[0] ?? "");
    const brand = /^[\s,]*(?:Software|Technologies|Analytics|Labs|Pharmaceuticals|Networks|Ventures|Logistics|Consulting|Solutions|Systems)$/.test(suffix) && !isCommonWord(one);
    // "SERVICES AGREEMENT SERVICES", "Supply Contract Group": a title naming a document, not a company
    if (generic && (rest.some((w) => DOCUMENT_TITLE.test(w)) || DOCUMENT_AFTER.test(text.slice(end, end + 30)))) continue;
    if (generic && !brand && rest.length === 1 && isEnglishWord(one) && !isKnownName(one) && !isKnownPlaceName(one)) continue;
    // "48 Factoring Inc": a number that starts the name, after a lower-case word or at a line start
    // (the window never opens inside a word: "3/21/2018" above a name is no "18" that starts it)
    const num = first === 0 ? /(?:^|\n|[\p{Ll}]\s)(\d{1,3})\s+$/u.exec(textBefore(text, start, 8)) : null;
    const from = num ? start - num[0].length + num[0].lastIndexOf(num[1] ?? "") : start;
    const tail = INSTITUTION.test(suffix) ? ofTail(text.slice(end, end + 120)) : undefined;
    const tailWords = tail ? tail.split(/\s+/).filter((w) => /^\p{Lu}/u.test(w) && !CONNECTOR.test(w)).map((w) => w.replace(/['’]s?$/u, "")) : [];
    // not over a governing body ("Board of Directors") or another institution ("Accounting Principles Board
    // of the American Institute of …" names two bodies)
    const extend = tail && !tailWords.every((w) => GENERIC_BODY.test(w) || isStopOrRole(w)) && !tailWords.some((w) => INSTITUTION.test(w)) ? tail.length : 0;
    // "Quillon Capital Partners, L.P. II": a series numeral after the legal form is part of the name
    const numeral = extend === 0 ? NUMERAL_AFTER_FORM.exec(text.slice(end, end + 12))?.[0].length ?? 0 : 0;
    push(from, end + extend + numeral, 0.8);
  }
}
