import { ExtractionError } from "../../errors";
import type { ExtractedDocument } from "../extract-document";
import { imageKindOf, imagePages } from "./image-pages";
import { ocrImageFile, ocrPdfPages } from "./ocr-sources";
import type { OcrPageInfo, PageFailure, PageOcr, PageOcrOutcome, ReadPagesOptions } from "./page-ocr";
import { isUsableTextLayer } from "./text-layer-quality";
import { joinPages, PAGE_BREAK } from "../page-text";


function pagesOf(doc: ExtractedDocument): string[] {
  return doc.pageStarts.map((start, i) => doc.text.slice(start, i + 1 < doc.pageStarts.length ? doc.pageStarts[i + 1]! - PAGE_BREAK.length : undefined));
}

/** Puts OCR text in place of the pages it read; returns what the document records about OCR. */
async function merge(pages: string[], outcomes: readonly PageOcrOutcome[], ocr: PageOcr): Promise<Pick<ExtractedDocument, "ocr" | "pageFailures">> {
  const read: OcrPageInfo[] = [];
  const failures: PageFailure[] = [];
  for (const outcome of outcomes) {
    if ("failure" in outcome) failures.push(outcome.failure);
    else {
      pages[outcome.page - 1] = outcome.text;
      read.push({ page: outcome.page, confidence: outcome.confidence });
    }
  }
  return { ...(read.length ? { ocr: { engine: await ocr.engineId(), pages: read } } : {}), ...(failures.length ? { pageFailures: failures } : {}) };
}

/**
 * The OCR half of extraction, run in the thread that owns the OCR workers (the text layer is
 * read in a PDF reader process first, with `ocrFollows`): a PDF's pages without a usable text
 * layer are drawn and OCRed, the others keep their text; an image file is OCRed page by page.
 * Pages are drawn or decoded in PDF reader processes (an image page after its static bounds are
 * checked here). Other formats pass through unchanged.
 */
export async function completeWithOcr(file: string, bytes: Uint8Array, doc: ExtractedDocument, ocr: PageOcr, options: ReadPagesOptions = {}): Promise<ExtractedDocument> {
  if (doc.format === "image") {
    const kind = imageKindOf(bytes);
    if (!kind) throw new ExtractionError("RAG_UNSUPPORTED_FORMAT", file, `file '${file}' is not a PNG, JPEG or TIFF image`);
    const sources = await imagePages(bytes, kind, ocr.maxPixels);
    // Refused whole, as a PDF is: indexing the first N pages of a longer scan would leave the rest out of
    // every search with nothing in the results to say so.
    if (sources.length > ocr.config.maxPages) {
      throw new ExtractionError("RAG_FILE_TOO_LARGE", file, `${kind.toUpperCase()} '${file}' has ${sources.length} pages, more than the ${ocr.config.maxPages} one document may have OCRed`, {
        hint: "Split the file into parts of at most that many pages, or raise ocr.maxPages in the config if it is genuine.",
        details: { pages: sources.length, maxPages: ocr.config.maxPages },
      });
    }
    const outcomes = await ocrImageFile(bytes, kind, sources, ocr, options);
    const pages = outcomes.map(() => "");
    const result = await merge(pages, outcomes, ocr);
    const failure = result.pageFailures?.[0];
    if (!result.ocr && failure) {
      throw new ExtractionError("RAG_FILE_CORRUPT", file, `image '${file}' could not be read: ${failure.message}`, {
        ...(failure.hint ? { hint: failure.hint } : {}),
        details: { pageFailures: result.pageFailures },
      });
    }
    return emptyChecked(file, { format: "image", ...joinPages(pages), ...result });
  }
  if (doc.format !== "pdf") return doc;
  const pages = pagesOf(doc);
  const scanned = pages.flatMap((page, i) => (isUsableTextLayer(page) ? [] : [i + 1]));
  if (scanned.length === 0) return doc;
  if (scanned.length > ocr.config.maxPages) {
    throw new ExtractionError("RAG_FILE_TOO_LARGE", file, `PDF '${file}' has ${scanned.length} pages without a text layer, more than the ${ocr.config.maxPages} one document may have OCRed`, {
      hint: "Split the document, or raise ocr.maxPages in the rag config if it is genuine.",
      details: { pages: scanned.length, maxPages: ocr.config.maxPages },
    });
  }
  // Drawing refuses an image pdf.js would decode too large (a mask too), in the reader that draws.
  const result = await merge(pages, await ocrPdfPages(file, bytes, scanned, ocr, options), ocr);
  return emptyChecked(file, { ...doc, ...joinPages(pages), ...result });
}

function emptyChecked(file: string, doc: ExtractedDocument): ExtractedDocument {
  if (doc.text.replace(/\f/g, "").trim().length > 0) return doc;
  const failed = doc.pageFailures?.length ? ` (OCR failed on ${doc.pageFailures.length} page(s): ${doc.pageFailures[0]!.message})` : "";
  throw new ExtractionError("RAG_FILE_EMPTY", file, `${doc.format.toUpperCase()} '${file}' has no text layer and OCR read no text (${doc.pageStarts.length} pages)${failed}`, {
    hint: "Check the scan is legible, and that ocr.languages matches the document's language.",
  });
}
