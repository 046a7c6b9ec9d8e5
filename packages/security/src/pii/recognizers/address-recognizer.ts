import { lexicon } from "./compromise-nlp";
import type { PiiFinding, Recognizer } from "../pii-types";
import { matchesAt, triggerPositions, type Trigger } from "../triggered-matches";
import {
  capsAfterPrepositions,
  cueStarts,
  inlineEuroStarts,
  lineNumberStarts,
  lowerPlaceCueStarts,
  placeCueStarts,
  postBoxStarts,
  STREET_PREFIX_ALTERNATION,
  streetNumberStarts,
  streetPrefixStarts,
  townPostcodeStarts,
} from "./address-anchors";
import { townLines } from "./town-lines";
import { isCommonWord, isEnglishWord, isNotAName } from "./lexicons";
import { isLegalReference } from "./legal-references";
import { textBefore } from "./whole-words";
import { isKnownPlace, knownPlaces } from "./place-groups";
import { compoundStreets, SUFFIX as COMPOUND_SUFFIX, suffixStarts as compoundSuffixStarts } from "./compound-streets";
import { namesCurrency } from "./clause-phrases";

const SUFFIX =
  "(?:Street|St|Avenue|Ave|Road|Rd|Boulevard|Blvd|Lane|Ln|Drive|Dr|Court|Ct|Way|Place|Pl|Terrace|Ter|Circle|Cir|Parkway|Pkwy|Highway|Hwy|Square|Sq|Squares|Plaza|Trail|Trl|Alley|Row|Crescent|Close|Str|Strasse|Straße|Gatan|Vej|Union|Extensions?|Fort|Walk|Mews|Gardens|Hill|Park|Expressway|Expy|Freeway|Fwy|Turnpike|Tpke)";
// tokenised text puts a space before punctuation ("Suite 1400 , West Palm Beach , Florida 33401", "Ste . 350")
const UNIT = "(?:[ ]?,?\\s*(?:Suite|Ste|Apt|Apartment|Unit|Floor|Fl|Room|Rm|#)[ ]?\\.?\\s*[\\w-]+)";
const CITY_STATE_ZIP = "(?:[ ]?,?\\s+[\\p{Lu}][\\p{L}.'-]*(?:\\s+[\\p{Lu}][\\p{L}.'-]*){0,3}[ ]?,?\\s+(?:[A-Z]{2}|[A-Z][a-z]+)\\s+\\d{5}(?:[ ]?-[ ]?\\d{4})?)";

/**
 * `guard`: a cheap test of something the pattern needs; a text without it is not searched. `starts`: every position
 * where the pattern can match (it is tried only there).
 */
const PATTERNS: readonly { readonly regex: RegExp; readonly score: number; readonly guard?: RegExp; readonly starts?: (text: string) => Iterable<number> }[] = [
  // 3003 Tasman Drive, Ste. 200, Santa Clara, CA 95054
  {
    regex: new RegExp(
      `(?<![\\w-])\\d{1,6}[A-Za-z]?(?:\\s+\\d{1,5})?\\s+(?:[\\p{Lu}\\p{Ll}](?:[\\p{L}'-]|(?<!\\p{L}{4})\\.)*\\s+){0,4}${SUFFIX}\\b\\.?(?:[ ]\\d{1,4}(?=[ ](?:N|S|E|W|NE|NW|SE|SW)\\b))?(?:[ ](?:N|S|E|W|NE|NW|SE|SW)\\b\\.?)?${UNIT}?${CITY_STATE_ZIP}?`,
      "gu",
    ),
    score: 0.75,
    starts: streetNumberStarts,
  },
  // P.O. Box 149 / PSC 6293, Box 8158 APO AP 04336 / Unit 4719 Box 7394 DPO AP 70942
  {
    regex: /\b(?:P\s?\.?\s?O\s?\.?\s?Box|Post Office Box|PSC|Unit|CMR)\s+\d+(?:,?\s+Box\s+\d+)?(?:\s*\n?\s*(?:APO|FPO|DPO)\s+(?:AA|AE|AP)\s+\d{5})?/gi,
    score: 0.8,
    starts: postBoxStarts,
  },
  // US military ship addresses: "USNS Bergman\nFPO AP 93757"
  {
    regex: /\b(?:USNS|USNV|USS|USCGC)\s+[\p{L}][\p{L}'’. -]{1,30}?,?\s*\n?\s*(?:APO|FPO|DPO)\s+(?:AA|AE|AP)\s+\d{5}\b/giu,
    score: 0.8,
    guard: /(?:APO|FPO|DPO)\s+(?:AA|AE|AP)\s+\d{5}/i,
  },
];

/** Places named after a cue ("grew up in X", "flew to X", "Where: X", "ZIP: 1234"). */
const PLACE_CUE =
  /(?:\b(?:(?:lives?|living|located|based|born|grew up|moved|flew|travell?ed|relocated|stationed|resides?|am|was|were|vacation(?:ing)?|trip) (?:in|to|at|from))|(?:^|\n)[ \t]*(?:Where|City|Country|Town|ZIP|Zip|Postcode|Postal code|State|Region)[ \t]*:)[ \t]+([\p{Lu}\d][\p{L}\d'’.-]*(?:[ ][\p{Lu}\d][\p{L}\d'’.-]*){0,3})/gu;
/** "in Costamezzana 43015", "in Quinta de São Tiago 3610-114", "in ARENDAL 4844": a town and its postcode. */
const TOWN_POSTCODE =
  /(?<=\s)(?<=\b(?:[Ii]n|[Aa]t|[Tt]o|[Ff]rom|[Nn]ear)\s)(\p{Lu}[\p{L}'’.-]*(?:[ ](?:\p{Lu}[\p{L}'’.-]*|de|da|do|di|del|la|le|los|las|am|an|im|sur)){0,3}|\p{Ll}[\p{Ll}'’.-]*(?:[ ]\p{Ll}[\p{Ll}'’.-]*){0,3})[ ](?:\d{4,5}|\d{3}[ ]\d{2}|\d{4}-\d{3}|\d{2}-\d{3})(?![\p{L}\p{N}%]|[.,]\d|\s+(?:%|percent|years?|days?|months?|weeks?|hours?|people|persons|times|units|shares|dollars|euros))/gu;
/** A lower-case place after a verb of living or travelling. */
const LOWER_PLACE_CUE =
  /\b(?:lives?|living|located|based|born|grew up|moved|flew|travell?ed|relocated|returned|arrived|resides?|stationed) (?:in|to|at|from) (\p{Ll}[\p{Ll}'’-]{2,}(?: \p{Ll}[\p{Ll}'’-]{2,})?)(?![\p{L}])/gu;
/** A word in capitals (a town as written on envelopes) after a place preposition. */
const CAPS_TOWN = /(?=\p{Lu}{4})(?<=\b(?:in|at|to|from|near)\s)(\p{Lu}{4,}(?:[ -]\p{Lu}{2,}){0,2})(?![\p{L}\p{N}])/gu;
/** One to three capitalised words on a line of their own, then a country line. */
const TOWN_ABOVE_COUNTRY = /(?:^|\n)[^\p{L}\p{N}\n]{0,6}(\p{Lu}[\p{L}'’.-]*(?:[ ]\p{Lu}[\p{L}'’.-]*){0,2})[ \t]*\n[^\p{L}\p{N}\n]{0,6}(\p{Lu}[\p{L} ]{2,40}(?:\s+\d[\d -]*)?)[ \t]*(?=\n|$)/gu;

/** Postcodes: US ZIP (+4), Canadian "V5A 1V3", British "TW9 1AB", most others digits. */
const POSTCODE = "(?:\\d{4,6}(?:-\\d{3,4})?|[A-Z]\\d[A-Z] ?\\d[A-Z]\\d|[A-Z]{1,2}\\d[A-Z\\d]? ?\\d[A-Z]{2})";
/** A town line with its region and postcode: "Weehawken, New Jersey 07086", "Richmond, Surrey TW9 1AB". */
const TOWN_LINE = new RegExp(`^\\n[^\\p{L}\\p{N}\\n]{0,6}\\p{Lu}[\\p{L}.'’ -]{1,30},[ \\t]*\\p{Lu}[\\p{L}.'’ -]{1,30}?(?:[ \\t]+${POSTCODE})?[ \\t]*(?=\\n|$)`, "u");
/** A line that continues an address block (unit, town, country + postcode). */
const CONTINUATION = /^\n[^\p{L}\p{N}\n]{0,6}(?:(?:Suite|Ste|Apt|Apartment|Unit|Floor|Box)\.?\s*[\w-]+|[\p{L}][\p{L}.'’() -]{1,40}(?:,?\s*[\p{L}]{2,3})?(?:\s+\d{3,6}(?:[ -]\d{2,4})?)?|,?\s*[\p{L}]{2,}\s*\n?\s*\d{4,6}|\d{4,6})[ \t]*(?=\n|$)/iu;
/** A continuation line that is prose, not a town or country ("thanks for your help"). */
function isProseLine(line: string): boolean {
  const words = line.trim().split(/\s+/);
  // "Thanks", "Regards": a lone everyday word that is no known place closes the block
  const lone = words.length === 1 && /^\p{L}+$/u.test(words[0] ?? "") && isCommonWord(words[0] ?? "") && !isKnownPlace(words[0] ?? "");
  return lone || words.length > 4 || proseStart(line) >= 0 || (words.length > 1 && words.every((w) => /^[a-z]/.test(w) && isCommonWord(w)));
}
/** "28030 Edeby 55" or "Rua do Arenque 1634" at the start of a line: a European-style address head. */
const EURO_LINE = /(?:^|(?<=\n))[^\n\p{L}\p{N}]{0,6}\d{1,6}\s+[\p{L}][\p{L}.'’ -]{2,40}\s\d{1,5}[a-zA-Z]?\.?(?:\s+(?:Apt|Suite|Ste|Unit|Flat)\.?\s*[\w-]+)?(?=[,\n]|$|\s+(?:St|Street|Str)\b)/gu;
/** Street-type words written before the name (Polish, French, Italian, Spanish, Portuguese…): "ul. Miła 53", "Via delle Coste 41". */
const PREFIX_STREET = new RegExp(
  `(?<![\\p{L}])(?:${STREET_PREFIX_ALTERNATION})\\.?\\s+[\\p{L}][\\p{L}.'’-]*(?:\\s+[\\p{L}][\\p{L}.'’-]*){0,3}\\s\\d{1,5}[a-zA-Z]?(?:\\/\\d+)?(?![\\p{L}\\p{N}])`,
  "giu",
);
/** PREFIX_STREET's start without its look-behind. */
const PREFIX_STREET_START: Trigger = { regex: new RegExp(`(?:${STREET_PREFIX_ALTERNATION})\\.?\\s+[\\p{L}]`, "giu") };
/** The same-line tail of an address: ", ISHAM, United Kingdom", ", Tallinn, Estonia 10115". */
const INLINE_TAIL = new RegExp(`^,\\s*[\\p{Lu}][\\p{L}'’. -]{1,30}?(?:,\\s*[\\p{Lu}][\\p{L}'’. ()-]{1,30}?){0,2}(?:\\s+${POSTCODE})?(?=\\s*(?:\\n|$|[.;?!]))`, "u");
/**
 * The same-line tail ", Mobile, Alabama" when a clause goes on after it ("… Cody Road, Mobile, Alabama ("Acme") and …"):
 * a town and a region that is a known place (the town may be an everyday word: the position makes it a town).
 */
const TAIL_BEFORE_CLAUSE = /^[ ]?,[ \t]*\p{Lu}[\p{L}'’.-]*(?:[ ]\p{Lu}[\p{L}'’.-]*){0,2}[ ]?,[ \t]*(\p{Lu}[\p{L}'’.-]*(?:[ ]\p{Lu}[\p{L}'’.-]*){0,2})(?=[ \t]*(?:\(|["“]|,?[ \t]+(?:and|or|with)[ \t]))/u;
/** A line (or the part after "in"/"at"/"to") with a house number, right above a unit line: "Λεωφόρος Συγγρού 119 Nino Point\n Apt. 658". */
const LINE_ABOVE_UNIT =
  /(?:(?<=\n)|^|(?<=\b(?:in|at|to|is)\s))[^\n\p{L}\p{N}]{0,6}((?:[^\s\n]+[ \t]){0,6}?\d{1,6}[a-zA-Z]?(?:[ \t][^\s\n]+){0,4})[ \t]*(?=\n[^\p{L}\p{N}\n]{0,6}(?:Apt|Suite|Ste|Unit|Apartment|Flat)\.?\s*[\w-]+[ \t]*\n)/gu;
/** What LINE_ABOVE_UNIT looks ahead for: a text without a unit line has no match. */
const UNIT_LINE = /\n[^\p{L}\p{N}\n]{0,6}(?:Apt|Suite|Ste|Unit|Apartment|Flat)\.?\s*[\w-]+[ \t]*\n/u;
/** "at 07576 Magasinsgatan 7 St." / "at 23100 Ilichova 23 Suite 274": after a cue word, number + name + number. */
const INLINE_EURO = /(?=\d)(?<=\b(?:at|to|is|address:?)\s+)\d{1,6}\s+[\p{Lu}](?:[\p{L}'’-]|(?<!\p{L}{4})\.){2,30}(?:\s[\p{L}](?:[\p{L}'’-]|(?<!\p{L}{4})\.){1,30}){0,3}\s\d{1,5}[a-zA-Z]?(?:\s+(?:St|Street|Str)\b\.?)?/gu;
/** A whole line that is a unit, a postcode or a country (+ postcode) inside an address block. */
const ZIP_CUE = /\b(?:zip|postal|post)\s*code\s*(?:is|:)?\s+(\d{3,5}(?:[ -]\d{2,4})?|[A-Z]\d[A-Z] ?\d[A-Z]\d)\b/gi;


/** What usually introduces an address ("lives at", "address is", "send it to"…). */
const CUE =
  /\b(?:address(?:\s+(?:is|of))?|addresses|lives at|living at|resides at|residing at|located at|situated at|arrived at|sent to|send (?:it |them |a new one |this )?to|ship(?:ped)? to|deliver(?:ed)? to|drops? (?:you|me) off at|return(?:ed)? to|moved to|meet me at|is at|corner of|billing address with|user:|it is|mail(?:ed)? to)\s*:?\s+/gi;
/** Where an address that follows a cue ends. */
const CUE_END =
  /(?<=\d{4,5})\.(?=\s)|(?<=\b\d{5}(?:-\d{4})?)(?=,?\s+(?:and|or|with|to|for|as|by|in|which|who)\s)|\.\s+(?=(?:The|This|These|That|Each|Such|Any|All|If|In|Upon|Neither|No|Both|Either|It|He|She|They|We)\s)|[?!]|\s*\((?:the\s+|hereinafter\b[^"“()\n]{0,30})?["“]|\s*["“]|\.\s+(?=[A-Z][a-z]+\s+[a-z])|(?<=[a-z]{4})\.\s+(?=[A-Z][a-z]+\s)|\.$|\s(?:for (?:this|a|the|my)|in case|if|because|please|last night|this morning|yesterday|today|tomorrow|tonight|asap|soon|next (?:week|month))\b|\n\s*\n|\n(?=[^\n]*\b(?:Mobile|Desk|Phone|Tel|Email|Fax|Cell)\b)|$/;

/** PREFIX_STREET's starts: its words among the text's runs, or (letters folding into them) its trigger. */
const prefixStreetStarts = (text: string): Iterable<number> =>
  streetPrefixStarts(text) ?? triggerPositions(text, PREFIX_STREET_START);

/**
 * The patterns tried only where the text's word runs say they may start, with those positions (for tests: they must
 * name every place a match starts).
 */
export const ANCHORED_PATTERNS: readonly (readonly [string, RegExp, (text: string) => Iterable<number>])[] = [
  ["PREFIX_STREET", PREFIX_STREET, prefixStreetStarts],
  ["CAPS_TOWN", CAPS_TOWN, capsAfterPrepositions],
  ["TOWN_POSTCODE", TOWN_POSTCODE, townPostcodeStarts],
  ["INLINE_EURO", INLINE_EURO, inlineEuroStarts],
  ["PLACE_CUE", PLACE_CUE, placeCueStarts],
  ["LOWER_PLACE_CUE", LOWER_PLACE_CUE, lowerPlaceCueStarts],
  ["CUE", CUE, cueStarts],
  ["EURO_LINE", EURO_LINE, lineNumberStarts],
  ["COMPOUND_SUFFIX", COMPOUND_SUFFIX, compoundSuffixStarts],
  ...PATTERNS.flatMap(({ regex, starts }, i) => (starts ? [[`PATTERNS[${i}]`, regex, starts] as const] : [])),
];

const ADDRESS_WORDS = /^(?:apt|suite|ste|unit|box|de|do|da|la|del|van|von|str|ul|u|st|nan|and|the|of|street|road|avenue|lane|drive|way|place|court)\.?$/;
/** Offset where two consecutive everyday lower-case English words start, or -1. */
function proseStart(span: string): number {
  const words = [...span.matchAll(/[^\s,]+/g)];
  for (let i = 0; i + 1 < words.length; i++) {
    const a = words[i];
    const b = words[i + 1];
    if (!a || !b) continue;
    const isProse = (w: string): boolean => /^[a-z][a-z'’-]*$/.test(w) && !ADDRESS_WORDS.test(w) && isCommonWord(w);
    if (isProse(a[0]) && isProse(b[0])) return a.index;
  }
  return -1;
}

/** How often `word` occurs in `text`, not overlapping (as `text.split(word).length - 1`). */
function occurrences(text: string, word: string): number {
  let n = 0;
  for (let at = text.indexOf(word); at >= 0; at = text.indexOf(word, at + word.length)) n++;
  return n;
}

/** Unions of overlapping address pieces (the street pattern and the cue span of one address). */
function mergeOverlapping(findings: readonly PiiFinding[]): PiiFinding[] {
  const sorted = [...findings].sort((a, b) => a.start - b.start || b.end - a.end);
  const out: PiiFinding[] = [];
  for (const f of sorted) {
    const last = out[out.length - 1];
    if (last && f.start < last.end) out[out.length - 1] = { ...last, end: Math.max(last.end, f.end), score: Math.max(last.score, f.score) };
    else out.push(f);
  }
  return out;
}

/** Street addresses (several conventions) and postal boxes, plus what follows address cues. */
export class AddressRecognizer implements Recognizer {
  readonly name = "AddressRecognizer";
  readonly types = ["ADDRESS", "LOCATION"] as const;

  recognize(text: string): PiiFinding[] {
    const out: PiiFinding[] = [];
    for (const p of PATTERNS) {
      if (p.guard && !p.guard.test(text)) continue;
      p.regex.lastIndex = 0;
      for (const m of p.starts ? matchesAt(text, p.regex, p.starts(text)) : text.matchAll(p.regex)) out.push({ type: "ADDRESS", start: m.index, end: m.index + m[0].length, score: p.score, recognizer: this.name });
    }
    // "Frisco, Texas 75034", "Las Vegas, NV 89169": a US town line without its street, found from the state and ZIP back
    for (const t of townLines(text)) out.push({ type: "ADDRESS", start: t.start, end: t.end, score: 0.7, recognizer: this.name });
    for (const m of matchesAt(text, EURO_LINE, lineNumberStarts(text))) {
      const lead = /^[^\p{L}\p{N}]*/u.exec(m[0])?.[0].length ?? 0;
      out.push({ type: "ADDRESS", start: m.index + lead, end: m.index + m[0].length, score: 0.6, recognizer: this.name });
    }
    for (const [start, end] of compoundStreets(text)) out.push({ type: "ADDRESS", start, end, score: 0.75, recognizer: this.name });
    for (const m of matchesAt(text, INLINE_EURO, inlineEuroStarts(text))) out.push({ type: "ADDRESS", start: m.index, end: m.index + m[0].length, score: 0.6, recognizer: this.name });
    for (const m of text.matchAll(ZIP_CUE)) {
      const zip = m[1] ?? "";
      const start = m.index + m[0].lastIndexOf(zip);
      out.push({ type: "ADDRESS", start, end: start + zip.length, score: 0.6, recognizer: this.name });
    }
    for (const m of matchesAt(text, CUE, cueStarts(text))) {
      // "the corner of A and B" is itself the address
      const corner = /^corner of/i.test(m[0]) ? (/\bthe\s+$/i.test(textBefore(text, m.index, 4)) ? m.index - 4 : m.index) : -1;
      const start = m.index + m[0].length;
      const rest = text.slice(start, start + 160);
      const stop = CUE_END.exec(rest);
      let span = rest.slice(0, stop ? stop.index : rest.length).replace(/\s+$/, "");
      // over several lines, the block ends at the first line that reads as prose ("Thanks")
      const lines = span.split("\n");
      const keep = lines.findIndex((l, i) => i > 0 && l.trim().length > 0 && isProseLine(l));
      if (keep > 0) span = lines.slice(0, keep).join("\n").replace(/\s+$/, "");
      // "it is notified (2) …": a list marker in brackets is no house number
      if (!/\d/.test(span.replace(/\(\s*\d{1,2}\s*\)/g, "")) || span.length < 4) continue;
      span = span.replace(/[,;:\s]+$/, "");
      // an address is numbers and names: it ends where two everyday lower-case words in a row begin
      const prose = proseStart(span);
      if (prose >= 0 && /\d/.test(span.slice(0, prose))) span = span.slice(0, prose).replace(/[,;:\s]+$/, "");
      else if (prose >= 0) continue;
      const words = span.split(/[\s,]+/).filter((w) => w.length > 0);
      if (words.length > 16 || !words.slice(0, 4).some((w) => /\d/.test(w))) continue;
      out.push({ type: "ADDRESS", start: corner >= 0 ? corner : start, end: start + span.length, score: 0.7, recognizer: this.name });
    }
    for (const m of matchesAt(text, PREFIX_STREET, prefixStreetStarts(text))) out.push({ type: "ADDRESS", start: m.index, end: m.index + m[0].length, score: 0.6, recognizer: this.name });
    for (const m of UNIT_LINE.test(text) ? text.matchAll(LINE_ABOVE_UNIT) : []) {
      let line = m[1] ?? "";
      let start = m.index + m[0].lastIndexOf(line);
      // "It's in Λεωφόρος Συγγρού 119": the address starts after the last "in/at/to/is" before the number
      const digit = line.search(/\d/);
      const cue = [...line.slice(0, digit).matchAll(/\b(?:in|at|to|is)\s+/g)].pop();
      if (cue) {
        start += cue.index + cue[0].length;
        line = line.slice(cue.index + cue[0].length);
      }
      if (proseStart(line) >= 0 || line.split(/\s+/).length > 8) continue;
      out.push({ type: "ADDRESS", start, end: start + line.length, score: 0.6, recognizer: this.name });
    }
    // extend address blocks over the lines that continue them, then merge overlapping pieces
    const extended = mergeOverlapping(out).map((f) => {
      let end = f.end;
      const tail = INLINE_TAIL.exec(text.slice(end, end + 80));
      if (tail && !isProseLine(tail[0].replace(/^,\s*/, ""))) end += tail[0].length;
      else {
        const clause = TAIL_BEFORE_CLAUSE.exec(text.slice(end, end + 80));
        if (clause && isKnownPlace((clause[1] ?? "").replace(/\.$/, ""))) end += clause[0].length;
      }
      for (let i = 0; i < 4; i++) {
        const next = text.slice(end, end + 80);
        const m = CONTINUATION.exec(next) ?? TOWN_LINE.exec(next);
        if (!m || isProseLine(m[0])) break;
        end += m[0].length;
      }
      return end === f.end ? f : { ...f, end };
    });
    // countries, cities and regions compromise knows (any case: "switzerland", "SOUTH AFRICA")
    // ("United States dollars" names a currency)
    for (const [start, end] of knownPlaces(text)) if (!namesCurrency(text, end)) extended.push({ type: "LOCATION", start, end, score: 0.6, recognizer: this.name });
    for (const m of matchesAt(text, PLACE_CUE, placeCueStarts(text))) {
      const place = m[1];
      if (!place) continue;
      const start = m.index + m[0].lastIndexOf(place);
      const isZip = /^\d/.test(place);
      if (!isZip && isLegalReference(text, start, place.split(" "))) continue;
      extended.push({ type: isZip ? "ADDRESS" : "LOCATION", start, end: start + place.length, score: 0.55, recognizer: this.name });
    }
    // a town followed by its postcode after "in"/"at": "in Acquapendente 1021", "in ÖVERTURINGEN 840 24"
    for (const m of matchesAt(text, TOWN_POSTCODE, townPostcodeStarts(text))) {
      const town = m[1] ?? "";
      const words = town.split(/\s+/).filter((w) => !/^(?:de|da|do|di|del|la|le|los|las|am|an|im|sur|upon|on)$/i.test(w));
      if (words.length === 0 || words.every((w) => isEnglishWord(w) || /^\d/.test(w))) continue;
      if (words.some((w) => isNotAName(w))) continue;
      const start = m.index + m[0].lastIndexOf(town);
      // "according to ISO 14971", "in Civil Code Articles 2520": a citation and its number, not a town and its postcode
      if (isLegalReference(text, start, words)) continue;
      // the postcode makes this stronger evidence than a name found inside the town ("São Tiago")
      extended.push({ type: "LOCATION", start, end: m.index + m[0].length, score: 0.7, recognizer: this.name });
    }
    // lower-case text: "my friend lives in harburg", "we returned to kiel"
    for (const m of matchesAt(text, LOWER_PLACE_CUE, lowerPlaceCueStarts(text))) {
      const [first = "", second] = (m[1] ?? "").split(" ");
      const place = second !== undefined && !isEnglishWord(second) && !isNotAName(second) ? `${first} ${second}` : first;
      if (isEnglishWord(first) || isNotAName(first)) continue;
      const start = m.index + m[0].length - (m[1] ?? "").length;
      extended.push({ type: "LOCATION", start, end: start + place.length, score: 0.5, recognizer: this.name });
    }
    // a town in capitals after a place preposition: "in KATRINEHOLM,", "returned to ESPOO"
    const acronyms = new Map<string, boolean>();
    for (const m of matchesAt(text, CAPS_TOWN, capsAfterPrepositions(text))) {
      const town = m[1] ?? "";
      const words = town.split(/\s+/);
      if (words.some((w) => isEnglishWord(w) || isNotAName(w) || lexicon()[w.toLowerCase()] !== undefined)) continue;
      // acronyms ("ACSI", "CNET") are short, defined in brackets or quotes, and repeated; towns are not
      if (town.length < 5) continue;
      let acronym = acronyms.get(town);
      if (acronym === undefined) {
        acronym = new RegExp(`[("“]\\s*${town}\\s*[)"”]`, "u").test(text) || occurrences(text, town) > 2;
        acronyms.set(town, acronym); // one look at the whole text per word, not per mention
      }
      if (acronym) continue;
      const start = m.index + m[0].lastIndexOf(town);
      if (isLegalReference(text, start, words)) continue;
      extended.push({ type: "LOCATION", start, end: start + town.length, score: 0.5, recognizer: this.name });
    }
    // a town line right above a country line in an address block: "ALFRICK\nUnited Kingdom"
    for (const m of text.matchAll(TOWN_ABOVE_COUNTRY)) {
      const town = m[1] ?? "";
      const country = (m[2] ?? "").replace(/\s+\d[\d -]*$/, "");
      if (!isKnownPlace(country) || town.split(/\s+/).some((w) => isCommonWord(w) || isNotAName(w))) continue;
      const start = m.index + m[0].indexOf(town);
      extended.push({ type: "LOCATION", start, end: start + town.length, score: 0.5, recognizer: this.name });
    }
    return extended;
  }
}
