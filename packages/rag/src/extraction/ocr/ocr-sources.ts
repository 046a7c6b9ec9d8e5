import type { ImagePage } from "./image-pages";
import type { PageOcr, PageOcrOutcome, ReadPagesOptions } from "./page-ocr";
import { pdfDrawingOptions, rasterisePdfPage } from "./pdf-page-rasteriser";

/** Draws the given pages of a PDF and OCRs them (the rest of the PDF keeps its text layer). */
export async function ocrPdfPages(bytes: Uint8Array, pageNumbers: readonly number[], ocr: PageOcr, options: ReadPagesOptions): Promise<PageOcrOutcome[]> {
  if (pageNumbers.length === 0) return [];
  await ocr.engine(); // a missing engine or language fails before any drawing
  const { getDocumentProxy } = await import("unpdf");
  const pdf = await getDocumentProxy(new Uint8Array(bytes), (await pdfDrawingOptions()) as Parameters<typeof getDocumentProxy>[1]);
  try {
    const sources = pageNumbers.map((page) => ({ page, image: () => rasterisePdfPage(pdf, page, ocr.config.dpi, ocr.maxPixels) }));
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
