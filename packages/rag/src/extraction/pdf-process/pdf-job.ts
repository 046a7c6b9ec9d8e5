// The messages between a PDF reader process (pdf-child.ts) and its pool (pdf-process-pool.ts).
import type { ExtractedDocument, ExtractOptions } from "../extract-document";
import type { GrayImage } from "../ocr/gray-image";
import type { ImageKind } from "../ocr/image-pages";
import type { PageImage, PageImageOptions } from "../ocr/page-image";

/** Every job that runs pdf.js or another parser or decoder of an uploaded file, and what it answers. */
export interface PdfJobs {
  /** Text extraction of one file (every format but plain text), as extractDocument does without OCR. */
  extract: { args: { file: string; bytes: Uint8Array; options: ExtractOptions }; result: ExtractedDocument };
  /**
   * One PDF page drawn in gray for OCR. The child keeps the last document it opened (by `docKey`):
   * `bytes` is sent only when the pool does not know the child holds it.
   */
  "draw-page": { args: { file: string; docKey: string; bytes?: Uint8Array; page: number; dpi: number; maxPixels: number }; result: GrayImage };
  /**
   * One page of a PNG, JPEG or TIFF file decoded in gray for OCR, after the caller checked its static
   * bounds. The child keeps the last file it opened (by `docKey`), as for "draw-page".
   */
  "decode-image": { args: { docKey: string; bytes?: Uint8Array; kind: ImageKind; page: number; maxPixels: number }; result: GrayImage };
  /** One page of a PDF, PNG, JPEG or TIFF file drawn as a PNG (renderPageImage). */
  "page-image": { args: { bytes: Uint8Array; page: number; options: PageImageOptions }; result: PageImage };
}

export type PdfJobKind = keyof PdfJobs;

export interface PdfJobRequest<K extends PdfJobKind = PdfJobKind> {
  readonly id: number;
  readonly kind: K;
  readonly args: PdfJobs[K]["args"];
}

/** A typed error as it crosses the process boundary (rebuilt as the same class and code on the other side). */
export interface SerializedJobError {
  readonly errorClass: "ExtractionError" | "OcrError" | "RagError" | "Error";
  readonly code?: string;
  readonly message: string;
  readonly hint?: string;
  readonly details?: Record<string, unknown>;
  readonly file?: string;
}

export type PdfJobReply =
  | { readonly id: number; readonly ok: true; readonly result: unknown }
  | { readonly id: number; readonly ok: false; readonly error: SerializedJobError };
