import { isCommonWord, isEnglishWord, isGivenOrFamilyName, isNotAName } from "./lexicons";
import { capitalise, isCuratedFirstName, isFirstName, isKnownName, isKnownPlaceName } from "./lexicon-tags";
import { HONORIFIC, STOP_START } from "./name-spans";
import { distinctive, FUNCTION_WORD, isOrgSuffixWord, type Push } from "./organization-words";
import { isJobTitleWord } from "./job-titles";
import { casedLegalForms, legalForms } from "./legal-forms";
import { capitalStarts, cutOutside, segmentMatches, type Cut, type Starts } from "../triggered-matches";
import { charClasses, LETTER } from "../char-classes";

/** Law-firm style names: "Davis, Reynolds and Williamson", "Smith & Jones", "Evans-Bonilla and Oneal". */
const FIRM_WORD = "[\\p{Lu}][\\p{Ll}'’]+(?:-[\\p{Lu}][\\p{Ll}'’]+)?";
const FIRM = new RegExp(`(?<![\\p{L}-])${FIRM_WORD}(?:, ${FIRM_WORD})*,? (?:and|&) ${FIRM_WORD}(?![\\p{L}-])`, "gu");
const FIRM_AT = new RegExp(`^${FIRM_WORD}(?:, ${FIRM_WORD})*,? (?:and|&) ${FIRM_WORD}(?![\\p{L}-])`, "u");
/** "our founders: Kónya, Becker and Vasquez": after a plural of people, a list of surnames is people, not a firm. */
const PEOPLE_BEFORE = /\b(?:founders|co-founders|partners|members|directors|officers|children|authors|owners|siblings|employees|defendants|plaintiffs|witnesses|guests|speakers|inventors|shareholders|trustees|heirs)\s*:\s*$/i;
/** What each FIRM match holds: a connector before a capital. */
const FIRM_TRIGGER = / (?:and|&) \p{Lu}/gu;
/** What no FIRM match holds (it holds letters, ' ’ - , space and &; its look-arounds test for letters and hyphens). */
const FIRM_CUT = cutOutside(LETTER, "'’-, &");
/**
 * Where a FIRM or OWNER match may start: a capital after no letter (their look-behinds refuse a letter, and more).
 * (AFFILIATION is left to the engine: its segments are whole sentences of capitalised words, where a try at each
 * capital costs more than the search it saves.)
 */
const CAPITAL_STARTS = capitalStarts(false);
/** A list of firm words from a start: what a FIRM match reads before its connector. */
const FIRM_LIST = new RegExp(`${FIRM_WORD}(?:, ${FIRM_WORD})*`, "uy");
/**
 * FIRM's starts (CAPITAL_STARTS). After a miss at a start its look-behind allowed (no letter, no "-", no character
 * outside the BMP before it), the rest of the list of names read from it is passed over: a start there is a later
 * name of the same list (or the second half of a hyphenated one, which the look-behind refuses), reads on to the same
 * end and tries the same ends, so it misses too. Without this "Ab, Ab, Ab, …, x and Cd" was read to the end of the
 * list from each name: quadratic.
 */
const FIRM_STARTS: Starts = Object.assign((segment: string) => CAPITAL_STARTS(segment), {
  afterMiss: (segment: string, at: number): number => {
    const before = at > 0 ? segment.charCodeAt(at - 1) : -1;
    if (before === 0x2d || (before >= 0xd800 && before <= 0xdfff) || (before >= 0 && ((charClasses()[before] as number) & LETTER) !== 0)) return at + 1;
    FIRM_LIST.lastIndex = at;
    const list = FIRM_LIST.exec(segment);
    return list ? at + list[0].length : at + 1;
  },
});
/** Phrases after which an organisation's name follows ("works for X", "is from X", "joined X"). */
const ORG_CONTEXT = new RegExp(
  `\\b(?:(works? (?:for|at)|worked (?:for|at)|working (?:for|at)|employed (?:by|at)|client of|customer of|offices of|acquired by|subsidiary of)|is from|joined|became|support|on behalf of)\\s+((?:[\\p{Lu}][\\p{L}&'’.-]*)(?:[ ](?:[\\p{Lu}][\\p{L}&'’.-]*|of|and|&)){0,4})`,
  "gu",
);
/** "Jeremy Hartmann of Guidestar", "Tom I. Holzman from Predilytics": a person's affiliation. */
const AFFILIATION = /(?<![\p{L}])(\p{Lu}[\p{Ll}'’-]+(?:\s+\p{Lu}\.?)?(?:\s+\p{Lu}[\p{Ll}'’-]+){1,2})\s+(?:of|from)\s+(\p{Lu}[\p{L}&'’.-]*(?:[ ](?:\p{Lu}[\p{L}&'’.-]*|&)){0,3})/gu;
/**
 * What each AFFILIATION match holds: "of"/"from", spaces, a capital (it names the segment; opening with the words
 * rather than the letter before them lets the search skip to each "o" and "f" instead of testing every offset).
 */
const AFFILIATION_TRIGGER = /(?:of|from)\s+\p{Lu}/gu;
/**
 * Punctuation that no AFFILIATION or OWNER match holds and that their look-behinds read as the edge of the text
 * (letters, digits, whitespace and ' ’ . - & stay): the text between two of them is searched as a whole.
 */
const PUNCTUATION_CUT = (c: number): boolean => (c < 128 ? ASCII_PUNCTUATION[c] === 1 : c === 0x201c || c === 0x201d);
const ASCII_PUNCTUATION = new Uint8Array(128);
for (const ch of ",;:()[]\"/!?*$%#@+=<>|{}_~`^") ASCII_PUNCTUATION[ch.charCodeAt(0)] = 1;
/** "Panjiva's Riku Andou": a single-word owner before a person's full name. */
const OWNER = /(?<![\p{L}\p{N}'’.-])(\p{Lu}[\p{L}-]+)['’]s\s+(\p{Lu}[\p{Ll}'’-]+)\s+\p{Lu}[\p{Ll}'’-]+/gu;
/** What each OWNER match holds: a possessive before a capital. */
const OWNER_TRIGGER = /['’]s\s+\p{Lu}/gu;
/** Lower-case text: "stillwater supercomputing inc.", up to three words before a legal-form suffix. */
const LOWER_SUFFIX = /(?<![\p{L}\p{N}'’&-])((?:\p{Ll}[\p{Ll}'’&-]*[ ]){1,3})(?:inc|llc|ltd|corp|plc|gmbh)(?:\.|(?![\p{L}]))/gu;
/** What each LOWER_SUFFIX match holds: the suffix after a space, ending the word (it never crosses a line). */
const LOWER_SUFFIX_TRIGGER = / (?:inc|llc|ltd|corp|plc|gmbh)(?:\.|(?![\p{L}]))/gu;
const HYPHEN = /-/g;
/** "Weeks-Rivas", "Garcia-Roberson": two surnames joined, standing alone. */
const SURNAME_PAIR = /(?<![\p{L}\p{N}'’.-])(\p{Lu}[\p{Ll}'’]+|\p{Ll}[\p{Ll}'’]+)-(\p{Lu}[\p{Ll}'’]+|\p{Ll}[\p{Ll}'’]+)(?![\p{L}\p{N}-])/gu;

/** The patterns searched by segment, with their triggers and cuts (for the property test against a whole-text search). */
export const SEGMENTED_ORGANIZATION_CUES: readonly (readonly [string, RegExp, RegExp, Cut, Starts?])[] = [
  ["FIRM", FIRM, FIRM_TRIGGER, FIRM_CUT, FIRM_STARTS],
  ["AFFILIATION", AFFILIATION, AFFILIATION_TRIGGER, PUNCTUATION_CUT],
  ["OWNER", OWNER, OWNER_TRIGGER, PUNCTUATION_CUT, CAPITAL_STARTS],
  ["LOWER_SUFFIX", LOWER_SUFFIX, LOWER_SUFFIX_TRIGGER, "line"],
  ["SURNAME_PAIR", SURNAME_PAIR, HYPHEN, "space"],
];

/** "dba Tom Brackley Cycling", "d/b/a Acme Tools", "doing business as The Corner Shop": a trade name is a business's. */
const TRADE_NAME =
  /\b(?:d\/b\/a|D\/B\/A|dba|DBA|doing\s+business\s+as|trading\s+as)\s+((?:the\s+|The\s+)?[\p{Lu}\d][\p{L}\d&'’.-]*(?:[ ]{1,2}(?:[\p{Lu}\d][\p{L}\d&'’.-]*|of|and|&|the|for|de)){0,5})/gu;
const TRADE_NAME_GUARD = /\b(?:d\/b\/a|dba|doing\s+business\s+as|trading\s+as)\s/i;

/** The business name after "dba" / "doing business as", up to a lower-case word or punctuation. */
export function tradeNames(text: string, push: Push): void {
  if (!TRADE_NAME_GUARD.test(text)) return;
  for (const m of text.matchAll(TRADE_NAME)) {
    const name = (m[1] ?? "").replace(/\s+(?:of|and|&|the|for|de)$/u, "").replace(/(?<!(?:^|\s)(?:Inc|Corp|Co|Ltd|\p{Lu}))\.$/u, "");
    const start = m.index + m[0].lastIndexOf(m[1] ?? "");
    push(start, start + name.length, 0.8);
  }
}

/**
 * A surname, not an everyday word ("Hall", "Loan", "City" are words; "Smith" is known as a surname). A listed name
 * that looks derived from English ("Harkness") stays a surname here: a firm's other partners already vouch for it.
 */
const isSurname = (w: string): boolean => isKnownName(w) || (isGivenOrFamilyName(w) && !isEnglishWord(w));

/** Firms named after their partners ("Davis, Reynolds and Williamson"), not lists of people or of words. */
export function firms(text: string, push: Push): void {
  for (const m of segmentMatches(text, FIRM, FIRM_TRIGGER, FIRM_CUT, FIRM_STARTS)) {
    const items = m[0].split(/,? (?:and|&) |, /).map((w) => w.replace(/['’]s$/u, ""));
    const parts = items.flatMap((w) => w.split("-"));
    if (parts.some((w) => isNotAName(w))) continue;
    // "Opencounter, and Pave": two names with a serial comma are a list, not one firm
    if (items.length === 2 && /, (?:and|&) /.test(m[0])) continue;
    // "Loan and Payment", "Chinese and English": a firm is named after people; one everyday word is allowed in a longer name ("Clark, Romero and Hall")
    if (parts.filter((w) => !isSurname(w)).length > (parts.length >= 3 ? 1 : 0)) continue;
    // "Hannah, Anthony, Derek and Andrew": mostly given names make a list of people
    if (parts.filter((w) => isCuratedFirstName(w.toLowerCase())).length * 2 >= parts.length) continue;
    if (PEOPLE_BEFORE.test(text.slice(Math.max(0, m.index - 40), m.index))) continue;
    push(m.index, m.index + m[0].length, 0.6);
  }
}

/** The name after an employer or client phrase ("I work for Wolters Kluwer", "a year at Teradata"). */
export function contextNames(text: string, push: Push): void {
  for (const m of text.matchAll(ORG_CONTEXT)) {
    // "a year at Teradata. Teradata's office…": the name ends with the sentence ("Pixia Corp. is" keeps its abbreviation)
    const name = (m[2] ?? "").replace(/(?<!(?:^|\s)(?:Inc|Corp|Co|Ltd|\p{Lu}))\.\s.*$/u, "").replace(/\s+(?:of|and|&)$/, "");
    if (!name) continue;
    const words = name.split(/\s+/);
    if (words.some((w) => isNotAName(w))) continue;
    // "I work for Chemical Abstracts Service": several capitalised words after the cue make a name even if each is an English word
    const titled = words.length >= 2 && words.every((w) => /^\p{Lu}/u.test(w) || /^(?:of|and|&)$/.test(w)) && !STOP_START.has(words[0] ?? "");
    if (!titled && words.every((w) => isCommonWord(w))) continue;
    // "works for", "a year at": an employer, unless what follows is a person ("works for John Smith") or a place
    const strong = m[1] !== undefined && !isCuratedFirstName((words[0] ?? "").toLowerCase()) && !HONORIFIC.test(name) && !isKnownPlaceName(name);
    const start = m.index + m[0].lastIndexOf(m[2] ?? "");
    // "a year at Jones, Mitchell and Williams": the whole firm, not its first name
    const firm = FIRM_AT.exec(text.slice(start, start + 120))?.[0];
    push(start, start + Math.max(name.length, firm?.length ?? 0), strong ? 0.7 : 0.5);
  }
}

/** A person's organisation: "Jeremy Hartmann of Guidestar", "Tom Holzman from Predilytics", "Panjiva's Riku Andou". */
export function affiliations(text: string, push: Push): void {
  for (const m of segmentMatches(text, AFFILIATION, AFFILIATION_TRIGGER, PUNCTUATION_CUT)) {
    const person = (m[1] ?? "").split(/\s+/).filter((w) => w.length > 2);
    const org = (m[2] ?? "").replace(/['’]s$/u, "");
    const words = org.split(/\s+/);
    // the person is two or three name words; "of Counsel", "from Marketing", "of Springfield" are no employers
    if (!person.every((w) => (!isEnglishWord(w) || isKnownName(w)) && !isNotAName(w))) continue;
    if (!words.some(distinctive) || words.some((w) => isNotAName(w) || STOP_START.has(w)) || isKnownPlaceName(org) || isKnownPlaceName(words[0] ?? "")) continue;
    if (isCuratedFirstName((words[0] ?? "").toLowerCase())) continue;
    const start = m.index + m[0].length - (m[2] ?? "").length;
    push(start, start + org.length, 0.6);
  }
  for (const m of segmentMatches(text, OWNER, OWNER_TRIGGER, PUNCTUATION_CUT, CAPITAL_STARTS)) {
    const owner = m[1] ?? "";
    const given = m[2] ?? "";
    if (!(isFirstName(given) || !isEnglishWord(given)) || isNotAName(given) || isCuratedFirstName(owner.toLowerCase()) || !distinctive(owner)) continue;
    push(m.index, m.index + owner.length, 0.62);
  }
}

/** Companies in lower-case text, known by their legal form ("stillwater supercomputing inc."). */
export function lowerCaseSuffixNames(text: string, push: Push): void {
  for (const m of segmentMatches(text, LOWER_SUFFIX, LOWER_SUFFIX_TRIGGER, "line")) {
    // "selma is from stillwater supercomputing inc.": everyday words before the name are not part of it
    const words = (m[1] ?? "").trim().split(" ");
    let first = 0;
    while (first < words.length && (isCommonWord(words[first] ?? "") || FUNCTION_WORD.test(words[first] ?? ""))) first++;
    if (first === words.length) continue;
    const start = m.index + words.slice(0, first).reduce((n, w) => n + w.length + 1, 0);
    push(start, m.index + m[0].length, 0.6, true);
  }
}

/**
 * Two surnames joined by a hyphen, standing alone, name a firm ("Garcia-Roberson"); with a given name, a title
 * or an initial before them they are a person's double surname ("Ms. Catherine Zeta-Jones").
 */
export function surnamePairs(text: string, push: Push): void {
  for (const m of segmentMatches(text, SURNAME_PAIR, HYPHEN, "space")) {
    const [a = "", b = ""] = [m[1], m[2]];
    if (/^\p{Lu}/u.test(a) !== /^\p{Lu}/u.test(b)) continue;
    // both are surnames, at least one of them no English word ("Lock-Up", "Non-Disclosure" are words)
    const surname = (w: string): boolean => isKnownName(w) || isGivenOrFamilyName(capitalise(w));
    if (a.length < 3 || b.length < 3 || !surname(a) || !surname(b) || (isEnglishWord(a) && isEnglishWord(b)) || isNotAName(a) || isNotAName(b)) continue;
    // lower case ("rosales-mcguire") carries no capitals to go by: neither part may be an English word ("pro-rata")
    if (/^\p{Ll}/u.test(a) && (isEnglishWord(a) || isEnglishWord(b))) continue;
    if (isKnownPlaceName(m[0]) || isKnownPlaceName(a) || isKnownPlaceName(b)) continue;
    // a given name, an initial or a title before it, or a capitalised word after it, makes it a person's double surname
    const before = text.slice(Math.max(0, m.index - 30), m.index);
    if (/(?:\p{Lu}[\p{L}'’-]*\.?|\p{Lu}\.)[ \t]+$/u.test(before)) continue;
    if (/^[ \t]+\p{Lu}/u.test(text.slice(m.index + m[0].length, m.index + m[0].length + 3))) continue;
    push(m.index, m.index + m[0].length, 0.62, /^\p{Ll}/u.test(a));
  }
}

/**
 * A signature block's "For and on behalf of ACME LIMITED": the organisation signing, up to a column gap or the line's end
 * (on the same line, after a column gap, or on the next line).
 */
const ON_BEHALF = /(?:^|\n)[ \t]*(?:(?:SIGNED|Signed|EXECUTED|Executed)[ \t]+)?(?:For and on behalf of|FOR AND ON BEHALF OF|for and on behalf of)[ \t]*:?(?:[ \t]+|[ \t]*\n[ \t]*)(\p{Lu}[\p{L}\p{N}&'’.,()/-]*(?:[ ][\p{L}\p{N}&][\p{L}\p{N}&'’.,()/-]*){0,7})/gu;

/** The organisation a signature block signs for ("For and on behalf of BC TEL"), not a role ("… of the Company"). */
export function onBehalfNames(text: string, push: Push): void {
  if (!/on behalf of|ON BEHALF OF/.test(text)) return;
  for (const m of text.matchAll(ON_BEHALF)) {
    const name = (m[1] ?? "").replace(/[\s,:;]+$/, "");
    const words = name.split(/\s+/).map((w) => w.replace(/[^\p{L}\p{N}&]/gu, "")).filter((w) => w.length > 0);
    if (words.length === 0) continue;
    // everyday words name the signing company only when two or more of them are capitalised and none is a role
    // ("Global Star Network"; not "the Company", "such Party", "Licensor")
    const everyday = words.every((w) => isNotAName(w) || STOP_START.has(w) || isCommonWord(w.toLowerCase()));
    if (everyday && (words.length < 2 || words.some((w) => isNotAName(w) || STOP_START.has(w) || !/^\p{Lu}/u.test(w)))) continue;
    // a person signing for themselves is read by the person cues
    if (words.every((w) => isCuratedFirstName(w.toLowerCase()) || isKnownName(w))) continue;
    const start = m.index + m[0].length - (m[1] ?? "").length;
    // above the suffix names' reading, which runs on from the cue in capitals ("BEHALF OF ACME LIMITED")
    push(start, start + name.length, 0.85);
  }
}

/**
 * A notice clause's address line "If to Acme:" / "if to Harrow Quay, to:" names the party the notice goes to (the
 * short name a contract gave it earlier, which a sentence read alone does not know); not a role ("If to the
 * Purchaser:", "If to the Administrative Agent:") nor a person (read by the person cues).
 */
const NOTICE_TO = /(?<![\p{L}\p{N}])(?:If|if|IF)[ \t]+(?:to|TO)[ \t]+(?:(the|THE)[ \t]+)?(\p{Lu}[\p{L}\p{N}&'’.-]*(?:[ \t]{1,2}(?:[\p{Lu}\p{N}&][\p{L}\p{N}&'’.-]*|of|and)){0,5})[ \t]*(?:,[ \t]*(?:to|addressed to)[ \t]*|[ \t]+at[ \t]*)?:/gu;
/** Where a name ends with a legal form ("Tarnby Holdings Ltd.", "Quarry Corp"): a company's, whatever its words. */
const ENDS_WITH_LEGAL_FORM = new RegExp(`(?<![\\p{L}])(?:${legalForms("l", "apart")})\\.?$`, "iu");
/** The forms that are everyday words in another case ("AB", "Oy"): only as written or in capitals. */
const ENDS_WITH_CASED_LEGAL_FORM = new RegExp(`(?<![\\p{L}])(?:${casedLegalForms("l")})\\.?$`, "u");
/** "Shareholders'" → "Shareholders", "Agent's" → "Agent": a possessive is no part of the word a role test reads. */
const withoutPossessive = (w: string): string => w.replace(/['’]s$|(?<=s)['’]$/u, "");
/** A dictionary noun of agency ("Agent", "Purchaser", "Trustee"). */
const isAgencyNoun = (w: string): boolean => /(?:er|or|ee|ant|ent|ist|ary)s?$/i.test(w) && isEnglishWord(w.toLowerCase());
/**
 * A word naming a party by its role, possessive or not: a word the lists say is no name, a dictionary noun of agency,
 * a job title ("Representative"; not "Partners", "Associates", which end firms' names), or an English word run
 * together with a listed role ("Securityholders", "Unitholder").
 */
const isRoleWord = (word: string): boolean => {
  const w = withoutPossessive(word);
  if (isNotAName(w) || isAgencyNoun(w) || (isJobTitleWord(w) && !isOrgSuffixWord(w))) return true;
  // a role the lists know run on after an English word ("Security-holders"; not "Bright-water", no role)
  for (let i = 3; i <= w.length - 6; i++) if (isNotAName(w.slice(i)) && isEnglishWord(w.slice(0, i).toLowerCase())) return true;
  return false;
};
/**
 * After "the", everyday words ending in a role or an everyday noun are a defined role ("the Members' Committee", "the
 * Audit Board", "the Company Representative"), unless a legal form ends them ("the Harbour Holding Co. Ltd.").
 */
const isDefinedRole = (words: readonly string[], name: string): boolean => {
  const last = withoutPossessive(words.at(-1) ?? "");
  if (ENDS_WITH_LEGAL_FORM.test(name) || ENDS_WITH_CASED_LEGAL_FORM.test(name) || !(isRoleWord(last) || isCommonWord(last.toLowerCase()))) return false;
  return words.slice(0, -1).every((w) => /^(?:of|and|&)$/i.test(w) || isRoleWord(w) || isCommonWord(withoutPossessive(w).toLowerCase()));
};

export function noticeNames(text: string, push: Push): void {
  if (!/\b(?:If|if|IF)[ \t]+(?:to|TO)[ \t]/.test(text)) return;
  for (const m of text.matchAll(NOTICE_TO)) {
    const name = (m[2] ?? "").replace(/[\s.]+$/, "");
    const words = name.split(/[ \t]+/).filter((w) => /[\p{L}\p{N}]/u.test(w));
    if (m[1] !== undefined && isDefinedRole(words, m[2] ?? "")) continue;
    // "the Borrower Parties", "the Administrative Agent": a role word at the end, and no name left before it
    const own = isRoleWord(words.at(-1) ?? "") ? words.slice(0, -1) : words;
    const named = own.filter((w) => !/^(?:of|and)$/i.test(w) && !STOP_START.has(w));
    if (named.length === 0 || named.every(isRoleWord)) continue;
    // one everyday word ("If to Collateral Agent:" was cut to "Collateral") is no name
    if (named.length === 1 && isCommonWord((named[0] ?? "").toLowerCase()) && !/^\p{Lu}{2,}$/u.test(named[0] ?? "")) continue;
    // "If to Ada Quill:": a given name and a surname are a person's
    if (named.length > 1 && named.length <= 4 && isCuratedFirstName((named[0] ?? "").toLowerCase()) && !isCommonWord((named[0] ?? "").toLowerCase())) continue;
    const start = m.index + m[0].indexOf(m[2] ?? "", m[0].search(/[ \t]/u));
    const length = own.length === words.length ? name.length : name.lastIndexOf(own.at(-1) ?? "") + (own.at(-1) ?? "").length;
    push(start, start + length, 0.62);
  }
}
