import fc from "fast-check";
import { ContractDocument } from "../text/contract-document";
import { NUMBER_WORDS_SOURCE, parseNumberWords } from "../parsing/number-words";
import { extractAmounts, extractPercentages } from "./extract-amounts";

const amounts = (text: string) => extractAmounts(new ContractDocument(text)).map((a) => ({ amount: a.amount, currency: a.currency, text: a.span.quote }));

describe("extractAmounts", () => {
  it("keeps every decimal of a per-unit price", () => {
    expect(amounts("The fee is $0.075 per unit shipped.")).toEqual([{ amount: 0.075, currency: "USD", text: "$0.075" }]);
    expect(amounts("a royalty of 1.125 euros per copy")).toEqual([{ amount: 1.125, currency: "EUR", text: "1.125 euros" }]);
    expect(amounts("USD 2.5 million and $0.0425")).toEqual([
      { amount: 2_500_000, currency: "USD", text: "USD 2.5 million" },
      { amount: 0.0425, currency: "USD", text: "$0.0425" },
    ]);
  });

  it("never ends or starts an amount inside a digit run", () => {
    expect(amounts("Model 12345 dollars")).toEqual([{ amount: 12345, currency: "USD", text: "12345 dollars" }]);
    expect(amounts("ref 4.12345 dollars")).toEqual([{ amount: 4.12345, currency: "USD", text: "4.12345 dollars" }]);
    expect(amounts("Item 7,1234 dollars and $3,4567 more and $2.5.1")).toEqual([]);
  });

  it("reads any generated amount with its exact value and span", () => {
    const figure = fc
      .record({
        whole: fc.integer({ min: 0, max: 9_999_999_999 }),
        grouped: fc.boolean(),
        decimals: fc.option(fc.stringMatching(/^\d{1,6}$/u), { nil: undefined }),
      })
      .map(({ whole, grouped, decimals }) => {
        const w = grouped ? whole.toLocaleString("en-US") : String(whole);
        return { written: decimals === undefined ? w : `${w}.${decimals}`, value: Number(`${whole}${decimals === undefined ? "" : `.${decimals}`}`) };
      });
    const form = fc.constantFrom(
      { before: "$", after: "", currency: "USD" },
      { before: "EUR ", after: "", currency: "EUR" },
      { before: "£", after: "", currency: "GBP" },
      { before: "", after: " dollars", currency: "USD" },
      { before: "", after: " Swiss francs", currency: "CHF" },
    );
    const tail = fc.constantFrom(" per share.", " for each unit,", ".", " (net) in total", "; and");
    fc.assert(
      fc.property(figure, form, tail, (f, c, t) => {
        const written = `${c.before}${f.written}${c.after}`;
        const found = amounts(`The price is ${written}${t}`);
        expect(found).toEqual([{ amount: f.value, currency: c.currency, text: written }]);
      }),
    );
  });
});

describe("extractPercentages on runs of digits", () => {
  // A figure starts after no digit (a start inside a digit run read the run to its end: quadratic); the percentages
  // are those of the pattern without that look-behind.
  const OLD = new RegExp(
    `(?:(?<words>${NUMBER_WORDS_SOURCE})\\s+percent(?:age\\s+points?)?(?:\\s*\\(\\s*(?<fig>\\d+(?:\\.\\d+)?)\\s*%\\s*\\))?|(?<num>\\d+(?:\\.\\d+)?)\\s*(?:%|percent\\b|per\\s+cent\\b))`,
    "gi",
  );
  const piece = fc.constantFrom("1", "12", "0", ".", ".5", ",", "%", " %", " percent", "percent", " per cent", "fifty", " ", "(", ")", "-", "a", "x");
  it("finds what the pattern without the look-behind finds", () => {
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 30 }), (pieces) => {
        const text = pieces.join("");
        const found = extractPercentages(new ContractDocument(text)).map((p) => `${p.span.start}:${p.span.quote}`);
        const old = [...text.matchAll(OLD)]
          .filter((m) => Number.isFinite(m.groups?.["fig"] !== undefined ? Number(m.groups["fig"]) : m.groups?.["num"] !== undefined ? Number(m.groups["num"]) : parseNumberWords(m.groups?.["words"] ?? "") ?? NaN))
          .map((m) => `${m.index}:${m[0]}`);
        expect(found).toEqual(old);
      }),
      { numRuns: 5_000 },
    );
  });
});
