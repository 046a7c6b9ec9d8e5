import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { extractDocument } from "../src/extraction/extract-document";
import type { GrayImage } from "../src/extraction/ocr/gray-image";
import { ocrConfigSchema } from "../src/extraction/ocr/ocr-config";
import { PageOcr, type OcrPageProgress } from "../src/extraction/ocr/page-ocr";
import { describeOcr } from "../src/extraction/ocr/create-ocr-engine";
import { renderPageImage } from "../src/extraction/ocr/page-image";
import { TesseractCliEngine } from "../src/extraction/ocr/tesseract-cli-engine";
import { TesseractJsEngine } from "../src/extraction/ocr/tesseract-js-engine";
import { RagEngine } from "../src/rag-engine";
import type { IngestEvent } from "../src/ingest/ingest-types";
import { cer, mixedPdf, norm, pngOf, scannedCrop, tiffOf } from "./ocr-fixtures";
import { tempDir } from "./support/temp-dir";

// Real tesseract.js (WebAssembly, English model from the npm package) on a crop of a real scan.
const TIMEOUT = 180_000;
let crop: { image: GrayImage; truth: string };
let png: Uint8Array;
const ocr = new PageOcr(ocrConfigSchema.parse({ engine: "tesseract.js", workers: 1 }));

beforeAll(async () => {
  crop = await scannedCrop();
  png = await pngOf(crop.image);
}, TIMEOUT);

afterAll(async () => {
  await ocr.dispose();
});

describe("OCR with tesseract.js on a real scan", () => {
  it(
    "OCRs the image-only page of a mixed PDF and keeps the other page's text layer, with exact page offsets",
    async () => {
      const size = { width: (crop.image.width * 72) / 200, height: (crop.image.height * 72) / 200 };
      const pdf = await mixedPdf("ARTICLE 1 TERM\n1.1 The term of this Agreement is two (2) years from the Effective Date.", png, size);
      const pages: OcrPageProgress[] = [];
      const doc = await extractDocument("mixed.pdf", pdf, { ocr, onOcrPage: (p) => pages.push(p) });
      expect(doc.format).toBe("pdf");
      expect(doc.pageStarts).toHaveLength(2);
      const page1 = doc.text.slice(0, doc.pageStarts[1]);
      const page2 = doc.text.slice(doc.pageStarts[1]! + 1);
      expect(page1).toContain("The term of this Agreement is two (2) years");
      expect(doc.text[doc.pageStarts[1]! - 1]).toBe("\f");
      expect(doc.ocr?.engine).toBe("tesseract.js");
      expect(doc.ocr?.pages.map((p) => p.page)).toEqual([2]); // page 1 kept its text layer
      expect(doc.ocr!.pages[0]!.confidence).toBeGreaterThan(80);
      expect(pages).toEqual([expect.objectContaining({ page: 2, done: 1, total: 1 })]);
      expect(cer(page2, crop.truth)).toBeLessThan(0.03);
    },
    TIMEOUT,
  );

  it(
    "reads a multi-page TIFF page by page; a broken page fails alone and the document keeps the rest",
    async () => {
      const tiff = tiffOf([{ image: crop.image }, { image: crop.image, declared: { width: 60_000, height: 60_000 } }]);
      const doc = await extractDocument("fax.tif", tiff, { ocr });
      expect(doc.format).toBe("image");
      expect(doc.pageStarts).toHaveLength(2);
      expect(doc.ocr?.pages.map((p) => p.page)).toEqual([1]);
      expect(doc.pageFailures).toEqual([expect.objectContaining({ page: 2, code: "RAG_OCR_PAGE_TOO_LARGE", message: expect.stringContaining("page 2") })]);
      expect(cer(doc.text.slice(0, doc.pageStarts[1]), crop.truth)).toBeLessThan(0.03);
    },
    TIMEOUT,
  );

  it(
    "fails a page over the time limit with RAG_OCR_TIMEOUT, replaces the worker, and reads the next page",
    async () => {
      const engine = await TesseractJsEngine.create({ languages: ["eng"], workers: 1 });
      try {
        await expect(engine.recognize(crop.image, { timeoutMs: 1 })).rejects.toMatchObject({ code: "RAG_OCR_TIMEOUT" });
        const result = await engine.recognize(crop.image, { timeoutMs: TIMEOUT });
        expect(norm(result.text)).toContain("CORPORATE SPONSORSHIP AGREEMENT");
      } finally {
        await engine.dispose();
      }
    },
    TIMEOUT,
  );

  it(
    "stops a document's OCR when the signal aborts",
    async () => {
      const controller = new AbortController();
      const pages = [1, 2, 3].map((page) => ({ page, image: async () => crop.image }));
      const reading = ocr.readPages(pages, { signal: controller.signal, onPage: () => controller.abort(new Error("cancelled by user")) });
      await expect(reading).rejects.toThrow("cancelled by user");
    },
    TIMEOUT,
  );

  it(
    "ingests a scanned PNG: searchable, cited, and marked as OCR text with its confidence",
    async () => {
      const root = tempDir("rag-ocr-");
      fs.mkdirSync(path.join(root, "docs"));
      fs.writeFileSync(path.join(root, "docs", "signed-page.png"), png);
      const rag = await RagEngine.open({ dir: path.join(root, "index"), root, ocr: { engine: "tesseract.js", workers: 1, minConfidence: 99.5 } });
      try {
        const events: IngestEvent[] = [];
        const sub = rag.onDidIngestProgress.subscribe((e) => events.push(e));
        const report = await rag.ingest([path.join(root, "docs")]);
        sub.unsubscribe();
        const file = report.files[0]!;
        if (file.status === "failed") throw new Error(JSON.stringify(file.error));
        expect(file).toMatchObject({ status: "added", ocr: { engine: "tesseract.js", pages: 1 } });
        expect(file.ocr!.meanConfidence).toBeGreaterThan(80);
        expect(file.ocr!.lowConfidencePages).toEqual([1]); // under the (deliberately high) floor: flagged
        expect(events.filter((e) => e.type === "ocr-page")).toEqual([expect.objectContaining({ page: 1, done: 1, total: 1 })]);
        const [hit] = await rag.search("corporate sponsorship agreement Phoenix Performance", { k: 1 });
        expect(hit).toMatchObject({ documentType: "image", page: 1, ocr: { confidence: file.ocr!.meanConfidence } });
        expect((await rag.documentText(hit!.documentId)).slice(hit!.start, hit!.end)).toBe(hit!.text);
        const answer = await rag.answer("Who entered into the corporate sponsorship agreement?");
        expect(answer.citations[0]).toMatchObject({ documentId: hit!.documentId, ocr: { confidence: file.ocr!.meanConfidence } });
        expect(rag.documents()[0]?.ocr?.pages).toEqual([{ page: 1, confidence: file.ocr!.meanConfidence }]);
      } finally {
        await rag.dispose();
        fs.rmSync(root, { recursive: true, force: true });
      }
    },
    TIMEOUT,
  );

  it(
    "re-ingesting re-reads an OCRed file when OCR settings change, and leaves text files and unchanged settings alone",
    async () => {
      const root = tempDir("rag-ocr-");
      const docs = path.join(root, "docs");
      fs.mkdirSync(docs);
      fs.writeFileSync(path.join(docs, "signed-page.png"), png);
      fs.writeFileSync(path.join(docs, "terms.txt"), "ARTICLE 1 TERM\n1.1 The term of this Agreement is two (2) years.\n");
      const ingestWith = async (ocrSettings: Record<string, unknown>): Promise<{ statuses: Record<string, string>; ocrPages: number }> => {
        const rag = await RagEngine.open({ dir: path.join(root, "index"), root, ocr: { engine: "tesseract.js", workers: 1, ...ocrSettings } });
        try {
          let ocrPages = 0;
          const sub = rag.onDidIngestProgress.subscribe((e) => (ocrPages += e.type === "ocr-page" ? 1 : 0));
          const report = await rag.ingest([docs]);
          sub.unsubscribe();
          return { statuses: Object.fromEntries(report.files.map((f) => [path.basename(f.file), f.status])), ocrPages };
        } finally {
          await rag.dispose();
        }
      };
      try {
        expect(await ingestWith({ dpi: 200 })).toEqual({ statuses: { "signed-page.png": "added", "terms.txt": "added" }, ocrPages: 1 });
        expect(await ingestWith({ dpi: 200 })).toEqual({ statuses: { "signed-page.png": "unchanged", "terms.txt": "unchanged" }, ocrPages: 0 });
        expect(await ingestWith({ dpi: 300 })).toEqual({ statuses: { "signed-page.png": "updated", "terms.txt": "unchanged" }, ocrPages: 1 });
        expect(await ingestWith({ dpi: 300, model: "best" })).toEqual({ statuses: { "signed-page.png": "updated", "terms.txt": "unchanged" }, ocrPages: 1 });
        expect(await ingestWith({ dpi: 300, model: "best" })).toEqual({ statuses: { "signed-page.png": "unchanged", "terms.txt": "unchanged" }, ocrPages: 0 });
      } finally {
        fs.rmSync(root, { recursive: true, force: true });
      }
    },
    TIMEOUT,
  );

  it("refuses a PDF with more pages to OCR than ocr.maxPages before drawing any", async () => {
    const pdf = await mixedPdf("", png, { width: 595, height: 61 }); // two pages without a text layer
    // An engine that cannot start: the refusal must come before any page is drawn or read.
    const capped = new PageOcr(ocrConfigSchema.parse({ engine: "tesseract-cli", tesseractCommand: "/nonexistent/tesseract", workers: 1, maxPages: 1 }));
    try {
      await expect(extractDocument("scan.pdf", pdf, { ocr: capped })).rejects.toMatchObject({
        code: "RAG_FILE_TOO_LARGE",
        message: "PDF 'scan.pdf' has 2 pages without a text layer, more than the 1 one document may have OCRed",
      });
    } finally {
      await capped.dispose();
    }
  });

  it("refuses a TIFF of 2,001 pages (over the default ocr.maxPages) before reading any, where it used to index the first 2,000", async () => {
    const small: GrayImage = { width: 16, height: 16, pixels: new Uint8Array(256).fill(255), dpi: 200 };
    const tiff = tiffOf(Array.from({ length: 2001 }, () => ({ image: small })));
    // The fixture really holds 2,001 pages, and every one is listed (the last one can be drawn).
    await expect(renderPageImage(tiff, 2001)).resolves.toMatchObject({ page: 2001, pageCount: 2001 });
    const defaults = new PageOcr(ocrConfigSchema.parse({ engine: "tesseract-cli", tesseractCommand: "/nonexistent/tesseract", workers: 1 }));
    try {
      await expect(extractDocument("fax.tif", tiff, { ocr: defaults })).rejects.toMatchObject({
        code: "RAG_FILE_TOO_LARGE",
        message: "TIFF 'fax.tif' has 2001 pages, more than the 2000 one document may have OCRed",
        hint: expect.stringContaining("ocr.maxPages"),
      });
      // At the limit it is not refused for its length: it reaches the (missing) engine.
      await expect(extractDocument("fax.tif", tiffOf(Array.from({ length: 2000 }, () => ({ image: small }))), { ocr: defaults })).rejects.not.toMatchObject({ code: "RAG_FILE_TOO_LARGE" });
    } finally {
      await defaults.dispose();
    }
  });

  it("refuses a scanned PDF page with a clear code when OCR is off", async () => {
    const pdf = await mixedPdf("", png, { width: 595, height: 61 });
    await expect(extractDocument("scan.pdf", pdf)).rejects.toMatchObject({ code: "RAG_FILE_EMPTY", hint: expect.stringContaining("OCR") });
    await expect(extractDocument("scan.png", png)).rejects.toMatchObject({ code: "RAG_UNSUPPORTED_FORMAT" });
  });
});

const hasTesseractBinary = spawnSync("tesseract", ["--version"]).status === 0;

// CI installs Debian's tesseract-ocr (.ci/run); elsewhere these run when the binary is on PATH.
(hasTesseractBinary ? describe : describe.skip)("OCR with the tesseract binary", () => {
  it(
    "reads the same crop as tesseract.js, and `auto` prefers it",
    async () => {
      const engine = await TesseractCliEngine.create({ languages: ["eng"], workers: 1, memoryLimitMb: 1024 });
      try {
        const result = await engine.recognize(crop.image, { timeoutMs: TIMEOUT });
        expect(cer(result.text, crop.truth)).toBeLessThan(0.03);
        expect(result.confidence).toBeGreaterThan(80);
      } finally {
        await engine.dispose();
      }
      expect(await describeOcr(ocrConfigSchema.parse({}))).toMatchObject({ engine: "tesseract-cli", languages: ["eng"] });
    },
    TIMEOUT,
  );

  it("names the Debian package when the binary lacks a language", async () => {
    await expect(TesseractCliEngine.create({ languages: ["zul"], workers: 1 })).rejects.toMatchObject({
      code: "RAG_OCR_LANGUAGE_MISSING",
      hint: expect.stringContaining("tesseract-ocr-zul"),
    });
  });
});
