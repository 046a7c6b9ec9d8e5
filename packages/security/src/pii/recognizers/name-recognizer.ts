import nlp from "compromise";
import type { PiiEntityType, PiiFinding, Recognizer } from "../pii-types";
import { isCommonWord, isEnglishWord, isGivenOrFamilyName, isNotAName } from "./lexicons";

const HONORIFIC = /^(?:(?:Mr|Mrs|Ms|Miss|Mx|Dr|Prof|Sir|Dame|Judge|Justice|Hon|Rev|Messrs)\.?\s+)+/;
const NAME_WORD = "(?:[\\p{Lu}][\\p{L}'’-]+|[\\p{Lu}]\\.)";
const NAME = `${NAME_WORD}(?:\\s+(?:(?:van|von|de|der|da|di|del|la|le|bin|al)\\s+)?${NAME_WORD}){0,3}`;
const NAME2 = `${NAME_WORD}(?:\\s+(?:(?:van|von|de|der|da|di|del|la|le|bin|al)\\s+)?${NAME_WORD}){1,3}`;

/** Legal-text cues that put a person's name in a known place. */
const PERSON_CUES: readonly { readonly regex: RegExp; readonly score: number }[] = [
  // Mr. Smith, Dr. Karen O'Neil, Hon. Jane Roe (the title itself is not part of the name)
  { regex: new RegExp(`\\b(?:Mr|Mrs|Ms|Miss|Mx|Dr|Prof|Sir|Dame|Judge|Justice|Hon|Rev)\\.?\\s+(${NAME})`, "gu"), score: 0.85 },
  // the Plaintiff, John Doe / Defendant Jane Roe
  {
    regex: new RegExp(
      `\\b(?:Plaintiff|Defendant|Petitioner|Respondent|Appellant|Appellee|Claimant|Debtor|Guarantor|Witness|Testator|Testatrix|Executor|Executrix|Trustee|Decedent|Deponent|Affiant|Tenant|Landlord|Employee|Counsel|Attorney|Notary)s?,?\\s+(${NAME2})`,
      "gu",
    ),
    score: 0.85,
  },
  // signature blocks: "/s/ John Doe", "By: John Doe", "Name: John Doe"
  { regex: new RegExp(`(?:/s/|\\bBy:|\\bName:|\\bSigned:|\\bSignature:|\\bAttn\\.?:|\\bAttention:)[ \\t]*(?:/s/[ \\t]*)?(${NAME2})`, "gu"), score: 0.85 },
];

const SUFFIXES =
  "Inc|Incorporated|LLC|L\\.L\\.C|Ltd|Limited|Corp|Corporation|Company|Co|LLP|L\\.L\\.P|L\\.P|LP|PLC|plc|GmbH|AG|S\\.A|N\\.A|Bank|Group|Partners|Holdings|Trust|Associates|Foundation|Capital|Insurance|Solutions|Technologies|Systems|Enterprises|Industries|Bancorp|University|Hospital|Agency|Authority";
/** Corporate suffixes, as written and in capitals ("Bank", "BANK"). */
const ORG_SUFFIX = `(?:${SUFFIXES}|${SUFFIXES.toUpperCase()})`;
const ORG_CUE = new RegExp(
  `(?<![\\p{L}])(?:[\\p{Lu}][\\p{L}&'’.-]*\\s+(?:(?:of|and|&|the|for)\\s+)?){0,4}[\\p{Lu}][\\p{L}&'’.-]*(?:\\s*,)?\\s+${ORG_SUFFIX}(?:\\s*\\.)?(?![\\p{L}])`,
  "gu",
);

const NAME_TAGS = new Set(["FemaleName", "MaleName", "FirstName", "LastName", "Person"]);
const LEXICON = (nlp.model() as { one: { lexicon: Record<string, string | string[]> } }).one.lexicon;
/** True when compromise's lexicon knows the word as a first or last name. */
function isKnownName(word: string): boolean {
  const tags = LEXICON[word.toLowerCase()];
  if (tags === undefined) return false;
  return Array.isArray(tags) ? tags.some((t) => NAME_TAGS.has(t)) : NAME_TAGS.has(tags);
}
const TITLE_RUN = /(?<![\p{L}\p{N}'’])[\p{Lu}][\p{Ll}'’-]+(?:\s(?:[\p{Lu}][\p{Ll}'’-]+|[\p{Lu}]\.?)(?![\p{L}]))*(?![\p{L}])/gu;
/** Speaker labels in transcripts and chats ("Nicole: Remember me?"). */
const SPEAKER = /^[ \t>]*([\p{Lu}][\p{Ll}'’-]+(?: [\p{Lu}][\p{Ll}'’-]+)?)[ \t]*:/gmu;
const NOT_SPEAKER = new Set(["Bot", "User", "Note", "Re", "Subject", "From", "To", "Cc", "Bcc", "Date", "Name", "Q", "A", "Answer", "Question", "Address", "Phone", "Email", "Fax", "Tel", "Attn", "Attention", "By", "Title", "Its", "Signed", "Signature", "Whereas", "Witness", "Dated", "Section", "Article", "Exhibit", "Schedule", "Total", "Example", "Warning", "Hint", "Tip", "Step", "Item", "Page", "Time", "Location", "Amount", "Account"]);
/** Phrases after which a name follows. */
const NAME_CUE = new RegExp(`\\b(?:my name is|name is|names? (?:are|were)|called|named|assistant to|sung by|written by|signed by|dear|hi|hello|thanks|thank you|change it to|married|met with|spoke with|between him and|between her and)\\s*,?\\s+(${NAME_WORD}(?:\\s+${NAME_WORD}){0,3})`, "giu");

/** Law-firm style names: "Davis, Reynolds and Williamson", "Smith & Jones". */
const FIRM = /(?<![\p{L}])[\p{Lu}][\p{Ll}'’-]+(?:, [\p{Lu}][\p{Ll}'’-]+)*,? (?:and|&) [\p{Lu}][\p{Ll}'’-]+(?![\p{L}])/gu;
/** Phrases after which an organisation's name follows ("works for X", "is from X", "joined X"). */
const ORG_CONTEXT = new RegExp(
  `\\b(?:works? (?:for|at)|worked (?:for|at)|working (?:for|at)|employed (?:by|at)|is from|year at|joined|became|support|client of|customer of|offices of|acquired by|subsidiary of|on behalf of)\\s+((?:[\\p{Lu}][\\p{L}&'’.-]*)(?:[ ](?:[\\p{Lu}][\\p{L}&'’.-]*|of|and|&)){0,4})`,
  "gu",
);

const STOP_START = new Set(["The", "This", "That", "These", "Each", "Any", "All", "Such", "Our", "Your", "His", "Her", "Its", "Their", "A", "An", "In", "On", "At", "Of", "For", "By", "To", "And", "Section", "Article", "Schedule", "Exhibit"]);

/** Trims punctuation and honorifics off a span reported by the NLP library. */
function tidy(text: string, start: number, end: number, dropHonorific: boolean): [number, number] | undefined {
  let s = start;
  let e = end;
  while (s < e && /[\s"'“”‘’([,;:!?*-]/.test(text[s] ?? "")) s++;
  while (e > s && /[\s"'“”‘’)\],;:!?*.-]/.test(text[e - 1] ?? "")) {
    // keep the period of a trailing initial or abbreviation ("Inc.", "Ravil G.")
    if (text[e - 1] === "." && /(?:^|\s)(?:[A-Z]|Inc|Ltd|Co|Corp|Jr|Sr)$/.test(text.slice(s, e - 1))) break;
    e--;
  }
  if (dropHonorific) {
    const h = HONORIFIC.exec(text.slice(s, e));
    if (h) s += h[0].length;
  }
  if (e - s < 2 || !/\p{L}/u.test(text.slice(s, e))) return undefined;
  return [s, e];
}

export interface NameRecognizerOptions {
  /** Longest piece of text handed to the NLP library at once (it slows down on long inputs). */
  readonly chunkChars?: number;
}

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
export class NameRecognizer implements Recognizer {
  readonly name = "NameRecognizer";
  readonly types: readonly PiiEntityType[] = ["PERSON", "ORGANIZATION", "LOCATION"];
  private readonly chunkChars: number;

  constructor(options: NameRecognizerOptions = {}) {
    this.chunkChars = options.chunkChars ?? 1500;
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
  ): void {
    const words: { w: string; at: number }[] = [];
    for (const m of run.matchAll(/\S+/g)) words.push({ w: m[0], at: m.index });
    const bare = (w: string): string => w.replace(/[’']s$/, "");
    const isInitial = (w: string): boolean => /^\p{Lu}\.?$/u.test(w);
    const nameLike = (w: string): boolean =>
      !isNotAName(bare(w)) && !isCommonWord(bare(w)) && (isGivenOrFamilyName(bare(w)) || isKnownName(bare(w)));
    const unknown = (w: string): boolean =>
      !isNotAName(bare(w)) && !isEnglishWord(bare(w)) && !isKnownName(bare(w)) && !LEXICON[bare(w).toLowerCase()];
    let a = 0;
    let b = words.length - 1;
    while (a <= b && !(nameLike(words[a]?.w ?? "") || (unknown(words[a]?.w ?? "") && !isInitial(words[a]?.w ?? "")))) a++;
    while (b >= a && !(nameLike(words[b]?.w ?? "") || unknown(words[b]?.w ?? "") || isInitial(words[b]?.w ?? ""))) b--;
    if (a > b) return;
    const kept = words.slice(a, b + 1);
    const hasName = kept.some((x) => nameLike(x.w));
    const first = kept[0];
    const last = kept[kept.length - 1];
    if (!first || !last) return;
    if (kept.some((x) => isNotAName(bare(x.w)) || (isCommonWord(bare(x.w)) && !isGivenOrFamilyName(bare(x.w))))) return;
    const start = index + first.at;
    const end = index + last.at + last.w.length;
    const before = text.slice(Math.max(0, start - 12), start);
    const placeCue = /\b(?:in|at|from|to|near|serving|visit(?:ing)?|of)\s+$/i.test(before);
    if (hasName && !placeCue) push("PERSON", start, end, kept.length > 1 ? 0.65 : 0.55, "NameLexiconRecognizer");
    else if (placeCue) push("LOCATION", start, end, 0.5, "NameLexiconRecognizer");
    else if (hasName || kept.length > 1) push("PERSON", start, end, 0.5, "NameLexiconRecognizer");
    else push("PERSON", start, end, 0.42, "NameLexiconRecognizer");
  }

  recognize(text: string): PiiFinding[] {
    const out: PiiFinding[] = [];
    const push = (type: PiiEntityType, start: number, end: number, score: number, recognizer: string, dropHonorific = false): void => {
      const span = tidy(text, start, end, dropHonorific);
      if (!span) return;
      const [s, e] = span;
      const first = text.slice(s, e).split(/\s+/)[0] ?? "";
      if (STOP_START.has(first) && type !== "ORGANIZATION") return;
      if (!/^[\p{Lu}\d]/u.test(first)) return;
      const words = text.slice(s, e).split(/[\s,'’]+/).filter((w) => /\p{L}{2,}/u.test(w));
      if (recognizer === "NameRecognizer") {
        // compromise also tags capitalised defined terms ("Tranche B Cash", "The Company"): keep a span
        // only if one of its words is a distinctive name (a known name, or not an English word at all)
        const distinctive = (w: string): boolean =>
          !isNotAName(w) && !isCommonWord(w) && (type !== "PERSON" || isGivenOrFamilyName(w) || isKnownName(w) || !isEnglishWord(w));
        if (type !== "LOCATION" && !words.some(distinctive)) return;
      }
      if (words.length > 0 && words.every((w) => isNotAName(w))) return;
      out.push({ type, start: s, end: e, score, recognizer });
    };

    for (const [offset, chunk] of chunks(text, this.chunkChars)) {
      if (!/\p{Lu}/u.test(chunk)) continue;
      const doc = nlp(chunk);
      const groups: readonly [string, PiiEntityType, number][] = [
        ["#Person+", "PERSON", 0.6],
        ["#Organization+", "ORGANIZATION", 0.55],
        ["#Place+", "LOCATION", 0.55],
      ];
      for (const [match, type, score] of groups) {
        const found = doc.match(match).json({ offset: true }) as { offset: { start: number; length: number } }[];
        for (const f of found) push(type, offset + f.offset.start, offset + f.offset.start + f.offset.length, score, "NameRecognizer", true);
      }
    }
    for (const cue of PERSON_CUES) {
      cue.regex.lastIndex = 0;
      for (const m of text.matchAll(cue.regex)) {
        const name = m[1];
        if (!name) continue;
        const start = m.index + m[0].lastIndexOf(name);
        push("PERSON", start, start + name.length, cue.score, "LegalCueRecognizer");
      }
    }
    for (const m of text.matchAll(TITLE_RUN)) this.lexiconRun(text, m.index, m[0], push);
    for (const m of text.matchAll(SPEAKER)) {
      const name = m[1];
      if (!name || NOT_SPEAKER.has(name.split(" ")[0] ?? "")) continue;
      const start = m.index + m[0].indexOf(name);
      push("PERSON", start, start + name.length, 0.6, "LegalCueRecognizer");
    }
    for (const m of text.matchAll(NAME_CUE)) {
      const name = m[1];
      if (!name || !/^\p{Lu}/u.test(name)) continue;
      const start = m.index + m[0].lastIndexOf(name);
      push("PERSON", start, start + name.length, 0.65, "LegalCueRecognizer");
    }
    for (const m of text.matchAll(FIRM)) {
      const words = m[0].split(/[\s,&]+/).filter((w) => w.length > 0 && w !== "and");
      if (words.some((w) => isNotAName(w) || (isCommonWord(w) && !isGivenOrFamilyName(w)))) continue;
      push("ORGANIZATION", m.index, m.index + m[0].length, 0.6, "LegalCueRecognizer");
    }
    for (const m of text.matchAll(ORG_CONTEXT)) {
      const name = (m[1] ?? "").replace(/\s+(?:of|and|&)$/, "");
      if (!name) continue;
      const words = name.split(/\s+/);
      if (words.every((w) => isNotAName(w) || isCommonWord(w))) continue;
      const start = m.index + m[0].lastIndexOf(m[1] ?? "");
      push("ORGANIZATION", start, start + name.length, 0.5, "LegalCueRecognizer");
    }
    ORG_CUE.lastIndex = 0;
    for (const m of text.matchAll(ORG_CUE)) {
      const head = m[0].replace(new RegExp(`[\\s,]*${ORG_SUFFIX}(?:\\s*\\.)?$`, "u"), "");
      const words = head.split(/[\s,]+/).filter((w) => /\p{L}/u.test(w));
      // "The Company", "Borrower Company": generic words before the suffix make a defined term, not a name
      let first = 0;
      while (first < words.length && (STOP_START.has(words[first] ?? "") || isNotAName(words[first] ?? ""))) first++;
      const rest = words.slice(first);
      if (rest.length === 0 || rest.every((w) => isNotAName(w) || /^(?:of|and|&|the|for)$/i.test(w))) continue;
      const skip = words.slice(0, first).join(" ");
      const start = first === 0 ? m.index : m.index + m[0].indexOf(rest[0] ?? "", skip.length);
      push("ORGANIZATION", start, m.index + m[0].length, 0.8, "LegalCueRecognizer");
    }
    return out;
  }
}
