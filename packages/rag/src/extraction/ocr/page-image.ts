import { RagError } from "../../errors";
import { assertPdfWithinLimits } from "../pdf-limits";
import { loadCanvas } from "./canvas-module";
import { scaleToFit, type GrayImage } from "./gray-image";
import { imageKindOf, imagePages } from "./image-pages";
import { MAX_DRAWN_IMAGE_PIXELS, pdfDrawingOptions } from "./pdf-page-rasteriser";

/** One page of a stored document drawn as a PNG, for a person to check OCR text against. */
export interface PageImage {
  readonly png: Uint8Array;
  readonly width: number;
  readonly height: number;
  readonly page: number;
  readonly pageCount: number;
}

export interface PageImageOptions {
  /** Resolution a PDF page is drawn at (default 110: readable on screen, ~1 MP for A4). */
  readonly dpi?: number;
  /** Larger rasters are drawn or scaled smaller (default 4 MP). */
  readonly maxPixels?: number;
  /** Compressed streams of a PDF may inflate to at most this (the same flate-bomb guard as ingest). */
  readonly maxUncompressedBytes?: number;
}

function pageNotFound(page: number, pageCount: number): RagError {
  return new RagError("RAG_PAGE_NOT_FOUND", `page ${page} does not exist (the document has ${pageCount} page${pageCount === 1 ? "" : "s"})`, {
    hint: `Ask for a page from 1 to ${pageCount}.`,
    details: { page, pageCount },
  });
}

/**
 * Draws page `page` (1-based) of a PDF, PNG, JPEG or TIFF file as a PNG: PDFs with pdf.js on a
 * Skia canvas (in colour, on white), images by decoding the page (gray, as OCR read it). Other
 * formats have no page image (`RAG_UNSUPPORTED_FORMAT`). Bounded like ingest: a PDF's streams are
 * checked for flate bombs first, and the raster is capped at `maxPixels`.
 */
export async function renderPageImage(bytes: Uint8Array, page: number, options: PageImageOptions = {}): Promise<PageImage> {
  const maxPixels = options.maxPixels ?? 4_000_000;
  if (!Number.isInteger(page) || page < 1) throw pageNotFound(page, 0);
  const kind = imageKindOf(bytes);
  if (kind) {
    const pages = await imagePages(bytes, kind, maxPixels);
    const source = pages[page - 1];
    if (!source) throw pageNotFound(page, pages.length);
    return { ...(await encodeGray(await source.decode())), page, pageCount: pages.length };
  }
  if (!(bytes[0] === 0x25 && bytes[1] === 0x50 && bytes[2] === 0x44 && bytes[3] === 0x46)) {
    throw new RagError("RAG_UNSUPPORTED_FORMAT", "only PDF, PNG, JPEG and TIFF documents have page images", { hint: "Read the document's text instead." });
  }
  await assertPdfWithinLimits("document", bytes, { maxUncompressedBytes: options.maxUncompressedBytes ?? 256 * 1024 * 1024, maxImagePixels: MAX_DRAWN_IMAGE_PIXELS });
  const { getDocumentProxy } = await import("unpdf");
  const pdf = await getDocumentProxy(new Uint8Array(bytes), (await pdfDrawingOptions()) as Parameters<typeof getDocumentProxy>[1]);
  try {
    if (page > pdf.numPages) throw pageNotFound(page, pdf.numPages);
    const { createCanvas } = await loadCanvas();
    const pdfPage = await pdf.getPage(page);
    try {
      const base = pdfPage.getViewport({ scale: 1 });
      const wanted = (options.dpi ?? 110) / 72;
      const viewport = pdfPage.getViewport({ scale: wanted * scaleToFit(Math.ceil(base.width * wanted), Math.ceil(base.height * wanted), maxPixels) });
      const width = Math.max(1, Math.floor(viewport.width));
      const height = Math.max(1, Math.floor(viewport.height));
      const canvas = createCanvas(width, height);
      const context = canvas.getContext("2d");
      context.fillStyle = "#ffffff";
      context.fillRect(0, 0, width, height);
      await pdfPage.render({ canvas: canvas as never, canvasContext: context as never, viewport }).promise;
      return { png: new Uint8Array(await canvas.encode("png")), width, height, page, pageCount: pdf.numPages };
    } finally {
      pdfPage.cleanup();
    }
  } finally {
    await pdf.destroy();
  }
}

async function encodeGray(image: GrayImage): Promise<Pick<PageImage, "png" | "width" | "height">> {
  const { createCanvas } = await loadCanvas();
  const canvas = createCanvas(image.width, image.height);
  const context = canvas.getContext("2d");
  const rgba = context.createImageData(image.width, image.height);
  for (let i = 0; i < image.pixels.length; i++) {
    const v = image.pixels[i]!;
    rgba.data[4 * i] = v;
    rgba.data[4 * i + 1] = v;
    rgba.data[4 * i + 2] = v;
    rgba.data[4 * i + 3] = 255;
  }
  context.putImageData(rgba, 0, 0);
  return { png: new Uint8Array(await canvas.encode("png")), width: image.width, height: image.height };
}
