import { textRuns } from "../text-runs";
import { matchesAt } from "../triggered-matches";

/**
 * Streets whose type is written into the name, as in German, Dutch and Scandinavian addresses: "Lindenstr. 25",
 * "Blumenstraße 12", "Hauptweg 3a", with the postcode and town that may follow on the same line or the next
 * ("Lindenstr. 25\n10115 Berlin", "Blumenstraße 12, 80331 Munich"). The street type is read as a word ending, so
 * no street name is listed; the house number is required.
 */
export const SUFFIX = /(?:str\.|straße|strasse|gasse|weg|allee|platz|straat|gracht|laan|vej|gatan|vägen)[ \t]?\d{1,4}[a-z]?(?![\p{L}\p{N}])/giu;

/**
 * The lengths of SUFFIX's street types by their last character (ASCII, lower case): "str." 4, "weg" and "vej" 3,
 * "gasse", "allee", "straße", "strasse" 5 to 7, "platz" 5, "straat", "gracht" 6, "laan", "gatan", "vägen" 4 and 5. No
 * character past ASCII folds into these under the pattern's Unicode case folding.
 */
const TYPE_LENGTHS: ReadonlyMap<number, readonly number[]> = new Map([
  [46, [4]], [101, [5, 6, 7]], [103, [3]], [122, [5]], [116, [6]], [110, [4, 5]], [106, [3]],
]);
const ALL_TYPE_LENGTHS = [3, 4, 5, 6, 7];

/**
 * Where SUFFIX can match, ascending: a match ends with a house number, a whole run of one to four ASCII digits (`\d`
 * is ASCII under the `u` flag, and the number is followed by no digit), after the street type and maybe one space or
 * tab; the type is one of a few words, so it starts 3 to 7 characters before (those its last character allows).
 */
export function suffixStarts(text: string): number[] {
  const d = textRuns(text).digits;
  const out: number[] = [];
  for (let k = 0; k < d.count; k++) {
    const start = d.starts[k] as number;
    if ((d.ends[k] as number) - start > 4) continue;
    const before = text.charCodeAt(start - 1);
    const typeEnd = before === 32 || before === 9 ? start - 1 : start;
    const last = text.charCodeAt(typeEnd - 1);
    if (Number.isNaN(last)) continue;
    const lengths = last >= 128 ? ALL_TYPE_LENGTHS : TYPE_LENGTHS.get(last | (last >= 65 && last <= 90 ? 32 : 0));
    if (!lengths) continue;
    for (const length of lengths) if (typeEnd - length >= 0) out.push(typeEnd - length);
  }
  return out.sort((a, b) => a - b);
}
/** The street's own name: one capitalised word (with hyphens: "Karl-Marx-Str. 5") right before the suffix. */
const NAME_BEFORE = /(?<![\p{L}\p{N}_])\p{Lu}[\p{L}-]*$/u;
/** A postcode and a town after the house number: ", 80331 Munich", "\n10115 Berlin" (one line, one or two words). */
const POSTCODE_TOWN = /^(?:[ \t]*,[ \t]*|[ \t]*\n[^\p{L}\p{N}\n]{0,6})(?:[A-Z]{1,2}-)?\d{4,5}[ \t]+\p{Lu}[\p{L}-]*(?:[ \t]\p{Lu}[\p{L}-]*)?(?=[ \t]*(?:[,.;\n]|$))/u;

/** [start, end) of each street address with a compound street type, with its postcode and town when they follow. */
export function* compoundStreets(text: string): Generator<readonly [number, number]> {
  for (const m of matchesAt(text, SUFFIX, suffixStarts(text))) {
    const name = NAME_BEFORE.exec(text.slice(Math.max(0, m.index - 40), m.index))?.[0];
    // the suffix must end a word of its own name ("Lindenstr."), not stand alone or start the word
    if (!name) continue;
    const start = m.index - name.length;
    let end = m.index + m[0].length;
    end += POSTCODE_TOWN.exec(text.slice(end, end + 60))?.[0].length ?? 0;
    yield [start, end];
  }
}
