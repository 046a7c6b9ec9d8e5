import { z } from "zod";

/** OCR settings: `rag.ocr` in an app's config. */
export const ocrConfigSchema = z.object({
  /** OCR pages without a usable text layer, and image files. Off: such files are refused as before. */
  enabled: z.boolean().default(true),
  /** `auto`: the `tesseract` binary when installed with every language (faster), else tesseract.js. */
  engine: z.enum(["auto", "tesseract.js", "tesseract-cli"]).default("auto"),
  /** Tesseract language codes; tesseract.js reads each from the npm package `@tesseract.js-data/<code>`. */
  languages: z.array(z.string().regex(/^[a-z]{3}(_[a-z]{3,4})?$/)).min(1).max(8).default(["eng"]),
  /**
   * tesseract.js models: `fast` (Tesseract's tessdata_fast, shipped in this package for English;
   * other languages fall back to their npm `best_int`) or `best` (always the npm `best_int`, ~1.5x
   * the CPU per page). The tesseract binary reads its own installed models.
   */
  model: z.enum(["fast", "best"]).default("fast"),
  /** Resolution PDF pages are drawn at for OCR. */
  dpi: z.number().int().min(72).max(600).default(200),
  /** Pages OCRed at once (worker threads or processes). Default: the usable cores. */
  workers: z.number().int().min(1).max(64).optional(),
  /** A page taking longer fails with RAG_OCR_TIMEOUT; the document keeps its other pages. */
  pageTimeoutMs: z.number().int().min(1000).max(3_600_000).default(300_000),
  /**
   * Most pages of one document drawn and OCRed: a PDF with more pages lacking a text layer is refused
   * (RAG_FILE_TOO_LARGE) before any page is drawn (each page may take up to pageTimeoutMs of a core).
   */
  maxPages: z.number().int().min(1).max(100_000).default(2000),
  /** Memory cap per page: a page raster over this many megapixels is scaled down before OCR. */
  maxPageMegapixels: z.number().min(1).max(200).default(24),
  /** Address-space cap of each `tesseract` process (MiB; 0 for none). */
  memoryLimitMb: z.number().int().min(0).max(65_536).default(2048),
  /** Pages read with a lower mean confidence (0–100) are flagged in the ingest report. */
  minConfidence: z.number().min(0).max(100).default(70),
  /** The tesseract binary for `tesseract-cli` (a bare name is looked up on PATH). */
  tesseractCommand: z.string().min(1).default("tesseract"),
});

export type OcrConfig = z.infer<typeof ocrConfigSchema>;
export type OcrConfigInput = z.input<typeof ocrConfigSchema>;
