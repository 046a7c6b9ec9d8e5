import { describe, expect, it } from "@jest/globals";
import fc from "fast-check";
import { formatNoteFor, type DocumentFormat } from "./sniff-format";

const FORMATS: DocumentFormat[] = ["pdf", "docx", "html", "eml", "markdown", "text", "image"];
const PROMISES: Record<string, DocumentFormat[]> = { pdf: ["pdf"], docx: ["docx"], html: ["html"], htm: ["html"], eml: ["eml"], md: ["markdown", "text"], txt: ["text", "markdown"], png: ["image"], jpeg: ["image"], tiff: ["image"] };

describe("formatNoteFor", () => {
  it("notes a text file named .pdf, naming the file, what it promised and what it was read as", () => {
    expect(formatNoteFor("contract.PDF", "text")).toEqual({
      extension: "pdf",
      format: "text",
      message: "'contract.PDF' is named .pdf but holds plain text; it was read as plain text (the format is sniffed from the content, not taken from the name)",
    });
  });

  it("is silent when the content keeps the extension's promise (text and Markdown are one family)", () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[a-z0-9 _-]{1,20}$/), fc.constantFrom(...Object.keys(PROMISES)), fc.boolean(), (stem, ext, upper) => {
        const name = `${stem}.${upper ? ext.toUpperCase() : ext}`;
        for (const format of PROMISES[ext]!) expect(formatNoteFor(name, format)).toBeUndefined();
      }),
    );
  });

  it("notes every broken promise and never one for a name without a known extension", () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 30 }), fc.constantFrom(...Object.keys(PROMISES)), fc.constantFrom(...FORMATS), fc.stringMatching(/^[a-z]{1,6}$/), (stem, ext, format, other) => {
        const kept = PROMISES[ext]!.includes(format);
        const note = formatNoteFor(`x${stem}.${ext}`, format);
        expect(note === undefined).toBe(kept);
        if (note) expect(note).toMatchObject({ extension: ext, format });
        if (!(other in PROMISES) && other !== "markdown" && other !== "text" && other !== "jpg" && other !== "tif") expect(formatNoteFor(`x${stem}.${other}`, format)).toBeUndefined();
        expect(formatNoteFor(`${ext}`, format)).toBeUndefined(); // no dot: no extension
      }),
    );
  });
});
