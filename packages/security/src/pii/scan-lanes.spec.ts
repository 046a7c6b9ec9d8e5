import fc from "fast-check";
import { collectFindings, finishFindings, PiiScanner } from "./pii-scanner";
import type { PiiFinding } from "./pii-types";
import { planLanes } from "./scan-lanes";

/** Pieces of contracts and personal data, so that generated texts hold parties, short names, headings and cues. */
const FRAGMENTS = [
  "This Agreement is made by and between ACME HOLDINGS, INC., a Delaware corporation (\"Acme\"), and ",
  "Brightwater Analytics LLC (the \"Supplier\")",
  ", having its principal offices at 1200 Harbor Boulevard, Suite 400, Weehawken, New Jersey 07086",
  "12. Severability. ",
  "ARTICLE IV INDEMNIFICATION",
  "14. Injunctive Relief.",
  " shall be governed by the laws of the State of New York.",
  "Notices: Attention: Margaret Okonkwo, President",
  "By: /s/ Paul E. Schedler\nName: Paul E. Schedler\nTitle: Chief Executive Officer",
  "Mr. Schedler",
  " Acme ",
  " the Effective Date ",
  " relief ",
  "KATHY WHITWORTH, an individual",
  "Call 415-555-0134 or +44 20 7946 0958",
  "write to margaret.okonkwo@example.com",
  "IBAN DE89 3704 0044 0532 0130 00",
  "SSN 512-44-3921",
  "card 4111 1111 1111 1111",
  "born on 4 March 1961",
  " in Tarrytown ",
  "Good Sam Enterprises, LLC (\"Good Sam\")",
  "the Good Sam Parties",
  "John Smith",
  "Schedler",
  "\n",
  "\n\n",
  "     ",
  ". ",
  ", ",
  "\"",
];

const text = fc.array(fc.constantFrom(...FRAGMENTS), { maxLength: 30 }).map((parts) => parts.join(""));

/** The scan with the recognizers run lane by lane (as PiiScanPool's threads run them), then read document-wide. */
function scanInLanes(scanner: PiiScanner, text: string, lanes: number): PiiFinding[] {
  const raw: PiiFinding[][] = [];
  for (const lane of planLanes(scanner.recognizerNames, lanes).reverse()) {
    collectFindings(scanner, text, lane).forEach((found, k) => (raw[lane[k] as number] = found));
  }
  return finishFindings(scanner, text, raw);
}

describe("planLanes", () => {
  it("puts every recognizer in exactly one lane, in ascending order, at most one lane per recognizer", () => {
    const names = new PiiScanner().recognizerNames;
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 20 }), (lanes) => {
        const plan = planLanes(names, lanes);
        expect(plan.length).toBe(Math.min(lanes, names.length));
        expect(plan.flat().sort((a, b) => a - b)).toEqual(names.map((_, i) => i));
        for (const lane of plan) expect(lane).toEqual([...lane].sort((a, b) => a - b));
      }),
    );
  });

  it("shares a full scan's work about evenly on two lanes (the name recognizer alone on one)", () => {
    const names = new PiiScanner().recognizerNames;
    const [a, b] = planLanes(names, 2).map((lane) => lane.map((i) => names[i]));
    expect(a).toEqual(["NameRecognizer"]);
    expect(b).toContain("OrganizationRecognizer");
    expect(b).toContain("AddressRecognizer");
  });
});

describe("a scan shared among lanes", () => {
  const scanners = [new PiiScanner(), new PiiScanner({ names: false }), new PiiScanner({ keepJurisdictions: false, entities: ["PERSON", "ORGANIZATION", "PHONE"] })];

  it("finds exactly what one scan finds, for any number of lanes (fast-check over legal and PII fragments)", () => {
    fc.assert(
      fc.property(text, fc.integer({ min: 1, max: 5 }), fc.nat(scanners.length - 1), (t, lanes, which) => {
        const scanner = scanners[which] as PiiScanner;
        expect(scanInLanes(scanner, t, lanes)).toEqual(scanner.scan(t));
      }),
      { numRuns: 150 },
    );
  }, 60_000);

  it("refuses findings that are not one list per recognizer, and unknown recognizer indices", () => {
    const scanner = new PiiScanner({ names: false });
    expect(() => finishFindings(scanner, "text", [])).toThrow(/one list per recognizer/);
    expect(() => collectFindings(scanner, "text", [99])).toThrow(/recognizer index/);
  });
});
