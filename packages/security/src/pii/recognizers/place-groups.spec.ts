import fc from "fast-check";
import { lexicon } from "./compromise-nlp";
import { forgetTextRuns } from "../text-runs";
import { KELVIN, knownPlaces, knownPlacesByPattern } from "./place-groups";

// Place words and what cuts or joins the word groups around them: single and double spaces, line breaks, words
// glued by hyphens, periods and apostrophes ("x-new", "st.louis", "’s"), digits touching words ("9york"), letters
// past ASCII (the Kelvin sign lower-cases to "k", İ to two characters), curly quotes, words that start places
// ("the", "new", "st") without being one, chains of four or more words (a place across two groups of three).
const places = Object.entries(lexicon())
  .filter(([, tags]) => [tags].flat().some((t) => ["Country", "City", "Region", "Place"].includes(t)))
  .map(([w]) => w)
  .sort()
  .filter((_, i) => i % 5 === 0);
const placeWord = fc.constantFrom(...places).chain((w) =>
  fc.constantFrom(w, w.toUpperCase(), w.replace(/(^|\s)\p{L}/gu, (c) => c.toUpperCase()), `${w}.`),
);
const pieces = [
  "the", "The", "THE", "new", "New", "york", "York", "New York", "new york", "NEW YORK", "St.", "st", "Louis", "St. Louis", "the hague", "The Hague",
  "\u212Aansas", "Kansas", "\u212Aiel", "İstanbul", "istanbul", "Zürich", "São", "Paulo", "sao paulo", "x-new", "new-york", "st.louis", "9york", "york9",
  "Company’s", "’s", "'s", "o'hare", "-", ".", "’", "'", "“", "”", "\"", "(", ")", ",", ";", "1", "22", "of", "and", "laws", "State", "Delaware",
  "a Delaware corporation", "United", "Kingdom", "United Kingdom", "South", "Africa", "salt lake city", "Salt Lake City", "Fort", "Worth", "main",
  "long", "Beach", "é", "ß", "Ö", "\u00a0", "\t",
];
const piece = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...pieces) },
  { weight: 3, arbitrary: placeWord },
  { weight: 1, arbitrary: fc.stringMatching(/^[A-Za-z][a-z]{0,6}[.'-]?$/) },
  { weight: 1, arbitrary: fc.string({ maxLength: 4 }) },
);
const text = fc.array(piece, { maxLength: 40 }).chain((ps) => fc.constantFrom(" ", "", "\n", "  ", ", ", " - ").map((sep) => ps.join(sep)));

describe("knownPlaces reads only the groups near place words", () => {
  afterEach(() => forgetTextRuns());

  it("finds the places the expression's groups hold (fast-check)", () => {
    fc.assert(
      fc.property(text, (t) => {
        expect(knownPlaces(t)).toEqual(knownPlacesByPattern(t));
        forgetTextRuns();
      }),
      { numRuns: 3000 },
    );
  });

  it("the Kelvin sign is the one character past ASCII whose lower case is ASCII letters alone (the fast path's premise)", () => {
    const found: string[] = [];
    for (let c = 128; c < 0x10000; c++) {
      if (c >= 0xd800 && c <= 0xdfff) continue;
      if (/^[a-z]+$/.test(String.fromCharCode(c).toLowerCase())) found.push(String.fromCharCode(c));
    }
    expect(found).toEqual([KELVIN]);
  });

  it("keeps the groups of three: a place cut by a group's end is not found, as before", () => {
    // "alpha beta gamma" is one group, "New York" the next: found; "alpha beta New" + "York" cuts it (York alone is one)
    expect(knownPlaces("alpha beta gamma New York")).toEqual([[17, 25]]);
    expect(knownPlaces("alpha beta New York")).toEqual([[15, 19]]);
    expect(knownPlacesByPattern("alpha beta New York")).toEqual([[15, 19]]);
    expect(knownPlaces("x-new york, 9york, \u212Aansas")).toEqual(knownPlacesByPattern("x-new york, 9york, \u212Aansas"));
  });
});
