// Place spans found only in part are completed over the address parts that a name recognizer does not read as a
// name: the secondary unit of an address ("Suite 203", "Apt. 641", "27th Floor") and a postcode after a region or a
// country ("… Australia 38837"). The unit words are the secondary unit designators of postal addressing (USPS
// Publication 28, appendix C2), not words of any record.
import type { PiiFinding } from "./pii-types";
import { isKnownPlaceName } from "./recognizers/lexicon-tags";

const UNIT = String.raw`(?:Suite|Ste|Apartment|Apt|Unit|Room|Rm|Floor|Fl|Level|Building|Bldg|Penthouse)`;
/** A unit designator and its number: "Suite 203", "Ste . 350", "Apt. #4B", "Unit No. 7" (tokenised text too). */
const UNIT_AND_NUMBER = String.raw`${UNIT}\s?\.?\s?(?:#\s?|No\s?\.?\s?)?[A-Z]?\d{1,5}[A-Z]?\b`;
/** "27th Floor", "3rd Fl.", "2nd Level". */
const ORDINAL_FLOOR = String.raw`\d{1,3}\s?(?:st|nd|rd|th)\s(?:Floor|Fl|Level)\b\.?`;
/** After a place: the period of its abbreviation, a comma (and spaces), then a unit. */
const UNIT_AFTER = new RegExp(String.raw`^(?:[ \t]?\.)?[ \t]*,?[ \t]*(?:${UNIT_AND_NUMBER}|${ORDINAL_FLOOR})`, "i");
/** A place that is itself the unit word ("Suite", "Floor"): its number after it. */
const NUMBER_AFTER_UNIT = new RegExp(String.raw`^\s?\.?\s?(?:#\s?|No\s?\.?\s?)?[A-Z]?\d{1,5}[A-Z]?\b`);
const ENDS_IN_UNIT = new RegExp(String.raw`(?:^|\s)${UNIT}$`, "i");
/** "27th" before a place that starts with "Floor". */
const ORDINAL_BEFORE = /\d{1,3}\s?(?:st|nd|rd|th)\s$/i;
const STARTS_WITH_FLOOR = /^(?:Floor|Fl|Level)\b/i;
/**
 * A postcode after a place: five digits (and a ZIP+4) that are no part of a longer number or an amount, or four that
 * are no year and close the line or the clause ("… Australia 3883" but not "Israel 2010 and", "Texas 1000 units").
 */
const POSTCODE_AFTER = /^[ \t]+(?:\d{5}(?:-\d{4})?(?![.,]?\d|[ \t]*%)|(?!19|20)\d{4}(?=[ \t]*(?:$|\n|[,;)]|\.(?!\d)|[ \t]+[("“]|[ \t]+\p{Lu})))/u;

/** A postcode before a town or a country, as most of Europe writes it ("10115 Berlin", "… 00062 Israel"). */
const POSTCODE_BEFORE = /(?:[\n,(]|\p{L}\.?)[ \t]*((?:\d{5}|(?!19|20)\d{4})[ \t])$/u;

/** The place's last (or first) one to three words are a known town, region or country: a number beside it is a postcode. */
function knownPlaceAt(place: string, end: boolean): boolean {
  const words = place.match(/\p{L}[\p{L}.'’-]*/gu) ?? [];
  for (let n = 1; n <= Math.min(3, words.length); n++) if (isKnownPlaceName((end ? words.slice(-n) : words.slice(0, n)).join(" "))) return true;
  return false;
}

const PLACE_TYPES: ReadonlySet<string> = new Set(["LOCATION", "ADDRESS"]);

/**
 * Each place (LOCATION or ADDRESS) finding grown over a unit or a postcode right after it, or an ordinal floor right
 * before it, as far as the text is free of other findings. `findings` are disjoint and sorted by offset; so is the
 * result.
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
    const m = STARTS_WITH_FLOOR.test(inside) ? ORDINAL_BEFORE.exec(before) : knownPlaceAt(inside, false) ? POSTCODE_BEFORE.exec(before) : null;
    if (m) start -= (m[1] ?? m[0]).length;
    for (let grew = true; grew; ) {
      grew = false;
      const after = text.slice(end, Math.min(ceiling, end + 40));
      const place = text.slice(start, end);
      const m =
        (ENDS_IN_UNIT.test(place) ? NUMBER_AFTER_UNIT.exec(after) : null) ?? UNIT_AFTER.exec(after) ?? (knownPlaceAt(place, true) ? POSTCODE_AFTER.exec(after) : null);
      if (m && m[0].length > 0) {
        end += m[0].length;
        grew = true;
      }
    }
    out.push(start === f.start && end === f.end ? f : { ...f, start, end });
  }
  return out;
}
