import fc from "fast-check";
import { partyContext, type PartyContext } from "./party-context";
import { tokenTable } from "./name-tokens";

const contextOf = (text: string): PartyContext => {
  const t = tokenTable(text);
  return partyContext(text, t.starts, t.ends, t.count, t.candidate);
};
const sorted = (s: ReadonlySet<string>): string[] => [...s].sort();

describe("partyContext (what a contract says about its capitalised words)", () => {
  it("reads the words written before a legal form, a party's quoted short name and the other quoted definitions", () => {
    const text =
      'Supply Agreement - BRAMBLE\n\nThis agreement (the "Agreement") is made between Quillon Harbour, and BRAMBLE Orchard Works Inc. ("BRAMBLE"), ' +
      'Tarn Valley Freight ("TVF") and Kestrel Lane Holdings, L.P. (the "Licensor"), effective as of (the "Effective Date").';
    const c = contextOf(text);
    // ", and" joins two parties: "Quillon Harbour" is no word of BRAMBLE's name
    expect(sorted(c.formWords)).toEqual(["bramble", "holdings", "kestrel", "lane", "orchard", "works"]);
    // a word of the name just before, or its initials
    expect(sorted(c.shortNames)).toEqual(["bramble", "tvf"]);
    expect(sorted(c.definedTerms)).toEqual(["agreement", "date", "effective", "licensor"]);
  });

  it("reads tokenised text (legal forms with their periods apart) and a role after the company's own word", () => {
    const c = contextOf('MARLOW FENWICK , INC ., a Delaware corporation (" Borrower "), ORRIN CAPITAL 07 , L . P . (" Orrin ") and Pell Company (the "Company")');
    expect(sorted(c.formWords)).toEqual(["capital", "fenwick", "marlow", "orrin"]);
    expect(sorted(c.shortNames)).toEqual(["orrin"]);
    // ("Company") after "Pell Company" is the contract's role word, not a short name
    expect(sorted(c.definedTerms)).toEqual(["borrower", "company"]);
  });

  it("finds nothing in a text without a legal form or a bracketed quotation, and never fails on any text", () => {
    expect(contextOf("The parties agree as follows. Services shall be provided by the Supplier in Lakeview.")).toEqual({
      formWords: new Set(),
      shortNames: new Set(),
      definedTerms: new Set(),
    });
    const word = fc.constantFrom("Acme", "Inc", ".", ",", "and", "(", ")", '"', "“", "”", "the", "L", "P", "Company", "Borrower", "\n", "   ", "LLC", "x");
    fc.assert(
      fc.property(fc.array(word, { maxLength: 40 }), (words) => {
        const text = words.join(" ");
        const c = contextOf(text);
        // every word it reports is a word of the text, in lower case
        for (const w of [...c.formWords, ...c.shortNames, ...c.definedTerms]) expect(text.toLowerCase()).toContain(w);
      }),
      { numRuns: 300 },
    );
  });
});
