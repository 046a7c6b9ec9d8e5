// Place spans found only in part are completed over the address parts that a name recognizer does not read as a
// name: the secondary unit of a street address ("Suite 203", "Apt. 641", "27th Floor") and the postcode of an
// address-shaped place ("Melbourne, Australia 3000"). The unit words are the secondary unit designators of postal
// addressing (USPS Publication 28, appendix C2), not words of any record.
import type { PiiFinding } from "./pii-types";
import { isKnownPlaceName } from "./recognizers/lexicon-tags";

/** Designators are capitalised (or in capitals): "level 2 support", "unit 12 of the price list" are no units. */
const UNIT = String.raw`(?:Suite|SUITE|Ste|STE|Apartment|APARTMENT|Apt|APT|Unit|UNIT|Room|ROOM|Rm|RM|Floor|FLOOR|Fl|FL|Level|LEVEL|Building|BUILDING|Bldg|BLDG|Penthouse|PENTHOUSE)`;
/** A unit's number after its designator: " 203", " . 350", ". #4B", " No. 7" (tokenised text too), on the same line. */
const UNIT_NUMBER = String.raw`[ \t]?\.?[ \t]?(?:#[ \t]?|No[ \t]?\.?[ \t]?)?[A-Z]?\d{1,5}[A-Z]?\b`;
/** A unit designator and its number: "Suite 203", "Ste . 350", "Apt. #4B", "Unit No. 7". */
const UNIT_AND_NUMBER = UNIT + UNIT_NUMBER;
/** "27th Floor", "3rd Fl.", "2nd Level". */
const ORDINAL_FLOOR = String.raw`\d{1,3}[ \t]?(?:st|nd|rd|th)[ \t](?:Floor|FLOOR|Fl|FL|Level|LEVEL)\b\.?`;
/** After a street line: a comma (and spaces), then a unit, on the same line. */
const UNIT_AFTER = new RegExp(String.raw`^[ \t]*,?[ \t]*(?:${UNIT_AND_NUMBER}|${ORDINAL_FLOOR})`);
/** The same after a street line ending in an abbreviation ("80 Mill St . , Ste . 350"): its period may come first. */
const UNIT_AFTER_ABBREVIATION = new RegExp(String.raw`^[ \t]?\.[ \t]*,?[ \t]*(?:${UNIT_AND_NUMBER}|${ORDINAL_FLOOR})`);
/** Street-type abbreviations a period may close (USPS Publication 28, appendix C1, the common ones). */
const ENDS_IN_ABBREVIATION = /(?:^|[\s,])(?:St|Ave|Av|Rd|Blvd|Dr|Ln|Ct|Pl|Pkwy|Hwy|Sq|Ter|Cir|Ctr|Plz|Expy|Fwy|Tpke)$/;
/** A place that is itself the unit word ("Suite", "Floor"): its number after it, on the same line. */
const NUMBER_AFTER_UNIT = new RegExp(`^${UNIT_NUMBER}`);
const ENDS_IN_UNIT = new RegExp(String.raw`(?:^|\s)${UNIT}$`);
/** "27th" before a place that starts with "Floor". */
const ORDINAL_BEFORE = /\d{1,3}[ \t]?(?:st|nd|rd|th)[ \t]$/;
const STARTS_WITH_FLOOR = /^(?:Floor|FLOOR|Fl|FL|Level|LEVEL)\b/;

/**
 * A postcode after a place: five digits (and a ZIP+4) or four, as the last thing of the clause or line, or before a
 * known place or a bracket ("… Australia 3000\n", "… Texas 75001, USA"). A number going on as another number, an
 * amount, a count or a unit ("Germany 12500 11800", "Germany 50000 EUR", "Texas 1500 Units") is none.
 */
const POSTCODE_AFTER = /^[ \t]+(\d{5}(?:-\d{4})?|\d{4})(?![\d.,]\d|[ \t]*%)(?=[ \t]*(?:$|\n|[,;)]|\.(?!\d))|[ \t]+[("“]|[ \t]+(\p{Lu}[\p{L}.'’-]*(?:[ \t]+\p{Lu}[\p{L}.'’-]*){0,2}))/u;
/** A four-digit number that reads as a year. */
const YEAR_LIKE = /^(?:19|20)\d\d$/;

/**
 * A postcode before a town or a country, as most of Europe writes it ("10115 Berlin", "… 00062 Israel"): at a line
 * start or after a comma or a bracket; after a capitalised word (a name, not "sold 12500 Germany") only when the town
 * closes the clause. A four-digit number that reads as a year is one only after a house number and a comma ("Meir 12,
 * 2000 Antwerp").
 */
const POSTCODE_BEFORE = /[\n,(][ \t]*(\d{4,5}[ \t])$/;
const POSTCODE_AFTER_NAME = /(?<!\p{L})\p{Lu}[\p{L}'’-]*\.?[ \t]*(\d{4,5}[ \t])$/u;
const YEAR_POSTCODE_BEFORE = /\d[A-Za-z]?[ \t]?,[ \t]*(\d{4}[ \t])$/;
/** The town after a postcode closes the line or the clause ("10115 Berlin\n", "… 00062 Israel."). */
const CLAUSE_END = /^[ \t]*(?:$|\n|[,;)]|\.(?!\d))/;

/** A street line: a house number, a street name and a comma ("10 Bridge Street, …", "Quay Lane 4, …"). */
const STREET_LINE = /(?:^|[\s,(])(?:\d{1,6}[A-Za-z]?[ \t]+\p{Lu}[^,\n]*|\p{Lu}[\p{L}'’-]*[ \t]+\d{1,4}[A-Za-z]?)[ \t]?,/u;
/** A town, a comma, then the region or country the place ends with ("Melbourne , Australia"). */
const TOWN_COMMA_REGION = /\p{Lu}[\p{L}'’-]*[ \t]?,[ \t]*\p{Lu}[\p{L}.'’-]*(?:[ \t]+\p{Lu}[\p{L}.'’-]*){0,2}$/u;
/** A house number opening a street ("12 Orchard Road") or closing one ("Quay Lane 4"). */
const HOUSE_NUMBER = /(?:^|\s)\d{1,6}[A-Za-z]?[ \t]+\p{Lu}|\p{Lu}[\p{L}'’-]*[ \t]+\d{1,4}[A-Za-z]?$/u;
/** A region code in capitals ("NSW", "VIC"), which the place lexicon does not know. */
const ENDS_IN_REGION_CODE = /(?:^|[\s,])\p{Lu}{2,3}$/u;

/** The place's last (or first) one to three words are a known town, region or country: a number beside it is a postcode. */
function knownPlaceAt(place: string, end: boolean): boolean {
  const words = place.match(/\p{L}[\p{L}.'’-]*/gu) ?? [];
  for (let n = 1; n <= Math.min(3, words.length); n++) if (isKnownPlaceName((end ? words.slice(-n) : words.slice(0, n)).join(" "))) return true;
  return false;
}

const PLACE_TYPES: ReadonlySet<string> = new Set(["LOCATION", "ADDRESS"]);

/** How address-like the line up to `end` is: a street line on it, or a town and a comma before its region, or neither. */
function addressShape(text: string, start: number, end: number): "street" | "town" | null {
  const lineStart = text.lastIndexOf("\n", start - 1) + 1;
  const line = text.slice(lineStart, end);
  if (STREET_LINE.test(line)) return "street";
  return TOWN_COMMA_REGION.test(line) ? "town" : null;
}

/** The place is the next line of an address block: an address finding ends right above it ("…, VIC\n Australia"). */
function continuesAddress(text: string, prev: PiiFinding | undefined, start: number): boolean {
  return prev !== undefined && prev.type === "ADDRESS" && ADDRESS_BLOCK_GAP.test(text.slice(prev.end, start));
}
const ADDRESS_BLOCK_GAP = /^[ \t,]*\n[ \t,]*$/;

/** The postcode right after a place, when the place closes an address-shaped run; the match's length, or 0. */
function postcodeAfter(text: string, f: PiiFinding, prev: PiiFinding | undefined, start: number, end: number, after: string): number {
  const m = POSTCODE_AFTER.exec(after);
  if (!m) return 0;
  const following = m[2];
  if (following !== undefined && !knownPlaceAt(following, false)) return 0;
  const place = text.slice(start, end);
  const shape = (f.type === "ADDRESS" && HOUSE_NUMBER.test(place)) || continuesAddress(text, prev, start) ? "street" : addressShape(text, start, end);
  if (shape === null) return 0;
  if (!knownPlaceAt(place, true) && !(shape === "street" && ENDS_IN_REGION_CODE.test(place))) return 0;
  // "Paris, France 2019": a year-like number is a postcode only on a street line ("10 Bridge Street, Sydney NSW 2000")
  if (YEAR_LIKE.test(m[1] as string) && shape !== "street") return 0;
  return m[0].length;
}

/** A unit right after a place that is a street line (a house number in it, or an address finding holding one). */
function unitAfter(place: string, after: string): number {
  if (ENDS_IN_UNIT.test(place)) return NUMBER_AFTER_UNIT.exec(after)?.[0].length ?? 0;
  if (!HOUSE_NUMBER.test(place)) return 0;
  const m = UNIT_AFTER.exec(after) ?? (ENDS_IN_ABBREVIATION.test(place) ? UNIT_AFTER_ABBREVIATION.exec(after) : null);
  return m?.[0].length ?? 0;
}

/**
 * Each place (LOCATION or ADDRESS) finding grown over a unit right after it (at most one), then a postcode (at most
 * one), or over an ordinal floor or a postcode right before it, as far as the text is free of other findings.
 * `findings` are disjoint and sorted by offset; so is the result.
 */
export function extendPlaces(text: string, findings: readonly PiiFinding[]): PiiFinding[] {
  if (!findings.some((f) => PLACE_TYPES.has(String(f.type)))) return [...findings];
  const out: PiiFinding[] = [];
  for (let i = 0; i < findings.length; i++) {
    const f = findings[i] as PiiFinding;
    if (!PLACE_TYPES.has(String(f.type))) {
      out.push(f);
      continue;
    }
    const floor = out.length > 0 ? (out[out.length - 1] as PiiFinding).end : 0;
    const ceiling = i + 1 < findings.length ? (findings[i + 1] as PiiFinding).start : text.length;
    let start = f.start;
    let end = f.end;
    const inside = text.slice(start, end);
    // what may stand before: up to 12 characters, not into the finding before (whose end counts as a line start)
    const from = Math.max(floor, start - 12);
    const before = (from === floor ? "\n" : "\u0000") + text.slice(from, start);
    if (STARTS_WITH_FLOOR.test(inside)) start -= ORDINAL_BEFORE.exec(before)?.[0].length ?? 0;
    else if (knownPlaceAt(inside, false)) {
      const m = POSTCODE_BEFORE.exec(before) ?? (CLAUSE_END.test(text.slice(end, ceiling)) ? POSTCODE_AFTER_NAME.exec(before) : null);
      const code = m && YEAR_LIKE.test((m[1] as string).trim()) ? YEAR_POSTCODE_BEFORE.exec(before) : m;
      if (code) start -= (code[1] as string).length;
    }
    end += unitAfter(text.slice(start, end), text.slice(end, Math.min(ceiling, end + 40)));
    end += postcodeAfter(text, f, out[out.length - 1], start, end, text.slice(end, Math.min(ceiling, end + 60)));
    out.push(start === f.start && end === f.end ? f : { ...f, start, end });
  }
  return out;
}
