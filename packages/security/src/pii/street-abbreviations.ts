// Street-type abbreviations that the place lexicon knows as places ("St", "Mt", "Ave", "Rd", "Blvd") are no place on
// their own: "St." / "Mt." before a name opens the place's name ("St. Petersburg", "Mt. Hood"), and a street type
// right before an address found from its town line is the street of that address ("1200 6th Ave, Ste. 300, Seattle,
// WA 98101"), and after a house number a street address of its own ("12 5th Ave"). Anything else is a street word
// alone, not personal data.
import type { PiiFinding } from "./pii-types";

/** The abbreviations (USPS Publication 28, appendix C1, the ones the lexicon tags as places), with or without a period. */
const STREET_ABBREVIATION = /^(?:St|Mt|Ave|Av|Rd|Blvd)\.?$/;
/** "Saint" and "Mount" open a place's name; the others are street types after a street name. */
const NAME_OPENER = /^(?:St|Mt)$/;
/** After "St."/"Mt.": one or two capitalised words, hyphenated parts too ("Petersburg", "Valery-en-Caux", "Kitts"). */
const NAME_AFTER = /^\.?[ \t]+\p{Lu}[\p{Ll}'’]+(?:-\p{L}[\p{Ll}'’]*)*(?:[ \t]\p{Lu}[\p{Ll}'’]+(?:-\p{L}[\p{Ll}'’]*)*)?(?![\p{L}\p{N}])/u;
/** Before a street type: a capitalised word or a number (it closes a street name: "Main St.", "42nd St."), so no name opens. */
const STREET_NAME_BEFORE = /(?:\p{Lu}[\p{L}'’-]*|\d[\p{L}\d]*)\.?[ \t]+$/u;
/** What may stand between the street type and the address after it: its period, a comma, a unit ("Ste. 300"). */
const TO_ADDRESS = /^\.?(?:[ \t]+(?:N|S|E|W|NE|NW|SE|SW)\b\.?)?[ \t]*,?[ \t]*(?:(?:Suite|Ste|Unit|Floor|Fl|Room|Rm|#)\.?[ \t]*[\w-]+[ \t]*,?[ \t]*|\d{1,3}(?:st|nd|rd|th)[ \t]+(?:Floor|Fl)\.?[ \t]*,?[ \t]*)?$/;
/** The house number and street name before the street type: "1200 6th ", "220 E. 42nd ", "3003 North Tasman ". */
const HOUSE_AND_STREET = /(?<![\p{L}\p{N}-])\d{1,6}[A-Za-z]?[ \t]+(?:(?:\p{L}[\p{L}'’.-]*|\d{1,3}(?:st|nd|rd|th))[ \t]+){1,4}$/u;

/**
 * Findings (disjoint, sorted by offset) with each lone street-type abbreviation read as the text around it says: the
 * start of a place's name, the street of the address after it, a street address, or nothing. Disjoint and sorted as well.
 */
export function readStreetAbbreviations(text: string, findings: readonly PiiFinding[]): PiiFinding[] {
  if (!findings.some((f) => f.type === "LOCATION" && f.end - f.start <= 5 && STREET_ABBREVIATION.test(text.slice(f.start, f.end)))) return [...findings];
  const out: PiiFinding[] = [];
  for (let i = 0; i < findings.length; i++) {
    const f = findings[i] as PiiFinding;
    const word = text.slice(f.start, f.end);
    if (f.type !== "LOCATION" || !STREET_ABBREVIATION.test(word)) {
      out.push(f);
      continue;
    }
    const floor = out.length > 0 ? (out[out.length - 1] as PiiFinding).end : 0;
    const next = findings[i + 1];
    const ceiling = next ? next.start : text.length;
    const before = text.slice(Math.max(floor, f.start - 40), f.start);
    // "in St. Petersburg", ", Mt. Hood": the place's name, over the name finding that read its second word
    const name = NAME_OPENER.test(word.replace(/\.$/, "")) && !STREET_NAME_BEFORE.test(before) ? NAME_AFTER.exec(text.slice(f.end, f.end + 60)) : null;
    if (name) {
      const end = f.end + name[0].length;
      let k = i + 1;
      // the findings inside the name (the model's "Petersburg") become part of it; a finding sticking out of it keeps its word
      while (k < findings.length && (findings[k] as PiiFinding).end <= end) k++;
      if (k >= findings.length || (findings[k] as PiiFinding).start >= end) {
        out.push({ ...f, end, score: Math.max(f.score, ...findings.slice(i + 1, k).map((x) => x.score)) });
        i = k - 1;
        continue;
      }
    }
    // "1200 6th Ave, Ste. 300, Seattle, WA 98101": the street of the address found from its town line
    const house = HOUSE_AND_STREET.exec(before);
    if (next?.type === "ADDRESS" && house && TO_ADDRESS.test(text.slice(f.end, ceiling)) && !/\n/.test(house[0])) {
      out.push({ ...next, start: f.start - house[0].length, score: Math.max(next.score, f.score) });
      i++;
      continue;
    }
    // "The store at 12 5th Ave. is closed": a house number and a street without a town line are a street address
    if (house && !/\n/.test(house[0])) out.push({ ...f, type: "ADDRESS", start: f.start - house[0].length, score: Math.max(f.score, 0.6) });
    // a street word alone: no place
  }
  return out;
}
