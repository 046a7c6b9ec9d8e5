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

  it("completes a place through the whole scanner (its recognizers find the country without the postcode)", () => {
    const text = "Contact: Sandton, South Africa 2196\n";
    const spans = new PiiScanner({ nameModel: false }).scan(text).map((f) => text.slice(f.start, f.end));
    expect(spans).toContain("South Africa 2196");
  });
});
