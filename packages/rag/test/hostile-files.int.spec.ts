import { describe, expect, it } from "@jest/globals";
import { extractDocument } from "../src/extraction/extract-document";
import { extractDocumentIsolated } from "../src/extraction/isolated-extraction";
import { makeDocx } from "./fixtures";
import { pdfChildUrl } from "./support/pdf-child-build";
import { docxBomb, PDF_BOMB_VARIANTS, pdfBomb, pdfFlateBomb } from "./support/hostile-files";

const MB = 1024 * 1024;

describe("hostile files fail alone, with RAG_FILE_TOO_LARGE, in the extraction worker", () => {
  it("refuses a 1 MB DOCX that expands to 300 MB of paragraphs, from its declared sizes", async () => {
    const bomb = docxBomb(300);
    expect(bomb.length).toBeLessThan(2 * MB);
    const started = performance.now();
    await expect(extractDocumentIsolated("bomb.docx", bomb, { childUrl: await pdfChildUrl() })).rejects.toMatchObject({
      code: "RAG_FILE_TOO_LARGE",
      message: expect.stringMatching(/^zip archive 'bomb\.docx' declares 3\d{8} bytes of content, over the 268435456-byte limit/),
    });
    expect(performance.now() - started).toBeLessThan(20_000);
  }, 60_000);

  it("refuses a DOCX bomb that lies about its sizes, while inflating it (nothing is kept)", async () => {
    const liar = docxBomb(300, { declaredSize: 1_000_000 });
    await expect(extractDocumentIsolated("liar.docx", liar, { childUrl: await pdfChildUrl() })).rejects.toMatchObject({
      code: "RAG_FILE_TOO_LARGE",
      message: expect.stringContaining("entry 'word/document.xml' inflates to more than the 1000000 bytes it declares"),
    });
    // Under a lower limit, an honest archive is stopped by the actual total as well.
    await expect(extractDocument("big.docx", docxBomb(20), { maxUncompressedBytes: 8 * MB })).rejects.toMatchObject({ code: "RAG_FILE_TOO_LARGE" });
  }, 60_000);

  it("refuses a 500 MB PDF flate bomb before pdf.js parses it", async () => {
    const bomb = pdfFlateBomb(500);
    expect(bomb.length).toBeLessThan(MB);
    const started = performance.now();
    await expect(extractDocumentIsolated("bomb.pdf", bomb, { childUrl: await pdfChildUrl() })).rejects.toMatchObject({
      code: "RAG_FILE_TOO_LARGE",
      message: "PDF 'bomb.pdf' has compressed streams that expand to more than 268435456 bytes",
    });
    expect(performance.now() - started).toBeLessThan(20_000);
  }, 60_000);

  describe("reads each filter spelling pdf.js decodes, so none slips past the bomb guard", () => {
    const limit = 8 * MB;
    it.each(PDF_BOMB_VARIANTS.filter((v) => v !== "unreadable-ref"))("refuses a %s bomb decoding past the limit, and extracts the same file under it", async (variant) => {
      const bomb = pdfBomb(variant, 16);
      expect(bomb.length).toBeLessThan(MB);
      await expect(extractDocument("bomb.pdf", bomb, { maxUncompressedBytes: limit })).rejects.toMatchObject({
        code: "RAG_FILE_TOO_LARGE",
        message: `PDF 'bomb.pdf' has compressed streams that expand to more than ${limit} bytes`,
      });
      // The same spelling under the limit is a PDF pdf.js reads: the guard measured a stream pdf.js decodes. (The
      // object-stream file has a classic xref table, which cannot point into an object stream: pdf.js needs an xref
      // stream for that, so only the guard's reading of it is checked.)
      if (variant !== "object-stream-ref") await expect(extractDocument("small.pdf", pdfBomb(variant, 1), { maxUncompressedBytes: limit })).resolves.toMatchObject({ format: "pdf" });
    }, 60_000);

    it("reads a hostile file's objects in linear time: streams without endstream, headers nested in unclosed arrays", async () => {
      const cpu = async (pdf: Uint8Array): Promise<number> => {
        const started = process.cpuUsage();
        await extractDocument("odd.pdf", pdf, { maxUncompressedBytes: limit }).catch(() => undefined);
        const used = process.cpuUsage(started);
        return (used.user + used.system) / 1000;
      };
      const repeat = (unit: string, n: number): Uint8Array => new Uint8Array(Buffer.from(`%PDF-1.7\n${unit.repeat(n)}%%EOF\n`, "latin1"));
      for (const unit of ["1 0 obj<</Length 9 0 R>>stream\nxx\n", "1 0 obj [ ", "1 0 obj << /A "]) {
        const small = await cpu(repeat(unit, 5_000));
        const large = await cpu(repeat(unit, 40_000));
        // 8x the input: linear is ~8x the time (quadratic was ~64x); 30x leaves room for a noisy machine
        expect([unit, large]).toEqual([unit, expect.any(Number)]);
        expect(large).toBeLessThan(Math.max(small, 50) * 30);
      }
    }, 120_000);

    it("refuses a stream whose filter the guard cannot read, whatever its size", async () => {
      await expect(extractDocument("ref.pdf", pdfBomb("unreadable-ref", 1), { maxUncompressedBytes: limit })).rejects.toMatchObject({
        code: "RAG_FILE_CORRUPT",
        message: "PDF 'ref.pdf' has a stream filter the size check cannot read",
      });
    });

    it("fails closed past its caps: 17 definitions of one object (the xref naming the hidden one) and a 65-deep reference chain are refused", async () => {
      const cases = [
        ["hidden-definition", "PDF 'bomb.pdf' has an object defined more than 16 times, which the size check cannot read"],
        ["deep-reference", "PDF 'bomb.pdf' has a value behind more than 64 references, which the size check cannot read"],
      ] as const;
      for (const [variant, message] of cases) {
        // refused whatever the size: the guard did not read what pdf.js may read
        for (const megabytes of [16, 1]) await expect(extractDocument("bomb.pdf", pdfBomb(variant, megabytes), { maxUncompressedBytes: limit })).rejects.toMatchObject({ code: "RAG_FILE_CORRUPT", message });
      }
    });
  });

  it("fails a file that exhausts the worker's memory, and extracts the next files of the batch", async () => {
    const childUrl = await pdfChildUrl();
    const options = { childUrl, memoryMb: 48 };
    // 40 MB of paragraphs passes the zip limits but not a 48 MB heap.
    const batch = [
      extractDocumentIsolated("heavy.docx", docxBomb(40), options),
      extractDocumentIsolated("after.docx", makeDocx(["Section 9 Notices", "Notices shall be in writing."]), options),
      extractDocumentIsolated("plain.txt", new TextEncoder().encode("The Tenant shall pay rent monthly."), options),
    ];
    const [heavy, after, plain] = await Promise.allSettled(batch);
    expect(heavy).toMatchObject({ status: "rejected", reason: { code: "RAG_FILE_TOO_LARGE", message: expect.stringContaining("'heavy.docx' needed more than 48 MB to extract") } });
    expect(after).toMatchObject({ status: "fulfilled", value: { format: "docx", text: expect.stringContaining("Notices shall be in writing.") } });
    expect(plain).toMatchObject({ status: "fulfilled", value: { format: "text" } });
  }, 120_000);
});

describe("legacy text encodings are converted, true binaries still refused", () => {
  const contract = "Clause 4 – Loyer. Le preneur paiera 1 200 € le 1er de chaque mois, à l’adresse du bailleur. Café, garçon, Zürich.";

  it("reads a UTF-16 .txt with a byte-order mark (little- and big-endian)", async () => {
    const le = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(contract, "utf16le")]);
    const be = Buffer.from(le.subarray(2)).swap16();
    for (const bytes of [le, Buffer.concat([Buffer.from([0xfe, 0xff]), be])]) {
      const doc = await extractDocument("contract.txt", new Uint8Array(bytes));
      expect(doc).toMatchObject({ format: "text", text: contract });
    }
  });

  it("reads a Windows-1252 / Latin-1 .txt", async () => {
    const cp1252 = Buffer.from(contract.replace("–", "\u0096").replace("€", "\u0080").replace("’", "\u0092"), "latin1");
    const doc = await extractDocument("contrat.txt", new Uint8Array(cp1252));
    expect(doc).toMatchObject({ format: "text", text: contract });
  });

  it("still refuses binary data", async () => {
    const png = Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, ...Array.from({ length: 600 }, (_x, i) => (i * 151 + 7) % 256)]);
    await expect(extractDocument("image.txt", png)).rejects.toMatchObject({ code: "RAG_UNSUPPORTED_FORMAT" });
  });
});
