import fc from "fast-check";
import { LOOKAHEAD_NAME_PATTERNS } from "./name-recognizer";

const key = (ms: Iterable<RegExpExecArray>): string[] => [...ms].map((m) => `${m.index}:${m[0]}:${m.slice(1).join("|")}`);

// Words in both cases, capitals runs, initials, lower-case words joined by hyphens and apostrophes (a pair may start
// "a-b"), other scripts, astral letters, digits and the characters the look-behinds read.
const pieces = [
  "John", "Smith", "O'Neil", "D’Angelo", "Mary-Ann", "ACME", "CORP", "KATHY", "WHITWORTH", "E.", "W.", "I", "A", "the", "and", "ab", "abc", "eva",
  "kleist", "a-b", "c-d", "x’y", "o'", "-", "'", "’", ".", ",", "&", "1", "12", "Émile", "ölund", "ÖSTER", "ß", "𝒜", "𝒶bc", "\u00a0", " ", "  ", "\n", "\t",
];
const text = fc.array(fc.constantFrom(...pieces), { maxLength: 40 }).chain((ps) => fc.constantFrom("", " ", "  ", "\u00a0").map((sep) => ps.join(sep)));

describe("a look-ahead in front of a name pattern changes none of its matches", () => {
  it.each(LOOKAHEAD_NAME_PATTERNS)("%s", (_name, pattern, lookahead) => {
    expect(pattern.source.startsWith(lookahead)).toBe(true);
    const without = new RegExp(pattern.source.slice(lookahead.length), pattern.flags);
    fc.assert(
      fc.property(text, (t) => {
        expect(key(t.matchAll(pattern))).toEqual(key(t.matchAll(without)));
      }),
      { numRuns: 3000 },
    );
  });
});
