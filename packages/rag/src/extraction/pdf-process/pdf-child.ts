// A PDF reader process (built as dist/pdf-child.js): it runs pdf.js, the image decoders and the other
// file parsers for its pool (pdf-process-pool.ts), one job at a time, under an address-space cap and a
// per-job CPU deadline the pool enforces by killing it. It holds no secret: its environment is empty and
// it opens no file.
import { BearError } from "@bear/core";
import type { PDFDocumentProxy } from "unpdf/pdfjs";
import { ExtractionError, OcrError, RagError } from "../../errors";
import { extractDocument } from "../extract-document";
import { imagePages, MAX_DECODE_BYTES, type ImageKind, type ImagePage } from "../ocr/image-pages";
import { openPdfForDrawing, rasterisePdfPage } from "../ocr/pdf-page-rasteriser";
import { renderPageImageHere } from "../ocr/page-image";
import type { PdfJobReply, PdfJobRequest, PdfJobs, SerializedJobError } from "./pdf-job";
import { listenForAllocationFailures, takeAllocationFailure } from "./pdfjs-warnings";

listenForAllocationFailures();

/** The one document this reader keeps open between jobs (the pages of one file being OCRed). */
let held: { docKey: string; pdf?: Promise<PDFDocumentProxy>; image?: Promise<ImagePage[]> } | undefined;

async function hold(docKey: string, bytes: Uint8Array | undefined): Promise<NonNullable<typeof held>> {
  if (held?.docKey !== docKey) {
    const previous = held;
    held = undefined;
    if (previous?.pdf) await (await previous.pdf.catch(() => undefined))?.destroy();
    if (!bytes) throw new Error(`the PDF reader does not hold document ${docKey}`);
    held = { docKey };
  }
  return held;
}

async function documentFor(file: string, docKey: string, bytes: Uint8Array | undefined): Promise<PDFDocumentProxy> {
  const doc = await hold(docKey, bytes);
  if (!doc.pdf) {
    doc.pdf = openPdfForDrawing(file, bytes!);
    doc.pdf.catch(() => {
      if (held?.docKey === docKey) held = undefined;
    });
  }
  return doc.pdf;
}

async function imageFor(docKey: string, bytes: Uint8Array | undefined, kind: ImageKind, maxPixels: number): Promise<ImagePage[]> {
  const doc = await hold(docKey, bytes);
  if (!doc.image) {
    // The bytes arrived as a view into the message they came in: kept as a copy of their own, which the
    // TIFF decoder then reads in place.
    // (its pool checked every page's static bounds on these bytes before sending them: not read twice)
    doc.image = imagePages(bytes!.slice(), kind, maxPixels, MAX_DECODE_BYTES, { checkedBefore: true });
    doc.image.catch(() => {
      if (held?.docKey === docKey) held = undefined;
    });
  }
  return doc.image;
}

async function decodeImagePage({ docKey, bytes, kind, page, maxPixels }: PdfJobs["decode-image"]["args"]): Promise<PdfJobs["decode-image"]["result"]> {
  const source = (await imageFor(docKey, bytes, kind, maxPixels))[page - 1];
  if (!source) throw new OcrError("RAG_OCR_PAGE_FAILED", `the image file has no page ${page}`);
  return source.decode();
}

const handlers: { [K in keyof PdfJobs]: (args: PdfJobs[K]["args"]) => Promise<PdfJobs[K]["result"]> } = {
  extract: ({ file, bytes, options }) => extractDocument(file, bytes, options),
  "draw-page": async ({ file, docKey, bytes, page, dpi, maxPixels }) => rasterisePdfPage(await documentFor(file, docKey, bytes), page, dpi, maxPixels),
  "decode-image": decodeImagePage,
  "page-image": ({ bytes, page, options }) => renderPageImageHere(bytes, page, options, { checkedBefore: true }), // renderPageImage checked the page
};

function serialize(error: unknown): SerializedJobError {
  if (!BearError.isInstance(error)) return { errorClass: "Error", message: String((error as Error | undefined)?.message ?? error) };
  const errorClass = error instanceof ExtractionError ? "ExtractionError" : error instanceof OcrError ? "OcrError" : error instanceof RagError ? "RagError" : "Error";
  return {
    errorClass,
    code: error.code,
    message: error.message,
    ...(error.hint ? { hint: error.hint } : {}),
    ...(error.details ? { details: { ...error.details } } : {}),
    ...(error instanceof ExtractionError ? { file: error.file } : {}),
  };
}

process.on("message", (request: PdfJobRequest) => {
  void (async () => {
    let reply: PdfJobReply;
    try {
      const handler = handlers[request.kind] as (args: unknown) => Promise<unknown>;
      takeAllocationFailure();
      const result = await handler(request.args);
      const allocation = takeAllocationFailure();
      // the message says "allocation failed": the pool answers with the job's out-of-memory error
      reply = allocation ? { id: request.id, ok: false, error: { errorClass: "Error", message: `pdf.js left out part of the file: ${allocation}` } } : { id: request.id, ok: true, result };
    } catch (error) {
      takeAllocationFailure();
      reply = { id: request.id, ok: false, error: serialize(error) };
    }
    process.send?.(reply);
  })();
});
// The pool closing the channel (or dying) ends the reader.
process.on("disconnect", () => process.exit(0));
