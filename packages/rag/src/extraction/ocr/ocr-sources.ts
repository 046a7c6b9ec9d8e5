import type { ImageKind, ImagePage } from "./image-pages";
import type { PageOcr, PageOcrOutcome, PageSource, ReadPagesOptions } from "./page-ocr";
import { OcrError } from "../../errors";
import { pdfProcessPool, type JobFailures } from "../pdf-process/pdf-process-pool";
import { DEFAULT_IMAGE_PAGE_TIMEOUT_MS } from "./page-image";
import { openPdfForDrawing, rasterisePdfPage } from "./pdf-page-rasteriser";

let nextDocKey = 0;

/** How drawing (a PDF page) or decoding (a page of an image file) fails when its reader runs out of memory or time: that page fails, the others go on. */
function readerFailures(page: number, doing: "drawing" | "decoding"): JobFailures {
  const tooLong = doing === "drawing" ? "The page is too complex to draw" : "The image is hostile or damaged (its decoder loops)";
  return {
    outOfMemory: (memoryMb) =>
      new OcrError("RAG_OCR_PAGE_TOO_LARGE", `${doing} page ${page} needed more than ${memoryMb} MB`, {
        hint: `The page holds an image${doing === "drawing" ? " or drawing" : ""} too large to ${doing === "drawing" ? "render" : "decode"}; the rest of the document was kept.`,
        details: { memoryMb },
      }),
    timedOut: (limitMs, clock) =>
      new OcrError("RAG_OCR_TIMEOUT", clock === "cpu" ? `${doing} page ${page} used more than ${Math.round(limitMs / 1000)} s of CPU` : clock === "stalled" ? `${doing} page ${page} stalled (its reader used almost no CPU for ${Math.round(limitMs / 1000)} s)` : `${doing} page ${page} took longer than ${Math.round(limitMs / 1000)} s`, {
        hint: `${tooLong}; raise ocr.pageTimeoutMs if it is genuine.`,
        details: { timeoutMs: limitMs, clock },
      }),
    crashed: (reason) => new OcrError("RAG_OCR_PAGE_FAILED", `the PDF reader stopped while ${doing} page ${page} (${reason})`),
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
          failures: readerFailures(page, "drawing"),
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

/**
 * The pages of a PNG, JPEG or (multi-page) TIFF file (from `imagePages`) as OCR sources. Each page's
 * static bounds are checked here first (a refusal costs no process work); it is then decoded in a PDF
 * reader process (see pdfProcessPool), within `timeoutMs` of the reader's CPU and its address-space
 * cap, and its gray pixels come back over the reader's channel (a view of the message they arrived
 * in, not a further copy). From TypeScript sources without a built reader, pages decode in this thread.
 */
export function imagePageSources(bytes: Uint8Array, kind: ImageKind, pages: readonly ImagePage[], maxPixels: number, timeoutMs: number, options: Pick<ReadPagesOptions, "process" | "signal"> = {}): PageSource[] {
  const pool = pdfProcessPool(options.process ?? {});
  if (!pool) return pages.map((p) => ({ page: p.page, image: () => p.decode() }));
  const docKey = `${process.pid}:${nextDocKey++}`;
  // An honest page decodes in seconds (its cost is linear in what the static bounds allow); one that runs
  // out of its CPU budget is a decoder loop, and its siblings are the same file's: the pages not yet
  // started fail with it, so a hostile 2,000-page TIFF costs one budget per reader, not one per page.
  let looped: { page: number; error: unknown } | undefined;
  return pages.map((p) => ({
    page: p.page,
    image: async () => {
      if (looped) throw loopedSibling(p.page, looped.page, looped.error);
      await p.check();
      try {
        return await pool.run("decode-image", (reader) => ({ docKey, kind, page: p.page, maxPixels, ...(reader.holds(docKey) ? {} : { bytes }) }), {
          timeoutMs,
          failures: readerFailures(p.page, "decoding"),
          ...(options.signal ? { signal: options.signal } : {}),
        });
      } catch (error) {
        if (OcrError.isInstance(error) && error.code === "RAG_OCR_TIMEOUT") looped ??= { page: p.page, error };
        throw error;
      }
    },
  }));
}

function loopedSibling(page: number, looped: number, error: unknown): OcrError {
  return new OcrError("RAG_OCR_TIMEOUT", `page ${page} was not decoded: page ${looped} of the same file ran out of its CPU budget (${(error as Error).message})`, {
    hint: "The image file is hostile or damaged; re-export or re-scan it.",
    details: { loopedPage: looped },
  });
}

/** OCRs every page of a PNG, JPEG or (multi-page) TIFF file, each decoded as `imagePageSources` says, within ocr.pageTimeoutMs. */
export async function ocrImageFile(bytes: Uint8Array, kind: ImageKind, pages: readonly ImagePage[], ocr: PageOcr, options: ReadPagesOptions): Promise<PageOcrOutcome[]> {
  await ocr.engine();
  // decoding a page is a fraction of reading it (Tesseract's budget is pageTimeoutMs): its own, smaller budget
  return ocr.readPages(imagePageSources(bytes, kind, pages, ocr.maxPixels, Math.min(ocr.config.pageTimeoutMs, DEFAULT_IMAGE_PAGE_TIMEOUT_MS), options), options);
}
