// North American town lines found from their postcode back: "Frisco, Texas 75034", "Las Vegas NV 89114",
// "Burnaby, BC V5A 1V3", and the street right before the town even when its name has no street word
// ("18 Windsor Ridge, Tarrytown, New York 10591"). Tokenised text (the SEC filings: "Tarrytown , New York 10591",
// "92799 - 5125") is read the same way.
import { isCommonWord } from "./lexicons";
import { textRuns } from "../text-runs";
import { cutOutside, segmentMatchesAt } from "../triggered-matches";
import { LETTER, NUMBER } from "../char-classes";

const US_STATES =
  "AL|AK|AZ|AR|CA|CO|CT|DE|DC|FL|GA|HI|ID|IL|IN|IA|KS|KY|LA|ME|MD|MA|MI|MN|MS|MO|MT|NE|NV|NH|NJ|NM|NY|NC|ND|OH|OK|OR|PA|RI|SC|SD|TN|TX|UT|VT|VA|WA|WV|WI|WY|PR|GU|VI";
const PROVINCES = "AB|BC|MB|NB|NL|NS|NT|NU|ON|PE|QC|SK|YT";
const ZIP = "\\d{5}(?:[ ]?-[ ]?\\d{4})?(?!\\d)";
/**
 * What follows a town: a comma and a state (name or code) and a ZIP; a state code and a ZIP without the comma; a
 * province code and a Canadian postcode. A space may stand before the comma (tokenised text).
 */
export const STATE_POSTCODE = new RegExp(
  `[ ]?,[ \\t]*(?:[A-Z]{2}|[A-Z][a-z]+(?:[ ][A-Z][a-z]+)?)[ \\t]+${ZIP}` +
    `|[ \\t](${US_STATES})[ \\t]+${ZIP}` +
    `|(?:[ ]?,)?[ \\t]+(?:${PROVINCES})[ \\t]+[A-Z]\\d[A-Z][ ]?\\d[A-Z]\\d(?![\\p{L}\\p{N}])`,
  "gu",
);
/** Codes that are also English words: without a comma, "SHARES OR 10000" is no town line. */
const WORD_CODES = new Set(["OR", "IN", "ME", "OK", "HI", "OH", "ID", "DE", "LA", "MA", "PA", "AL", "CO"]);
/** The town right before: one to three capitalised words on the same line ("Las Vegas", "Santa Clara "). */
const TOWN_BEFORE = /(?<![\p{L}\p{N}.'-])\p{Lu}[\p{L}.'-]*(?:[ ]\p{Lu}[\p{L}.'-]*){0,2}[ ]?$/u;
/**
 * The street before the town: a house number and one to four capitalised words (any name: "Windsor Ridge"), maybe a
 * unit, then a comma, a line break, or the run of spaces that stands for one in text extracted from a PDF ("1735 Mistletoe
 *   Flower Mound, Texas 75022"). A street alone on the line above must start that line.
 */
const STREET_BEFORE =
  /(?<![\p{L}\p{N}.,-])(\d{1,6}[A-Za-z]?[ \t]+(?:\p{Lu}[\p{L}'’.-]*[ \t]+){0,3}\p{Lu}[\p{L}'’.-]*(?:[ ]?,[ \t]*(?:Suite|Ste|Apt|Unit|Floor|Fl|Room|Rm|#)[ ]?\.?[ \t]*[\w-]+)?)([ ]?,[ \t]*|[ \t]*\n[ \t]*|[ \t]{2,})$/u;

/**
 * A street on the line above the town starts its line and has two or more words, not all everyday words: a numbered
 * heading ("12 Notices", "4 Governing Law") above a town line is no street.
 */
function streetLineAbove(text: string, at: number, street: string): boolean {
  if (at > 0 && !/\n[ \t]*$/.test(text.slice(Math.max(0, at - 40), at))) return false;
  const words = street.split(/[ \t]+/).slice(1);
  return words.length >= 2 && !words.every((w) => isCommonWord(w.toLowerCase()));
}

/**
 * Where STATE_POSTCODE's search may cut a text: at every character that is neither a letter nor a number nor a space,
 * tab, comma or hyphen. Its matches hold only ASCII letters and digits, spaces, tabs, commas and hyphens, and its
 * look-aheads ask only whether a letter or number follows, which a cut character is not: the sentence around a ZIP,
 * not the whole line (a contract's paragraph is one line, and its card numbers and amounts hold five digits too).
 */
const STATE_POSTCODE_CUT = cutOutside(LETTER | NUMBER, " \t,-");

/**
 * The digits every STATE_POSTCODE match holds: a run of five or more (a ZIP), or one between two capitals (a
 * Canadian postcode's "V5A"). Only the stretches holding one are searched.
 */
function postcodeDigits(text: string): number[] {
  const d = textRuns(text).digits;
  const out: number[] = [];
  for (let k = 0; k < d.count; k++) {
    const start = d.starts[k] as number;
    const end = d.ends[k] as number;
    if (end - start >= 5) out.push(start);
    else if (end - start === 1 && start > 0) {
      const a = text.charCodeAt(start - 1);
      const b = text.charCodeAt(end);
      if (a >= 65 && a <= 90 && b >= 65 && b <= 90) out.push(start);
    }
  }
  return out;
}

/** STATE_POSTCODE's matches, searched only in the stretches (STATE_POSTCODE_CUT) holding its digits (for tests). */
export const statePostcodes = (text: string): Iterable<RegExpExecArray> => segmentMatchesAt(text, STATE_POSTCODE, postcodeDigits(text), STATE_POSTCODE_CUT);

/** Spans of town lines (with the street before them when there is one). */
export function townLines(text: string): { start: number; end: number }[] {
  const out: { start: number; end: number }[] = [];
  for (const m of statePostcodes(text)) {
    const town = TOWN_BEFORE.exec(text.slice(Math.max(0, m.index - 200), m.index));
    if (!town) continue;
    const code = m[1];
    if (code !== undefined && WORD_CODES.has(code) && town[0].trim().split(" ").every((w) => isCommonWord(w.toLowerCase()))) continue;
    let start = m.index - town[0].length;
    const street = STREET_BEFORE.exec(text.slice(Math.max(0, start - 120), start));
    if (street) {
      const at = start - street[0].length;
      if (!(street[2] ?? "").includes("\n") || streetLineAbove(text, at, street[1] ?? "")) start = at;
    }
    out.push({ start, end: m.index + m[0].length });
  }
  return out;
}
