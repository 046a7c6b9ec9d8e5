import fc from "fast-check";
import { PiiScanner } from "../pii-scanner";
import { townLines } from "./town-lines";

const spans = (text: string): string[] => townLines(text).map((t) => text.slice(t.start, t.end));
const scanner = new PiiScanner();
const found = (text: string): [string, string][] => scanner.scan(text).map((f) => [f.type, text.slice(f.start, f.end)]);

/** CoNLL-style tokens joined by spaces, as the SEC filings are written ("Tarrytown , New York 10591"). */
const tokenise = (s: string): string => (s.match(/[\p{L}\p{N}]+|[^\s\p{L}\p{N}]/gu) ?? []).join(" ");

describe("town lines: a town, its state or province and postcode, and the street before it", () => {
  it("takes a street whose name has no street word with the town after it", () => {
    expect(spans("notices to Quellix Systems, Inc., 18 Windsor Ridge, Tarrytown, New York 10591, Attn: Legal")).toEqual(["18 Windsor Ridge, Tarrytown, New York 10591"]);
    expect(spans("at 4 Quarry Bend, Suite 2, Fort Worth TX 76102.")).toEqual(["4 Quarry Bend, Suite 2, Fort Worth TX 76102"]);
    expect(spans("Vendor\n27 Windsor Ridge\nLas Vegas NV 89114\n")).toEqual(["27 Windsor Ridge\nLas Vegas NV 89114"]);
    // PDF text: a run of spaces where the line broke
    expect(spans("Attention: Mary Ng, President   4 Harrow Bend   Quarry Falls, Texas 75034")).toEqual(["4 Harrow Bend   Quarry Falls, Texas 75034"]);
  });

  it("reads a state code without its comma, and Canadian province codes and postcodes", () => {
    expect(spans("PO Box 7, Las Vegas NV 89114")).toEqual(["Las Vegas NV 89114"]);
    expect(spans("Burnaby, BC V5A 1V3, Canada")).toEqual(["Burnaby, BC V5A 1V3"]);
    expect(spans("Markham ON L3R 5B4")).toEqual(["Markham ON L3R 5B4"]);
  });

  it("is no town line: a numbered heading above one, a state code that is an English word after everyday words, a bare number", () => {
    expect(spans("12 Notices\nBoston, MA 02110")).toEqual(["Boston, MA 02110"]);
    expect(spans("4 Governing Law\nBoston, MA 02110")).toEqual(["Boston, MA 02110"]);
    expect(spans("PAYMENT OR 10000 SHARES")).toEqual([]);
    expect(spans("THE SHARES IN 10000 LOTS")).toEqual([]);
    expect(spans("under Section 5, Article 12345 of the Code")).toEqual([]);
  });

  it("finds the same town lines in tokenised text (space before commas, around the ZIP+4 hyphen)", () => {
    const town = fc.constantFrom("Tarrytown", "Santa Clara", "West Palm Beach", "Quarry Falls", "Las Vegas");
    const state = fc.constantFrom("New York", "California", "Florida", "NV", "TX", "CA");
    const zip = fc.tuple(fc.integer({ min: 10000, max: 99999 }), fc.option(fc.integer({ min: 1000, max: 9999 }))).map(([a, b]) => (b === null ? `${a}` : `${a}-${b}`));
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 99999 }), fc.constantFrom("Windsor Ridge", "Marlow Crest", "Oakhurst"), town, state, zip, (no, street, t, s, z) => {
        const line = `${no} ${street}, ${t}, ${s} ${z}`;
        const text = `with offices at ${line} (the "Office").`;
        expect(spans(text)).toEqual([line]);
        expect(spans(tokenise(text))).toEqual([tokenise(line)]);
      }),
      { numRuns: 200 },
    );
  });

  it("through the scanner: the street is part of the address, not a person", () => {
    const text = "If to Borrower : Quellix Systems , Inc . 18 Windsor Ridge , Tarrytown , New York 10591 Attn : Dana Morrow";
    expect(found(text)).toContainEqual(["ADDRESS", "18 Windsor Ridge , Tarrytown , New York 10591"]);
    expect(found("located at 5 Lakeview Court, Las Vegas NV 89114")).toContainEqual(["ADDRESS", "5 Lakeview Court, Las Vegas NV 89114"]);
  });

  it("reads tokenised units and post office boxes", () => {
    expect(found("offices at 12626 High Bluff Drive , Suite 370 , San Diego , CA 92130 ( \" Boxlot \" )")).toContainEqual(["ADDRESS", "12626 High Bluff Drive , Suite 370 , San Diego , CA 92130"]);
    expect(found("P . O . Box 58185 Santa Clara , CA 95052 - 8185").map(([, v]) => v)).toEqual(["P . O . Box 58185", "Santa Clara , CA 95052 - 8185"]);
  });
});
