import { describe, expect, it } from "@jest/globals";
import fc from "fast-check";
import { parseNumberWords, toNumberWords } from "./number-words";

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
