/**
 * Streets whose type is written into the name, as in German, Dutch and Scandinavian addresses: "Lindenstr. 25",
 * "Blumenstraße 12", "Hauptweg 3a", with the postcode and town that may follow on the same line or the next
 * ("Lindenstr. 25\n10115 Berlin", "Blumenstraße 12, 80331 Munich"). The street type is read as a word ending, so
 * no street name is listed; the house number is required.
 */
const SUFFIX = /(?:str\.|straße|strasse|gasse|weg|allee|platz|straat|gracht|laan|vej|gatan|vägen)[ \t]?\d{1,4}[a-z]?(?![\p{L}\p{N}])/giu;
/** The street's own name: one capitalised word (with hyphens: "Karl-Marx-Str. 5") right before the suffix. */
const NAME_BEFORE = /(?<![\p{L}\p{N}_])\p{Lu}[\p{L}-]*$/u;
/** A postcode and a town after the house number: ", 80331 Munich", "\n10115 Berlin" (one line, one or two words). */
const POSTCODE_TOWN = /^(?:[ \t]*,[ \t]*|[ \t]*\n[^\p{L}\p{N}\n]{0,6})(?:[A-Z]{1,2}-)?\d{4,5}[ \t]+\p{Lu}[\p{L}-]*(?:[ \t]\p{Lu}[\p{L}-]*)?(?=[ \t]*(?:[,.;\n]|$))/u;

/** [start, end) of each street address with a compound street type, with its postcode and town when they follow. */
export function* compoundStreets(text: string): Generator<readonly [number, number]> {
  SUFFIX.lastIndex = 0;
  for (let m = SUFFIX.exec(text); m; m = SUFFIX.exec(text)) {
    const name = NAME_BEFORE.exec(text.slice(Math.max(0, m.index - 40), m.index))?.[0];
    // the suffix must end a word of its own name ("Lindenstr."), not stand alone or start the word
    if (!name) continue;
    const start = m.index - name.length;
    let end = m.index + m[0].length;
    end += POSTCODE_TOWN.exec(text.slice(end, end + 60))?.[0].length ?? 0;
    yield [start, end];
  }
}
