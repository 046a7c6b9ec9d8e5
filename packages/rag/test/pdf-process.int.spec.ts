// pdf.js in PDF reader processes: each job under an address-space cap and a deadline, with an empty
// environment. Real pdf.js, real readers (the reader script bundled from source), invented hostile
// files the static guard does not model, and real PDFs of ../shared/data/pdfs.
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { PNG } from "pngjs";
import { extractDocument } from "../src/extraction/extract-document";
import { extractDocumentIsolated } from "../src/extraction/isolated-extraction";
import { completeWithOcr } from "../src/extraction/ocr/complete-with-ocr";
import { ocrConfigSchema } from "../src/extraction/ocr/ocr-config";
import { renderPageImage } from "../src/extraction/ocr/page-image";
import { PageOcr } from "../src/extraction/ocr/page-ocr";
import { processCpuMs } from "../src/extraction/pdf-process/job-deadline";
import { pdfContainment, pdfProcessPool, PDF_PROCESS_BASE_MB, type PdfProcessOptions } from "../src/extraction/pdf-process/pdf-process-pool";
import { mixedPdf, pngOf, scannedCrop } from "./ocr-fixtures";
import { makeDocx } from "./fixtures";
import { docxBomb, pdfJbig2PageBomb, pdfSlowPage } from "./support/hostile-files";
import { pdfChildUrl } from "./support/pdf-child-build";

const MiB = 1024 * 1024;
const REAL_PDFS = path.resolve(import.meta.dirname, "../../../../shared/data/pdfs/text");
const realPdf = (name: string): Uint8Array => new Uint8Array(fs.readFileSync(path.join(REAL_PDFS, name)));
const ONE_PAGE = "NETZEEINC_11_14_2002-EX-10.3-MAINTENANCE AGREEMENT.PDF";

async function until(done: () => boolean, ms: number): Promise<void> {
  const end = Date.now() + ms;
  while (!done()) {
    if (Date.now() > end) throw new Error(`not within ${ms} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Growth of this process's peak RSS while `work` runs, in MiB. */
async function peakGrowthMiB(work: () => Promise<unknown>): Promise<number> {
  const before = process.resourceUsage().maxRSS;
  await work();
  return (process.resourceUsage().maxRSS - before) / 1024;
}

let childUrl: URL;
beforeAll(async () => {
  childUrl = await pdfChildUrl();
}, 60_000);

describe("pdf.js jobs run in reader processes with an address-space cap and a deadline", () => {
  it("stops a page whose drawing runs long at its CPU deadline (typed error), and the next page draws", async () => {
    const slow = pdfSlowPage(1_000_000); // in the calling thread: ~23 s of CPU and +1.4 GB of RSS
    expect(slow.length).toBeLessThan(512 * 1024);
    const process = { childUrl, processes: 1 };
    const grown = await peakGrowthMiB(() =>
      expect(renderPageImage(slow, 1, { timeoutMs: 2_000, process })).rejects.toMatchObject({ code: "RAG_FILE_TOO_LARGE", message: "drawing the page used more than 2000 ms of CPU", details: { timeoutMs: 2_000, clock: "cpu" } }),
    );
    expect(grown).toBeLessThan(100);
    const page = await renderPageImage(realPdf(ONE_PAGE), 1, { process });
    expect(PNG.sync.read(Buffer.from(page.png)).width).toBe(page.width);
  }, 120_000);

  it("stops a reader that waits without using CPU (a job that never settles, a blocked event loop) once its CPU stops advancing, not at the wall backstop", async () => {
    // The pool's own machinery with a stand-in reader that answers nothing: the real reader has no such
    // wait that a file is known to reach, so it is invented here (test/support/stalling-reader.mjs).
    const stalling: PdfProcessOptions = { childUrl: new URL("./support/stalling-reader.mjs", import.meta.url), processes: 1, stall: { windowMs: 2000 } };
    const pool = pdfProcessPool(stalling)!;
    for (const file of ["waiting.pdf", "blocked.pdf"]) {
      const started = performance.now();
      const job = extractDocumentIsolated(file, realPdf(ONE_PAGE), stalling); // the default budget: 120 s of CPU, backstop 12 min
      await new Promise((resolve) => setTimeout(resolve, 500));
      const seen = pool.pids();
      expect(seen).toHaveLength(1);
      await expect(job).rejects.toMatchObject({ code: "RAG_FILE_TOO_LARGE", message: expect.stringContaining("stalled while being extracted"), details: { clock: "stalled", timeoutMs: 2000 } });
      const wallMs = performance.now() - started;
      expect(wallMs).toBeGreaterThanOrEqual(2000);
      expect(wallMs).toBeLessThan(20_000); // the stall window and a poll; the wall backstop is 12 min
      expect(pool.pids()).toEqual([]); // the reader was killed: the next job gets a new one
      await until(() => processCpuMs(seen[0]!) === undefined, 5_000);
    }
  }, 60_000);

  it("stops an image bomb the static guard does not size (a JBIG2 page of 100000² pixels) at the memory cap; this process's RSS stays low", async () => {
    const bomb = pdfJbig2PageBomb(100_000); // pdf.js allocates and fills 1.25 GB for it
    expect(bomb.length).toBeLessThan(1024);
    const process = { childUrl, processes: 1, memoryMb: 512 };
    const grown = await peakGrowthMiB(() =>
      expect(renderPageImage(bomb, 1, { process })).rejects.toMatchObject({ code: "RAG_FILE_TOO_LARGE", message: "drawing the page needed more than 512 MB" }),
    );
    expect(grown).toBeLessThan(100);
    // the same reader pool goes on with the next file
    await expect(renderPageImage(realPdf(ONE_PAGE), 1, { process })).resolves.toMatchObject({ page: 1, pageCount: 1 });
  }, 120_000);

  it("gives a reader an empty environment (no BEAR_PASSPHRASE, no Redis URL) and caps its address space", async () => {
    const saved = { pass: process.env.BEAR_PASSPHRASE, redis: process.env.BEAR_REDIS_URL };
    process.env.BEAR_PASSPHRASE = "correct horse battery staple";
    process.env.BEAR_REDIS_URL = "redis://:hunter2@10.0.0.5:6379";
    const options: PdfProcessOptions = { childUrl, processes: 1, memoryMb: 384 };
    try {
      await extractDocumentIsolated(ONE_PAGE, realPdf(ONE_PAGE), options);
      const [pid] = pdfProcessPool(options)!.pids();
      const environ = fs.readFileSync(`/proc/${pid}/environ`, "utf8").split("\0").filter(Boolean);
      expect(environ.some((v) => v.startsWith("BEAR_") || v.startsWith("NODE_OPTIONS="))).toBe(false);
      const limits = fs.readFileSync(`/proc/${pid}/limits`, "utf8");
      expect(limits).toMatch(new RegExp(`Max address space\\s+${(PDF_PROCESS_BASE_MB + 384) * MiB}\\s`));
      expect(pdfContainment({ memoryMb: 384 })).toMatchObject({ addressSpaceLimit: true, addressSpaceMb: PDF_PROCESS_BASE_MB + 384 });
    } finally {
      if (saved.pass === undefined) delete process.env.BEAR_PASSPHRASE;
      else process.env.BEAR_PASSPHRASE = saved.pass;
      if (saved.redis === undefined) delete process.env.BEAR_REDIS_URL;
      else process.env.BEAR_REDIS_URL = saved.redis;
    }
  }, 60_000);

  it("without prlimit (addressSpaceLimit: false) a reader still runs, its V8 heap capped: real PDFs extract, a heap bomb fails alone", async () => {
    const options: PdfProcessOptions = { childUrl, processes: 1, memoryMb: 48, addressSpaceLimit: false };
    const doc = await extractDocumentIsolated(ONE_PAGE, realPdf(ONE_PAGE), options);
    expect(doc).toEqual(await extractDocument(ONE_PAGE, realPdf(ONE_PAGE)));
    const [pid] = pdfProcessPool(options)!.pids();
    expect(fs.readFileSync(`/proc/${pid}/limits`, "utf8")).toMatch(/Max address space\s+unlimited/);
    await expect(extractDocumentIsolated("heavy.docx", docxBomb(40), options)).rejects.toMatchObject({ code: "RAG_FILE_TOO_LARGE", message: expect.stringContaining("needed more than 48 MB") });
    await expect(extractDocumentIsolated("after.docx", makeDocx(["Notices shall be in writing."]), options)).resolves.toMatchObject({ format: "docx" });
  }, 120_000);

  it("a slow file does not hold up the upload behind it (two readers)", async () => {
    const options: PdfProcessOptions = { childUrl, processes: 2 };
    const order: string[] = [];
    const slow = renderPageImage(pdfSlowPage(1_000_000), 1, { timeoutMs: 60_000, process: options }).then(
      () => order.push("slow"),
      () => order.push("slow"),
    );
    await new Promise((resolve) => setTimeout(resolve, 200));
    await extractDocumentIsolated(ONE_PAGE, realPdf(ONE_PAGE), options).then(() => order.push("small"));
    expect(order).toEqual(["small"]);
    pdfProcessPool(options)!.dispose(); // the slow page's reader is killed, its job fails
    await slow;
  }, 120_000);
});

describe("OCR draws pages in reader processes", () => {
  const ocr = new PageOcr(ocrConfigSchema.parse({ engine: "tesseract.js", workers: 1 }));
  afterAll(async () => {
    await ocr.dispose();
  });

  it("reads a scanned page drawn by a reader as the calling thread reads it", async () => {
    const crop = await scannedCrop();
    const size = { width: (crop.image.width * 72) / 200, height: (crop.image.height * 72) / 200 };
    const pdf = await mixedPdf("ARTICLE 1 TERM\n1.1 The term of this Agreement is two (2) years.", await pngOf(crop.image), size);
    const text = await extractDocument("mixed.pdf", pdf, { ocrFollows: true });
    const inThread = await extractDocument("mixed.pdf", pdf, { ocr });
    const inReader = await completeWithOcr("mixed.pdf", pdf, text, ocr, { process: { childUrl } });
    expect(inReader).toEqual(inThread);
    expect(inReader.ocr?.pages.map((p) => p.page)).toEqual([2]);
  }, 180_000);

  it("fails a page whose drawing exceeds the reader's memory, not the process", async () => {
    const grown = await peakGrowthMiB(async () => {
      const bomb = pdfJbig2PageBomb(100_000);
      const doc = await extractDocument("bomb.pdf", bomb, { ocrFollows: true });
      await expect(completeWithOcr("bomb.pdf", bomb, doc, ocr, { process: { childUrl, memoryMb: 512 } })).rejects.toMatchObject({
        code: "RAG_FILE_EMPTY",
        message: expect.stringContaining("drawing page 1 needed more than 512 MB"),
      });
    });
    expect(grown).toBeLessThan(100);
  }, 180_000);
});
