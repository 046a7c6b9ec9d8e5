import type { PiiFinding } from "./pii-types";
import { isDictionaryWord, isGivenOrFamilyName, isNotAName } from "./recognizers/lexicons";
import { capitalise, isKnownName } from "./recognizers/lexicon-tags";
import { isJobTitleWord } from "./recognizers/job-titles";
import { hasLowerCaseWord, lowerCaseWords, textBefore } from "./recognizers/whole-words";
import { casedLegalForms, legalForms } from "./recognizers/legal-forms";
import { lowerBound } from "./lower-bound";
import { inTermOfArt } from "./recognizers/terms-of-art";

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
const LEGAL_FORM_ANY_CASE = new RegExp(`(?:^|[\\s,])(?:${legalForms("l", "apart")})\\b`, "i");
const LEGAL_FORM_CASED = new RegExp(`(?:^|[\\s,])(?:${casedLegalForms("l")})\\b`);
/** Does a name carry a word that makes it a company's whatever the words before it mean ("Good Sam Enterprises, LLC")? */
function hasLegalForm(value: string): boolean {
  return LEGAL_FORM_ANY_CASE.test(value) || LEGAL_FORM_CASED.test(value);
}
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
/** A clause number inside a line and the caption's words before a finding ("…   10. Force " before "Majeure:"). */
const RUN_IN_CAPTION_BEFORE = /(?:^|\s)\d{1,2}(?:\.\d{1,2})*\.\s+((?:\p{Lu}[\p{L}'’-]*[ \t]+){0,3})$/u;
/** A label that heads a table or a list: a colon, then a column gap or the end of the line ("Nanopowders:   Name"). */
const LIST_LABEL_AFTER = /^((?:[ \t]\p{Ll}[\p{Ll}-]*){0,3})[ \t]*:(?:[ \t]*(?:\n|$)|[ \t]{3,}|\t)/u;
/** An abbreviation opening a job title ("Ex. Vice President", "Sr. Manager", "Asst. Secretary"). */
const TITLE_ABBREVIATION_AFTER = /^\.[ \t]+((?:\p{Lu}[\p{L}-]*[ \t]+){0,2}\p{Lu}[\p{L}-]*)/u;
/** Statutes, codes, courts and public bodies named by their kind: not a person's data. */
const LEGAL_INSTRUMENT = /\b(?:Act|Code|Court|Courts|Rules|Regulations?|Convention|Treaty|Statute|Laws?|Chancery|Tribunal|Directive)$/;
/** A name read in a legal text's title, which goes on after it: "Ruritania Civil Code", "Texas Business Organizations Code". */
const INSTRUMENT_AFTER = /^(?:[ \t]+\p{Lu}[\p{L}'’-]*){0,3}?[ \t]+(?:Act|ACT|Code|CODE|Rules|RULES|Regulations?|REGULATIONS?|Convention|Treaty|Statutes?|Directive)(?![\p{L}\p{N}])/u;
/** A person's name may end in "Law" ("Ann Law"): the other kinds end a title only. */
const PERSON_INSTRUMENT = /\b(?:Act|Code|Rules|Regulations?|Convention|Treaty|Statute|Directive)$/;
/** A court, wherever the word stands ("Court of Chancery of the State of Delaware"). */
const COURT = /\b(?:Court|COURT|Courts|Tribunal|Chancery)\b/;
/** Before a place named as a jurisdiction: "laws of the State of", "courts located in", "a" (+ "Delaware corporation"). */
const JURISDICTION_BEFORE =
  /(?:\b(?:laws?|courts?|jurisdiction|venue|forum|governed|construed|arbitration|seated|tribunals?|statutes?)\b[^.;\n]{0,60}?\b(?:of|in|for|within|under)\s+(?:(?:the|of|and|or|State|Commonwealth|Province|Republic|Kingdom|County|City|District|Territory|Borough|\p{Lu}\p{L}*),?\s+){0,8}|\b(?:State|Commonwealth|Province|Republic|Kingdom|Territory)\s+of\s+|\bUnited States of\s+)$/iu;
/** Directly before a jurisdiction, whatever the finding's type ("State of Nevada" read as a person). */
const JURISDICTION_DIRECT = /\b(?:State|STATE|Commonwealth|COMMONWEALTH|Province|Republic|Kingdom|Territory)\s+(?:of|OF)\s+(?:the\s+)?$|\bUnited States of\s+$/;
/** After a place named as where a company was formed: "Delaware corporation", "Nevada limited liability company". */
const INCORPORATED_AFTER =
  /^\s*(?:corporation|limited\s+liability\s+company|limited\s+partnership|general\s+partnership|partnership|company|banking\s+(?:association|corporation)|statutory\s+trust|business\s+trust|trust|public\s+limited\s+company|state[- ]chartered|chartered|law|laws|courts?)\b/i;

/**
 * Before a place a company was formed or registered in, after the kind of company: "a company incorporated in the
 * Cayman Islands", "Blackwell Science Limited a company registered in England and Wales", "a kabushiki kaisha
 * incorporated in Japan", "incorporated in Florida, United States of America" (not "Marks registered in Poland", "an
 * accountant registered in China", nor "… England and Wales of Verde": a building after the list).
 */
const FORMED_IN_BEFORE =
  /\b(?:[Cc]ompany|COMPANY|[Cc]orporation|CORPORATION|[Pp]artnership|PARTNERSHIP|[Kk]aisha|Limited|LIMITED)\b[^.;\n]{0,40}?\b(?:incorporated|registered|organi[sz]ed|established|formed|INCORPORATED|REGISTERED|ORGANI[SZ]ED|ESTABLISHED|FORMED)[ \t]+(?:in|IN|under[ \t]+the[ \t]+laws[ \t]+of)[ \t]+(?:(?:the|THE|and|AND)[ \t]+|(?:State|States|STATE|STATES|Republic|REPUBLIC|Kingdom|KINGDOM|Commonwealth|Province)[ \t]+(?:of|OF)[ \t]+|\p{Lu}[\p{L}'’.-]*,?[ \t]+){0,8}$/u;

/** A role word for a party's group, after its name ("the Acme Parties", "Licensor Indemnitees", "Acme Affiliates"). */
const COLLECTIVE_ROLE = /[\s,]+(?:Parties|Party|Indemnitees|Indemnified Parties|Affiliates|Entities|Subsidiaries|Group Members|Releasees|Releasors|Licensees|Licensors|Representatives)$/u;
/** A collective role right after a name ("Veoneer Parties", "Acme Indemnitees"). */
const ROLE_AFTER = /^\s+(?:Parties|Party|Indemnitees|Indemnified Parties|Affiliates|Entities|Subsidiaries|Group Members)(?![\p{L}])/u;
/** One to three capitalised words with no legal form: a place or nationality word, not a company's name. */
const PLACE_WORDS = /^\p{Lu}[\p{L}.'’-]*(?:\s+\p{Lu}[\p{L}.'’-]*){0,2}$/u;
const ARTICLE_BEFORE = /\b(?:a|an)\s+$/i;
/** A name right between "a/an" and the kind of entity ("a Delaware corporation") names where the entity was formed. */
function isIncorporationPlace(text: string, f: PiiFinding, before: string, value: string): boolean {
  if (!ARTICLE_BEFORE.test(before) || !PLACE_WORDS.test(value) || hasLegalForm(value)) return false;
  return INCORPORATED_AFTER.test(text.slice(f.end, f.end + 40));
}

// Unicode-class patterns used per word, made once here (built code may otherwise construct them on every call).
const LETTER_OR_DIGIT = /[\p{L}\p{N}]/u;
const POSSESSIVE = /['’]s$/u;
const HAS_LETTER = /\p{L}/u;
const ONE_CAPITAL = /^\p{Lu}$/u;
const CAPITALISED = /^[^\p{L}]*\p{Lu}/u;
const STARTS_CAPITAL = /^\p{Lu}/u;
const ONE_CAPITALISED_WORD = /^\p{Lu}[^\s]*$/u;
const ONE_WORD = /^\p{Lu}[\p{L}'’-]*$/u;

/**
 * The word without the characters other than letters and digits at either end (what
 * `replace(/^[^\p{L}\p{N}]+|[^\p{L}\p{N}]+$/gu, "")` removes), read in from each end by code point: that global regex
 * tried each position of a run of punctuation inside a word ("Acme-----…x") and read on to the run's end from there,
 * quadratic (rev14 R14-3).
 */
export function withoutOuterPunctuation(w: string): string {
  let start = 0;
  while (start < w.length) {
    const c = w.codePointAt(start) as number;
    if (LETTER_OR_DIGIT.test(String.fromCodePoint(c))) break;
    start += c > 0xffff ? 2 : 1;
  }
  let end = w.length;
  while (end > start) {
    const low = w.charCodeAt(end - 1);
    const width = low >= 0xdc00 && low <= 0xdfff && end - 2 >= start && (w.charCodeAt(end - 2) & 0xfc00) === 0xd800 ? 2 : 1;
    if (LETTER_OR_DIGIT.test(w.slice(end - width, end))) break;
    end -= width;
  }
  return w.slice(start, end);
}

/** Words of a span that carry letters, without possessives and outer punctuation. */
function wordsOf(s: string): string[] {
  return s
    .split(/[\s/]+/)
    .map((w) => withoutOuterPunctuation(w).replace(POSSESSIVE, ""))
    .filter((w) => HAS_LETTER.test(w));
}

/**
 * The text without its closing run of white space, "." and ":" (what `replace(/[\s.:]+$/, "")` removes), read back
 * from the end: the regex tried each position of a long run of them inside a line and read to the run's end from
 * there, quadratic (a line of 80,000 spaces between two words: 6.4 s of CPU; rev14 R14-3).
 */
export function withoutClosingRun(text: string): string {
  let end = text.length;
  while (end > 0 && /[\s.:]/.test(text[end - 1] as string)) end--;
  return text.slice(0, end);
}

/**
 * A pure test of a span's words, remembered per text of the span: a contract names the same few parties and terms
 * hundreds of times, and each finding is judged several times (the word lists it reads never change).
 */
function remembered(test: (s: string) => boolean): (s: string) => boolean {
  const answers = new Map<string, boolean>();
  return (s) => {
    let answer = answers.get(s);
    if (answer === undefined) {
      if (answers.size >= 20_000) answers.clear();
      answer = test(s);
      answers.set(s, answer);
    }
    return answer;
  };
}

/** Every word an everyday or legal word ("Injunctive Relief", "Attorneys' Fees", "E-mail"). */
const allGeneric = remembered((s: string): boolean => {
  const words = wordsOf(s).flatMap((w) => w.split("-")).filter((w) => w.length > 0);
  return words.length > 0 && words.every((w) => CONNECTIVE.test(w) || isDictionaryWord(w) || isNotAName(w) || ONE_CAPITAL.test(w));
});

/** A known given or family name in any case ("SCHEDLER", "Paul"). */
const isPersonName = (w: string): boolean => isGivenOrFamilyName(capitalise(w.toLowerCase())) || isKnownName(w);

/** In a heading, every word that is no known name counts as a heading word ("Severability", "ZEPHYRINE"). */
const allHeadingWords = remembered((s: string): boolean => {
  const words = wordsOf(s).flatMap((w) => w.split("-")).filter((w) => w.length > 0);
  return words.length > 0 && words.every((w) => CONNECTIVE.test(w) || isNotAName(w) || isDictionaryWord(w) || !isPersonName(w));
});

/** What keepLegalText reads from a text, kept between its calls on the same text (one scan calls it twice). */
export interface LegalTextMemo {
  /** Whether the text writes a word in lower case somewhere ("severability", "relief"): an everyday word here. */
  lowerCaseWords?: Map<string, boolean>;
  /** The same for a long text: every such word. */
  lowerCaseWordList?: Set<string>;
}

/** Above this length the text's lower-case words are listed once: each per-word search reads the whole text. */
const LIST_LOWER_CASE_WORDS_FROM = 200_000;

/** Whether the text writes `word` in lower case, standing alone (asked per word in a short text, so no list of all words is made). */
function writesInLowerCase(text: string, word: string, memo: LegalTextMemo): boolean {
  if (text.length >= LIST_LOWER_CASE_WORDS_FROM) return (memo.lowerCaseWordList ??= lowerCaseWords(text)).has(word);
  const known = (memo.lowerCaseWords ??= new Map());
  let answer = known.get(word);
  if (answer === undefined) {
    answer = hasLowerCaseWord(text, word);
    known.set(word, answer);
  }
  return answer;
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
  /** Where the line's numbering starts ("3  DEFINITION OF CAPITAL COSTS", "Exhibit B Example …"). */
  readonly lineStart: number;
  /** The caption follows a number or "Section/Exhibit X": it names a clause, never a party. */
  readonly numbered: boolean;
}
function headingRange(text: string, line: { start: number; end: number }): HeadingRange | undefined {
  const raw = text.slice(line.start, line.end);
  const numbering = NUMBERING.exec(raw)?.[0] ?? "";
  const body = raw.slice(numbering.length);
  const bodyStart = line.start + numbering.length;
  // run-in caption after a number: up to the first period or colon
  const caption = numbering ? /^([^.:;\n]{2,80}?)[.:](?:\s|$)/u.exec(body) : null;
  const candidates = caption ? [caption[1] ?? ""] : [withoutClosingRun(body)];
  for (const c of candidates) {
    // words apart by a tab or three spaces are columns (a signature block, a table row), not one heading
    if (COLUMN_GAP.test(c)) continue;
    // ("Emerald" or the "Company"): a short name defined on a line of its own, not a heading
    if (/^\s*\(\s*["“]/u.test(c)) continue;
    const words = c.split(/\s+/).filter((w) => HAS_LETTER.test(w));
    if (words.length === 0 || words.length > 12 || !CAPITALISED.test(words[0] ?? "")) continue;
    if (!words.every((w) => CONNECTIVE.test(w) || CAPITALISED.test(w))) continue;
    // a heading holds no list or number ("The Plaintiff, John Doe, SSN 123-45-6788" is a line, not a heading), but a
    // numbered caption in capitals may list its topics ("8. INDEMNIFICATION, LIMITATION OF LIABILITY AND INSURANCE")
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
    if (!STARTS_CAPITAL.test(term) || !allGeneric(term)) continue;
    const before = text.slice(Math.max(0, m.index - 45), m.index);
    if (!/\(\s*(?:[^()]{0,40}\s)?$/u.test(before) && !/\b(?:as|means?|called|term)\s*,?\s*(?:the\s+)?$/i.test(before)) continue;
    // ("Good Sam") after "Good Sam Enterprises, LLC": the short name of a party found just before stays a name
    const words = new Set(wordsOf(term).map((w) => w.toLowerCase()));
    let party = false;
    // the names that end in the 160 characters before the quote (binary search on their ends)
    const lo = lowerBound(names.length, (i) => (names[i]?.end ?? 0) < m.index - 160);
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

/** Whether a span lies inside one of `ranges` (disjoint, in text order: only the last one starting at or before it can hold it). */
function insideRange(ranges: readonly { start: number; end: number }[], f: { start: number; end: number }): boolean {
  const r = ranges[lowerBound(ranges.length, (i) => (ranges[i]?.start ?? 0) <= f.start) - 1];
  return r !== undefined && f.end <= r.end;
}

/**
 * Drops what a contract's structure shows is not personal data: names found in headings and captions made of
 * everyday words ("12. Severability", "Injunctive Relief"), generic quoted defined terms and their mentions
 * ("the Company", (the "Effective Date")), form labels ("Title:", "E-mail:" — and a name no longer swallows the
 * label after it), statutes and courts ("Securities Act", "Court of Chancery"), and, unless asked otherwise, places
 * named as a jurisdiction ("the laws of the State of New York", "a Delaware corporation").
 */
export function keepLegalText(text: string, findings: readonly PiiFinding[], options: LegalTextOptions = {}, memo: LegalTextMemo = {}): PiiFinding[] {
  const keepJurisdictions = options.keepJurisdictions ?? true;
  // only names are judged here: without one (a structured-only scan) there is nothing to read the text for
  if (!findings.some((f) => NAME_TYPES.has(f.type))) return [...findings];
  // the quoted terms are read only when a name made of everyday words asks for them
  let defined: ReturnType<typeof genericDefinedTerms> | undefined;
  const out: PiiFinding[] = [];
  // many names stand on one line (a signature block, a party list): its heading is read once
  const headings = new Map<number, HeadingRange | undefined>();
  const headingOf = (at: number): HeadingRange | undefined => {
    const line = lineAt(text, at);
    if (!headings.has(line.start)) headings.set(line.start, headingRange(text, line));
    return headings.get(line.start);
  };
  // the words of the organisations found, read once when a person's name stands before a collective role
  let orgWords: Set<string> | undefined;
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
    // "the Good Sam Parties", "Acme Indemnitees": the collective role word after a party's name is no part of it
    const role = COLLECTIVE_ROLE.exec(text.slice(f.start, f.end));
    if (role && role.index > 0) f = { ...f, end: f.start + role.index };
    // "the Veoneer Parties" beside "Veoneer AB": a word read as a person before a collective role names the organisation
    if (f.type === "PERSON" && ROLE_AFTER.test(text.slice(f.end, f.end + 30))) {
      const name = text.slice(f.start, f.end);
      orgWords ??= new Set(findings.filter((x) => x.type === "ORGANIZATION").flatMap((x) => wordsOf(text.slice(x.start, x.end))));
      if (wordsOf(name).every((w) => orgWords?.has(w))) f = { ...f, type: "ORGANIZATION" };
    }
    const value = text.slice(f.start, f.end);
    if (f.end - f.start < 2) continue;
    // "Force Majeure", "Bona Fide": a word of a term of art is no name, whatever a name list says of it
    if (inTermOfArt(text, f.start, f.end)) continue;
    // a label on its own ("E-mail:", "Website:"), not the party of a notice line ("If to Gold Hill:")
    if (LABEL_AFTER.test(text.slice(f.end)) && allGeneric(value) && !notice) continue;
    // one word that is no known name heading a list or table ("Nanopowders:   Name"); a speaker's label is followed by speech
    // ("Telmaric fibres:   Name": a capitalised word and lower-case nouns label a list item, whatever a recognizer read)
    // a cut text gets a letter at the cut, so the pattern's end of text is the text's own end only
    const label = ONE_WORD.test(value) ? LIST_LABEL_AFTER.exec(f.end + 40 < text.length ? `${text.slice(f.end, f.end + 40)}x` : text.slice(f.end)) : null;
    if (label && (label[1] ? true : f.type === "PERSON") && !isPersonName(value)) continue;
    // "Jerry W. Weimer, Ex. Vice President": a short word with a period before a job title abbreviates part of the title
    if (f.type === "PERSON" && ONE_WORD.test(value) && value.length <= 4 && f.score < 0.6) {
      const title = TITLE_ABBREVIATION_AFTER.exec(text.slice(f.end, f.end + 40))?.[1];
      if (title && title.split(/[ \t]+/).some(isJobTitleWord)) continue;
    }
    const formed = hasLegalForm(value);
    const named = formed || (f.type === "ORGANIZATION" && NAMING_SUFFIX.test(value));
    const generic = allGeneric(value) && !named;
    // a card's organisation line is read from the lines around it, not from its words ("Olga Krylova\nHere\n1610 ul. …")
    // "If to Harrow Quay:": a notice clause's address line names its party, it heads no clause
    const structural = f.recognizer === "LetterheadRecognizer" || f.recognizer === "PartyAliasRecognizer" || notice;
    // a name already found elsewhere by a cue is the same entity on a heading-like line ("Silicon Valley Bank ("SVB")")
    const repeated = f.recognizer === "RepeatedMentionRecognizer";
    if (!formed && !structural && allHeadingWords(value)) {
      const heading = headingOf(f.start);
      // a numbered caption names a clause even with a naming suffix ("4 ALLOCATION OF SEGMENTS CAPITAL COSTS") or when
      // the same words were found as a name elsewhere, and a name read across its numbering ("B Example Pharmacy
      // Services" of "Exhibit B Example …") is in it too
      if (heading && ((!named && !repeated) || heading.numbered) && f.start >= (heading.numbered ? heading.lineStart : heading.start) && f.end <= heading.end + 1) continue;
    }
    // "…   18. Severability. The provisions…": a run-in caption after a clause number inside a line (text without line breaks)
    // ("…   10. Force Majeure: Seller…": a name read inside the caption, after its first words, is in it too)
    if (!formed && !structural && !repeated && /^[.:]\s/.test(text.slice(f.end, f.end + 2))) {
      const lead = RUN_IN_CAPTION_BEFORE.exec(textBefore(text, f.start, 60));
      if (lead && allHeadingWords(`${lead[1] ?? ""}${value}`)) continue;
    }
    // a lone word guessed from the lexicons that the text also writes in lower case is an everyday word here
    if (f.recognizer === "NameLexiconRecognizer" && ONE_CAPITALISED_WORD.test(value) && writesInLowerCase(text, value.toLowerCase(), memo)) continue;
    if (generic && !structural) {
      defined ??= genericDefinedTerms(text, findings);
      if (defined.terms.has(value.toLowerCase())) continue;
      if (insideRange(defined.ranges, f)) continue;
    }
    if ((f.type === "PERSON" ? PERSON_INSTRUMENT : LEGAL_INSTRUMENT).test(value) && !formed) continue;
    if (f.type !== "PERSON" && COURT.test(value) && !formed) continue;
    // "the Ruritania Civil Code", "Texas Business Organizations Code": a citation, not a place or a person
    if (!formed && !structural && INSTRUMENT_AFTER.test(text.slice(f.end, f.end + 80))) continue;
    const before = text.slice(Math.max(0, f.start - 100), f.start);
    if (keepJurisdictions && JURISDICTION_DIRECT.test(before)) continue;
    if (keepJurisdictions && f.type === "LOCATION") {
      const after = text.slice(f.end, f.end + 40);
      if (JURISDICTION_BEFORE.test(before) || FORMED_IN_BEFORE.test(before)) continue;
      if ((/\b(?:a|an)\s+$/i.test(before) || /,\s*$/.test(before)) && INCORPORATED_AFTER.test(after)) continue;
    }
    // "a Delaware corporation", "a German company", "an Ontario limited partnership": between an article and the
    // kind of entity stands where it was formed, whatever a recognizer read it as (a state or a nationality is no person)
    if (f.type !== "LOCATION" && isIncorporationPlace(text, f, before, value)) {
      if (keepJurisdictions) continue;
      f = { ...f, type: "LOCATION" };
    }
    // "a company incorporated in the Cayman Islands" with "Cayman" read as a person: the place it was formed in
    if (f.type === "PERSON" && PLACE_WORDS.test(value) && FORMED_IN_BEFORE.test(before)) {
      if (keepJurisdictions) continue;
      f = { ...f, type: "LOCATION" };
    }
    out.push(f);
  }
  return out;
}
