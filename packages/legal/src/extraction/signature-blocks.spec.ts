import { describe, expect, it } from "@jest/globals";
import fc from "fast-check";
import { ContractDocument } from "../text/contract-document";
import type { Party, Signatory } from "./key-term-types";
import { extractSignatories, readSignatureBlocks } from "./signature-blocks";

const party = (text: string, name: string, role?: string): Party => {
  const at = text.indexOf(name);
  return { name, span: { start: at, end: at + name.length, quote: name }, ...(role ? { role } : {}) };
};
const signers = (text: string, parties: readonly Party[]) => extractSignatories(ContractDocument.of(text), parties);
const shape = (s: readonly Signatory[]) => s.map((x) => [x.name, x.title, x.party]);
const signingParties = (text: string) => readSignatureBlocks(ContractDocument.of(text), []).signingParties.map((p) => p.quote);

describe("extractSignatories", () => {
  it("pairs the n-th 'By:' of a flattened row with the n-th party above it, and the n-th title with the n-th signer", () => {
    const text =
      'This Agreement is made between Orchid Lane, Inc. ("Seller") and Tamsin Works, LLC ("Buyer").\n\n' +
      "IN WITNESS WHEREOF, the parties have signed this Agreement. ORCHID LANE, INC. TAMSIN WORKS, LLC By: /s/ Ada Quill By: /s/ Bram Toller Name: Ada Quill Name: Bram Toller Its: Chief Executive Officer Its: Vice-President 8";
    const parties = [party(text, "Orchid Lane, Inc.", "Seller"), party(text, "Tamsin Works, LLC", "Buyer")];
    expect(shape(signers(text, parties))).toEqual([
      ["Ada Quill", "Chief Executive Officer", "Orchid Lane, Inc."],
      ["Bram Toller", "Vice-President", "Tamsin Works, LLC"],
    ]);
  });

  it("reads columns set apart by spaces, with the second party named only in the signature heading", () => {
    const text =
      "This Agreement is made by Orchid Lane, Inc.\n\nIN WITNESS WHEREOF, the parties have signed.\n\n" +
      "ORCHID LANE, INC.                     THE HARBOUR BANK, a Georgia                    banking corporation\n\n" +
      "By:      /s/ Ada Quill            By:       /s/ Bram Toller          ------------------------\n\n" +
      "Name:      Ada Quill              Name:       Bram Toller          -------------------------- Title:       SEVP & CFO                     Title:         SVP & CFO          ----\n";
    expect(shape(signers(text, [party(text, "Orchid Lane, Inc.")]))).toEqual([
      ["Ada Quill", "SEVP & CFO", "Orchid Lane, Inc."],
      ["Bram Toller", "SVP & CFO", "THE HARBOUR BANK"],
    ]);
  });

  it("reads stacked blocks, each signer under its own party", () => {
    const text =
      "IN WITNESS WHEREOF, the parties have executed this Agreement.\n\nORCHID LANE, INC.\n\nBy: /s/ Ada Quill\nName: Ada Quill\nTitle: President\n\n" +
      "TAMSIN WORKS, LLC\n\nBy: /s/ Bram Toller\nName: Bram Toller\nTitle: Managing Member\n";
    expect(shape(signers(text, []))).toEqual([
      ["Ada Quill", "President", "ORCHID LANE, INC."],
      ["Bram Toller", "Managing Member", "TAMSIN WORKS, LLC"],
    ]);
  });

  it("takes conformed signatures ('/s/ Name') side by side", () => {
    const text = "Signed for both parties.\n\nORCHID LANE AG                  ORCHID LANE AG\n\n/s/  Ada  Quill                  /s/  Bram  Toller ______________     ______________ Signature     Signature\n";
    expect(shape(signers(text, [party(text, "ORCHID LANE AG")]))).toEqual([
      ["Ada Quill", undefined, "ORCHID LANE AG"],
      ["Bram Toller", undefined, "ORCHID LANE AG"],
    ]);
  });

  it("does not take the names of a contact list for signatures", () => {
    const text =
      "IN WITNESS WHEREOF, the parties have signed.\n\nORCHID LANE, INC.\nBy: /s/ Ada Quill\nTitle: President\n\nAPPENDIX I\n\n" +
      "1.   CONTACT  ORCHID LANE\n\n     Name:         Cyril  Pemberton\n\n     Position:     Head of Content\n\n     Phone:        555-0100\n\n" +
      "2    CONTACT  LICENSOR\n\n     Name:         Dora  Vale\n\n     Email:        dora@example.com\n";
    expect(signers(text, []).map((s) => s.name)).toEqual(["Ada Quill"]);
  });

  it("keeps a name-only signature block on the signature pages", () => {
    const text = "IN WITNESS WHEREOF, the parties have signed.\n\nTAMSIN WORKS, LLC\n\n______________________\nName: Bram Toller\nTitle: Managing Member\n";
    expect(shape(signers(text, []))).toEqual([["Bram Toller", "Managing Member", "TAMSIN WORKS, LLC"]]);
  });

  it("reads names in any script's letters, accents composed or not ('José Álvarez', 'Łukasz Nowak')", () => {
    const decomposed = "Zoe\u0308 Mu\u0308ller";
    const text =
      "IN WITNESS WHEREOF, the parties have signed this Agreement. ORCHID LANE, INC. TAMSIN WORKS, LLC By: /s/ José Álvarez By: /s/ Łukasz Nowak Name: José Álvarez Name: Łukasz Nowak Its: President Its: Director 8\n\n" +
      `HARBOUR AG\n\nBy: /s/ ${decomposed}\nName: ${decomposed}\nTitle: Secretary\n\nNORD AS\n\nBy: /s/ Ørjan O’Brien-Søby\nTitle: Chair\n\nHELLAS SA\n\nBy: /s/ Σοφία Παπαδοπούλου\nTitle: Director\n\nATHENA SA\n\nBy: /s/ Ελένη Νικολάου\nTitle: Director\n`;
    const found = signers(text, [party(text, "ORCHID LANE, INC."), party(text, "TAMSIN WORKS, LLC")]);
    expect(shape(found)).toEqual([
      ["José Álvarez", "President", "ORCHID LANE, INC."],
      ["Łukasz Nowak", "Director", "TAMSIN WORKS, LLC"],
      [decomposed, "Secretary", "HARBOUR AG"],
      ["Ørjan O’Brien-Søby", "Chair", "NORD AS"],
      ["Σοφία Παπαδοπούλου", "Director", "HELLAS SA"],
      ["Ελένη Νικολάου", "Director", "ATHENA SA"],
    ]);
    for (const s of found) expect(text.slice(s.span.start, s.span.end)).toBe(s.span.quote);
  });

  it("pairs any number of flattened columns in order, and every span slices to its name (property)", () => {
    // Invented words from syllables that spell no label the reader refuses as a name ("Its", "Tel", "Fax", "Title"...):
    // arbitrary capitalised words made the property fail on about one seed in 75.
    const syllable = fc.constantFrom("ba", "lo", "mi", "ren", "vu", "qui", "dor", "zel", "kan", "sul");
    const word = fc.array(syllable, { minLength: 2, maxLength: 3 }).map((parts) => {
      const w = parts.join("");
      return w.charAt(0).toUpperCase() + w.slice(1);
    });
    // People's names in Latin letters with and without accents (composed or decomposed), and in other scripts.
    const initial = fc.constantFrom("A", "B", "Z", "É", "Á", "Ł", "Ø", "Š", "Ž", "Ö", "Σ", "Д", "E\u0301");
    const rest = fc.array(fc.constantFrom("a", "e", "o", "r", "n", "é", "ü", "ł", "ñ", "ø", "ç", "ß", "ą", "ο", "л", "e\u0308"), { minLength: 2, maxLength: 8 });
    const personWord = fc.tuple(initial, rest).map(([a, b]) => a + b.join(""));
    const column = fc.record({ company: fc.tuple(word, word), person: fc.tuple(personWord, personWord), title: fc.constantFrom("President", "Chief Financial Officer", "Director", "General Counsel") });
    fc.assert(
      fc.property(fc.uniqueArray(column, { minLength: 1, maxLength: 4, selector: (c) => `${c.person.join(" ")}|${c.company.join(" ")}` }), (columns) => {
        const companies = columns.map((c) => `${c.company.join(" ").toUpperCase()}, INC.`);
        fc.pre(new Set(companies).size === companies.length && new Set(columns.map((c) => c.person.join(" ").normalize("NFKD").replace(/\p{M}/gu, "").toLowerCase())).size === columns.length);
        const text = `IN WITNESS WHEREOF, the parties have signed this Agreement. ${companies.join(" ")} ${columns.map((c) => `By: /s/ ${c.person.join(" ")}`).join(" ")} ${columns.map((c) => `Its: ${c.title}`).join(" ")}\n`;
        const found = signers(text, []);
        expect(shape(found)).toEqual(columns.map((c, i) => [c.person.join(" "), c.title, companies[i]]));
        for (const s of found) expect(text.slice(s.span.start, s.span.end)).toBe(s.span.quote);
      }),
      { numRuns: 200 },
    );
  });

  it("reads a WITNESS sentence without a full stop that runs into the party names on its line", () => {
    const text =
      "IN WITNESS WHEREOF the parties have signed this Agreement as of the date first written above ORCHID LANE, INC. TAMSIN WORKS, LLC By: /s/ Ada Quill By: /s/ Bram Toller Name: Ada Quill Name: Bram Toller Title: President Title: Manager\n";
    expect(shape(signers(text, []))).toEqual([
      ["Ada Quill", "President", "ORCHID LANE, INC."],
      ["Bram Toller", "Manager", "TAMSIN WORKS, LLC"],
    ]);
  });

  it("ends a title of a single-spaced run where the next party's name in capitals begins", () => {
    const text =
      "IN WITNESS WHEREOF, the parties have signed.\n\nORCHID LANE, INC. By: /s/ Ada Quill Name: Ada Quill Title: President TAMSIN WORKS, LLC By: /s/ Bram Toller Name: Bram Toller Title: Chief Executive Officer\n";
    expect(shape(signers(text, []))).toEqual([
      ["Ada Quill", "President", "ORCHID LANE, INC."],
      ["Bram Toller", "Chief Executive Officer", "TAMSIN WORKS, LLC"],
    ]);
  });

  it("does not take a company that signs on a party's behalf ('By: X LLC, its General Partner') for a signer", () => {
    const text =
      "IN WITNESS WHEREOF, the parties have signed.\n\nHARBOUR FUND II, L.P. By: Harbour Advisers Group LP, its investment adviser By: Harbour GP Ltd., its general partner\n\nBy: /s/ Ada Quill Name: Ada Quill Title: Partner\n\n" +
      "HARBOUR GP LTD.\n\nBy: /s/ Ada Quill Name: Ada Quill Title: Partner\n";
    expect(shape(signers(text, []))).toEqual([["Ada Quill", "Partner", "HARBOUR FUND II, L.P."]]);
    // The same person signs for both: each heading is a signing party.
    expect(signingParties(text)).toEqual(["HARBOUR FUND II, L.P.", "HARBOUR GP LTD."]);
  });

  it("takes no heading that names no one for a signing party", () => {
    const text =
      "IN WITNESS WHEREOF, the parties have signed.\n\nCo-located Servers\n\nBy Company: /s/ Ada Quill\n\nSIGNED BY\nBy: /s/ Bram Toller\n\nCompany seal: /s/ Cyril Pemberton\n\n" +
      "APPENDIX B-2\nBy: /s/ Dora Vale\n\nCompany\nBy: /s/ Edwin Marsh\n\nTAMSIN WORKS, LLC\nBy: /s/ Fern Oakley\n";
    expect(signingParties(text)).toEqual(["TAMSIN WORKS, LLC"]);
  });
  it("takes a name typed again after the conformed signature once ('/s/ Ada Quill Ada Quill')", () => {
    const text =
      "IN WITNESS WHEREOF, the parties have signed.\n\nORCHID LANE, INC.\n\nBy: /s/ Ada Quill Ada Quill\nTitle: President\n\n" +
      "TAMSIN WORKS, LLC\n\n/s/ Bram O. Toller  Bram O. Toller, Managing Member\n";
    const found = signers(text, []);
    expect(shape(found)).toEqual([
      ["Ada Quill", "President", "ORCHID LANE, INC."],
      ["Bram O. Toller", undefined, "TAMSIN WORKS, LLC"],
    ]);
    for (const s of found) expect(text.slice(s.span.start, s.span.end)).toBe(s.span.quote);
  });

  it("keeps a name whose first word recurs without the rest of the name after it", () => {
    const text = "IN WITNESS WHEREOF, the parties have signed.\n\nORCHID LANE, INC.\n\nBy: /s/ Ian St. Ian Moss\nTitle: President\n";
    expect(shape(signers(text, []))).toEqual([["Ian St. Ian Moss", "President", "ORCHID LANE, INC."]]);
  });

  it("reads any two-to-four-word name typed twice after '/s/' as one signer (property)", () => {
    // Invented words from syllables that spell no label the reader refuses as a name ("Its", "Tel", "Fax", "Title"...):
    // arbitrary capitalised words made the property fail on about one seed in 75.
    const syllable = fc.constantFrom("ba", "lo", "mi", "ren", "vu", "qui", "dor", "zel", "kan", "sul");
    const word = fc.array(syllable, { minLength: 2, maxLength: 3 }).map((parts) => {
      const w = parts.join("");
      return w.charAt(0).toUpperCase() + w.slice(1);
    });
    fc.assert(
      fc.property(fc.array(word, { minLength: 2, maxLength: 4 }), fc.constantFrom(" ", "  ", "\n"), (words, gap) => {
        const name = words.join(" ");
        const text = `IN WITNESS WHEREOF, the parties have signed.\n\nORCHID LANE, INC.\n\nBy: /s/ ${name}${gap}${name}\nTitle: President\n`;
        expect(signers(text, []).map((s) => s.name)).toEqual([name]);
      }),
      { numRuns: 200 },
    );
  });
});
