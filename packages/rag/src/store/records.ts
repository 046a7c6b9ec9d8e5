import type { OcrEngineId } from "../extraction/ocr/ocr-engine";
import type { OcrPageInfo } from "../extraction/ocr/page-ocr";
import type { DocumentFormat } from "../extraction/sniff-format";

/** One indexed document, as `rag.documents()` lists it. */
export interface DocumentRecord {
  readonly id: string;
  /** Changes whenever the content or the chunking/embedding settings change. */
  readonly version: string;
  readonly matter: string;
  /** Absolute path of the file it came from. */
  readonly source: string;
  readonly title: string;
  readonly type: DocumentFormat;
  readonly pageCount: number;
  /** SHA-256 of the file's bytes. */
  readonly contentHash: string;
  readonly bytes: number;
  readonly chars: number;
  readonly chunkCount: number;
  readonly dates: readonly string[];
  readonly parties: readonly string[];
  /** ISO time of the commit that made it visible. */
  readonly ingestedAt: string;
  /** True when PII was scrubbed before indexing. */
  readonly scrubbed: boolean;
  /** Pages whose text was read by OCR, with Tesseract's mean confidence (0–100). Absent: no page was OCRed. */
  readonly ocr?: { readonly engine: OcrEngineId; readonly pages: readonly OcrPageInfo[] };
}

/** One stored chunk; `text === documentText.slice(start, end)`. */
export interface ChunkRecord {
  readonly id: string;
  readonly documentId: string;
  readonly version: string;
  readonly matter: string;
  readonly docType: string;
  readonly text: string;
  readonly start: number;
  readonly end: number;
  readonly page: number;
  readonly sectionPath: readonly string[];
  readonly ordinal: number;
  readonly vector?: Float32Array;
}
