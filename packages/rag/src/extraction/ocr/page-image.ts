import { RagError } from "../../errors";
import { pdfProcessPool, type JobFailures, type PdfProcessOptions } from "../pdf-process/pdf-process-pool";
import { loadCanvas } from "./canvas-module";
import { scaleToFit, type GrayImage } from "./gray-image";
import { imageKindOf, imagePages, MAX_DECODE_BYTES, type ImagePagesOptions } from "./image-pages";
import { openPdfForDrawing } from "./pdf-page-rasteriser";

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
  /**
   * CPU time the drawing may take (default 30 s for a PDF page, DEFAULT_IMAGE_PAGE_TIMEOUT_MS for a page
   * of an image file); past it the reader process is killed (RAG_FILE_TOO_LARGE).
   */
  readonly timeoutMs?: number;
  /** The PDF reader processes that draw it (their memory cap, the reader script). */
  readonly process?: PdfProcessOptions;
}

export const DEFAULT_PAGE_IMAGE_TIMEOUT_MS = 30_000;
/**
 * The CPU budget of a page of an image file: a decode, not a drawing. The dearest genuine pages cost
 * ≤ 3 s of CPU decoded and drawn as a PNG (bench/image-page-cost.ts: an A4 page at 600 dpi as PNG or TIFF
 * 1.4-2.0 s, the largest gray PNG the static bounds admit 2.4 s, an A4 colour JPEG at 400 dpi 3.0 s), so
 * a decoder that loops on a hostile page (a CCITT fax strip) holds a reader for 10 s, not 30 s.
 */
export const DEFAULT_IMAGE_PAGE_TIMEOUT_MS = 10_000;

function pageNotFound(page: number, pageCount: number): RagError {
  return new RagError("RAG_PAGE_NOT_FOUND", `page ${page} does not exist (the document has ${pageCount} page${pageCount === 1 ? "" : "s"})`, {
    hint: `Ask for a page from 1 to ${pageCount}.`,
    details: { page, pageCount },
  });
}

/**
 * Draws page `page` (1-based) of a PDF, PNG, JPEG or TIFF file as a PNG: PDFs with pdf.js on a
 * Skia canvas (in colour, on white), images by decoding the page (gray, as OCR read it). Other
 * formats have no page image (`RAG_UNSUPPORTED_FORMAT`). Bounded like ingest: the page is drawn or
 * decoded in a PDF reader process (address-space cap, `timeoutMs` of CPU), after the static checks
 * here (a PDF's streams for flate bombs and its images for size, an image page's decode cost from its
 * headers), and the raster is capped at `maxPixels`.
 */
export async function renderPageImage(bytes: Uint8Array, page: number, options: PageImageOptions = {}): Promise<PageImage> {
  const maxPixels = options.maxPixels ?? 4_000_000;
  if (!Number.isInteger(page) || page < 1) throw pageNotFound(page, 0);
  const kind = imageKindOf(bytes);
  if (kind) {
    // The first gate, here: the directory chain, the page's existence and its decode's static bounds.
    const pages = await imagePages(bytes, kind, maxPixels);
    const source = pages[page - 1];
    if (!source) throw pageNotFound(page, pages.length);
    await source.check();
  } else if (!(bytes[0] === 0x25 && bytes[1] === 0x50 && bytes[2] === 0x44 && bytes[3] === 0x46)) {
    throw new RagError("RAG_UNSUPPORTED_FORMAT", "only PDF, PNG, JPEG and TIFF documents have page images", { hint: "Read the document's text instead." });
  }
  const pool = pdfProcessPool(options.process ?? {});
  const timeoutMs = options.timeoutMs ?? (kind ? DEFAULT_IMAGE_PAGE_TIMEOUT_MS : DEFAULT_PAGE_IMAGE_TIMEOUT_MS);
  if (!pool) return renderPageImageHere(bytes, page, options);
  const { process: _process, ...drawing } = options;
  return pool.run("page-image", { bytes, page, options: drawing }, { timeoutMs, failures: pageImageFailures(maxPixels) });
}

/** How a page image fails when its reader runs out of memory or time. */
function pageImageFailures(maxPixels: number): JobFailures {
  const hint = "The file is hostile (an image or drawing bomb) or too complex to draw; its text can still be read.";
  return {
    outOfMemory: (memoryMb) => new RagError("RAG_FILE_TOO_LARGE", `drawing the page needed more than ${memoryMb} MB`, { hint, details: { memoryMb, maxPixels } }),
    timedOut: (limitMs, clock) =>
      new RagError("RAG_FILE_TOO_LARGE", clock === "cpu" ? `drawing the page used more than ${limitMs} ms of CPU` : clock === "stalled" ? `drawing the page stalled (its reader used almost no CPU for ${limitMs} ms)` : `drawing the page took longer than ${limitMs} ms`, {
        hint,
        details: { timeoutMs: limitMs, clock },
      }),
    crashed: (reason) => new RagError("RAG_FILE_CORRUPT", `the PDF reader stopped while drawing the page (${reason})`, { hint }),
  };
}

/**
 * Draws one page of a PDF, PNG, JPEG or TIFF as a PNG in the calling thread (a PDF reader process runs
 * this for renderPageImage, whose checks ran first: `checked`, see ImagePagesOptions.checkedBefore).
 */
export async function renderPageImageHere(bytes: Uint8Array, page: number, options: PageImageOptions = {}, checked: ImagePagesOptions = {}): Promise<PageImage> {
  const kind = imageKindOf(bytes);
  if (!kind) return renderPdfPageImage(bytes, page, options);
  const pages = await imagePages(bytes, kind, options.maxPixels ?? 4_000_000, MAX_DECODE_BYTES, checked);
  const source = pages[page - 1];
  if (!source) throw pageNotFound(page, pages.length);
  return { ...(await encodeGray(await source.decode())), page, pageCount: pages.length };
}

/** Draws one PDF page as a PNG in the calling thread (a PDF reader process runs this for renderPageImage). */
export async function renderPdfPageImage(bytes: Uint8Array, page: number, options: PageImageOptions = {}): Promise<PageImage> {
  const maxPixels = options.maxPixels ?? 4_000_000;
  const pdf = await openPdfForDrawing("document", bytes, options.maxUncompressedBytes ?? 256 * 1024 * 1024);
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
