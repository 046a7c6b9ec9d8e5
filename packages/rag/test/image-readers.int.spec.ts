// Image files (PNG, JPEG, TIFF) are decoded in the PDF reader processes, for OCR and for page images,
// after their static bounds are checked in the calling process; and the readers' deadlines are CPU time.
// Real readers (the reader script bundled from source), real decoders, an invented hostile fax TIFF whose
// cost the static bounds do not model, a real scan and real PDFs of ../shared/data.
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { monitorEventLoopDelay } from "node:perf_hooks";
import { findSystemBinary } from "@bear/core";
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { extractDocument } from "../src/extraction/extract-document";
import { extractDocumentIsolated } from "../src/extraction/isolated-extraction";
import { completeWithOcr } from "../src/extraction/ocr/complete-with-ocr";
import { ocrConfigSchema } from "../src/extraction/ocr/ocr-config";
import { DEFAULT_IMAGE_PAGE_TIMEOUT_MS, DEFAULT_PAGE_IMAGE_TIMEOUT_MS, renderPageImage, renderPageImageHere } from "../src/extraction/ocr/page-image";
import { PageOcr } from "../src/extraction/ocr/page-ocr";
import { processCpuMs } from "../src/extraction/pdf-process/job-deadline";
import { pdfProcessPool, type PdfProcessOptions } from "../src/extraction/pdf-process/pdf-process-pool";
import { pngOf, scannedCrop, tiffOf } from "./ocr-fixtures";
import { faxLoopTiff, pngHeaderOnly } from "./support/hostile-files";
import { pdfChildUrl } from "./support/pdf-child-build";

const REAL_PDFS = path.resolve(import.meta.dirname, "../../../../shared/data/pdfs/text");
/** 88 pages: ~0.9 s of a reader's CPU to extract. */
const LONG_PDF = "Monsanto Company - SECOND A_R EXCLUSIVE AGENCY AND MARKETING AGREEMENT .PDF";

/** What `work` costs this process: its event loop's longest stall, its CPU (every thread) and its peak RSS growth. */
async function costHere(work: () => Promise<unknown>): Promise<{ stallMs: number; cpuMs: number; peakGrowthMiB: number }> {
  const delay = monitorEventLoopDelay({ resolution: 10 });
  const peak = process.resourceUsage().maxRSS;
  const cpu = process.cpuUsage();
  delay.enable();
  // The histogram records a stall only between two of its ticks: one before the work and one after it.
  const tick = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 20));
  await tick();
  try {
    await work();
  } finally {
    await tick();
    delay.disable();
  }
  const used = process.cpuUsage(cpu);
  return { stallMs: delay.max / 1e6, cpuMs: (used.user + used.system) / 1000, peakGrowthMiB: (process.resourceUsage().maxRSS - peak) / 1024 };
}

let childUrl: URL;
let process1: PdfProcessOptions;
const ocr = new PageOcr(ocrConfigSchema.parse({ engine: "tesseract.js", workers: 1 }));
/** Each page gets 1 s: of a reader's CPU to be decoded, and of wall time to be read by Tesseract. */
const impatientOcr = new PageOcr(ocrConfigSchema.parse({ engine: "tesseract.js", workers: 1, pageTimeoutMs: 1000 }));
beforeAll(async () => {
  childUrl = await pdfChildUrl();
  process1 = { childUrl, processes: 1 };
  await impatientOcr.engine(); // started before anything is measured
}, 120_000);
afterAll(async () => {
  await Promise.all([ocr.dispose(), impatientOcr.dispose()]);
});

describe("image files are decoded in reader processes, under a CPU deadline", () => {
  it("stops a fax TIFF whose decoder loops (CPU no static bound costs) at the reader's CPU deadline, with this process's event loop free", async () => {
    const bomb = faxLoopTiff(16 * 1024); // ~11 s of CPU on the calling thread
    expect(bomb.length).toBeLessThan(17 * 1024);
    const doc = await extractDocument("fax.tif", bomb, { ocrFollows: true });
    const here = await costHere(async () => {
      await expect(completeWithOcr("fax.tif", bomb, doc, impatientOcr, { process: process1 })).rejects.toMatchObject({
        code: "RAG_FILE_CORRUPT",
        message: expect.stringContaining("decoding page 1 used more than 1 s of CPU"),
      });
      await expect(renderPageImage(bomb, 1, { timeoutMs: 1000, process: process1 })).rejects.toMatchObject({
        code: "RAG_FILE_TOO_LARGE",
        message: "drawing the page used more than 1000 ms of CPU",
        details: { timeoutMs: 1000, clock: "cpu" },
      });
    });
    // Decoded here, each would have held the event loop for the whole ~11 s of CPU (more wall on a loaded
    // machine); what is left is scheduling and GC (~100 ms quiet, 544 ms seen at load 34).
    expect(here.stallMs).toBeLessThan(2000);
    expect(here.cpuMs).toBeLessThan(1000);
    expect(here.peakGrowthMiB).toBeLessThan(100);
    // The pool goes on with the next file.
    const crop = await scannedCrop();
    await expect(renderPageImage(await pngOf(crop.image), 1, { process: process1 })).resolves.toMatchObject({ page: 1, pageCount: 1, width: crop.image.width });
  }, 120_000);

  it("gives a page image of an image file a decode's budget (10 s of CPU), a third of a PDF page's drawing", async () => {
    const bomb = faxLoopTiff(20 * 1024); // ~17 s of CPU: past the decode budget, within the drawing one
    const here = await costHere(() =>
      expect(renderPageImage(bomb, 1, { process: process1 })).rejects.toMatchObject({
        code: "RAG_FILE_TOO_LARGE",
        details: { timeoutMs: DEFAULT_IMAGE_PAGE_TIMEOUT_MS, clock: "cpu" },
      }),
    );
    expect(DEFAULT_IMAGE_PAGE_TIMEOUT_MS).toBeLessThanOrEqual(DEFAULT_PAGE_IMAGE_TIMEOUT_MS / 3);
    expect(here.cpuMs).toBeLessThan(1000);
  }, 180_000);

  it("fails the other pages of a file whose page ran out of its CPU budget without decoding them (one budget per file, not per page)", async () => {
    const bomb = faxLoopTiff(16 * 1024, 4);
    const doc = await extractDocument("faxes.tif", bomb, { ocrFollows: true });
    let error: { code?: string; details?: { pageFailures?: { page: number; code: string; message: string }[] } } | undefined;
    await completeWithOcr("faxes.tif", bomb, doc, impatientOcr, { process: process1 }).catch((e: typeof error) => (error = e));
    expect(error?.code).toBe("RAG_FILE_CORRUPT");
    const failures = error?.details?.pageFailures ?? [];
    expect(failures.map((f) => [f.page, f.code])).toEqual([1, 2, 3, 4].map((page) => [page, "RAG_OCR_TIMEOUT"]));
    expect(failures[0]!.message).toContain("decoding page 1 used more than 1 s of CPU");
    for (const failure of failures.slice(1)) expect(failure.message).toContain(`page ${failure.page} was not decoded: page 1 of the same file ran out of its CPU budget`);
  }, 120_000);

  it("OCRs a genuine scan (PNG; TIFF pages, one refused by its bounds) as the calling thread does, and draws its page images", async () => {
    const crop = await scannedCrop();
    const png = await pngOf(crop.image);
    const tiff = tiffOf([{ image: crop.image }, { image: crop.image, declared: { width: 60_000, height: 60_000 } }, { image: crop.image }]);
    for (const [file, bytes] of [
      ["scan.png", png],
      ["scan.tif", tiff],
    ] as const) {
      const inThread = await extractDocument(file, bytes, { ocr });
      const inReader = await completeWithOcr(file, bytes, await extractDocument(file, bytes, { ocrFollows: true }), ocr, { process: process1 });
      expect(inReader).toEqual(inThread);
    }
    const tiffDoc = await extractDocument("scan.tif", tiff, { ocr });
    expect(tiffDoc.ocr?.pages.map((p) => p.page)).toEqual([1, 3]);
    expect(tiffDoc.pageFailures).toEqual([expect.objectContaining({ page: 2, code: "RAG_OCR_PAGE_TOO_LARGE" })]);
    expect(tiffDoc.text).toContain("CORPORATE SPONSORSHIP AGREEMENT");
    for (const page of [1, 3]) expect(await renderPageImage(tiff, page, { process: process1 })).toEqual(await renderPageImageHere(tiff, page));
    await expect(renderPageImage(tiff, 4, { process: process1 })).rejects.toMatchObject({ code: "RAG_PAGE_NOT_FOUND", details: { pageCount: 3 } });
  }, 180_000);

  it("refuses an image its static bounds refuse before any reader starts", async () => {
    const fresh: PdfProcessOptions = { childUrl, processes: 1, memoryMb: 700 };
    await expect(renderPageImage(pngHeaderOnly(8000, 8000, 16, 6), 1, { process: fresh })).rejects.toMatchObject({ code: "RAG_OCR_PAGE_TOO_LARGE" });
    const tiff = tiffOf([{ image: { width: 4, height: 4, pixels: new Uint8Array(16), dpi: 300 }, declared: { width: 60_000, height: 60_000 } }]);
    await expect(completeWithOcr("big.tif", tiff, { format: "image", text: "", pageStarts: [0] }, impatientOcr, { process: fresh })).rejects.toMatchObject({ code: "RAG_FILE_CORRUPT" });
    expect(pdfProcessPool(fresh)!.pids()).toEqual([]);
  }, 60_000);
});

describe("a reader's deadline is its CPU time, not the wall", () => {
  it("does not kill a long genuine job sharing its core with CPU burners, where a wall deadline of the same length would, nor take it for a stalled one", async () => {
    // a stall window of 1 s (10 s by default) at the product's ratio (0.5%: 5 ms in it): the reader's share of
    // core 0 beside the burners and whatever else CI runs there stays far above it, so a stall here is a bug
    const options: PdfProcessOptions = { childUrl, processes: 1, memoryMb: 900, stall: { windowMs: 1000, minCpuMs: 5 } };
    const bytes = new Uint8Array(fs.readFileSync(path.join(REAL_PDFS, LONG_PDF)));
    await extractDocumentIsolated(LONG_PDF, bytes, options); // the reader starts and warms up
    const [pid] = pdfProcessPool(options)!.pids();
    const before = processCpuMs(pid!)!;
    const alone = await extractDocumentIsolated(LONG_PDF, bytes, options);
    const cpuMs = processCpuMs(pid!)! - before;
    const timeoutMs = Math.max(1000, 2 * cpuMs);
    // Two burners and the reader share one core (taskset, where util-linux has it): the reader gets a third
    // of it, and the rest of the machine (other tests running beside this one) keeps the other cores.
    const taskset = findSystemBinary("taskset");
    const burn = [process.execPath, "-e", "for (;;) {}"];
    const burners: ChildProcess[] = taskset
      ? [0, 1].map(() => spawn(taskset, ["-c", "0", ...burn], { stdio: "ignore" }))
      : Array.from({ length: 3 * os.availableParallelism() }, () => spawn(burn[0]!, burn.slice(1), { stdio: "ignore" }));
    if (taskset) expect(spawnSync(taskset, ["-a", "-p", "-c", "0", String(pid)], { stdio: "ignore" }).status).toBe(0);
    try {
      await new Promise((resolve) => setTimeout(resolve, 200));
      const started = performance.now();
      const loaded = await extractDocumentIsolated(LONG_PDF, bytes, { ...options, timeoutMs });
      const wallMs = performance.now() - started;
      expect(loaded).toEqual(alone);
      expect(wallMs).toBeGreaterThan(timeoutMs); // the contention was real: a wall deadline would have killed it
    } finally {
      for (const burner of burners) burner.kill("SIGKILL");
      pdfProcessPool(options)!.dispose(); // its reader stays pinned to one core
    }
  }, 180_000);
});
