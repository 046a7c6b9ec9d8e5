import type { ImagePage } from "./image-pages";
import type { PageOcr, PageOcrOutcome, ReadPagesOptions } from "./page-ocr";
import { OcrError } from "../../errors";
import { pdfProcessPool, type JobFailures } from "../pdf-process/pdf-process-pool";
import { openPdfForDrawing, rasterisePdfPage } from "./pdf-page-rasteriser";

let nextDocKey = 0;

/** How drawing one page fails when its reader runs out of memory or time (that page fails, the others go on). */
function drawingFailures(page: number): JobFailures {
  return {
    outOfMemory: (memoryMb) => new OcrError("RAG_OCR_PAGE_TOO_LARGE", `drawing page ${page} needed more than ${memoryMb} MB`, { hint: "The page holds an image or drawing too large to render; the rest of the document was kept.", details: { memoryMb } }),
    timedOut: (timeoutMs) => new OcrError("RAG_OCR_TIMEOUT", `drawing page ${page} took longer than ${Math.round(timeoutMs / 1000)} s`, { hint: "The page is too complex to draw; raise ocr.pageTimeoutMs if it is genuine.", details: { timeoutMs } }),
    crashed: (reason) => new OcrError("RAG_OCR_PAGE_FAILED", `the PDF reader stopped while drawing page ${page} (${reason})`),
  };
}

/**
 * Draws the given pages of a PDF and OCRs them (the rest of the PDF keeps its text layer). Pages are
 * drawn in PDF reader processes (see pdfProcessPool), each within ocr.pageTimeoutMs; from TypeScript
 * sources without a built reader, in the calling thread.
 */
export async function ocrPdfPages(file: string, bytes: Uint8Array, pageNumbers: readonly number[], ocr: PageOcr, options: ReadPagesOptions): Promise<PageOcrOutcome[]> {
  if (pageNumbers.length === 0) return [];
  await ocr.engine(); // a missing engine or language fails before any drawing
  const pool = pdfProcessPool(options.process ?? {});
  const { dpi, pageTimeoutMs } = ocr.config;
  if (pool) {
    const docKey = `${process.pid}:${nextDocKey++}`;
    const sources = pageNumbers.map((page) => ({
      page,
      image: () =>
        pool.run("draw-page", (reader) => ({ file, docKey, page, dpi, maxPixels: ocr.maxPixels, ...(reader.holds(docKey) ? {} : { bytes }) }), {
          timeoutMs: pageTimeoutMs,
          failures: drawingFailures(page),
          ...(options.signal ? { signal: options.signal } : {}),
        }),
    }));
    return ocr.readPages(sources, options);
  }
  const pdf = await openPdfForDrawing(file, bytes);
  try {
    const sources = pageNumbers.map((page) => ({ page, image: () => rasterisePdfPage(pdf, page, dpi, ocr.maxPixels) }));
    return await ocr.readPages(sources, options);
  } finally {
    await pdf.destroy();
  }
}

/** OCRs every page of a PNG, JPEG or (multi-page) TIFF file (its pages from `imagePages`). */
export async function ocrImageFile(pages: readonly ImagePage[], ocr: PageOcr, options: ReadPagesOptions): Promise<PageOcrOutcome[]> {
  await ocr.engine();
  return ocr.readPages(pages.map((p) => ({ page: p.page, image: () => p.decode() })), options);
}
