import fc from "fast-check";
import { curatedFirstNames } from "./lexicon-tags";
import { LOWER_PAIR, LOWER_WORD, lowerRuns, type RangeTest } from "./lower-case-runs";
import { fnvRange, HashFilter } from "../text-hash";

// Lower-case words of every length joined by hyphens and apostrophes, capitals inside and around them, digits, other
// scripts, astral letters (the expression path), and the characters the look-behinds and look-aheads read.
const pieces = [
  "eva", "kleist", "ab", "abc", "a", "x-ray", "o'neil", "d’angelo", "mcDonald", "John", "ACME", "Émile", "ölund", "straße", "ǅ", "ⅷ", "ß",
  "a-b", "c-d", "x’y", "o'", "-", "'", "’", ".", ",", "&", "1", "12", "٣", "𝒶bc", "𝒜", "\u00a0", " ", "  ", "\n", "\t", "a1", "ab-", "-ab", "kleist1", "ab٣", "eva kleist", "eva kleist2", "eva o’neil", "ab cD",
];
const text = fc
  .array(fc.constantFrom(...pieces), { maxLength: 40 })
  .chain((ps) => fc.constantFrom("", " ", "  ", "\u00a0", "-").map((sep) => ps.join(sep)));

// what the name recognizer's filter might answer: everything, nothing, or some words by their characters
const keeps: readonly (readonly [string, RangeTest])[] = [
  ["every word", () => true],
  ["no word", () => false],
  ["words of even length", (_t, from, to) => (to - from) % 2 === 0],
  ["words opening with a-m", (t, from) => (t[from] ?? "") <= "m"],
];
const keep = fc.constantFrom(...keeps);

describe("the lower-case word scanner finds what its expressions find", () => {
  it("lowerRuns gives every LOWER_WORD match the filter keeps", () => {
    fc.assert(
      fc.property(text, keep, (t, [, kept]) => {
        const expected = [...t.matchAll(LOWER_WORD)].filter((m) => kept(t, m.index, m.index + m[0].length)).flatMap((m) => [m.index, m.index + m[0].length]);
        expect(lowerRuns(t, kept).words).toEqual(expected);
      }),
      { numRuns: 5000 },
    );
  });

  it("lowerRuns gives every LOWER_PAIR match whose first word the filter keeps, with the offsets of its two words", () => {
    fc.assert(
      fc.property(text, keep, (t, [, kept]) => {
        const expected = [...t.matchAll(LOWER_PAIR)].flatMap((m) => {
          const a = m[1] ?? "";
          return kept(t, m.index, m.index + a.length) ? [m.index, m.index + a.length, m.index + a.length + 1, m.index + m[0].length] : [];
        });
        expect(lowerRuns(t, kept).pairs).toEqual(expected);
      }),
      { numRuns: 5000 },
    );
  });

  it("the word filter never rules out one of its words, wherever it stands in a text", () => {
    const names = [...curatedFirstNames()];
    const filter = new HashFilter(names, fnvRange);
    fc.assert(
      fc.property(fc.constantFrom(...names), fc.string({ maxLength: 5 }), (name, before) => {
        expect(filter.mayHold(`${before}${name}!`, before.length, before.length + name.length)).toBe(true);
      }),
      { numRuns: 2000 },
    );
  });
});
