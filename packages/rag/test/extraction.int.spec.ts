import { describe, expect, it } from "@jest/globals";
import { extractDocument } from "../src/extraction/extract-document";
import { sniffFormat } from "../src/extraction/sniff-format";
import { HTML_PAGE, makeDocx, makeEml, makeEncryptedPdf, makePdf } from "./fixtures";

const utf8 = (s: string): Uint8Array => new TextEncoder().encode(s);

describe("extraction (real parsers, generated files)", () => {
  it("reads a PDF's text layer page by page and keeps where each page starts", async () => {
    const pdf = await makePdf(["ARTICLE 1 TERM\n1.1 The term is two years.", "ARTICLE 2 NOTICE\n2.1 Notice must be written."], { title: "Supply Agreement" });
    const doc = await extractDocument("contract.bin", pdf);
    expect(doc.format).toBe("pdf");
    expect(doc.title).toBe("Supply Agreement");
    expect(doc.pageStarts).toHaveLength(2);
    expect(doc.text.slice(doc.pageStarts[1]!)).toContain("Notice must be written");
    expect(doc.text.slice(0, doc.pageStarts[1]!)).toContain("The term is two years");
  });

  it("reads a .docx with mammoth", async () => {
    const doc = await extractDocument("memo.txt", makeDocx(["Section 4 Confidentiality", "The Recipient shall keep all Information secret."]));
    expect(doc.format).toBe("docx");
    expect(doc.text).toContain("Section 4 Confidentiality\n\nThe Recipient shall keep all Information secret.");
  });

  it("keeps the main text of an HTML page and drops navigation, scripts and footers", async () => {
    const doc = await extractDocument("page.dat", utf8(HTML_PAGE));
    expect(doc.format).toBe("html");
    expect(doc.title).toBe("Lease terms");
    expect(doc.text).toContain("Lease & Rent");
    expect(doc.text).toContain("sixty (60) days' written notice");
    expect(doc.text).not.toMatch(/About us|tracking|footer|header banner/);
  });

  it("reads an e-mail's headers and body", async () => {
    const doc = await extractDocument("mail.txt", utf8(makeEml("Notice of termination", "We hereby terminate the agreement effective 1 May 2026.")));
    expect(doc.format).toBe("eml");
    expect(doc.title).toBe("Notice of termination");
    expect(doc.text).toContain("From: Jane Roe <jane@example.test>");
    expect(doc.text).toContain("We hereby terminate the agreement");
  });

  it("sniffs the format from content, not the file name", async () => {
    expect(sniffFormat(await makePdf(["x"]))).toBe("pdf");
    expect(sniffFormat(makeDocx(["x"]))).toBe("docx");
    expect(sniffFormat(utf8("# Heading\n\nSome *markdown* text"))).toBe("markdown");
    expect(sniffFormat(utf8("Plain contract text."))).toBe("text");
    expect(sniffFormat(utf8(HTML_PAGE))).toBe("html");
    expect(sniffFormat(new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0, 0, 1, 2]))).toBe("image");
    expect(sniffFormat(new Uint8Array([0x7f, 0x45, 0x4c, 0x46, 0, 0, 1, 2]))).toBe("binary");
  });

  it.each([
    ["an empty file", new Uint8Array(0), "RAG_FILE_EMPTY"],
    ["whitespace only", utf8("  \n\n \t "), "RAG_FILE_EMPTY"],
    ["a PNG image when OCR is off", new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]), "RAG_UNSUPPORTED_FORMAT"],
    ["a corrupt PDF", utf8("%PDF-1.7\n1 0 obj << /Type /Catalog >> garbage without xref"), "RAG_FILE_CORRUPT"],
    ["a legacy/encrypted Office file", new Uint8Array([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, 0, 0]), "RAG_FILE_ENCRYPTED"],
  ])("refuses %s with a clear per-file error", async (_name, bytes, code) => {
    await expect(extractDocument("bad.file", bytes as Uint8Array)).rejects.toMatchObject({ code, message: expect.stringContaining("bad.file") });
  });

  it("refuses an encrypted PDF and an oversized file", async () => {
    await expect(extractDocument("locked.pdf", await makeEncryptedPdf())).rejects.toMatchObject({ code: "RAG_FILE_ENCRYPTED" });
    await expect(extractDocument("big.txt", utf8("x".repeat(2000)), { maxBytes: 1000 })).rejects.toMatchObject({ code: "RAG_FILE_TOO_LARGE" });
  });
});
