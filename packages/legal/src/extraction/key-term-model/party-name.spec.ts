import { describe, expect, it } from "@jest/globals";
import fc from "fast-check";
import { spanOf } from "../../text/span";
import { partyNameBounds, trimPartyName } from "./party-name";

const shown = (quote: string) => {
  const b = partyNameBounds(quote);
  return b ? quote.slice(b.start, b.end) : quote;
};

describe("partyNameBounds", () => {
  it("ends a name at its legal form: an address, a date or the next party after it is not part of it", () => {
    expect(shown("KALLO Inc. With principal offices at 15 Allstate Parkway")).toBe("KALLO Inc.");
    expect(shown("NLS-1 Pharma AG Alter Postplatz 2 6370 Stans Switzerland")).toBe("NLS-1 Pharma AG");
    expect(shown("BLOOM ENERGY CORPORATION dated as of April 13")).toBe("BLOOM ENERGY CORPORATION");
    expect(shown("Capsugel US, LLC and its Affiliates with an address at 412 Mt.")).toBe("Capsugel US, LLC");
    expect(shown("PROFOUND MEDICAL INC. and PHILIPS MEDICAL SYSTEMS NEDERLAND B.V.")).toBe("PROFOUND MEDICAL INC.");
    expect(shown("BorrowMoney.com, inc of 512 Bayshore DR")).toBe("BorrowMoney.com, inc");
    expect(shown("ANTHEMIC, LLC & VNUE This Sponsorship Agreement")).toBe("ANTHEMIC, LLC");
  });

  it("drops a list number or a date before the name", () => {
    expect(shown("2. Valence Technology, Inc.")).toBe("Valence Technology, Inc.");
    expect(shown("4/8/2020 YA II PN, Ltd.")).toBe("YA II PN, Ltd.");
  });

  it("keeps names whose legal form is inside them or comes in several words", () => {
    for (const name of ["Morgan Stanley & Co. Incorporated", "Cremer Oleo GmbH & Co KG", "Insurance Company of North America", "Limited Brands, Inc.", "3M Company", "Acme Widgets LLC", "Offshore as Borrower", "Johnson Matthey Catalog Company, Inc."]) {
      expect(partyNameBounds(name)).toBeUndefined();
    }
  });

  it("always returns a non-empty piece of the quote, and trimPartyName a span of the text", () => {
    const word = fc.constantFrom("Acme", "Inc.", "LLC", "of", "2.", "4/8/2020", "and", "AG", "Co.", "&", "Widgets", "dated", "(a)", "Corporation");
    fc.assert(
      fc.property(fc.array(word, { minLength: 1, maxLength: 10 }), fc.string({ maxLength: 5 }), (words, before) => {
        const quote = words.join(" ");
        const b = partyNameBounds(quote);
        if (b) {
          expect(b.end).toBeGreaterThan(b.start);
          expect(quote.slice(b.start, b.end).trim()).toBe(quote.slice(b.start, b.end));
        }
        const text = `${before}${quote} rest`;
        const span = trimPartyName(text, spanOf(text, before.length, before.length + quote.length));
        expect(text.slice(span.start, span.end)).toBe(span.quote);
        expect(span.quote.length).toBeGreaterThan(0);
      }),
    );
  });
});
