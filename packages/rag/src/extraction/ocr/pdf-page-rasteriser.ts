import type { PDFDocumentProxy } from "unpdf/pdfjs";
import { OcrError } from "../../errors";
import { assertPdfWithinLimits } from "../pdf-limits";
import { pdfjsVerbosity } from "../pdf-process/pdfjs-warnings";
import { loadCanvas } from "./canvas-module";
import { rgbaToGray, scaleToFit, type GrayImage } from "./gray-image";

/**
 * The largest image (width × height) pdf.js decodes while drawing a page; a larger one is left out of
 * the drawing, never decoded. pdf.js decodes an image at its declared size before any raster cap
 * applies (~7 bytes per pixel: an 8000×8000 JPEG of 1.75 MB took 1 GB and 4 s on the calling thread);
 * 40 MP keeps a 600 dpi A4 or Letter scan (35 MP).
 */
export const MAX_DRAWN_IMAGE_PIXELS = 40_000_000;

/** pdf.js's document options for drawing pages: its own canvas factory in Node, and the image size bound. */
export async function pdfDrawingOptions(): Promise<{ verbosity: number; CanvasFactory: unknown; maxImageSize: number }> {
  return { verbosity: pdfjsVerbosity(), CanvasFactory: await pdfCanvasFactory(), maxImageSize: MAX_DRAWN_IMAGE_PIXELS };
}

/**
 * Opens a PDF for drawing (OCR, page images), after refusing one with an image pdf.js would decode at
 * more than MAX_DRAWN_IMAGE_PIXELS (a mask too, JPEGs by their frame header) with RAG_FILE_TOO_LARGE,
 * and, when `maxUncompressedBytes` is given, one whose streams inflate to more.
 */
export async function openPdfForDrawing(file: string, bytes: Uint8Array, maxUncompressedBytes?: number): Promise<PDFDocumentProxy> {
  await assertPdfWithinLimits(file, bytes, {
    maxUncompressedBytes: maxUncompressedBytes ?? Number.MAX_SAFE_INTEGER,
    maxImagePixels: MAX_DRAWN_IMAGE_PIXELS,
    measureStreams: maxUncompressedBytes !== undefined,
  });
  const { getDocumentProxy } = await import("unpdf");
  return getDocumentProxy(new Uint8Array(bytes), (await pdfDrawingOptions()) as Parameters<typeof getDocumentProxy>[1]);
}

/** pdf.js needs a canvas factory of its own in Node to draw image masks and patterns. */
export async function pdfCanvasFactory(): Promise<unknown> {
  const { createIsomorphicCanvasFactory } = await import("unpdf");
  return createIsomorphicCanvasFactory(() => loadCanvas());
}

/**
 * Draws one PDF page with pdf.js on a Skia canvas at `dpi`, on white, and returns it as gray.
 * A page whose raster would exceed `maxPixels` is drawn smaller (the memory cap).
 */
export async function rasterisePdfPage(pdf: PDFDocumentProxy, pageNumber: number, dpi: number, maxPixels: number): Promise<GrayImage> {
  const { createCanvas } = await loadCanvas();
  const page = await pdf.getPage(pageNumber);
  try {
    const base = page.getViewport({ scale: 1 });
    const wanted = dpi / 72;
    const scale = wanted * scaleToFit(Math.ceil(base.width * wanted), Math.ceil(base.height * wanted), maxPixels);
    const viewport = page.getViewport({ scale });
    const width = Math.max(1, Math.floor(viewport.width));
    const height = Math.max(1, Math.floor(viewport.height));
    if (!Number.isFinite(width * height) || width * height > maxPixels * 1.01) {
      throw new OcrError("RAG_OCR_PAGE_TOO_LARGE", `page ${pageNumber} is ${Math.round(base.width)}×${Math.round(base.height)} pt, too large to draw`, {
        hint: "The page size is implausible; the rest of the document was kept.",
      });
    }
    const canvas = createCanvas(width, height);
    const context = canvas.getContext("2d");
    context.fillStyle = "#ffffff";
    context.fillRect(0, 0, width, height);
    await page.render({ canvas: canvas as never, canvasContext: context as never, viewport }).promise;
    const rgba = context.getImageData(0, 0, width, height).data;
    return { width, height, pixels: rgbaToGray(rgba, width, height), dpi: scale * 72 };
  } finally {
    page.cleanup();
  }
}
