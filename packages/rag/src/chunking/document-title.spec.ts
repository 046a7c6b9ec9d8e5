import { describe, expect, it } from "@jest/globals";
import fc from "fast-check";
import { detectTitle, holdsPersonalData, titleFromFileName } from "./document-title";

describe("detectTitle", () => {
  it("takes the agreement's own name, not the exhibit number above it", () => {
    expect(detectTitle("Exhibit 10.1\n\nSUPPLY AGREEMENT\n\nThis Supply Agreement is made...")).toBe("SUPPLY AGREEMENT");
    expect(detectTitle("EXHIBIT 10.3 DISTRIBUTION AGREEMENT This Agreement (\"the Agreement\") is made by and between A and B.")).toBe("DISTRIBUTION AGREEMENT");
  });

  it("cuts a heading where it runs on into parties, dates or a defined term", () => {
    expect(detectTitle("Exhibit 4.5 SUPPLY AGREEMENT between ALPHA INC. and BETA B.V.\n\nTHIS AGREEMENT is made")).toBe("SUPPLY AGREEMENT");
    expect(detectTitle("SERVICES AGREEMENT SERVICES AGREEMENT, dated as of April 1, 2019 (the \"Agreement\"), between A and B.")).toBe("SERVICES AGREEMENT");
    expect(detectTitle("PROMOTION AGREEMENT  (the \"Agreement\")\nThis agreement is made between")).toBe("PROMOTION AGREEMENT");
  });

  it("joins a name set over several heading pieces or lines", () => {
    expect(detectTitle("Exhibit 10.17(b)\n\n      FIRST AMENDMENT TO ACME          MANAGEMENT AND MAINTENANCE AGREEMENT\n\n THIS FIRST AMENDMENT")).toBe(
      "FIRST AMENDMENT TO ACME MANAGEMENT AND MAINTENANCE AGREEMENT",
    );
    expect(detectTitle("AMENDMENT AND TERMINATION\n\nOF\n\nJOINT VENTURE AGREEMENT\n\nThis amendment is made")).toBe("AMENDMENT AND TERMINATION OF JOINT VENTURE AGREEMENT");
  });

  it("never takes a form label, a navigation line or a line with personal data", () => {
    const text = "QuickLinks -- Click here to rapidly navigate through this document\nEffective Date:\nJane Roe, +1 604 555 0199, jane@example.test — Supply Agreement\n\nThe parties agree as follows.";
    expect(detectTitle(text, undefined, "acme-supply.txt")).toBe("acme-supply");
  });

  it("falls back to the opening sentence's name, then to the file name", () => {
    expect(detectTitle("By Client:\n\nThis Website Design and Hosting Agreement (the \"Agreement\") is entered into by A and B.")).toBe("Website Design and Hosting Agreement");
    expect(detectTitle("The parties met on Monday.", undefined, "/data/Acme%20NDA_2019.pdf")).toBe("Acme NDA 2019");
    expect(titleFromFileName("x/Board_minutes.docx")).toBe("Board minutes");
  });

  it("keeps a real title the format declares, not a word processor's placeholder", () => {
    expect(detectTitle("SUPPLY AGREEMENT", "Notice of termination")).toBe("Notice of termination");
    expect(detectTitle("SUPPLY AGREEMENT", "Microsoft Word - supply.doc")).toBe("SUPPLY AGREEMENT");
  });

  it("finds an e-mail address exactly where the old run-reading regex did (/[\\w.+-]+@[\\w-]+\\.[\\w.-]+/)", () => {
    const old = /[\w.+-]+@[\w-]+\.[\w.-]+/;
    const line = fc.array(fc.constantFrom(..."aZ9_.+-@ x/é:".split(""), "www.", "http://", "jane@example.com"), { maxLength: 24 }).map((parts) => parts.join(""));
    fc.assert(
      fc.property(line, (text) => {
        const phone = (text.match(/\+?\d[\d\s().-]{7,}\d/g) ?? []).some((run) => run.replace(/\D/g, "").length >= 9);
        expect(holdsPersonalData(text)).toBe(old.test(text) || /\bhttps?:\/\/|\bwww\./i.test(text) || phone);
      }),
      { numRuns: 20_000 },
    );
  });

  it("never returns a title holding an e-mail address or a phone number, whatever the opening", () => {
    const contact = fc.oneof(
      fc.tuple(fc.stringMatching(/^[a-z]{2,8}$/), fc.stringMatching(/^[a-z]{2,8}$/)).map(([u, d]) => `${u}@${d}.com`),
      fc.stringMatching(/^\+?\d{3}[ .-]\d{3}[ .-]\d{4}$/),
    );
    const heading = fc.constantFrom("SUPPLY AGREEMENT", "Non-Disclosure Agreement", "LICENSE AGREEMENT", "Master Services Agreement");
    fc.assert(
      fc.property(heading, contact, fc.boolean(), fc.string({ maxLength: 40 }), (name, pii, before, noise) => {
        const line = before ? `${pii} ${name}` : `${name} ${pii}`;
        const title = detectTitle(`${noise}\n${line}\nThe parties agree.`, undefined, "contract.txt");
        expect(holdsPersonalData(title)).toBe(false);
        expect(title.length).toBeLessThanOrEqual(120);
      }),
    );
  });
});
