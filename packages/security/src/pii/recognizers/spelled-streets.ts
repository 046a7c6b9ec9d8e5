import { CITY_STATE_ZIP, SUFFIX, UNIT } from "./street-parts";

/** House numbers written as words: "One", "Two", "Twenty-Five", "One Hundred". */
const NUMBER_WORD =
  "(?:One|Two|Three|Four|Five|Six|Seven|Eight|Nine|Ten|Eleven|Twelve|Thirteen|Fourteen|Fifteen|Sixteen|Seventeen|Eighteen|Nineteen|Twenty|Thirty|Forty|Fifty|Sixty|Seventy|Eighty|Ninety)(?:(?:[ ]|[ ]?-[ ]?)(?:One|Two|Three|Four|Five|Six|Seven|Eight|Nine|Hundred))?";
/**
 * A street whose house number is spelled out, as office parks and towers often are ("Two Maple Office Park, Suite
 * 410", "One Harbour Center, Boston, MA 02110"). A number word before capitalised words and a street type is often
 * no address ("Two Park Street stores"), so a unit or a town, state and ZIP must follow on the spot.
 */
const SPELLED_STREET = new RegExp(
  `(?<![\\p{L}\\p{N}-])${NUMBER_WORD}[ \\t]+(?:\\p{Lu}[\\p{L}'’-]*[ \\t]+){0,4}(?:${SUFFIX}|Center|Centre|Tower)\\b\\.?(?:${UNIT}${CITY_STATE_ZIP}?|${CITY_STATE_ZIP})`,
  "gu",
);
/** What every match holds: a text without it has none. */
const GUARD = /(?:One|Two|Three|Four|Five|Six|Seven|Eight|Nine|Ten|Eleven|Twelve|teen|ty)[ \t]+\p{Lu}/u;

/** [start, end) of each street address whose house number is written as words, with its unit and town line. */
export function* spelledOutStreets(text: string): Generator<readonly [number, number]> {
  if (!GUARD.test(text)) return;
  for (const m of text.matchAll(SPELLED_STREET)) yield [m.index, m.index + m[0].length];
}
