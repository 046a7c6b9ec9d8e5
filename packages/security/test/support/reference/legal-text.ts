import type { PiiFinding } from "../../../src/pii/pii-types";
import { isDictionaryWord, isGivenOrFamilyName, isNotAName } from "../../../src/pii/recognizers/lexicons";
import { capitalise, isKnownName } from "../../../src/pii/recognizers/lexicon-tags";
import { isJobTitleWord } from "../../../src/pii/recognizers/job-titles";
import { inTermOfArt } from "../../../src/pii/recognizers/terms-of-art";

/** What a contract's own structure says is not personal data. */
export interface LegalTextOptions {
  /**
   * Keep places named as a jurisdiction ("the laws of the State of New York", "a Delaware corporation",
   * "courts of Santa Clara County") (default true: a governing-law clause is not personal data).
   */
  readonly keepJurisdictions?: boolean;
}

const NAME_TYPES: ReadonlySet<string> = new Set(["PERSON", "ORGANIZATION", "LOCATION"]);
/** Words that make a name a company's whatever the words before them mean ("Good Sam Enterprises, LLC"). */
const LEGAL_FORM = /(?:^|[\s,])(?:Inc|Incorporated|LLC|L\.L\.C|Ltd|Limited|Corp|Corporation|LLP|L\.P|LP|PLC|plc|GmbH|AG|S\.A|N\.A|B\.V|N\.V|Pty|S\.r\.l|SRL|SpA|KK|Sp\. z o\.o|Oyj|Oy|AB|A\/S|ApS|ASA)\b/i;
/** Suffixes that name an organisation even after everyday words ("Silicon Valley Bank", "Gold Hill Venture Lending"). */
const NAMING_SUFFIX = /\b(?:Bank|Bancorp|Trust|Partners|Holdings|Group|Associates|Ventures|Lending|Capital|Fund|Funds|Foundation|University|Hospital)$/i;
const CONNECTIVE = /^(?:of|and|or|the|to|for|in|on|by|with|a|an|&|upon|under|from|not|no|at|as)$/i;
/** Numbering before a caption: "12.", "12.3", "Section 5.2", "ARTICLE IV", "(a)", "A.". */
const NUMBERING = /^[ \t]*(?:(?:ARTICLE|Article|SECTION|Section|Sec\.|SCHEDULE|Schedule|EXHIBIT|Exhibit|ANNEX|Annex|APPENDIX|Appendix|PART|Part)\s+[\w.-]+[.:]?\s*|(?:\d+(?:\.\d+)*(?:\.[A-Z])?\.?|[IVXLC]+\.|\([a-zA-Z0-9]+\)|[A-Z]\.)\s+|\d{1,3}\.(?=\p{Lu}\p{Ll}))/u;
/** A tab or three spaces between two words: columns laid out on one line. */
const COLUMN_GAP = /\S(?:[ \u00a0]*\t[ \t\u00a0]*|[ \u00a0]{3,})\S/u;
/** Form labels in signature and notice blocks: "Title:", "E-mail:", "Website:". */
const LABEL_AFTER = /^[ \t]*:/;
/** Before the party a notice is sent to: "If to " / "if to the ". */
const NOTICE_TO_BEFORE = /(?<![\p{L}])(?:If|if|IF)[ \t]+(?:to|TO)[ \t]+(?:(?:the|THE)[ \t]+)?$/u;
/** Statutes, codes, courts and public bodies named by their kind: not a person's data. */
const LEGAL_INSTRUMENT = /\b(?:Act|Code|Court|Courts|Rules|Regulations?|Convention|Treaty|Statute|Laws?|Chancery|Tribunal|Directive)$/;
/** A court, wherever the word stands ("Court of Chancery of the State of Delaware"). */
const COURT = /\b(?:Court|COURT|Courts|Tribunal|Chancery)\b/;
// (mirrors 206942a: a name opening a code's or an act's title is part of the citation)
const INSTRUMENT_AFTER = /^(?:[ \t]+\p{Lu}[\p{L}'’-]*){0,3}?[ \t]+(?:Act|ACT|Code|CODE|Rules|RULES|Regulations?|REGULATIONS?|Convention|Treaty|Statutes?|Directive)(?![\p{L}\p{N}])/u;
const PERSON_INSTRUMENT = /\b(?:Act|Code|Rules|Regulations?|Convention|Treaty|Statute|Directive)$/;
// (mirrors session 14, red14: a place a company was formed or registered in is a jurisdiction)
/**
 * Before a place a company was formed or registered in, after the kind of company: "a company incorporated in the
 * Cayman Islands", "Blackwell Science Limited a company registered in England and Wales", "a kabushiki kaisha
 * incorporated in Japan", "incorporated in Florida, United States of America" (not "Marks registered in Poland", "an
 * accountant registered in China", nor "… England and Wales of Verde": a building after the list).
 */
// (the source's PLACE_WORDS)
const PLACE_WORDS_ONLY = /^\p{Lu}[\p{L}.'’-]*(?:\s+\p{Lu}[\p{L}.'’-]*){0,2}$/u;
const FORMED_IN_BEFORE =
  /\b(?:[Cc]ompany|COMPANY|[Cc]orporation|CORPORATION|[Pp]artnership|PARTNERSHIP|[Kk]aisha|Limited|LIMITED)\b[^.;\n]{0,40}?\b(?:incorporated|registered|organi[sz]ed|established|formed|INCORPORATED|REGISTERED|ORGANI[SZ]ED|ESTABLISHED|FORMED)[ \t]+(?:in|IN|under[ \t]+the[ \t]+laws[ \t]+of)[ \t]+(?:(?:the|THE|and|AND)[ \t]+|(?:State|States|STATE|STATES|Republic|REPUBLIC|Kingdom|KINGDOM|Commonwealth|Province)[ \t]+(?:of|OF)[ \t]+|\p{Lu}[\p{L}'’.-]*,?[ \t]+){0,8}$/u;
/** Before a place named as a jurisdiction: "laws of the State of", "courts located in", "a" (+ "Delaware corporation"). */
const JURISDICTION_BEFORE =
  /(?:\b(?:laws?|courts?|jurisdiction|venue|forum|governed|construed|arbitration|seated|tribunals?|statutes?)\b[^.;\n]{0,60}?\b(?:of|in|for|within|under)\s+(?:(?:the|of|and|or|State|Commonwealth|Province|Republic|Kingdom|County|City|District|Territory|Borough|\p{Lu}\p{L}*),?\s+){0,8}|\b(?:State|Commonwealth|Province|Republic|Kingdom|Territory)\s+of\s+|\bUnited States of\s+)$/iu;
/** Directly before a jurisdiction, whatever the finding's type ("State of Nevada" read as a person). */
const JURISDICTION_DIRECT = /\b(?:State|STATE|Commonwealth|COMMONWEALTH|Province|Republic|Kingdom|Territory)\s+(?:of|OF)\s+(?:the\s+)?$|\bUnited States of\s+$/;
/** After a place named as where a company was formed: "Delaware corporation", "Nevada limited liability company". */
const INCORPORATED_AFTER =
  /^\s*(?:corporation|limited\s+liability\s+company|limited\s+partnership|general\s+partnership|partnership|company|banking\s+(?:association|corporation)|statutory\s+trust|business\s+trust|trust|public\s+limited\s+company|state[- ]chartered|chartered|law|laws|courts?)\b/i;

/** Words of a span that carry letters, without possessives and outer punctuation. */
function wordsOf(s: string): string[] {
  return s
    .split(/[\s/]+/)
    .map((w) => w.replace(/^[^\p{L}\p{N}]+|[^\p{L}\p{N}]+$/gu, "").replace(/['’]s$/u, ""))
    .filter((w) => /\p{L}/u.test(w));
}

/** Every word an everyday or legal word ("Injunctive Relief", "Attorneys' Fees", "E-mail"). */
function allGeneric(s: string): boolean {
  const words = wordsOf(s).flatMap((w) => w.split("-")).filter((w) => w.length > 0);
  return words.length > 0 && words.every((w) => CONNECTIVE.test(w) || isDictionaryWord(w) || isNotAName(w) || /^\p{Lu}$/u.test(w));
}

/** A known given or family name in any case ("SCHEDLER", "Paul"). */
const isPersonName = (w: string): boolean => isGivenOrFamilyName(capitalise(w.toLowerCase())) || isKnownName(w);

/** In a heading, every word that is no known name counts as a heading word ("Severability", "FUSION"). */
function allHeadingWords(s: string): boolean {
  const words = wordsOf(s).flatMap((w) => w.split("-")).filter((w) => w.length > 0);
  return words.length > 0 && words.every((w) => CONNECTIVE.test(w) || isNotAName(w) || isDictionaryWord(w) || !isPersonName(w));
}

/** Words written in lower case somewhere in the text ("severability", "relief"): everyday words here. */
function lowerCaseWords(text: string): Set<string> {
  return new Set(text.match(/(?<![\p{L}\p{N}'’-])\p{Ll}{3,}(?![\p{L}\p{N}])/gu) ?? []);
}

/** The line around an offset. */
function lineAt(text: string, at: number): { start: number; end: number } {
  const start = text.lastIndexOf("\n", at - 1) + 1;
  const nl = text.indexOf("\n", at);
  return { start, end: nl < 0 ? text.length : nl };
}

/**
 * A heading: a line of capitalised words (or one in capitals) with no sentence in it, or the run-in caption that
 * opens a numbered paragraph ("12. Severability. If any…"). Returns the caption's range, if any.
 */
interface HeadingRange {
  readonly start: number;
  readonly end: number;
  readonly lineStart: number;
  readonly numbered: boolean;
}
function headingRange(text: string, line: { start: number; end: number }): HeadingRange | undefined {
  const raw = text.slice(line.start, line.end);
  const numbering = NUMBERING.exec(raw)?.[0] ?? "";
  const body = raw.slice(numbering.length);
  const bodyStart = line.start + numbering.length;
  // run-in caption after a number: up to the first period or colon
  const caption = numbering ? /^([^.:;\n]{2,80}?)[.:](?:\s|$)/u.exec(body) : null;
  const candidates = caption ? [caption[1] ?? ""] : [body.replace(/[\s.:]+$/, "")];
  for (const c of candidates) {
    // words apart by a tab or three spaces are columns (a signature block, a table row), not one heading
    if (COLUMN_GAP.test(c)) continue;
    // ("Emerald" or the "Company"): a short name defined on a line of its own, not a heading
    if (/^\s*\(\s*["“]/u.test(c)) continue;
    const words = c.split(/\s+/).filter((w) => /\p{L}/u.test(w));
    if (words.length === 0 || words.length > 12 || !/^[^\p{L}]*\p{Lu}/u.test(words[0] ?? "")) continue;
    if (!words.every((w) => CONNECTIVE.test(w) || /^[^\p{L}]*\p{Lu}/u.test(w))) continue;
    // a heading holds no list or number ("The Plaintiff, John Doe, SSN 123-45-6788" is a line, not a heading)
    if (/\d/.test(c) || (/[,;]/.test(c) && !(numbering.trim() && !/\p{Ll}/u.test(c)))) continue;
    const lead = raw.length - raw.trimStart().length;
    return { start: bodyStart, end: bodyStart + c.length, lineStart: line.start + lead, numbered: numbering.trim().length > 0 };
  }
  return undefined;
}

/** Quoted defined terms made of everyday words (`(the "Effective Date")`), except a party's own short name. */
function genericDefinedTerms(text: string, findings: readonly PiiFinding[]): { terms: Set<string>; ranges: { start: number; end: number }[] } {
  const terms = new Set<string>();
  const ranges: { start: number; end: number }[] = [];
  if (!/["“]/.test(text)) return { terms, ranges };
  const names = findings.filter((f) => f.type !== "LOCATION").sort((a, b) => a.end - b.end);
  for (const m of text.matchAll(/["“]([^"“”\n]{2,60}?)["”]/gu)) {
    const term = (m[1] ?? "").trim();
    if (!/^\p{Lu}/u.test(term) || !allGeneric(term)) continue;
    const before = text.slice(Math.max(0, m.index - 45), m.index);
    if (!/\(\s*(?:[^()]{0,40}\s)?$/u.test(before) && !/\b(?:as|means?|called|term)\s*,?\s*(?:the\s+)?$/i.test(before)) continue;
    // ("Good Sam") after "Good Sam Enterprises, LLC": the short name of a party found just before stays a name
    const words = new Set(wordsOf(term).map((w) => w.toLowerCase()));
    let party = false;
    // the names that end in the 160 characters before the quote (binary search on their ends)
    let lo = 0;
    let hi = names.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((names[mid]?.end ?? 0) < m.index - 160) lo = mid + 1;
      else hi = mid;
    }
    for (let i = lo; i < names.length && !party; i++) {
      const f = names[i];
      if (!f || f.end > m.index) break;
      party = wordsOf(text.slice(f.start, f.end)).some((w) => words.has(w.toLowerCase()) && !isNotAName(w));
    }
    if (party) continue;
    terms.add(term.toLowerCase());
    ranges.push({ start: m.index, end: m.index + m[0].length });
  }
  return { terms, ranges };
}

/**
 * Drops what a contract's structure shows is not personal data: names found in headings and captions made of
 * everyday words ("12. Severability", "Injunctive Relief"), generic quoted defined terms and their mentions
 * ("the Company", (the "Effective Date")), form labels ("Title:", "E-mail:" — and a name no longer swallows the
 * label after it), statutes and courts ("Securities Act", "Court of Chancery"), and, unless asked otherwise, places
 * named as a jurisdiction ("the laws of the State of New York", "a Delaware corporation").
 */
export function keepLegalText(text: string, findings: readonly PiiFinding[], options: LegalTextOptions = {}): PiiFinding[] {
  const keepJurisdictions = options.keepJurisdictions ?? true;
  const defined = genericDefinedTerms(text, findings);
  const out: PiiFinding[] = [];
  let lower: Set<string> | undefined;
  for (const original of findings) {
    if (!NAME_TYPES.has(original.type)) {
      out.push(original);
      continue;
    }
    let f = original;
    // "Paul E. Schedler Title:": a label after a name is not part of it
    const lastWord = /(?:^|\s)(\S+)$/u.exec(text.slice(f.start, f.end));
    // "If to Harrow Quay:": the party a notice goes to, whose last word is no label
    const notice = NOTICE_TO_BEFORE.test(text.slice(Math.max(0, f.start - 12), f.start));
    if (lastWord && LABEL_AFTER.test(text.slice(f.end)) && allGeneric(lastWord[1] ?? "") && lastWord.index > 0 && !notice) {
      let end = f.start + lastWord.index;
      while (end > f.start && /[\s,]/.test(text[end - 1] ?? "")) end--;
      f = { ...f, end };
    }
    const role = /[\s,]+(?:Parties|Party|Indemnitees|Indemnified Parties|Affiliates|Entities|Subsidiaries|Group Members|Releasees|Releasors|Licensees|Licensors|Representatives)$/u.exec(text.slice(f.start, f.end));
    if (role && role.index > 0) f = { ...f, end: f.start + role.index };
    if (f.type === "PERSON" && /^\s+(?:Parties|Party|Indemnitees|Indemnified Parties|Affiliates|Entities|Subsidiaries|Group Members)(?![\p{L}])/u.test(text.slice(f.end, f.end + 30))) {
      const orgWords = new Set(findings.filter((x) => x.type === "ORGANIZATION").flatMap((x) => wordsOf(text.slice(x.start, x.end))));
      if (wordsOf(text.slice(f.start, f.end)).every((w) => orgWords.has(w))) f = { ...f, type: "ORGANIZATION" };
    }
    const value = text.slice(f.start, f.end);
    if (f.end - f.start < 2) continue;
    // (mirrors the term-of-art rule: "Force Majeure" is no name)
    if (inTermOfArt(text, f.start, f.end)) continue;
    // a label on its own ("E-mail:", "Website:"), not the party of a notice line ("If to Gold Hill:")
    if (LABEL_AFTER.test(text.slice(f.end)) && allGeneric(value) && !notice) continue;
    // a capitalised word (and lower-case nouns) heading a list or table; an abbreviation opening a job title
    const label = /^\p{Lu}[\p{L}'’-]*$/u.test(value) ? /^((?:[ \t]\p{Ll}[\p{Ll}-]*){0,3})[ \t]*:(?:[ \t]*(?:\n|$)|[ \t]{3,}|\t)/u.exec(text.slice(f.end, f.end + 40)) : null;
    if (label && (label[1] ? true : f.type === "PERSON") && !isPersonName(value)) continue;
    if (f.type === "PERSON" && /^\p{Lu}[\p{L}'’-]*$/u.test(value) && value.length <= 4 && f.score < 0.6) {
      const title = /^\.[ \t]+((?:\p{Lu}[\p{L}-]*[ \t]+){0,2}\p{Lu}[\p{L}-]*)/u.exec(text.slice(f.end, f.end + 40))?.[1];
      if (title && title.split(/[ \t]+/).some(isJobTitleWord)) continue;
    }
    const formed = LEGAL_FORM.test(value);
    const named = formed || (f.type === "ORGANIZATION" && NAMING_SUFFIX.test(value));
    const generic = allGeneric(value) && !named;
    // a card's organisation line is read from the lines around it, not from its words ("Olga Krylova\nHere\n1610 ul. …")
    // "If to Harrow Quay:": a notice clause's address line names its party, it heads no clause
    const structural = f.recognizer === "LetterheadRecognizer" || f.recognizer === "PartyAliasRecognizer" || notice;
    // a name already found elsewhere by a cue is the same entity on a heading-like line ("Silicon Valley Bank ("SVB")")
    const repeated = f.recognizer === "RepeatedMentionRecognizer";
    if (!formed && !structural && allHeadingWords(value)) {
      const heading = headingRange(text, lineAt(text, f.start));
      if (heading && ((!named && !repeated) || heading.numbered) && f.start >= (heading.numbered ? heading.lineStart : heading.start) && f.end <= heading.end + 1) continue;
    }
    // "…   18. Severability. The provisions…": a run-in caption after a clause number inside a line (text without line breaks)
    if (!formed && !structural && !repeated && /^[.:]\s/.test(text.slice(f.end, f.end + 2))) {
      const lead = /(?:^|\s)\d{1,2}(?:\.\d{1,2})*\.\s+((?:\p{Lu}[\p{L}'’-]*[ \t]+){0,3})$/u.exec(text.slice(Math.max(0, f.start - 60), f.start));
      if (lead && allHeadingWords(`${lead[1] ?? ""}${value}`)) continue;
    }
    // a lone word guessed from the lexicons that the text also writes in lower case is an everyday word here
    if (f.recognizer === "NameLexiconRecognizer" && /^\p{Lu}[^\s]*$/u.test(value) && (lower ??= lowerCaseWords(text)).has(value.toLowerCase())) continue;
    if (generic && !structural) {
      if (defined.terms.has(value.toLowerCase())) continue;
      if (defined.ranges.some((r) => f.start >= r.start && f.end <= r.end)) continue;
    }
    if ((f.type === "PERSON" ? PERSON_INSTRUMENT : LEGAL_INSTRUMENT).test(value) && !formed) continue;
    if (f.type !== "PERSON" && COURT.test(value) && !formed) continue;
    if (!formed && !structural && INSTRUMENT_AFTER.test(text.slice(f.end, f.end + 80))) continue;
    const before = text.slice(Math.max(0, f.start - 100), f.start);
    if (keepJurisdictions && JURISDICTION_DIRECT.test(before)) continue;
    if (keepJurisdictions && f.type === "LOCATION") {
      const after = text.slice(f.end, f.end + 40);
      if (JURISDICTION_BEFORE.test(before) || FORMED_IN_BEFORE.test(before)) continue;
      if ((/\b(?:a|an)\s+$/i.test(before) || /,\s*$/.test(before)) && INCORPORATED_AFTER.test(after)) continue;
    }
    if (f.type !== "LOCATION" && /\b(?:a|an)\s+$/i.test(before) && /^\p{Lu}[\p{L}.'’-]*(?:\s+\p{Lu}[\p{L}.'’-]*){0,2}$/u.test(value) && !LEGAL_FORM.test(value) && INCORPORATED_AFTER.test(text.slice(f.end, f.end + 40))) {
      if (keepJurisdictions) continue;
      f = { ...f, type: "LOCATION" };
    }
    // "a company incorporated in the Cayman Islands" with "Cayman" read as a person: the place it was formed in
    if (f.type === "PERSON" && PLACE_WORDS_ONLY.test(value) && FORMED_IN_BEFORE.test(before)) {
      if (keepJurisdictions) continue;
      f = { ...f, type: "LOCATION" };
    }
    out.push(f);
  }
  return out;
}
