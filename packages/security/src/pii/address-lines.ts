// The lines of a notice block's address read as one address (issue 18, SEC recall: addresses in notice blocks).
// A unit ("28th Floor", "Suite 203", "Ste. 350") is part of an address, never a name ("Floor" is also a given name),
// and joins the address parts on its line; a building numbered in digits or words before a unit or an address ("Two
// Newton Executive Park, Suite 203", "One Market Plaza, 36th Floor") is part of it, and so is a house number right
// before an address found from its street and town ("1585 Broadway New York, NY 10036"). Only the layout of an
// address is read, never a list of names.
import { lowerBound } from "./lower-bound";
import type { PiiFinding } from "./pii-types";

/** A unit: an ordinal floor, or a unit word and its number. */
const UNIT = /(?<![\p{L}\p{N}])(?:\d{1,3}(?:st|nd|rd|th)[ \t]+Floor|(?:Suite|Ste\.?|Floor|Fl\.|Room|Rm\.|Unit)[ \t]*#?[ \t]*\d[\dA-Za-z-]*)(?![\p{L}\p{N}])/gu;
const NUMBER_WORD = "(?:One|Two|Three|Four|Five|Six|Seven|Eight|Nine|Ten|Eleven|Twelve)";
/** A building: a number (digits or a word) and up to four capitalised words ending in a building's kind. */
const BUILDING_BEFORE = new RegExp(
  `(?<![\\p{L}\\p{N}])(?:\\d{1,6}|${NUMBER_WORD})[ \\t]+(?:\\p{Lu}[\\p{L}'’&-]*[ \\t]+){0,4}(?:Plaza|Park|Center|Centre|Tower|Towers|Building|Place|Square|Commons|House|Court)(?:[ \\t]*,[ \\t]*\\p{Lu}[\\p{L}'’-]*[ \\t]+(?:Tower|Building|House))?[ \\t]*,?[ \\t]*$`,
  "u",
);
/**
 * What joins two parts of one address on a line: spaces and one comma. (Written so that a run of spaces is read once:
 * `^[ \t]*,?[ \t]*$` split a long run between its two stars every way before failing, quadratic in the gap.)
 */
export const JOIN = /^[ \t]*(?:,[ \t]*)?$/;
/** A house number right before an address, after a line start, a colon, a comma or another finding. */
const HOUSE_NUMBER_BEFORE = /[\n:,][ \t]*(\d{1,6}[A-Za-z]?[ \t]{1,2})$/;
/** A US ZIP code closing the line's address ("Los Angeles California 90071"). */
const ZIP_AFTER = /^[ \t]*,?[ \t]*\d{5}(?:-\d{4})?(?![\p{L}\p{N}])/u;
/** A finding a unit's or building's words may hold: a place, or a name guessed from a word (not a cue's company). */
const readFromAddressWords = (f: PiiFinding): boolean =>
  f.type === "ADDRESS" || f.type === "LOCATION" || f.type === "PERSON" || (f.type === "ORGANIZATION" && f.score < 0.6);

/** Findings (disjoint, sorted) with the units, buildings and house numbers of address lines read into addresses. */
export function readAddressLines(text: string, findings: readonly PiiFinding[]): PiiFinding[] {
  if (!/Floor|Suite|Ste\.|Fl\.|Room|Rm\.|Unit|\d[ \t]+\p{Lu}/u.test(text)) return [...findings];
  const out = [...findings];
  for (const m of text.matchAll(UNIT)) {
    let start = m.index;
    let end = start + m[0].length;
    let score = 0.6;
    // what overlaps the unit (a name read from "Floor", an address that already holds it) and adjoining address parts
    let i = lowerBound(out.length, (j) => (out[j] as PiiFinding).end <= start);
    const holder = out[i];
    // already inside an address (the street recognizer read the unit): nothing to join
    if (holder && holder.type === "ADDRESS" && holder.start <= start && holder.end >= end) continue;
    const inside = holder !== undefined && holder.start < start && holder.end > start;
    if (inside) start = (holder as PiiFinding).start;
    // an address part or a building just before it on its line
    const before = out[i - 1];
    if (inside) {
      // the unit continues the finding it sits in
    } else if (before && (before.type === "ADDRESS" || before.type === "LOCATION") && JOIN.test(text.slice(before.end, start))) {
      start = before.start;
      score = Math.max(score, before.score);
      i--;
    } else {
      // names read from a building's words ("Tessel" of "Tessel Tower") may stand inside it
      let j = i - 1;
      while (j >= 0 && (out[j] as PiiFinding).start >= start - 80 && readFromAddressWords(out[j] as PiiFinding)) j--;
      const floor = j >= 0 ? (out[j] as PiiFinding).end : 0;
      const building = BUILDING_BEFORE.exec(text.slice(Math.max(floor, start - 80), start));
      if (building && !/\n/.test(building[0])) {
        start -= building[0].length;
        while (i > 0 && (out[i - 1] as PiiFinding).end > start) i--;
        start = Math.min(start, (out[i] as PiiFinding | undefined)?.start ?? start);
      }
    }
    // findings overlapping the stretch, and an address or place after it on its line
    let k = i;
    while (k < out.length && (out[k] as PiiFinding).start < end) {
      const f = out[k] as PiiFinding;
      if (readFromAddressWords(f)) end = Math.max(end, f.end);
      else break;
      k++;
    }
    const next = out[k];
    if (next && (next.type === "ADDRESS" || next.type === "LOCATION") && JOIN.test(text.slice(end, next.start)) && next.start >= end) {
      end = next.end;
      score = Math.max(score, next.score);
      k++;
    }
    end += ZIP_AFTER.exec(text.slice(end, end + 16))?.[0].length ?? 0;
    if (k < out.length && (out[k] as PiiFinding).start < end) continue; // an organisation crosses it: leave it as read
    out.splice(i, k - i, { type: "ADDRESS", start, end, score, recognizer: "AddressLines" });
  }
  // a house number before an address ("1585 Broadway New York, NY 10036")
  for (let i = 0; i < out.length; i++) {
    const f = out[i] as PiiFinding;
    if (f.type !== "ADDRESS" || !/^\p{Lu}/u.test(text.slice(f.start, f.start + 1))) continue;
    const floor = i > 0 ? (out[i - 1] as PiiFinding).end : 0;
    const from = Math.max(floor, f.start - 12);
    // the finding before counts as a line start; a cut inside a word or number is none ("Box 1288 Fayetteville")
    const m = HOUSE_NUMBER_BEFORE.exec((from === floor ? "\n" : "\u0000") + text.slice(from, f.start));
    if (m) out[i] = { ...f, start: f.start - (m[1] as string).length };
  }
  return out;
}
