// Where the address recognizer's cue patterns may match, read from the text's ASCII word runs (one pass shared with
// the other recognizers) instead of searching each pattern's opening words over the whole text. Each function names
// a superset of the positions where its pattern can start: the pattern itself, tried there, decides.
import { charClasses, LETTER, LOWER, NUMBER, UPPER } from "../char-classes";
import { AsciiWordSet, textRuns } from "../text-runs";
import { isSpaceAt } from "../triggered-matches";

const PREPOSITIONS = new AsciiWordSet(["in", "at", "to", "from", "near"]);
/**
 * Right after "in", "at", "to", "from" or "near" (any case) and one whitespace character: where CAPS_TOWN and
 * TOWN_POSTCODE can start (their look-behind is `\b(?:in|at|to|from|near)\s`, ASCII word boundary).
 */
export function afterPrepositions(text: string): number[] {
  const w = textRuns(text).words;
  const out: number[] = [];
  for (const k of PREPOSITIONS.indexesIn(text)) {
    const end = w.ends[k] as number;
    if (end < text.length && isSpaceAt(text, end)) out.push(end + 1);
  }
  return out;
}

/**
 * afterPrepositions where CAPS_TOWN can start: four capitals follow (its look-ahead `(?=\p{Lu}{4})`). In text holding
 * surrogates (an astral capital), all of them.
 */
export function capsAfterPrepositions(text: string): number[] {
  const all = afterPrepositions(text);
  if (textRuns(text).surrogates) return all;
  const cls = charClasses();
  const upper = (i: number): boolean => i < text.length && ((cls[text.charCodeAt(i)] as number) & UPPER) !== 0;
  return all.filter((at) => upper(at) && upper(at + 1) && upper(at + 2) && upper(at + 3));
}

/**
 * afterPrepositions where TOWN_POSTCODE can start: a letter with a case, then letters, apostrophes, periods, hyphens
 * and at most three single spaces up to a space and an ASCII digit (its town of up to four words, then its postcode).
 * In text holding surrogates, all of them.
 */
export function townPostcodeStarts(text: string): number[] {
  const all = afterPrepositions(text);
  if (textRuns(text).surrogates) return all;
  const cls = charClasses();
  const n = text.length;
  return all.filter((at) => {
    if (at >= n || !((cls[text.charCodeAt(at)] as number) & (UPPER | LOWER))) return false;
    let spaces = 0;
    for (let j = at + 1; j < n; j++) {
      const c = text.charCodeAt(j);
      if (c === 32) {
        const d = text.charCodeAt(j + 1);
        if (d >= 48 && d <= 57) return true;
        if (++spaces > 3) return false;
      } else if (!((cls[c] as number) & LETTER) && c !== 39 && c !== 0x2019 && c !== 46 && c !== 45) return false;
    }
    return false;
  });
}

/** Street-type words written before the street's name ("ul. Miła 53", "Via delle Coste 41", "C/ Mayor 5"), in the order PREFIX_STREET tries them. */
const STREET_PREFIX_WORDS = [
  "ul", "al", "pl", "os", "rue", "via", "viale", "vicolo", "piazza", "corso", "calle", "avenida", "avda", "av", "rua", "travessa", "largo",
  "strada", "straße", "gasse", "platz", "C/",
];
/** STREET_PREFIX_WORDS as a regular-expression alternation (for PREFIX_STREET and its trigger). */
export const STREET_PREFIX_ALTERNATION = STREET_PREFIX_WORDS.map((w) => w.replace("/", "\\/")).join("|");
/** The ASCII words of STREET_PREFIX_WORDS as letter runs ("C/" is the run "C"; "straße" is left to the trigger, see below). */
const STREET_PREFIXES = new AsciiWordSet(STREET_PREFIX_WORDS.map((w) => w.replace("/", "")).filter((w) => /^[A-Za-z]+$/.test(w)));
/** Characters a case-insensitive Unicode pattern reads as (or with) the letters of a street prefix: "ſ", Kelvin "K", "ß", "ẞ". */
const FOLDING_INTO_PREFIXES = /[\u017F\u212A\u00DF\u1E9E]/;
/**
 * Where PREFIX_STREET can start: a run of ASCII letters that is a street-type word ("ul", "Via", "C" of "C/"). The
 * pattern is case-insensitive and Unicode, so "ſ" and the Kelvin sign stand for "s" and "k", and "straße" holds a
 * letter outside ASCII: a text holding one of those is left to the regular expression trigger (undefined).
 */
export function streetPrefixStarts(text: string): number[] | undefined {
  if (FOLDING_INTO_PREFIXES.test(text)) return undefined;
  const w = textRuns(text).words;
  return STREET_PREFIXES.indexesIn(text).map((k) => w.starts[k] as number);
}

const CUE_WORDS = new AsciiWordSet([
  "address", "addresses", "lives", "living", "resides", "residing", "located", "situated", "arrived", "sent", "send", "ship", "shipped", "deliver",
  "delivered", "drop", "drops", "return", "returned", "moved", "meet", "is", "corner", "billing", "user", "it", "mail", "mailed",
]);
/** Where CUE can start: its first word (each alternative's first word is followed by a space or a colon). */
export function cueStarts(text: string): number[] {
  const w = textRuns(text).words;
  return CUE_WORDS.indexesIn(text).map((k) => w.starts[k] as number);
}

const PLACE_CUE_VERBS = new AsciiWordSet([
  "live", "lives", "living", "located", "based", "born", "grew", "moved", "flew", "traveled", "travelled", "relocated", "stationed", "reside",
  "resides", "am", "was", "were", "vacation", "vacationing", "trip",
]);
const PLACE_LABELS = new AsciiWordSet(["where", "city", "country", "town", "zip", "postcode", "postal", "state", "region"]);
/**
 * Where PLACE_CUE can start: at a verb of its first alternative, or, for a label ("City:", "Postal code:") that only
 * spaces and tabs separate from the start of its line, at that line's break (or the start of the text).
 */
export function placeCueStarts(text: string): number[] {
  const w = textRuns(text).words;
  const verbs = PLACE_CUE_VERBS.indexesIn(text);
  const labels = PLACE_LABELS.indexesIn(text);
  const out: number[] = [];
  // the two lists of runs merged in text order; a run both may be is a verb
  let i = 0;
  let j = 0;
  while (i < verbs.length || j < labels.length) {
    const verb = verbs[i] ?? Number.POSITIVE_INFINITY;
    const label = labels[j] ?? Number.POSITIVE_INFINITY;
    if (verb <= label) {
      out.push(w.starts[verb] as number);
      i++;
      if (label === verb) j++;
      continue;
    }
    j++;
    let q = w.starts[label] as number;
    while (q > 0 && (text.charCodeAt(q - 1) === 32 || text.charCodeAt(q - 1) === 9)) q--;
    if (q === 0) out.push(0);
    else if (text.charCodeAt(q - 1) === 10) out.push(q - 1);
  }
  return out;
}

const LOWER_PLACE_VERBS = new AsciiWordSet([
  "live", "lives", "living", "located", "based", "born", "grew", "moved", "flew", "traveled", "travelled", "relocated", "returned", "arrived",
  "reside", "resides", "stationed",
]);
/** Where LOWER_PLACE_CUE can start: at one of its verbs. */
export function lowerPlaceCueStarts(text: string): number[] {
  const w = textRuns(text).words;
  return LOWER_PLACE_VERBS.indexesIn(text).map((k) => w.starts[k] as number);
}

const INLINE_CUES = new AsciiWordSet(["at", "to", "is", "address"]);
/** Where INLINE_EURO can start: the digit after "at", "to", "is" or "address" (maybe with a colon) and whitespace. */
export function inlineEuroStarts(text: string): number[] {
  const w = textRuns(text).words;
  const out: number[] = [];
  const n = text.length;
  for (const k of INLINE_CUES.indexesIn(text)) {
    let at = w.ends[k] as number;
    if (at < n && text.charCodeAt(at) === 58) at++; // "address:"
    if (at >= n || !isSpaceAt(text, at)) continue;
    do at++;
    while (at < n && isSpaceAt(text, at));
    if (at < n) {
      const c = text.charCodeAt(at);
      if (c >= 48 && c <= 57) out.push(at);
    }
  }
  return out;
}

const isAsciiWordChar = (c: number): boolean => (c >= 48 && c <= 57) || ((c | 32) >= 97 && (c | 32) <= 122) || c === 95;

/**
 * Where the street pattern can start: a run of at most six digits after no ASCII word character or hyphen
 * (`(?<![\w-])\d{1,6}[A-Za-z]?\s`: a seventh digit can be neither the letter nor the space).
 */
export function streetNumberStarts(text: string): number[] {
  const d = textRuns(text).digits;
  const out: number[] = [];
  for (let k = 0; k < d.count; k++) {
    const start = d.starts[k] as number;
    const before = start > 0 ? text.charCodeAt(start - 1) : -1;
    if (before === 45 || (before >= 0 && isAsciiWordChar(before)) || (d.ends[k] as number) - start > 6) continue;
    out.push(start);
  }
  return out;
}

/**
 * Where EURO_LINE can start: the start of a line whose first digit follows at most six characters that are no line
 * break, letter or number.
 */
export function lineNumberStarts(text: string): number[] {
  // the walk back counts UTF-16 units and cannot classify a character outside the BMP: every line start then
  if (textRuns(text).surrogates) return lineStarts(text);
  const d = textRuns(text).digits;
  const cls = charClasses();
  const out: number[] = [];
  for (let k = 0; k < d.count; k++) {
    const start = d.starts[k] as number;
    let q = start;
    while (q > 0 && start - q < 6) {
      const c = text.charCodeAt(q - 1);
      if (c === 10 || (cls[c] ?? 0) & (LETTER | NUMBER)) break;
      q--;
    }
    if (q === 0 || text.charCodeAt(q - 1) === 10) out.push(q);
  }
  return out;
}

function lineStarts(text: string): number[] {
  const out = [0];
  for (let i = text.indexOf("\n"); i >= 0; i = text.indexOf("\n", i + 1)) out.push(i + 1);
  return out;
}

const BOX_WORDS = new AsciiWordSet(["p", "po", "pobox", "post", "psc", "unit", "cmr"]);
/** Where the postal box pattern can start: "P" of "P.O. Box", "PO", "POBox", "Post", "PSC", "Unit", "CMR" (any case). */
export function postBoxStarts(text: string): number[] {
  const w = textRuns(text).words;
  return BOX_WORDS.indexesIn(text).map((k) => w.starts[k] as number);
}
