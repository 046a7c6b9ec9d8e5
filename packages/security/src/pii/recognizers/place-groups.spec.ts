import fc from "fast-check";
import { lexicon } from "./compromise-nlp";
import { forgetTextRuns } from "../text-runs";
import { isKnownPlace, KELVIN, knownPlaces, knownPlacesByPattern } from "./place-groups";

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

// An oracle independent of place-groups.ts's reading: the groups of the expression (global search) and each group's
// phrases tried longest first as strings, as knownPlaces read them before its groups were counted over the letter runs.
const PLACE_CANDIDATE = /(?<![\p{L}\p{N}])\p{L}[\p{L}'’.-]*(?:[ ]\p{L}[\p{L}'’.-]*){0,2}(?![\p{L}])/gu;
const placeEntries = Object.keys(lexicon()).filter((w) => [lexicon()[w]].flat().some((t) => ["Country", "City", "Region", "Place"].includes(t as string)));
const placeFirstWords = new Set(placeEntries.map((w) => w.split(" ")[0] ?? w));
function referencePlaces(text: string): [number, number][] {
  const out: [number, number][] = [];
  for (const m of text.matchAll(PLACE_CANDIDATE)) {
    const words = [...m[0].matchAll(/\S+/g)];
    for (let i = 0; i < words.length; i++) {
      const head = (words[i]?.[0] ?? "").toLowerCase();
      if (!placeFirstWords.has(head) && !(head.endsWith(".") && placeFirstWords.has(head.slice(0, -1)))) continue;
      for (let n = words.length - i; n >= 1; n--) {
        const first = words[i] as RegExpMatchArray;
        const last = words[i + n - 1] as RegExpMatchArray;
        const phrase = m[0].slice(first.index, (last.index ?? 0) + last[0].length).replace(/[.]$/, "");
        if (isKnownPlace(phrase) && /^\p{Lu}|^(?:[a-z]{4,})/u.test(phrase)) {
          out.push([m.index + (first.index ?? 0), m.index + (first.index ?? 0) + phrase.length]);
          i += n - 1;
          break;
        }
      }
    }
  }
  return out;
}

describe("knownPlaces counts a word's place in its chain over the letter runs (speed round 17)", () => {
  afterEach(() => forgetTextRuns());

  // long chains (a clause without commas is one chain) whose words hop over the runs: periods ending words, double
  // spaces, digits, hyphens and letters past ASCII before a word, "the" before words of every initial
  const chainWord = fc.oneof(
    { weight: 6, arbitrary: fc.stringMatching(/^[A-Za-z]{1,8}$/) },
    { weight: 2, arbitrary: fc.constantFrom("the", "The", "THE", "of", "State", "new", "New", "united", "United", "St", "St.", "san", "San") },
    { weight: 3, arbitrary: placeWord },
    { weight: 1, arbitrary: fc.constantFrom("end.", "x-ray", "O'Hare", "9york", "-new", "Zürich", "Å", "Ærø", "İstanbul", "a.b", "’s", "\u212Aansas", "1") },
  );
  const gap = fc.constantFrom(" ", " ", " ", " ", "  ", ", ", "\n", ". ", " (", ") ", "9 ", " 9", "\u00a0");
  const chainText = fc.array(fc.tuple(chainWord, gap), { maxLength: 60 }).map((ws) => ws.map(([w, g]) => w + g).join(""));

  it("finds what the expression's groups hold, tried as strings (fast-check)", () => {
    fc.assert(
      fc.property(chainText, (t) => {
        expect(knownPlaces(t)).toEqual(referencePlaces(t));
        forgetTextRuns();
      }),
      { numRuns: 3000 },
    );
  });

  it("reads the groups of a chain across double spaces and periods as the expression does", () => {
    // a double space ends a chain: "UK" starts one ("in the  UK or Australia"), as does the word after "end."'s space
    for (const t of [
      "sold in the  UK or Australia and New York",
      "the laws of the State of Delaware. The Borrower of the State of New York",
      "courts in the  State of New Jersey for the USA or the United Kingdom",
      "one two three four. five six New York",
      "alpha beta 9gamma New York and x-new york of the hague",
      "Signed at Zürich Ærø New York, the Hague",
    ]) {
      expect(knownPlaces(t)).toEqual(referencePlaces(t));
      forgetTextRuns();
    }
    expect(knownPlaces("sold in the  UK or Australia")).toEqual([[13, 15], [19, 28]]);
  });

  it("passes over the words after which no place phrase's second word can start (\"the Loan\"), and keeps the others (\"the Hague\")", () => {
    expect(knownPlaces("the Loan of the Lender in the Hague and the bronx")).toEqual(referencePlaces("the Loan of the Lender in the Hague and the bronx"));
    expect(knownPlaces("in The Hague, not the Loan")).toEqual([[3, 12]]);
  });
});
