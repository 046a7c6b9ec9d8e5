import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { PNG } from "pngjs";
import { RagEngine } from "../src/rag-engine";
import { mixedPdf, pngOf, scannedCrop } from "./ocr-fixtures";
import { tempDir } from "./support/temp-dir";

// Page images of stored documents (the web UI shows them beside the OCR text), on real pdf.js + Skia.
// OCR is off here: drawing a page needs no OCR engine, and the test stays quick.
let root: string;
let rag: RagEngine;
let pdfId: string;
let pngId: string;
let crop: Awaited<ReturnType<typeof scannedCrop>>;

/** Fraction of dark (ink) pixels in a PNG. */
function inkOf(png: Uint8Array): { width: number; height: number; ink: number } {
  const image = PNG.sync.read(Buffer.from(png));
  let dark = 0;
  for (let i = 0; i < image.data.length; i += 4) if (image.data[i]! < 96) dark++;
  return { width: image.width, height: image.height, ink: dark / (image.width * image.height) };
}

beforeAll(async () => {
  crop = await scannedCrop();
  const png = await pngOf(crop.image);
  root = tempDir("rag-page-image-");
  fs.mkdirSync(path.join(root, "docs"));
  const size = { width: (crop.image.width * 72) / 200, height: (crop.image.height * 72) / 200 };
  fs.writeFileSync(path.join(root, "docs", "mixed.pdf"), await mixedPdf("ARTICLE 1 TERM\n1.1 The term of this Agreement is two (2) years.", png, size));
  fs.writeFileSync(path.join(root, "docs", "notes.txt"), "ARTICLE 1 TERM\n1.1 The term of this Agreement is two (2) years.\n");
  rag = await RagEngine.open({ dir: path.join(root, "index"), root, ocr: { enabled: false } });
  await rag.ingest([path.join(root, "docs")], { matter: "m1" });
  pdfId = rag.documents().find((d) => d.source.endsWith("mixed.pdf"))!.id;
  fs.writeFileSync(path.join(root, "docs", "page.png"), png);
  // An image needs OCR to be indexed; a second engine with OCR on stores it.
  const withOcr = await RagEngine.open({ dir: path.join(root, "index"), root, ocr: { engine: "tesseract.js", workers: 1 } });
  try {
    await withOcr.ingest([path.join(root, "docs", "page.png")], { matter: "m1" });
  } finally {
    await withOcr.dispose();
  }
  await rag.refresh();
  pngId = rag.documents().find((d) => d.source.endsWith("page.png"))!.id;
}, 180_000);

afterAll(async () => {
  await rag?.dispose();
  fs.rmSync(root, { recursive: true, force: true });
});

describe("page images of stored documents", () => {
  it("draws a PDF's scanned page as a PNG with the scan's ink on it, and its text page too", async () => {
    const scan = await rag.pageImage(pdfId, 2);
    expect([...scan.png.subarray(0, 4)]).toEqual([0x89, 0x50, 0x4e, 0x47]);
    expect(scan).toMatchObject({ page: 2, pageCount: 2 });
    const drawn = inkOf(scan.png);
    expect(drawn.width).toBe(scan.width);
    expect(drawn.ink).toBeGreaterThan(0.01); // the scan's text is on the page, not a blank canvas
    // two lines of Helvetica: blank (0) when pdf.js cannot draw fonts (see canvas-module.ts)
    expect(inkOf((await rag.pageImage(pdfId, 1)).png).ink).toBeGreaterThan(0.0003);
  });

  it("decodes an image document's page as it was OCRed", async () => {
    const page = await rag.pageImage(pngId, 1);
    expect({ width: page.width, height: page.height }).toEqual({ width: crop.image.width, height: crop.image.height });
    expect(inkOf(page.png).ink).toBeGreaterThan(0.01);
  });

  it("refuses a page that does not exist, a text document, another matter and a changed original", async () => {
    await expect(rag.pageImage(pdfId, 3)).rejects.toMatchObject({ code: "RAG_PAGE_NOT_FOUND" });
    await expect(rag.pageImage(pdfId, 0)).rejects.toMatchObject({ code: "RAG_PAGE_NOT_FOUND" });
    const txtId = rag.documents().find((d) => d.source.endsWith("notes.txt"))!.id;
    await expect(rag.pageImage(txtId, 1)).rejects.toMatchObject({ code: "RAG_UNSUPPORTED_FORMAT" });
    const other = await RagEngine.open({ dir: path.join(root, "index"), root, ocr: { enabled: false }, allowedMatters: ["m2"] });
    try {
      await expect(other.pageImage(pdfId, 1)).rejects.toMatchObject({ code: "RAG_MATTER_DENIED" });
    } finally {
      await other.dispose();
    }
    fs.appendFileSync(path.join(root, "docs", "mixed.pdf"), "\n% appended\n");
    await expect(rag.pageImage(pdfId, 1)).rejects.toMatchObject({ code: "RAG_SOURCE_CHANGED" });
  });

  it("reads an original through readOriginal (a sealed store) and checks it is the indexed one", async () => {
    const bytes = fs.readFileSync(path.join(root, "docs", "page.png"));
    const reads: string[] = [];
    const page = await rag.pageImage(pngId, 1, { readOriginal: async (file) => (reads.push(file), new Uint8Array(bytes)) });
    expect(reads).toEqual([fs.realpathSync(path.join(root, "docs", "page.png"))].map((p) => expect.stringContaining(path.basename(p))));
    expect(page.width).toBe(crop.image.width);
    await expect(rag.pageImage(pngId, 1, { readOriginal: async () => new Uint8Array([1, 2, 3]) })).rejects.toMatchObject({ code: "RAG_SOURCE_CHANGED" });
  });
});
