import fc from "fast-check";
import { contextTokens } from "./candidate-features";

/** What contextTokens read before: a regular expression's matches. */
const byRegExp = (text: string): string[] => [...text.matchAll(/[A-Za-z]+|\d+|[^\sA-Za-z\d]/g)].map((m) => (/^\d/.test(m[0]) ? `#${Math.min(m[0].length, 5)}` : m[0].toLowerCase()));

describe("contextTokens", () => {
  it("gives the tokens of /[A-Za-z]+|\\d+|[^\\sA-Za-z\\d]/g on any text (every UTF-16 unit, white space of every kind)", () => {
    const spaces = fc.constantFrom(" ", "\t", "\n", "\v", "\f", "\r", "\u00a0", "\u1680", "\u2000", "\u200a", "\u2028", "\u2029", "\u202f", "\u205f", "\u3000", "\ufeff", "\u180e", "\u0085", "\u200b");
    const pieces = fc.oneof(spaces, fc.constantFrom("Acme", "INC", "1999", "123456", "'", ".", ",", "$", "İ", "K", "É", "😀", "\ud800"), fc.string({ unit: "binary", maxLength: 4 }));
    fc.assert(
      fc.property(fc.array(pieces, { maxLength: 40 }), (parts) => {
        const text = parts.join("");
        expect(contextTokens(text)).toEqual(byRegExp(text));
      }),
      { numRuns: 1000 },
    );
  });

  it("reads a year as its digit count and keeps punctuation", () => {
    expect(contextTokens("Dated May 5, 2024 (the “Date”)")).toEqual(["dated", "may", "#1", ",", "#4", "(", "the", "“", "date", "”", ")"]);
  });
});
