import { describe, expect, it } from "@jest/globals";
import fc from "fast-check";
import { servicesAgreement } from "../../test/fixtures";
import { segmentClauses } from "./segment-clauses";
import { segmentSentences } from "./segment-sentences";

describe("segmentSentences", () => {
  it("does not split after abbreviations, initials or section numbers", () => {
    const text = "Acme Corp. and Beta Inc. agree. See Section 12.3(b) of the U.S. Code. J. Smith signs. 1. Scope of work follows.";
    expect(segmentSentences(text).map((s) => s.quote)).toEqual(["Acme Corp. and Beta Inc. agree.", "See Section 12.3(b) of the U.S. Code.", "J. Smith signs.", "1. Scope of work follows."]);
  });

  it("ends a sentence after the SEC (the Commission), but not after Sec. or SEC. before a section number", () => {
    const text = "The Company shall file the report with the SEC. The Investor may object. See Sec. 5 and SEC. 12 of the Act.";
    expect(segmentSentences(text).map((s) => s.quote)).toEqual(["The Company shall file the report with the SEC.", "The Investor may object.", "See Sec. 5 and SEC. 12 of the Act."]);
  });

  it("returns ordered, non-overlapping spans that slice to their quotes, for any text", () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 400, unit: fc.constantFrom("a", "B", " ", ".", "\n", "1", ";", ":", "(", ")", "\"", "Inc", "Section ") }), (text) => {
        let prev = 0;
        for (const s of segmentSentences(text)) {
          expect(text.slice(s.start, s.end)).toBe(s.quote);
          expect(s.start).toBeGreaterThanOrEqual(prev);
          expect(s.quote.trim()).toBe(s.quote);
          expect(s.quote.length).toBeGreaterThan(0);
          prev = s.end;
        }
      }),
      { numRuns: 300 },
    );
  });
});

describe("segmentClauses", () => {
  it("starts a clause at each numbered section and reads its heading", () => {
    const clauses = segmentClauses(servicesAgreement());
    const c = clauses.find((x) => x.number === "3.1");
    expect(c?.heading).toBe("Termination for Convenience");
    expect(c?.span.quote.startsWith("3.1 Termination for Convenience.")).toBe(true);
    expect(clauses.map((x) => x.number).filter(Boolean)).toEqual(expect.arrayContaining(["1", "1.1", "2.2", "8.2", "9.2"]));
  });
});

describe("segmentClauses and page numbers", () => {
  it("reads a bare number alone on its line before a blank line as a page number, not a clause number", () => {
    const text = "2.1 Delivery. The Supplier shall deliver the goods.\n\n1\n\nSource: ACME CORP, 10-K, 3/1/2019\n\n2.2 Payment. The buyer pays within 30 days.";
    const clauses = segmentClauses(text);
    expect(clauses.map((c) => c.number)).toEqual(["2.1", undefined, "2.2"]);
    expect(clauses[1]!.span.quote.startsWith("1\n\nSource")).toBe(true);
  });

  it("keeps a number on its own line before its title line, or written with a dot, as the clause number", () => {
    expect(segmentClauses("12\nGoverning Law\nThis Agreement is governed by the laws of New York.")[0]!.number).toBe("12");
    const dotted = segmentClauses("12.\n\nGoverning Law. This Agreement is governed by the laws of New York.")[0]!;
    expect([dotted.number, dotted.heading]).toEqual(["12", "Governing Law"]);
    expect(segmentClauses("ARTICLE 5\n\nTERM AND TERMINATION")[0]!.number).toBe("5");
  });

  it("numbers no clause after a page number and leaves the other clauses' numbers as they were, for any page and footer", () => {
    const contract = servicesAgreement();
    const numbers = segmentClauses(contract).map((c) => c.number);
    const breaks = [...contract.matchAll(/\n\n/g)].map((m) => m.index);
    fc.assert(
      fc.property(fc.integer({ min: 0, max: breaks.length - 1 }), fc.integer({ min: 20, max: 999 }), fc.constantFrom("Source: ACME CORP, 10-K, 3/1/2019", "Confidential", "Page footer. Not a clause.", "CONFIDENTIAL TREATMENT REQUESTED"), (k, page, footer) => {
        const at = breaks[k]!;
        const clauses = segmentClauses(`${contract.slice(0, at)}\n\n${page}\n\n${footer}${contract.slice(at)}`);
        const paged = clauses.find((c) => c.span.quote.startsWith(`${page}\n`));
        expect(paged?.number).toBeUndefined();
        expect(clauses.filter((c) => c !== paged).map((c) => c.number)).toEqual(numbers);
      }),
    );
  });

  it("reads the clause number after a page number, for any page before any clause", () => {
    const contract = servicesAgreement();
    const numbers = segmentClauses(contract).map((c) => c.number);
    const breaks = [...contract.matchAll(/\n\n/g)].map((m) => m.index);
    fc.assert(
      fc.property(fc.integer({ min: 0, max: breaks.length - 1 }), fc.integer({ min: 20, max: 999 }), (k, page) => {
        const at = breaks[k]!;
        expect(segmentClauses(`${contract.slice(0, at)}\n\n${page}${contract.slice(at)}`).map((c) => c.number)).toEqual(numbers);
      }),
    );
    expect(segmentClauses("4\n\n   ARTICLE II RETENTION OF THE CONTRACTOR\n\nThe Company retains the Contractor.")[0]!.number).toBe("II");
  });

  it("keeps a bare number that continues the clause sequence as the clause number", () => {
    const text = "SERVICES AGREEMENT\n\n1\n\nDEFINITIONS\n\n1.1 Services means the services.\n\n2\n\nPAYMENT\n\n2.1 Fees are due monthly.\n\n7\n\nSource: ACME CORP, 10-K";
    expect(segmentClauses(text).map((c) => c.number)).toEqual([undefined, "1", "1.1", "2", "2.1", undefined]);
    expect(segmentClauses("1\n\nDefinitions. In this Agreement words have their usual meaning.")[0]!.number).toBe("1");
  });

  it("reads no roman number from a lone pronoun after a page number", () => {
    const clause = segmentClauses("3\n\nI agree to the terms.")[0]!;
    expect(clause.number).toBeUndefined();
    expect(segmentClauses("IV.\n\nGRANT OF LICENSE")[0]!.number).toBe("IV");
    expect(segmentClauses("IV\nGRANT OF LICENSE")[0]!.number).toBe("IV");
  });
});

describe("segmentClauses on hard-wrapped text (as taken from a PDF, no blank lines)", () => {
  // Paragraphs of full-width lines; each ends with a short line that ends a sentence.
  const filler = "The provider shall operate, maintain and support the computer systems, software and"; // a full line
  const paragraph = (first: string, last: string) => [first, ...Array.from({ length: 10 }, () => filler), last];
  const wrapped = [
    "MAINTENANCE AGREEMENT",
    ...paragraph("This Agreement provides for continued service and for the provider to give basic", "the schedule."),
    ...paragraph("The continued service provided will be the operation, maintenance and support of", "paid monthly."),
    "Customer agrees to pay fees equal to $40 per month for all participating banks for",
    "which maintenance is provided.",
  ].join("\n");

  it("starts a clause after a short line that ends a sentence once the clause is long, not at every line break", () => {
    const clauses = segmentClauses(wrapped);
    expect(clauses.map((c) => c.span.quote.split("\n")[0])).toEqual([
      "MAINTENANCE AGREEMENT",
      "The continued service provided will be the operation, maintenance and support of",
      "Customer agrees to pay fees equal to $40 per month for all participating banks for",
    ]);
  });

  it("keeps short paragraphs together: short lines that end a sentence are also list items and table rows", () => {
    const short = ["SERVICES", "The provider gives basic maintenance in support following expiration of the initial", "term.", "Fees are paid monthly for all participating banks for which maintenance is given by", "the provider.", "Either party may end this Agreement on notice given to the other party in writing at", "any time."].join("\n");
    expect(segmentClauses(short)).toHaveLength(1);
  });

  it("splits text that has blank-line paragraphs only at them, as before", () => {
    const paragraphs = wrapped.replace(/\n(?=Customer agrees)/, "\n\n");
    expect(segmentClauses(paragraphs).map((c) => c.span.quote.split("\n")[0])).toEqual(["MAINTENANCE AGREEMENT", "Customer agrees to pay fees equal to $40 per month for all participating banks for"]);
  });
});
