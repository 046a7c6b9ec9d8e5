import fc from "fast-check";
import { AddressRecognizer } from "./address-recognizer";
import { isLegalReference } from "./legal-references";

const address = new AddressRecognizer();
const found = (text: string): string[] => address.recognize(text).map((f) => text.slice(f.start, f.end));

/** Invented town names: no English word, no known place. */
const town = fc.tuple(fc.constantFrom("Quell", "Brav", "Torv", "Mend", "Zarn", "Ostr"), fc.constantFrom("moor", "ingen", "avia", "holm", "ecke")).map(([a, b]) => a + b);
const postcode = fc.integer({ min: 1000, max: 99999 }).map(String);

describe("legal references are no places", () => {
  it.each([
    ["the parcel located in Section 12, Township 3 North", "Section 12"],
    ["all remedies pursuant to Ruritania Civil Code Articles 1640, et seq.", "Articles 1640"],
    ["as those terms are defined in NASD Rules 3010 and 3011", "Rules 3010"],
    ["risk control according to ISO 13485. The Supplier", "ISO 13485"],
    ["delivery terms (as defined in INCOTERMS 2020) apply", "INCOTERMS 2020"],
    ["as set forth in Quellmoor 4410 of the Plan", "Quellmoor 4410"],
    ["the obligations in Zarnecke Standards 1020 and later editions", "Zarnecke Standards 1020"],
  ])("%s", (text, reference) => {
    expect(found(text).some((f) => f.includes(reference.split(" ")[0] ?? reference))).toBe(false);
  });

  it("still reads a town and its postcode after a place preposition, and a town after a place cue", () => {
    expect(found("She moved to Quellmoor 4410 last year.")).toContain("Quellmoor 4410");
    expect(found("The warehouse is located in Bravingen, near the port.")).toContain("Bravingen");
    expect(found("we shipped the order to TORVHOLM, where")).toContain("TORVHOLM");
  });

  it("never reports a citation: a reference word or a citing phrase before a town-like name and a number", () => {
    const word = fc.constantFrom("Section", "Sections", "Article", "Articles", "Rule", "Rules", "Regulation", "Code", "Chapter", "Clause", "Schedule", "Exhibit", "Annex", "Standard", "Directive");
    const citing = fc.constantFrom("according to", "pursuant to", "as defined in", "set forth in", "as described in", "specified in", "subject to", "provided in", "referred to in");
    fc.assert(
      fc.property(fc.constantFrom("in", "to", "at", "from"), town, word, postcode, (prep, name, w, n) => {
        const text = `The terms ${prep} ${name} ${w} ${n} apply.`;
        expect(found(text).filter((f) => f.includes(n) || f.includes(name))).toEqual([]);
      }),
    );
    fc.assert(
      fc.property(citing, town, postcode, (cite, name, n) => {
        const text = `The terms ${cite} ${name} ${n} apply to the goods.`;
        expect(found(text).filter((f) => f.includes(name))).toEqual([]);
        // the same name and number after a verb of moving is a town and its postcode
        expect(found(`She moved to ${name} ${n} last year.`)).toContain(`${name} ${n}`);
      }),
    );
  });

  it("tells a citation from a place by the words alone", () => {
    expect(isLegalReference("located in Section 4", 11, ["Section", "4"])).toBe(true);
    expect(isLegalReference("moved to Quellmoor 4410", 9, ["Quellmoor"])).toBe(false);
    expect(isLegalReference("as defined in Quellmoor 4410", 14, ["Quellmoor"])).toBe(true);
  });
});
