import fc from "fast-check";
import { extendPlaces } from "./place-extension";
import { PiiScanner } from "./pii-scanner";
import type { PiiFinding } from "./pii-types";

/** A finding over the first occurrence of `part` in `text`. */
const at = (text: string, part: string, type = "LOCATION"): PiiFinding => {
  const start = text.indexOf(part);
  if (start < 0) throw new Error(`${part} not in ${text}`);
  return { type, start, end: start + part.length, score: 0.6, recognizer: "Test" };
};
const grown = (text: string, ...found: PiiFinding[]): string[] => extendPlaces(text, found).map((f) => text.slice(f.start, f.end));

describe("extendPlaces", () => {
  it("takes the secondary unit of an address after a place, however it is written", () => {
    expect(grown("Send it to 12 Orchard Road, Suite 203 today", at("Send it to 12 Orchard Road, Suite 203 today", "12 Orchard Road", "ADDRESS"))).toEqual([
      "12 Orchard Road, Suite 203",
    ]);
    const t = "located at 80 Mill St . , Ste . 350 , Dover";
    expect(grown(t, at(t, "80 Mill St", "ADDRESS"))).toEqual(["80 Mill St . , Ste . 350"]);
    const u = "Quay Lane 4 Apt. #12B\nOslo";
    expect(grown(u, at(u, "Quay Lane 4", "ADDRESS"))).toEqual(["Quay Lane 4 Apt. #12B"]);
    const v = "100 Harbor Plaza, 27th Floor, Tampa";
    expect(grown(v, at(v, "100 Harbor Plaza", "ADDRESS"))).toEqual(["100 Harbor Plaza, 27th Floor"]);
  });

  it("gives a unit word read as a place its number, and a floor its ordinal", () => {
    const t = "Two Elm Park , Suite 203";
    expect(grown(t, at(t, "Suite"))).toEqual(["Suite 203"]);
    const u = "535 Oak Avenue , 27th Floor , Austin";
    expect(grown(u, at(u, "Floor"))).toEqual(["27th Floor"]);
  });

  it("takes a postcode after a known region or country, and before a known town", () => {
    const t = "Postbus 12\nMelbourne, Australia 3000\n";
    expect(grown(t, at(t, "Australia"))).toEqual(["Australia 3000"]);
    const u = "Hauptstrasse 5, 10115 Berlin";
    expect(grown(u, at(u, "Berlin"))).toEqual(["10115 Berlin"]);
    const v = "Beit Arava 00062 Israel";
    expect(grown(v, at(v, "Beit Arava", "PERSON"), at(v, "Israel"))).toEqual(["Beit Arava", "00062 Israel"]);
  });

  it("leaves numbers that are no postcode or unit: years, amounts, counts, and numbers beside unknown words", () => {
    const cases: [string, string][] = [
      ["incorporated in Israel 2010 and", "Israel"],
      ["shipped to Texas 1000 units", "Texas"],
      ["sold in Texas 12345.67 dollars", "Texas"],
      ["grew in California 12345% a year", "California"],
      ["certified to ISO 9001", "ISO"],
      ["the Quarry 2376 account", "Quarry"],
    ];
    for (const [text, place] of cases) expect(grown(text, at(text, place))).toEqual([place]);
  });

  // invented text (a reviewer's cases): amounts, counts and sentences after a place are no part of it
  const mustNotExtend: [string, string, string?][] = [
    ["Sales by country:\nGermany 12500\nFrance 9800\nItaly 4350\n", "Germany"],
    ["Sales by country:\nGermany 12500\nFrance 9800\nItaly 4350\n", "France"],
    ["Net sales: Australia 3500; Canada 4200; Mexico 12000.", "Canada"],
    ["Net sales: Australia 3500; Canada 4200; Mexico 12000.", "Mexico"],
    ["Units: Germany 12500 11800 10900\n", "Germany"],
    ["paid in Germany 50000 EUR", "Germany"],
    ["sold in Texas 1500 Units", "Texas"],
    ["Offices: Berlin, Germany 12500 11800\n", "Germany"],
    ["to sell the Product in Germany. Level 2 support is included.", "Germany"],
    ["Headquarters: Austin, Texas 78701. Room 5 is reserved for visitors.", "Austin, Texas 78701", "ADDRESS"],
    ["Canada, unit 12 of the price list", "Canada"],
    ["Colorado, Level 3 Communications", "Colorado"],
    ["Texas, Suite 4 of the plan", "Texas"],
    ["in 2000 Antwerp hosted the games", "Antwerp"],
    ["sold 12500 Germany units", "Germany"],
    ["Paris, France 2019.", "France"],
    ["12 Orchard Road\nSuite 5", "12 Orchard Road", "ADDRESS"],
  ];
  // rows padded to full length: jest reads a missing last argument as a `done` callback
  it.each(mustNotExtend.map(([t, p, type = "LOCATION"]) => [t, p, type] as const))("does not extend: %j at %j", (text, place, type) => {
    expect(grown(text, at(text, place, type))).toEqual([place]);
  });

  const mustExtend: [string, string, string, string?][] = [
    ["Postbus 12\nMelbourne, Australia 3000\n", "Australia", "Australia 3000"],
    ["Melbourne , Australia 3000 .", "Australia", "Australia 3000"],
    ["12 Orchard Road, Dover, Texas 75001, USA", "Texas", "Texas 75001"],
    ["Level 5, 10 Bridge Street, Sydney NSW 2000\n", "10 Bridge Street, Sydney NSW", "10 Bridge Street, Sydney NSW 2000", "ADDRESS"],
    ["Meir 12, 2000 Antwerp\n", "Antwerp", "2000 Antwerp"],
    ["Hauptstrasse 5, 10115 Berlin", "Berlin", "10115 Berlin"],
    ["80 Mill St. Suite 4, Dover", "80 Mill St", "80 Mill St. Suite 4", "ADDRESS"],
    ["12 Orchard Road, SUITE 200\n", "12 Orchard Road", "12 Orchard Road, SUITE 200", "ADDRESS"],
  ];
  it.each(mustExtend.map(([t, p, w, type = "LOCATION"]) => [t, p, w, type] as const))("extends: %j at %j to %j", (text, place, whole, type) => {
    expect(grown(text, at(text, place, type))).toEqual([whole]);
  });

  it("takes the postcode of a country on the line below an address (an address block), not of one after a blank line", () => {
    const t = "12 Orchard Road\nMaple Grove, VIC\n Australia 3311.";
    expect(grown(t, at(t, "12 Orchard Road\nMaple Grove, VIC", "ADDRESS"), at(t, "Australia"))).toEqual(["12 Orchard Road\nMaple Grove, VIC", "Australia 3311"]);
    const u = "12 Orchard Road\nMaple Grove, VIC\n\nAustralia 3311.";
    expect(grown(u, at(u, "12 Orchard Road\nMaple Grove, VIC", "ADDRESS"), at(u, "Australia"))).toEqual(["12 Orchard Road\nMaple Grove, VIC", "Australia"]);
  });

  it("takes no amount after a place through the whole scanner", () => {
    const scanner = new PiiScanner({ nameModel: false });
    for (const text of [
      "Sales by country:\nGermany 12500\nFrance 9800\nItaly 4350\n",
      "Net sales: Australia 3500; Canada 4200; Mexico 12000.",
      "The Distributor may sell the Product in Germany. Level 2 support is included.",
      "Headquarters: Austin, Texas 78701. Room 5 is reserved for visitors.",
    ]) {
      const spans = scanner.scan(text).map((f) => text.slice(f.start, f.end));
      for (const s of spans) expect(s).not.toMatch(/^(?:[A-Z][a-z]+ )?\p{L}+ \d{4,5}$|\. (?:Level|Room)/u);
    }
  });

  it("leaves other findings alone and never grows into the next finding", () => {
    const t = "Mary Reed, Suite 12";
    expect(grown(t, at(t, "Mary Reed", "PERSON"))).toEqual(["Mary Reed"]);
    const u = "Dover, Suite 12";
    expect(grown(u, at(u, "Dover"), at(u, "Suite 12", "ADDRESS"))).toEqual(["Dover", "Suite 12"]);
  });

  it("keeps findings disjoint and sorted, each one inside its grown self, on any text", () => {
    const piece = fc.constantFrom("Suite", " ", ", ", "12", "27th", "Floor", "Berlin", "Texas", "10115", "2010", "Ste", ".", "#", "\n", "Apt", "Mill Road", "x");
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 24 }), fc.array(fc.tuple(fc.nat(60), fc.nat(8), fc.constantFrom("LOCATION", "ADDRESS", "PERSON")), { maxLength: 5 }), (pieces, raw) => {
        const text = pieces.join("");
        // disjoint, sorted findings inside the text
        const input: PiiFinding[] = [];
        let from = 0;
        for (const [gap, len, type] of raw) {
          const start = from + gap;
          const end = start + len + 1;
          if (end > text.length) break;
          input.push({ type, start, end, score: 0.5, recognizer: "Test" });
          from = end;
        }
        const out = extendPlaces(text, input);
        expect(out).toHaveLength(input.length);
        out.forEach((f, i) => {
          const g = input[i] as PiiFinding;
          expect(f.type).toBe(g.type);
          expect(f.start).toBeLessThanOrEqual(g.start);
          expect(f.end).toBeGreaterThanOrEqual(g.end);
          if (g.type === "PERSON") expect(f).toBe(g);
          if (i > 0) expect(f.start).toBeGreaterThanOrEqual((out[i - 1] as PiiFinding).end);
        });
      }),
    );
  });

  /** The digit runs a place took that are no unit's number ("Suite 12", "#4B") nor an ordinal ("27th"). */
  const takenNumbers = (added: string): string[] =>
    added.replace(/[A-Za-z]+[ \t]?\.?[ \t]?(?:#[ \t]?|No[ \t]?\.?[ \t]?)?[A-Z]?\d+[A-Z]?|\d+(?:st|nd|rd|th)/g, " ").match(/\d+(?:-\d+)?/g) ?? [];

  it("never extends across a sentence end or a line, and never takes two numbers, on any text", () => {
    const piece = fc.constantFrom(
      "Germany", "Texas", "Melbourne", ", ", " ", " ", ". ", "\n", "Level", "Suite", "Room", "12500", "3000", "2000",
      "11800", "78701", "5", "EUR", "Units", "12 Orchard Road", "St", "#", "Sydney NSW", ";",
    );
    fc.assert(
      // findings over whole pieces (as recognizers find whole words), so places meet the numbers and words after them
      fc.property(fc.array(fc.tuple(piece, fc.constantFrom(null, null, null, "LOCATION", "ADDRESS")), { maxLength: 24 }), (pieces) => {
        const text = pieces.map(([p]) => p).join("");
        const input: PiiFinding[] = [];
        let at = 0;
        for (const [p, type] of pieces) {
          if (type !== null && /\p{L}/u.test(p)) input.push({ type, start: at, end: at + p.length, score: 0.5, recognizer: "Test" });
          at += p.length;
        }
        extendPlaces(text, input).forEach((f, i) => {
          const g = input[i] as PiiFinding;
          const after = text.slice(g.end, f.end);
          const before = text.slice(f.start, g.start);
          // the grown part with the character on each side of the seam
          const seamAfter = text.slice(Math.max(g.start, g.end - 1), f.end);
          for (const part of [after, before]) expect(part).not.toContain("\n");
          expect(seamAfter).not.toMatch(/\.[ \t]+\p{Lu}/u);
          expect(takenNumbers(after).length + takenNumbers(before).length).toBeLessThanOrEqual(1);
          expect(after).not.toMatch(/\d[ \t]+\d/);
        });
      }),
      { numRuns: 2000 },
    );
  });

  it("completes a place through the whole scanner (its recognizers find the country without the postcode)", () => {
    const text = "Contact: Sandton, South Africa 2196\n";
    const spans = new PiiScanner({ nameModel: false }).scan(text).map((f) => text.slice(f.start, f.end));
    expect(spans).toContain("South Africa 2196");
  });
});
