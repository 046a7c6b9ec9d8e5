import { isShoutedPhrase, namesCurrency } from "./clause-phrases";
import { nearTermOfArt } from "./terms-of-art";
import { lexicon } from "./compromise-nlp";
import type { PiiEntityType, PiiFinding, Recognizer } from "../pii-types";
import { isCommonWord, isDerivedEnglish, isEnglishWord, isGivenOrFamilyName, isNotAName } from "./lexicons";
import { hasCorrelativeIn, isCorrelativeRole, isRoleCompound, usedAsRoleIn } from "./role-words";
import { capitalise, curatedFirstNames, isCuratedFirstName, isFirstName, isKnownName, isKnownPlaceName } from "./lexicon-tags";
import { LOWER_PAIR, LOWER_WORD, lowerRuns } from "./lower-case-runs";
import { fnvRange, HashFilter } from "../text-hash";
import { STOP_START, nameSpan } from "./name-spans";
import { textBefore } from "./whole-words";
import { NameTagger } from "./name-tagger";
import { SITE_AFTER } from "./company-names";
import { isJobTitleWord } from "./job-titles";
import { isBrandLike, isDemonym, readRun } from "./capitalised-runs";
import type { ModelSpan, NameModel } from "../model/name-model";
import { cutOutside, matchesAt, segmentMatches, type Cut, type Starts } from "../triggered-matches";
import { charClasses, LETTER, NUMBER, SPACE, UPPER } from "../char-classes";
import { ORG_SUFFIX } from "./organization-words";
import {
  commonwealthStarts,
  HONORIFIC_WORDS,
  honorificStarts,
  LOWER_CUE_LABELS,
  LOWER_CUE_TITLES,
  lowerCueStarts,
  NAME_CUE_PHRASES,
  nameCueStarts,
  ROLES,
  roleStarts,
  signatureStarts,
} from "./name-cue-anchors";

const NAME_WORD = "(?:[\\p{Lu}][\\p{L}'’-]+|[\\p{Lu}]\\.)";
/**
 * The space between two words of one name: one or two spaces. Three or more spaces, a tab or a line break end a
 * name: signature blocks laid out in columns put two names on one line ("/s/ Barry Singelais     W. Ian Roberts").
 */
const GAP = "[ \\u00a0]{1,2}";
const NAME = `${NAME_WORD}(?:${GAP}(?:(?:van|von|de|der|da|di|del|la|le|bin|al)${GAP})?${NAME_WORD}){0,3}`;
const NAME2 = `${NAME_WORD}(?:${GAP}(?:(?:van|von|de|der|da|di|del|la|le|bin|al)${GAP})?${NAME_WORD}){1,3}`;

/** "KATHY WHITWORTH, an individual": a party that is a person. */
const INDIVIDUAL = new RegExp(`(${NAME2}|\\p{Lu}{2,}(?:${GAP}(?:\\p{Lu}\\.|\\p{Lu}{2,})){1,3}),?\\s+an\\s+individual\\b`, "gu");
/** A character of a name word's run ([\p{L}'’-]); a surrogate ends a run (not classed). */
const inNameRun = (c: number): boolean => (c < 0xd800 || c > 0xdfff) && (((charClasses()[c] as number) & LETTER) !== 0 || c === 0x27 || c === 0x2019 || c === 0x2d);
/**
 * Where an INDIVIDUAL match may start: a capital (a high surrogate too: it may open one). After a miss, the rest of
 * the word's run of letters ' ’ - is passed over but for its last character: a later capital of the run reads the
 * first word to the same end and goes on as the missed start did (its capitals-only reading included), so it misses
 * too; only the run's last capital may open "X." otherwise. Tried at every offset, "Ab'Ab'Ab'…" was read to the end
 * of its run from each capital: quadratic.
 */
const INDIVIDUAL_STARTS: Starts = Object.assign(
  (segment: string): number[] => {
    const cls = charClasses();
    const out: number[] = [];
    for (let i = 0; i < segment.length; i++) {
      const c = segment.charCodeAt(i);
      if (c >= 0xd800 && c <= 0xdfff ? c <= 0xdbff : ((cls[c] as number) & UPPER) !== 0) out.push(i);
    }
    return out;
  },
  {
    afterMiss: (segment: string, at: number): number => {
      let end = at;
      while (end < segment.length && inNameRun(segment.charCodeAt(end))) end++;
      return Math.max(at + 1, end - 1);
    },
  },
);
/** What each INDIVIDUAL match holds: the whitespace before "an". */
const INDIVIDUAL_TRIGGER = /\san\s+individual\b/g;
/**
 * What no INDIVIDUAL match holds: its characters are letters, whitespace, ' ’ - . and a comma; digits and "_" are kept
 * too, so that its closing \b (ASCII word characters) reads the same character at a segment's end as in the text.
 */
const INDIVIDUAL_CUT = cutOutside(LETTER | NUMBER | SPACE, "'’-.,_");

/** Legal-text cues that put a person's name in a known place. */
const PERSON_CUES: readonly {
  readonly regex: RegExp;
  readonly score: number;
  /** Every position where the cue can start (it is tried only there). */
  readonly starts?: (text: string) => Iterable<number>;
  /** Or: something every match holds, and where the text may be cut around it (it is searched only in those segments). */
  readonly segment?: { readonly trigger: RegExp; readonly cut: Cut; readonly starts?: Starts };
}[] = [
  // Mr. Smith, Dr. Karen O'Neil, Hon. Jane Roe (the title itself is not part of the name)
  { regex: new RegExp(`\\b(?:${HONORIFIC_WORDS.join("|")})\\.?\\s+(${NAME})`, "gu"), score: 0.85, starts: honorificStarts },
  // the Plaintiff, John Doe / Defendant Jane Roe
  {
    regex: new RegExp(`\\b(?:${ROLES.join("|")})s?,?\\s+(${NAME2})`, "gu"),
    score: 0.85,
    starts: roleStarts,
  },
  // "KATHY WHITWORTH, an individual": it starts at every capitalised word, so it is searched only around the phrase
  { regex: INDIVIDUAL, score: 0.8, segment: { trigger: INDIVIDUAL_TRIGGER, cut: INDIVIDUAL_CUT, starts: INDIVIDUAL_STARTS } },
  // signature blocks: "/s/ John Doe", "By: John Doe", "Name: John Doe"
  {
    regex: new RegExp(`(?:/s/|\\bBy:|\\bName:|\\bSigned:|\\bSignature:|\\bAttn\\.?:|\\bAttention:)[ \\t]*(?:/s/[ \\t]*)?(${NAME2})`, "gu"),
    score: 0.85,
    starts: signatureStarts,
  },
];

// The whole-text patterns below open with a look-ahead for the letters every match starts with (implied by what
// follows it, so the matches are the same): the engine then tests one character at each offset before it tries the
// look-behind (about 2x faster over a contract for TITLE_RUN and CAPS_RUN).
/** Capitalised words one space apart, initials allowed inside and (one or two, "W. Ian Roberts") in front; a capital
 * before a digit opens a postcode ("British Columbia V5K 0A1"), it is no initial. */
const TITLE_RUN = /(?=\p{Lu})(?:(?<![\p{L}\p{N}'’.])(?:[\p{Lu}]\.[ \u00a0]){1,2}|(?<![\p{L}\p{N}'’]))[\p{Lu}][\p{Ll}'’-]+(?:[ \u00a0](?:[\p{Lu}][\p{Ll}'’-]+|[\p{Lu}]\.?)(?![\p{L}\p{N}]))*(?![\p{L}])/gu;
/** Two to four words in capitals (initials allowed inside): a name as signature blocks and preambles write it. */
const CAPS_RUN = /(?=\p{Lu}{2})(?<![\p{L}\p{N}&'’.-])\p{Lu}{2,}(?:[ \u00a0]{1,2}(?:\p{Lu}\.|\p{Lu}{2,})){1,3}(?![\p{L}\p{N}&'’-])/gu;
/** Speaker labels in transcripts and chats ("Nicole: Remember me?"). */
const SPEAKER = /^[ \t>]*([\p{L}][\p{Ll}'’-]+(?: [\p{L}][\p{Ll}'’-]+)?)[ \t]*:/gmu;
/** What each SPEAKER match holds (it never crosses a line). */
const COLON = /:/g;
const NOT_SPEAKER = new Set(["Bot", "User", "Note", "Re", "Subject", "From", "To", "Cc", "Bcc", "Date", "Name", "Q", "A", "Answer", "Question", "Address", "Phone", "Email", "Fax", "Tel", "Attn", "Attention", "By", "Title", "Its", "Signed", "Signature", "Whereas", "Witness", "Dated", "Section", "Article", "Exhibit", "Schedule", "Total", "Example", "Warning", "Hint", "Tip", "Step", "Item", "Page", "Time", "Location", "Amount", "Account"]);
/** The cue matches in any case ("My name is", "my name is"); the name keeps its case (capitalised, or all lower-case). */
const NAME_CUE = new RegExp(
  `\\b(?:${NAME_CUE_PHRASES.map((p) => `[${p[0]?.toUpperCase()}${p[0]}]${p.slice(1)}`).join("|")})\\s*,?\\s+(${NAME_WORD}(?:${GAP}${NAME_WORD}){0,3}|\\p{Ll}[\\p{L}'’-]+(?:${GAP}\\p{Ll}[\\p{L}'’-]+){0,2})`,
  "gu",
);

/** A list of three or more single words: "silvana, adam, christopher and caleb". */
const NAME_LIST = /(?<![\p{L}\p{N}'’-])[\p{L}][\p{L}'’-]+(?:, [\p{L}][\p{L}'’-]+){2,},? (?:and|&) [\p{L}][\p{L}'’-]+(?![\p{L}])/gu;
/** What each NAME_LIST match holds: the last item before "and". */
const NAME_LIST_TRIGGER = /, [\p{L}][\p{L}'’-]+,? (?:and|&) /gu;
/** What no NAME_LIST match holds (letters, ' ’ - , space and &; its look-behind also tests for numbers). */
const NAME_LIST_CUT = cutOutside(LETTER | NUMBER, "'’-, &");
/** "Haidian District", "Cayman Islands", "British West Indies": a name and an administrative-area word. */
const PLACE_SUFFIX =
  /(?<![\p{L}])(?:\p{Lu}[\p{L}'’-]+[ ]){1,3}(?:District|Village|County|Province|Prefecture|Township|Islands?|Indies|Region|Borough|Municipality|Canton|Oblast|Governorate)(?![\p{L}])/gu;
/** What each PLACE_SUFFIX match holds (it never crosses a line). */
const PLACE_SUFFIX_TRIGGER = / (?:District|Village|County|Province|Prefecture|Township|Islands?|Indies|Region|Borough|Municipality|Canton|Oblast|Governorate)/g;

/** US jurisdictions as contracts name them: "the Commonwealth", "Commonwealth of Virginia", "COMMONWEALTH OF MASSACHUSETTS". */
const JURISDICTION = /(?<![\p{L}])(?:Commonwealth|COMMONWEALTH)(?:\s+(?:of|OF)\s+\p{Lu}[\p{L}]+(?:\s+\p{Lu}[\p{L}]+)?)?(?![\p{L}])/gu;

/** A word that puts a place after it ("in", "at", "visiting"). */
const PLACE_CUE_BEFORE = /\b(?:in|at|from|to|near|serving|visit(?:ing)?|of)\s+$/i;

/** A lower-case title or label, then what follows on the line. */
const LOWER_CUE = new RegExp(
  `(?<![\\p{L}])(?:(?:${LOWER_CUE_TITLES.join("|")})\\.?[ \\t]+|(?:${LOWER_CUE_LABELS.join("|")})[ \\t]*:[ \\t]*)(\\p{Ll}[\\p{Ll}'’.\\- \\t]{1,40})`,
  "gu",
);
let curatedFirst: HashFilter | undefined;
const curatedFirstFilter = (): HashFilter => (curatedFirst ??= new HashFilter(curatedFirstNames(), fnvRange));
/** "I'm", "They're", "C'mon": contractions, never names ("O'Neil", "D'Angelo" keep a capital after the apostrophe). */
const CONTRACTION = /^\p{L}+['’](?:re|ve|ll|d|m|t|mon)$|^\p{L}+n['’]t$/iu;

/** The whole-text patterns opened with a look-ahead, and that look-ahead (for the property test: same matches without it). */
export const LOOKAHEAD_NAME_PATTERNS: readonly (readonly [string, RegExp, string])[] = [
  ["TITLE_RUN", TITLE_RUN, "(?=\\p{Lu})"],
  ["CAPS_RUN", CAPS_RUN, "(?=\\p{Lu}{2})"],
  ["LOWER_WORD", LOWER_WORD, "(?=\\p{Ll}{3})"],
  ["LOWER_PAIR", LOWER_PAIR, "(?=\\p{Ll}[\\p{Ll}'’-])"],
];

/** The cue patterns tried only where their opening word starts, with those positions (for the property test). */
export const ANCHORED_NAME_CUES: readonly (readonly [string, RegExp, (text: string) => Iterable<number>])[] = [
  ...PERSON_CUES.flatMap(({ regex, starts }, i) => (starts ? [[`PERSON_CUES[${i}]`, regex, starts] as const] : [])),
  ["NAME_CUE", NAME_CUE, nameCueStarts],
  ["LOWER_CUE", LOWER_CUE, lowerCueStarts],
  ["JURISDICTION", JURISDICTION, commonwealthStarts],
];

/** The patterns searched by segment (for the property test against a whole-text search). */
export const SEGMENTED_NAME_CUES: readonly (readonly [string, RegExp, RegExp, Cut, Starts?])[] = [
  ["INDIVIDUAL", INDIVIDUAL, INDIVIDUAL_TRIGGER, INDIVIDUAL_CUT, INDIVIDUAL_STARTS],
  ["SPEAKER", SPEAKER, COLON, "line"],
  ["NAME_LIST", NAME_LIST, NAME_LIST_TRIGGER, NAME_LIST_CUT],
  ["PLACE_SUFFIX", PLACE_SUFFIX, PLACE_SUFFIX_TRIGGER, "line"],
];

/**
 * Two or more words in capitals after a word in mixed case: another name may follow the person's ("Ada Quill ACME HOLDINGS").
 * The look-ahead comes first so the look-behind, which reads the word back to its start, is tried only where a gap
 * starts: tried at every position of a long word it read that word back from each (quadratic in the word). Exported
 * for its property test.
 */
export const CAPITALS_TAIL = /(?=[ \u00a0])(?<=\p{Ll}[\p{L}'’-]*)[ \u00a0]{1,2}\p{Lu}{2,}[\p{Lu}'’-]*(?:[ \u00a0]{1,2}\p{Lu}{2,}[\p{Lu}'’-]*)+$/u;
/** A word of a company's name in capitals: a legal form or a corporate suffix ("HOLDINGS", "INC", "LLC", "GROUP"). */
const COMPANY_WORD_IN_CAPITALS = new RegExp(`(?:^|[ \u00a0])${ORG_SUFFIX}[.,]?(?=[ \u00a0]|$)`, "u");

/**
 * The person's part of a name read after a cue: a signature line "/s/ Ada Quill ACME HOLDINGS" runs the signer into
 * the company printed after it. Only a tail that reads as a company is cut: surnames in capitals are the person's own
 * ("Jean DUPONT", "María GARCÍA LÓPEZ": the usual way of writing them in Spanish, French or Italian contracts).
 */
export function withoutNameInCapitals(name: string): string {
  const tail = CAPITALS_TAIL.exec(name);
  return tail && COMPANY_WORD_IN_CAPITALS.test(tail[0]) ? name.slice(0, tail.index) : name;
}

/** A speaker label must look like a name: a known name, or a word that is no everyday word ("Desk:", "When:" are not). */
function couldBeSpeaker(word: string): boolean {
  return isKnownName(word) || (!isCommonWord(word) && lexicon()[word.toLowerCase()] === undefined && !isNotAName(word));
}

export interface NameRecognizerOptions {
  /** Longest piece of text handed to the NLP library at once (it slows down on long inputs). */
  readonly chunkChars?: number;
  /** Sentences whose name tags are remembered (digests and offsets only; default 4096, 0 = none). */
  readonly memoSentences?: number;
  /**
   * Also run compromise's part-of-speech tagger (default false). It is about 8x slower than the lexicon and cue
   * passes and on contracts mostly adds capitalised defined terms and headings; on the synthetic set it adds 0.006 F2.
   */
  readonly nlpTagger?: boolean;
  /** The trained token model for people, organisations and places (the package ships one: `shippedNameModel()`). */
  readonly model?: NameModel | undefined;
}

/** The entity type and score of compromise's NAME_GROUPS (#Person+, #Organization+, #Place+). */
const NAME_GROUP_TYPES: readonly (readonly [PiiEntityType, number])[] = [
  ["PERSON", 0.6],
  ["ORGANIZATION", 0.55],
  ["LOCATION", 0.55],
];

/** Chunks at line breaks and sentence ends, keeping offsets. */
function* chunks(text: string, max: number): Generator<[number, string]> {
  let pos = 0;
  while (pos < text.length) {
    let end = Math.min(text.length, pos + max);
    if (end < text.length) {
      const window = text.slice(pos, end);
      const cut = Math.max(window.lastIndexOf("\n"), window.lastIndexOf(". "));
      if (cut > max / 4) end = pos + cut + 1;
    }
    yield [pos, text.slice(pos, end)];
    pos = end;
  }
}

/**
 * People, organisations and places: compromise's part-of-speech and named-entity tagging,
 * plus legal cues (titles, party roles, signature blocks, corporate suffixes).
 */
/**
 * Where a name starts after the job title that opens a span ("Senior Vice President Acme Widgets" → "Acme Widgets"):
 * the words up to the last job-title word, when all of them are job-title or English words. Words that also name
 * companies ("Partners", "Lead", "Title Insurance") are not read as titles; a span that is only a title stays whole.
 */
export function afterJobTitle(text: string, start: number, end: number): number {
  const words = [...text.slice(start, end).matchAll(/\S+/gu)];
  let cut = -1;
  for (let i = 0; i < words.length - 1; i++) {
    const w = (words[i]?.[0] ?? "").replace(/[,.:;]+$/u, "");
    if (isJobTitleWord(w) && !AMBIGUOUS_TITLE.test(w)) cut = i;
    else if (!isEnglishWord(w)) break;
  }
  const next = words[cut + 1];
  return cut >= 0 && next ? start + next.index : start;
}
/** Job-title words that are also words of company names. */
/**
 * Whether a word at `start` stands where a role does: not right after "in/at/near/from" ("in Pawnee" is a place) nor
 * after a capitalised word that is no role or article ("Great Lakes Advisors" ends a firm's name; "Buyer Designee" is a role).
 */
function standsAsRole(text: string, start: number): boolean {
  const before = textBefore(text, start, 30);
  if (/\b(?:in|at|near|from)\s+$/i.test(before)) return false;
  const previous = /([\p{L}][\p{L}'’-]*)[ \t]+$/u.exec(before)?.[1];
  return previous === undefined || !/^\p{Lu}/u.test(previous) || STOP_START.has(previous) || isNotAName(previous) || isRoleCompound(previous);
}

/** One word, no space inside. */
const ONE_WORD = /^[\p{L}'’]+$/u;
const WORD_CHAR = /[\p{L}'’]/u;
/**
 * The hyphenated word around text[start, end) ("Co" → "Co-Borrowers"), read over two hyphens at most: a role
 * compound has one (isRoleCompound), so a word with two is none whatever follows. Reading the whole of a run such as
 * "Ab-Ab-Ab-…" for each of its words was quadratic (a 40,000-character run: over 40 s of CPU).
 */
function hyphenatedWordAt(text: string, start: number, end: number): string {
  const letter = (i: number): boolean => WORD_CHAR.test(text[i] ?? "");
  let a = start;
  let b = end;
  let hyphens = 0;
  for (;;) {
    if (letter(a - 1)) a--;
    else if (text[a - 1] === "-" && letter(a - 2) && hyphens < 2) {
      a -= 2;
      hyphens++;
    } else break;
  }
  for (;;) {
    if (letter(b)) b++;
    else if (text[b] === "-" && letter(b + 1) && hyphens < 2) {
      b += 2;
      hyphens++;
    } else break;
  }
  return text.slice(a, b);
}

const AMBIGUOUS_TITLE = /^(?:lead|head|chair|owner|partners?|associates?|agents?|title|executive|founders?|representatives?)$/i;

export class NameRecognizer implements Recognizer {
  readonly name = "NameRecognizer";
  readonly types: readonly PiiEntityType[] = ["PERSON", "ORGANIZATION", "LOCATION"];
  private readonly chunkChars: number;
  private readonly tagger: NameTagger | undefined;
  private readonly model: NameModel | undefined;

  constructor(options: NameRecognizerOptions = {}) {
    this.chunkChars = options.chunkChars ?? 1500;
    this.tagger = options.nlpTagger ? new NameTagger(options.memoSentences ?? 4096) : undefined;
    this.model = options.model;
  }

  /**
   * A run of capitalised words is a name when it holds a known given/family name that is not an
   * everyday English word; leading and trailing everyday words are trimmed off. A lone unknown
   * capitalised word that is not an everyday word is a weaker candidate (a person, or a place after
   * "in/at/from/to").
   */
  private lexiconRun(
    text: string,
    index: number,
    run: string,
    push: (type: PiiEntityType, start: number, end: number, score: number, recognizer: string) => void,
    modelType: (start: number, end: number) => string | undefined,
  ): void {
    const reading = readRun(run);
    if (reading.kind === "none") return;
    // "the English language", "an Apple device": one dictionary word after an article is an adjective or a thing
    if (reading.lone !== undefined && /\b(?:the|a|an)\s+$/i.test(text.slice(Math.max(0, index + reading.lone - 5), index + reading.lone))) return;
    if (reading.kind === "place") {
      push("LOCATION", index + reading.start, index + reading.end, 0.65, "NameLexiconRecognizer");
      return;
    }
    if (reading.kind === "everyday") return;
    const { hasName, words } = reading;
    const start = index + reading.start;
    const end = index + reading.end;
    // not text.slice(start - 12): a window opening inside "Martin" read "in" as a place cue before the next column's name
    const before = textBefore(text, start, 12);
    const placeCue = PLACE_CUE_BEFORE.test(before);
    // "Santa Clara", "Hong Kong", "Wellesley, Massachusetts": a known place is a place, unless it is also a
    // given name with nothing around it that says place ("Virginia signed" vs "Commonwealth of Virginia")
    const after = text.slice(end, end + 24);
    if (reading.knownPlace) {
      const placeAround = placeCue || /^\s*,\s*(?:\p{Lu}|\d{5})|^\s+\d{5}/u.test(after) || /,\s*$/.test(before);
      if (words > 1 || placeAround || !reading.curatedFirst) {
        push("LOCATION", start, end, words > 1 ? 0.65 : 0.55, "NameLexiconRecognizer");
        return;
      }
    }
    // "Hellowallet", "Lawdragon", "MysticWeb": one word that is two English words run together (or has a capital
    // inside) and is no known name reads as a brand, not a person
    // ("Riverlea", "Highveld" after "in/at/to" are towns when the name model reads them as places)
    if (words === 1 && !hasName && reading.brand && !(placeCue && modelType(start, end) === "LOCATION")) {
      push("ORGANIZATION", start, end, 0.5, "NameLexiconRecognizer");
      return;
    }
    if (hasName && !placeCue) push("PERSON", start, end, words > 1 ? 0.65 : 0.55, "NameLexiconRecognizer");
    else if (placeCue) push("LOCATION", start, end, 0.5, "NameLexiconRecognizer");
    else if (hasName || words > 1) push("PERSON", start, end, 0.5, "NameLexiconRecognizer");
    // one unknown word and nothing else: a guess, unless it is an everyday word built from English ones
    else if (!reading.derived) push("PERSON", start, end, 0.42, "NameLexiconRecognizer");
  }

  recognize(text: string): PiiFinding[] {
    const out: PiiFinding[] = [];
    // whether the text writes a word's correlative ("Payee" for "Payor"), read once per word and text
    const correlatives = new Map<string, boolean>();
    const paired = (w: string): boolean => {
      let known = correlatives.get(w);
      if (known === undefined) correlatives.set(w, (known = hasCorrelativeIn(text, w)));
      return known;
    };
    // whether the text uses an unlisted "-or"/"-ee" word as a role ("the Escrowee"), read once per word and text
    const usedAsRole = new Map<string, boolean>();
    const correlativeRole = (w: string): boolean => {
      if (!isCorrelativeRole(w)) return false;
      let known = usedAsRole.get(w);
      if (known === undefined) usedAsRole.set(w, (known = usedAsRoleIn(text, w)));
      return known;
    };
    const push = (type: PiiEntityType, start: number, end: number, score: number, recognizer: string, dropHonorific = false, lowerCase = false): void => {
      const span = nameSpan(text, start, end, dropHonorific);
      if (!span) return;
      const [s] = span;
      let e = span[1];
      // "Croatian place downtown": a place name does not end in everyday lower-case words
      // ("Russian government": an organisation's name does not either)
      if ((type === "LOCATION" || type === "ORGANIZATION") && recognizer === "NameRecognizer") {
        const m = /(?:\s+\p{Ll}[\p{Ll}'’-]*)+$/u.exec(text.slice(s, e));
        if (m && m[0].trim().split(/\s+/).every((w) => isCommonWord(w))) {
          e -= m[0].length;
          while (e > s && /[\s"'“”‘’)\],;:!?*-]/.test(text[e - 1] ?? "")) e--;
          // what is left of "Russian government" is a nationality, not a name
          if (type === "ORGANIZATION" && !/\s/.test(text.slice(s, e))) return;
        }
      }
      if (e - s < 2) return;
      if (CONTRACTION.test(text.slice(s, e).split(/\s+/)[0] ?? "")) return;
      const first = text.slice(s, e).split(/\s+/)[0] ?? "";
      if (STOP_START.has(first) && type !== "ORGANIZATION") return;
      if (!lowerCase && !/^[\p{Lu}\d]/u.test(first)) return;
      const words = text.slice(s, e).split(/[\s,'’]+/).filter((w) => /\p{L}{2,}/u.test(w));
      if (recognizer === "NameRecognizer") {
        // compromise also tags capitalised defined terms ("Tranche B Cash", "The Company"): keep a span
        // only if one of its words is a distinctive name (a known name, or not an English word at all)
        const distinctive = (w: string): boolean =>
          !isNotAName(w) && !isCommonWord(w) && (type !== "PERSON" || isGivenOrFamilyName(w) || isKnownName(w) || !isEnglishWord(w));
        if (type !== "LOCATION" && !words.some(distinctive)) return;
      }
      // a span of role words only ("Borrower", "Certificateholders") is no name, whichever recognizer read it, nor is
      // part of a hyphenated role ("Co" of "Co-Borrowers", "Sub" of "Sub-Agent")
      if (words.length > 0 && words.every((w) => isNotAName(w) || isRoleCompound(w) || ((correlativeRole(w) || paired(w)) && standsAsRole(text, s)))) return;
      if (ONE_WORD.test(text.slice(s, e)) && (text[s - 1] === "-" || text[e] === "-") && isRoleCompound(hyphenatedWordAt(text, s, e))) return;
      out.push({ type, start: s, end: e, score, recognizer });
    };

    const modelSpans: readonly ModelSpan[] = this.model?.spans(text) ?? [];
    const modelType = (start: number, end: number): string | undefined => modelSpans.find((m) => m.start < end && start < m.end)?.type;
    for (const m of modelSpans) {
      // below every cue's score (0.6+): a cue that reads the whole phrase ("Commonwealth of Virginia") wins the overlap;
      // a known place is a place, whatever label the model gave it ("a Delaware Corporation")
      // and a company's name before "Park", "Building", "Tower" names a site, not the company (as for suffix names)
      if (m.type === "ORGANIZATION" && SITE_AFTER.test(text.slice(m.end, m.end + 12))) continue;
      // one everyday word built from English ones ("Unenforceability", "MERCHANTABILITY") is no name, whatever the model read
      // ("Loveless", "Harkness" are known surnames first)
      const spanText = text.slice(m.start, m.end);
      if (!isKnownName(spanText) && isDerivedEnglish(spanText)) continue;
      let type = m.type !== "LOCATION" && isKnownPlaceName(spanText) ? "LOCATION" : m.type;
      // "joining Datamarket": one word made of two English words (not itself one: "the Commonwealth"), no known place
      // and no place word before it, is a brand whatever the model read (as the lexicon reader types it; "in Riverlea"
      // stays a town)
      if (type === "LOCATION" && isBrandLike(spanText) && !isEnglishWord(spanText.toLowerCase()) && !isKnownPlaceName(spanText) && !PLACE_CUE_BEFORE.test(textBefore(text, m.start, 16))) type = "ORGANIZATION";
      if (type === "LOCATION" ? namesCurrency(text, m.end) : isShoutedPhrase(text, m.start, m.end)) continue;
      // "Authorized Signatory MEZZANINE PARTNERS", "Chief Executive Officer Acme": a job title before a name is no part of it
      const start = type === "LOCATION" ? m.start : afterJobTitle(text, m.start, m.end);
      push(type, start, m.end, 0.4 + 0.18 * m.probability, "NameModelRecognizer");
    }
    for (const [offset, chunk] of this.tagger ? chunks(text, this.chunkChars) : []) {
      if (!/\p{Lu}/u.test(chunk) || !this.tagger) continue;
      // #Person+, #Organization+, #Place+ in that order, each in text order
      for (const f of this.tagger.spans(chunk)) {
        const [type, score] = NAME_GROUP_TYPES[f.group] ?? ["PERSON", 0.6];
        const start = offset + f.start;
        // compromise can report a span running past its input ("{LA" → 1..4): keep it inside the chunk
        const end = Math.min(offset + chunk.length, start + f.length);
        // "Santa Clara, California" is tagged as a person: a name never ends in ", <known place>"
        const tail = /,\s*([^,]+)$/.exec(text.slice(start, end))?.[1]?.replace(/[.\s]+$/, "");
        const t: PiiEntityType = type === "PERSON" && tail !== undefined && isKnownPlaceName(tail) ? "LOCATION" : type;
        push(t, start, end, score, "NameRecognizer", true);
      }
    }
    for (const cue of PERSON_CUES) {
      cue.regex.lastIndex = 0;
      const found = cue.starts
        ? matchesAt(text, cue.regex, cue.starts(text))
        : cue.segment
          ? segmentMatches(text, cue.regex, cue.segment.trigger, cue.segment.cut, cue.segment.starts)
          : text.matchAll(cue.regex);
      for (const m of found) {
        const read = m[1];
        if (!read) continue;
        const name = withoutNameInCapitals(read);
        // "Employee Retirement Income Security Act": a role word before a title, not before a name
        const parts = name.split(/\s+/).filter((w) => /\p{L}{2,}/u.test(w));
        if (parts.length > 1 && parts.every((w) => isEnglishWord(w) && !isKnownName(w))) continue;
        const start = m.index + m[0].lastIndexOf(read);
        push("PERSON", start, start + name.length, cue.score, "LegalCueRecognizer");
        // the company printed after the signer ("/s/ Ada Quill ACME HOLDINGS") is the organisation it reads as, not left out
        const company = read.slice(name.length).trimStart();
        if (company) push("ORGANIZATION", start + read.length - company.length, start + read.length, cue.score, "LegalCueRecognizer");
      }
    }
    for (const m of text.matchAll(TITLE_RUN)) {
      // "Panjiva's Riku Andou": an owner and a person, two runs (a run without "'s" is one piece)
      let at = 0;
      for (const piece of /['’]s/.test(m[0]) ? m[0].split(/(?<=\p{L}['’]s)[ \t]+/u) : [m[0]]) {
        const i = m[0].indexOf(piece, at);
        this.lexiconRun(text, m.index + i, piece, push, modelType);
        at = i + piece.length;
      }
    }
    for (const m of text.matchAll(CAPS_RUN)) {
      // "KATHY WHITWORTH", "PAUL E. SCHEDLER" in capitals: every word a known given or family name, none an everyday word
      const words = m[0].split(/[ \t]+/);
      const named = words.filter((w) => !/^\p{Lu}\.$/u.test(w)).map((w) => capitalise(w.toLowerCase()));
      if (named.length < 2 || !isFirstName(named[0] ?? "")) continue;
      if (named.some((w) => isEnglishWord(w) || isNotAName(w) || isDemonym(w) || !(isGivenOrFamilyName(w) || isKnownName(w)))) continue;
      push("PERSON", m.index, m.index + m[0].length, 0.6, "NameLexiconRecognizer");
    }
    for (const m of segmentMatches(text, SPEAKER, COLON, "line")) {
      const name = m[1];
      const head = name?.split(" ")[0] ?? "";
      if (!name || NOT_SPEAKER.has(head) || !couldBeSpeaker(head)) continue;
      const lower = /^\p{Ll}/u.test(name);
      // "Nanoparticle dispersions:", "Shipping address:": a capitalised word and a lower-case one label a list item
      if (!lower && / \p{Ll}/u.test(name)) continue;
      // a lower-case label ("mika: who are you?") must be a known name that is no English word
      if (lower && !(isFirstName(head) && !isEnglishWord(head))) continue;
      const start = m.index + m[0].indexOf(name);
      push("PERSON", start, start + name.length, 0.6, "LegalCueRecognizer", false, lower);
    }
    for (const m of matchesAt(text, NAME_CUE, nameCueStarts(text))) {
      const name = m[1];
      if (!name) continue;
      const lower = !/^\p{Lu}/u.test(name);
      // in lower-case text, keep the words after the cue that are no everyday English words ("my name is lena andersson.")
      const kept = lower ? (/^(?:[\p{L}'’-]+)(?:\s+[\p{L}'’-]+){0,2}/u.exec(name)?.[0] ?? "").split(/\s+/) : [];
      let n = 0;
      while (lower && n < kept.length && !isEnglishWord(kept[n] ?? "") && !isNotAName(kept[n] ?? "")) n++;
      const value = lower ? kept.slice(0, n).join(" ") : name;
      if (value.length < 2) continue;
      const start = m.index + m[0].lastIndexOf(name);
      push("PERSON", start, start + value.length, 0.65, "LegalCueRecognizer", false, lower);
    }
    for (const m of segmentMatches(text, NAME_LIST, NAME_LIST_TRIGGER, NAME_LIST_CUT)) {
      // "Gaetane, Hannah, Anthony and Andrew": a list mostly made of given names is a list of people
      const items = [...m[0].matchAll(/[\p{L}][\p{L}'’-]+/gu)].filter((w) => !/^(?:and|&)$/i.test(w[0]));
      const given = items.filter((w) => isFirstName(w[0]) && (!isCommonWord(w[0]) || isKnownName(w[0]))).length;
      if (given < Math.max(3, Math.ceil(items.length * 0.6)) || items.some((w) => isNotAName(w[0]))) continue;
      for (const w of items) {
        if (isCommonWord(w[0]) && !isFirstName(w[0])) continue;
        push("PERSON", m.index + w.index, m.index + w.index + w[0].length, 0.62, "LegalCueRecognizer", false, true);
      }
    }
    for (const m of matchesAt(text, JURISDICTION, commonwealthStarts(text))) push("LOCATION", m.index, m.index + m[0].length, 0.6, "LegalCueRecognizer");
    for (const m of segmentMatches(text, PLACE_SUFFIX, PLACE_SUFFIX_TRIGGER, "line")) {
      const words = m[0].split(" ");
      let first = 0;
      while (first < words.length - 1 && (STOP_START.has(words[first] ?? "") || isNotAName(words[first] ?? ""))) first++;
      if (first === words.length - 1) continue;
      const skip = words.slice(0, first).join(" ");
      const start = m.index + (first === 0 ? 0 : skip.length + 1);
      push("LOCATION", start, m.index + m[0].length, 0.7, "LegalCueRecognizer");
    }
    for (const m of matchesAt(text, LOWER_CUE, lowerCueStarts(text))) {
      // "mr. elliott flew…", "name:    hyuuma t. maida": a lower-case title or label, then words that are no English words
      const words = [...(m[1] ?? "").matchAll(/[\p{L}'’-]+\.?/gu)];
      let n = 0;
      while (n < words.length && n < 3 && (/^\p{L}\.$/u.test(words[n]?.[0] ?? "") || (!isEnglishWord((words[n]?.[0] ?? "").replace(/\.$/, "")) && !isNotAName(words[n]?.[0] ?? "")))) n++;
      while (n > 0 && /^\p{L}\.$/u.test(words[n - 1]?.[0] ?? "")) n--;
      const last = words[n - 1];
      if (n === 0 || !last) continue;
      const start = m.index + m[0].length - (m[1] ?? "").length;
      push("PERSON", start, start + last.index + last[0].replace(/\.$/, "").length, 0.6, "LegalCueRecognizer", false, true);
    }
    // every lower-case word and pair of words: only those whose (first) word may be a curated given name are read
    const givenNames = curatedFirstFilter();
    const { words, pairs } = lowerRuns(text, (t, from, to) => givenNames.mayHold(t, from, to));
    for (let k = 0; k < words.length; k += 2) {
      // a lone lower-case word that compromise knows only as a given name and that is no English word ("selma is from…")
      const [start, end] = [words[k] ?? 0, words[k + 1] ?? 0];
      const w = text.slice(start, end);
      if (!isCuratedFirstName(w) || isEnglishWord(w) || isNotAName(w) || nearTermOfArt(text, start, end)) continue;
      push("PERSON", start, end, 0.45, "NameLexiconRecognizer", false, true);
    }
    for (let k = 0; k < pairs.length; k += 4) {
      // lower-case text ("eva kleist lives at…"): a given name then a surname, neither an English word
      const [start, end1, start2, end] = [pairs[k] ?? 0, pairs[k + 1] ?? 0, pairs[k + 2] ?? 0, pairs[k + 3] ?? 0];
      const [a, b] = [text.slice(start, end1), text.slice(start2, end)];
      if (isEnglishWord(a) || isEnglishWord(b) || isNotAName(a) || isNotAName(b) || nearTermOfArt(text, start, end)) continue;
      if (!isCuratedFirstName(a) || !(isGivenOrFamilyName(capitalise(b)) || isKnownName(b) || lexicon()[b] === undefined)) continue;
      push("PERSON", start, end, 0.5, "NameLexiconRecognizer", false, true);
    }
    return out;
  }
}
