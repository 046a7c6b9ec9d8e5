import fc from "fast-check";
import { forgetTextRuns, textRuns } from "../text-runs";
import { matchesAt } from "../triggered-matches";
import { ANCHORED_PATTERNS } from "./address-recognizer";
import { STATE_POSTCODE, statePostcodes } from "./town-lines";
import { AsciiWordSet } from "../text-runs";

const key = (ms: Iterable<RegExpExecArray>): string[] => [...ms].map((m) => `${m.index}:${m[0]}:${m.slice(1).join("|")}`);

// Pieces that start, continue or break the patterns: place prepositions and cue words in several cases, words that
// hold them ("within", "Tommy"), street-type words (with the case-folding letters ſ and K, and ß), labels at line
// starts, towns in capitals, postcodes, words of other scripts, line breaks, colons, underscores and digits touching words.
const pieces = [
  "in", "In", "IN", "at", "At", "to", "To", "from", "near", "Near", "into", "within", "that", "is", "it", "address", "Address:", "address:",
  "ADDRESS", "lives", "lives at", "living", "Living at", "located", "situated at", "sent to", "send it to", "shipped to", "drops me off at",
  "returned to", "moved to", "meet me at", "is at", "corner of", "the corner of", "billing address with", "user:", "it is", "mailed to", "born",
  "grew up", "flew", "travelled", "traveled", "relocated", "stationed", "resides", "am", "was", "were", "vacationing", "trip", "arrived",
  "Where:", "City :", "Country", "ZIP:", "Zip", "Postcode:", "Postal code:", "State:", "Region", "ul.", "UL", "via", "Via", "viale", "rue",
  "Rua", "aV", "oſ", "C/", "c/", "straße", "STRASSE", "ſtrada", "Platz", "\u212Aiel", "ESPOO", "KATRINEHOLM", "ÖVERTURINGEN", "ACSI",
  "NEW-YORK", "SÃO PAULO", "Acquapendente", "Quinta de São Tiago", "in Quinta de São Tiago 3610-114", "at Los Santos de Maimona 06230", "from o'Neill-Ville St. 1234", "harburg", "kiel", "de", "la", "1021", "3610-114", "840 24", "12-345",
  "4844", "07576", "53", "41a", "7/2", "12%", "percent", "years", "Miła", "Coste", "delle", "Magasinsgatan", "St.", "Λεωφόρος", "𝒜", "📍", "_", "5",
  "é", "P.O. Box 149", "PO Box 7", "POBox 12", "p o box 3", "Post Office Box 9", "PSC 6293, Box 8158", "Unit 4719", "CMR 4",
  "3003 Tasman Drive", "18-20 Main Street", "x12 Oak Rd", "Ste. 200", ", CA 95054", " NY 10591", "Texas 75034", ", New York 10591-1234",
  "BC V5A 1V3", "Springfield, IL 62704.", "(Las Vegas NV 89114)", "IL 62704-1234;", "Ontario, ON K1A 0B1é", "Texas 75034\u00a0", "NEW YORK\t10591", "  •• •28030 Edeby 55", "\t-- -12 Rue Main 4,", "• 28030 Edeby 55", "ON K1A0B1", "OR 97201", "92799 - 5125", "123456", "A1B", "23100 Ilichova 23", "07576 Magasinsgatan 7 St.", "12 Rue Main 4", "Lindenstr.", "Lindenstr. 25", "Karl-Marx-Str.5", "STR.", "Blumenstraße 12", "BLUMENSTRA\u1E9EE", "Hauptweg 3a", "WEG", "Allee", "platz", "Keizersgracht", "laan", "Vej", "gatan", "VÄGEN", "vägen", "Gasse", "straat", "ſtraat", "12345", "3a", "0", "9b", ",", ".", ":", "(", ")", " ", "  ", "\n", "\t", " \t", "-", "’", "'",
];
const text = fc.array(fc.constantFrom(...pieces), { maxLength: 30 }).chain((ps) => fc.constantFrom(" ", "", "\n", "  ", "\t").map((sep) => ps.join(sep)));

describe("the address patterns tried at their anchors find what a global search finds", () => {
  afterEach(() => forgetTextRuns());

  it.each(ANCHORED_PATTERNS)("%s", (_name, pattern, positions) => {
    fc.assert(
      fc.property(text, (t) => {
        expect(key(matchesAt(t, pattern, positions(t)))).toEqual(key(t.matchAll(pattern)));
      }),
      { numRuns: 3000 },
    );
  });

  it.each(ANCHORED_PATTERNS.filter(([name]) => name === "EURO_LINE"))("%s after symbols outside the BMP (a surrogate pair is one character to the pattern)", (_name, pattern, positions) => {
    for (const t of ["📍📍📍📍 12 Rue Lepic 4\n", "x\n🏠🏠🏠 7 Via Roma 12, Milano"]) expect(key(matchesAt(t, pattern, positions(t)))).toEqual(key(t.matchAll(pattern)));
  });

  it("STATE_POSTCODE, in the stretches holding its digits (no character outside its matches between)", () => {
    fc.assert(
      fc.property(text, (t) => {
        expect(key(statePostcodes(t))).toEqual(key(t.matchAll(STATE_POSTCODE)));
      }),
      { numRuns: 3000 },
    );
  });
});

describe("textRuns", () => {
  it("reads the runs of ASCII letters and digits of the text last asked about", () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 40 }), fc.string({ maxLength: 40 }), (a, b) => {
        for (const t of [a, b, a]) {
          const { words, digits } = textRuns(t);
          for (const [runs, re] of [[words, /[A-Za-z]+/g], [digits, /[0-9]+/g]] as const) {
            const expected = [...t.matchAll(re)].map((m) => [m.index, m.index + m[0].length]);
            expect(Array.from({ length: runs.count }, (_, k) => [runs.starts[k], runs.ends[k]])).toEqual(expected);
          }
        }
      }),
      { numRuns: 500 },
    );
  });
});

describe("AsciiWordSet", () => {
  it("may hold every run that is one of its words, in any case, and no run of another shape", () => {
    const words = ["in", "at", "address", "c", "september", "ul"];
    const set = new AsciiWordSet(words);
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...words, "IN", "Address", "C", "SEPTEMBER", "inn", "addresses", "x", "sept", "u"), { maxLength: 12 }), (ws) => {
        const t = ws.join(" ");
        const { starts, ends } = textRuns(t).words;
        const found = set.indexesIn(t).map((k) => t.slice(starts[k], ends[k]));
        const expected = ws.filter((w) => words.includes(w.toLowerCase()));
        // a hash collision may add a run, never drop one
        expect(found.filter((w) => words.includes(w.toLowerCase()))).toEqual(expected);
        for (const w of found) expect(words.some((x) => x.length === w.length && x[0] === w[0]?.toLowerCase())).toBe(true);
      }),
    );
  });
});
