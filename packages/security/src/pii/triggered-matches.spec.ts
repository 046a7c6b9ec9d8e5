import fc from "fast-check";
import { triggeredMatches } from "./triggered-matches";
import { TRIGGERED_PATTERNS } from "./recognizers/address-recognizer";

const key = (ms: Iterable<RegExpExecArray>): string[] => [...ms].map((m) => `${m.index}:${m[0]}:${m.slice(1).join("|")}`);

// Pieces that start, continue or break the patterns: place prepositions in both cases, street-type words (with the
// case-folding letters ſ and K), towns in capitals, postcodes, words of other scripts, line breaks.
const pieces = [
  "in", "In", "at", "At", "to", "To", "from", "near", "Near", "into", "that", "ul.", "UL", "via", "Via", "viale", "rue", "Rua", "aV", "oſ", "C/",
  "straße", "STRASSE", "Platz", "ESPOO", "KATRINEHOLM", "ÖVERTURINGEN", "ACSI", "NEW-YORK", "SÃO PAULO", "Acquapendente", "Quinta de São Tiago",
  "de", "la", "1021", "3610-114", "840 24", "12-345", "4844", "53", "41a", "7/2", "12%", "percent", "years", "Miła", "Coste", "delle", "\u212Aiel",
  "Λεωφόρος", "𝒜", "_", "5", ",", ".", "(", ")", " ", "  ", "\n", "\t", "-", "’", "'",
];
const text = fc.array(fc.constantFrom(...pieces), { maxLength: 30 }).chain((ps) => fc.constantFrom(" ", "", "\n").map((sep) => ps.join(sep)));

describe("triggeredMatches finds what a global search finds", () => {
  it.each(TRIGGERED_PATTERNS)("%s", (_name, pattern, trigger) => {
    fc.assert(
      fc.property(text, (t) => {
        expect(key(triggeredMatches(t, pattern, trigger))).toEqual(key(t.matchAll(pattern)));
      }),
      { numRuns: 2000 },
    );
  });

  it("moves past an empty match as matchAll does", () => {
    const empty = /(?=b)|x/gu;
    for (const t of ["abxb", "𝒜b", "bb", ""]) expect(key(triggeredMatches(t, empty, { regex: /[bx]/g }))).toEqual(key(t.matchAll(empty)));
  });
});
