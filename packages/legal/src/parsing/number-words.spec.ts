import { describe, expect, it } from "@jest/globals";
import fc from "fast-check";
import { NUMBER_WORDS_SOURCE, parseNumberWords, toNumberWords } from "./number-words";
import { DATE_SOURCE } from "./parse-date";
import { DURATION_SOURCE } from "./parse-duration";
import { MONEY_SOURCE } from "./parse-money";

describe("parseNumberWords", () => {
  it.each([
    ["thirty", 30],
    ["Ninety", 90],
    ["one hundred twenty-five", 125],
    ["One Hundred and Twenty Five", 125],
    ["two million five hundred thousand", 2_500_000],
    ["a hundred", 100],
    ["twenty-first", 21],
    ["thirtieth", 30],
    ["eleven", 11],
  ])("reads %j as %d", (words, value) => {
    expect(parseNumberWords(words)).toBe(value);
  });

  it.each(["", "and", "thirty thirty", "five four", "hundred", "thousand five million", "banana", "first second"])("refuses %j", (words) => {
    expect(parseNumberWords(words)).toBeUndefined();
  });

  it("round-trips every integer below a billion through toNumberWords", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 999_999_999 }), (n) => {
        expect(parseNumberWords(toNumberWords(n))).toBe(n);
      }),
      { numRuns: 2000 },
    );
  });

  it("round-trips in upper case and with 'and' inserted after hundred", () => {
    fc.assert(
      fc.property(fc.integer({ min: 101, max: 999_999 }).filter((n) => n % 100 !== 0), (n) => {
        const words = toNumberWords(n).replace(/hundred /g, "hundred and ").toUpperCase();
        expect(parseNumberWords(words)).toBe(n);
      }),
    );
  });
});

describe("NUMBER_WORDS_SOURCE, bounded to 16 words", () => {
  // The patterns built on it find what they found with the unbounded run wherever no run of number words is longer
  // than 16 words (the longest number the words write has 13), and they no longer read a long run from each word.
  const unbounded = (source: string): string => source.split(NUMBER_WORDS_SOURCE).join(NUMBER_WORDS_SOURCE.replace("{0,15}", "*"));
  const PERCENT = `(?:(?<words>${NUMBER_WORDS_SOURCE})\\s+percent(?:age\\s+points?)?(?:\\s*\\(\\s*(?<fig>\\d+(?:\\.\\d+)?)\\s*%\\s*\\))?|(?<num>\\d+(?:\\.\\d+)?)\\s*(?:%|percent\\b|per\\s+cent\\b))`;
  const sources: [string, string][] = [
    ["date", DATE_SOURCE],
    ["money", MONEY_SOURCE],
    ["duration", DURATION_SOURCE],
    ["percent", PERCENT],
  ];
  const piece = fc.constantFrom(
    "one", "One", "twenty", "first", "hundred", "thousand", "million", "a", "and", "-", " ", " ", "  ", "\n", "5", "30", "(30)", "1,000", "2.5",
    "%", "percent", "per cent", "dollars", "$", "USD", "day of", "May", "2020", "days", "months", "year", "between", "to", "the", "this", ",", "(", ")",
  );
  const text = fc.array(piece, { maxLength: 16 }).map((pieces) => pieces.join(" "));
  it.each(sources)("%s: the same matches as the unbounded run", (_name, source) => {
    const bounded = new RegExp(source, "gi");
    const old = new RegExp(unbounded(source), "gi");
    expect(old.source).not.toBe(bounded.source);
    const key = (re: RegExp, t: string): string[] => [...t.matchAll(re)].map((m) => `${m.index}:${m[0]}`);
    fc.assert(
      fc.property(text, (t) => {
        expect(key(bounded, t)).toEqual(key(old, t));
      }),
      { numRuns: 3_000 },
    );
  });
});
