import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "@jest/globals";
import fc from "fast-check";
import { sharedData } from "../../test/fixtures";
import { ContractDocument } from "./contract-document";
import { gluedPageFooters, pageFooterLayout } from "./page-footers";

const FOOTER = "Source: DATA CALL TECHNOLOGIES, SB-2/A, 9/18/2006";

describe("EDGAR page footers glued to the text (PDF text layers)", () => {
  it("finds a footer glued to the last word of a page, issuers with commas and forms with spaces included", () => {
    const text = `7 TERM OF THE AGREEMENT AND TERMINATION${FOOTER}\f7.1 Unless otherwise agreed … pay to LICENSORSource: ACME ESPORTS, INC., 8-K, 8/15/2019\fthe full value. Filed under DRSource: BLOOM ENERGY CORP, DRS/A (on S-1), 3/21/2018`;
    expect(gluedPageFooters(text).map((f) => text.slice(f.start, f.end))).toEqual([FOOTER, "Source: ACME ESPORTS, INC., 8-K, 8/15/2019", "Source: BLOOM ENERGY CORP, DRS/A (on S-1), 3/21/2018"]);
  });

  it("leaves a footer on its own line (CUAD's layout) and other 'Source:' words alone", () => {
    expect(gluedPageFooters(`end of page.\n\n${FOOTER}\n\nnext page`)).toEqual([]);
    expect(gluedPageFooters("Data Source: the Licensor's feed, daily, as agreed")).toEqual([]);
  });

  it("leaves prose with a source and a date alone: after a bracket, or with no SEC form in it", () => {
    expect(gluedPageFooters("the LME average (Source: London Metal Exchange, daily fix, 1/15/2020) for the month.")).toEqual([]);
    expect(gluedPageFooters("as quoted [Source: ACME CORP, 10-K, 3/30/2007] in the filing")).toEqual([]);
    expect(gluedPageFooters("the price per the averageSource: London Metal Exchange, daily fix, 1/15/2020")).toEqual([]);
    const text = "as the Parties agreed:Source: ACME CORP, SC 13D, 1/2/2010\fnext page endsSource: BETA LLC, POS AM (on S-1), 3/4/2011";
    expect(gluedPageFooters(text).map((f) => text.slice(f.start, f.end))).toEqual(["Source: ACME CORP, SC 13D, 1/2/2010", "Source: BETA LLC, POS AM (on S-1), 3/4/2011"]);
  });

  it("segments a glued footer as a paragraph break: headings and sentences never carry it, spans quote the text", () => {
    const text = `6.3 Audit. Licensee shall pay the difference.\n7 TERM OF THE AGREEMENT AND TERMINATION${FOOTER}\f7.1 Unless otherwise agreed, this Agreement runs for two years.`;
    const doc = new ContractDocument(text);
    for (const s of doc.sentences) {
      expect(text.slice(s.start, s.end)).toBe(s.quote);
      expect(s.quote).not.toContain("Source:");
    }
    expect(doc.clauses.map((c) => c.number)).toEqual(["6.3", "7", "7.1"]);
    expect(doc.clauses.find((c) => c.number === "7")?.span.quote).toBe("7 TERM OF THE AGREEMENT AND TERMINATION");
  });

  it("keeps the length and every character outside the footers (property)", () => {
    const piece = fc.oneof(fc.string({ maxLength: 40 }), fc.constant(FOOTER), fc.constant("WORD"), fc.constant("\n"));
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 12 }), (parts) => {
        const text = parts.join("");
        const layout = pageFooterLayout(text);
        expect(layout.length).toBe(text.length);
        const footers = gluedPageFooters(text);
        for (let i = 0; i < text.length; i++) if (!footers.some((f) => f.start <= i && i < f.end)) expect(layout[i]).toBe(text[i]);
        const doc = new ContractDocument(text);
        for (const s of doc.sentences) expect(text.slice(s.start, s.end)).toBe(s.quote);
      }),
      { numRuns: 300 },
    );
  });

  it("gives a real contract with its footers glued the clauses it has with them on their own lines (Data Call content licence)", () => {
    const dir = path.join(sharedData, "cuad_train", "full_contract_txt");
    const own = fs.readFileSync(path.join(dir, fs.readdirSync(dir).find((f) => f.startsWith("DataCallTechnologies"))!), "utf8");
    // As the PDF's text layer has it: each footer glued to the page's last word.
    const glued = own.replace(/\s*\n\s*(Source: [^\n]+)/g, "$1");
    expect(gluedPageFooters(glued).length).toBe(5);
    const headings = (text: string) => new ContractDocument(text).clauses.flatMap((c) => (c.heading ? [c.heading] : []));
    expect(headings(glued)).toEqual(headings(own).filter((h) => !h.startsWith("Source")));
    for (const s of new ContractDocument(glued).sentences) expect(s.quote).not.toContain("Source:");
  });
});
