// A PDF reader process (built as dist/pdf-child.js): it runs pdf.js and the other file parsers for its
// pool (pdf-process-pool.ts), one job at a time, under an address-space cap and a per-job deadline the
// pool enforces by killing it. It holds no secret: its environment is empty and it opens no file.
import { BearError } from "@bear/core";
import type { PDFDocumentProxy } from "unpdf/pdfjs";
import { ExtractionError, OcrError, RagError } from "../../errors";
import { extractDocument } from "../extract-document";
import { openPdfForDrawing, rasterisePdfPage } from "../ocr/pdf-page-rasteriser";
import { renderPdfPageImage } from "../ocr/page-image";
import type { PdfJobReply, PdfJobRequest, PdfJobs, SerializedJobError } from "./pdf-job";
import { listenForAllocationFailures, takeAllocationFailure } from "./pdfjs-warnings";

listenForAllocationFailures();

let open: { docKey: string; pdf: Promise<PDFDocumentProxy> } | undefined;

async function documentFor(file: string, docKey: string, bytes: Uint8Array | undefined): Promise<PDFDocumentProxy> {
  if (open?.docKey !== docKey) {
    const previous = open;
    open = undefined;
    if (previous) await (await previous.pdf.catch(() => undefined))?.destroy();
    if (!bytes) throw new Error(`the PDF reader does not hold document ${docKey}`);
    open = { docKey, pdf: openPdfForDrawing(file, bytes) };
    open.pdf.catch(() => {
      if (open?.docKey === docKey) open = undefined;
    });
  }
  return open.pdf;
}

const handlers: { [K in keyof PdfJobs]: (args: PdfJobs[K]["args"]) => Promise<PdfJobs[K]["result"]> } = {
  extract: ({ file, bytes, options }) => extractDocument(file, bytes, options),
  "draw-page": async ({ file, docKey, bytes, page, dpi, maxPixels }) => rasterisePdfPage(await documentFor(file, docKey, bytes), page, dpi, maxPixels),
  "page-image": ({ bytes, page, options }) => renderPdfPageImage(bytes, page, options),
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
