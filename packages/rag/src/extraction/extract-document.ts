import { ExtractionError } from "../errors";
import { htmlToText } from "./html-to-text";
import { joinPages } from "./page-text";
import { completeWithOcr } from "./ocr/complete-with-ocr";
import type { OcrEngineId } from "./ocr/ocr-engine";
import type { OcrPageInfo, OcrPageProgress, PageFailure, PageOcr } from "./ocr/page-ocr";
import { binaryInText, sniffFormat, type DocumentFormat } from "./sniff-format";
import { assertPdfStreamsWithinLimits } from "./pdf-limits";
import { pdfjsVerbosity } from "./pdf-process/pdfjs-warnings";
import { transcodeToUtf8 } from "./text-decoding";
import { assertZipWithinLimits, DEFAULT_MAX_UNCOMPRESSED_BYTES } from "./zip-limits";

/** Plain text of one file, with where each page starts. Every offset in the index points into `text`. */
export interface ExtractedDocument {
  readonly format: DocumentFormat;
  readonly text: string;
  /** Character offset at which each page starts (page n is `pageStarts[n - 1]`); `[0]` for unpaged formats. */
  readonly pageStarts: readonly number[];
  readonly title?: string;
  /** Pages whose text came from OCR (no usable text layer, or an image file), with their confidence. */
  readonly ocr?: { readonly engine: OcrEngineId; readonly pages: readonly OcrPageInfo[] };
  /** Pages that could not be read (OCR failed or timed out); the document keeps the others. */
  readonly pageFailures?: readonly PageFailure[];
}

export interface ExtractOptions {
  /** Larger files are refused with RAG_FILE_TOO_LARGE. Default 64 MiB. */
  readonly maxBytes?: number;
  /** A DOCX whose entries, or a PDF whose flate streams, declare or inflate to more is refused with RAG_FILE_TOO_LARGE. Default 256 MiB. */
  readonly maxUncompressedBytes?: number;
  /**
   * OCR for scanned pages and image files, run after the text layer is read; without it such
   * files are refused (RAG_FILE_EMPTY / RAG_UNSUPPORTED_FORMAT).
   */
  readonly ocr?: PageOcr;
  readonly signal?: AbortSignal;
  /** Called after each OCRed page. */
  readonly onOcrPage?: (progress: OcrPageProgress) => void;
  /**
   * OCR follows (in the calling thread, see completeWithOcr): a PDF without text and an image
   * file are returned as they are instead of refused. Serializable, for the extraction worker.
   */
  readonly ocrFollows?: boolean;
}

export const DEFAULT_MAX_FILE_BYTES = 64 * 1024 * 1024;

function normaliseNewlines(text: string): string {
  return text.replace(/\r\n?/g, "\n").replace(/^\ufeff/, "");
}

async function extractPdf(file: string, bytes: Uint8Array, maxUncompressedBytes: number, ocrFollows: boolean): Promise<ExtractedDocument> {
  if (Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).indexOf("/Encrypt") !== -1) {
    throw new ExtractionError("RAG_FILE_ENCRYPTED", file, `PDF '${file}' is encrypted`, {
      hint: "Remove the password (e.g. print to an unprotected PDF) and ingest it again.",
    });
  }
  await assertPdfStreamsWithinLimits(file, bytes, maxUncompressedBytes);
  const { getDocumentProxy, extractText } = await import("unpdf");
  let pages: string[];
  let title: string | undefined;
  try {
    const pdf = await getDocumentProxy(new Uint8Array(bytes), { verbosity: pdfjsVerbosity() });
    const result = await extractText(pdf, { mergePages: false });
    pages = result.text.map((page) => normaliseNewlines(page).replace(/\f/g, " "));
    const meta = await pdf.getMetadata().catch(() => undefined);
    const info = meta?.info as { Title?: unknown } | undefined;
    if (typeof info?.Title === "string" && info.Title.trim()) title = info.Title.trim();
    await pdf.destroy();
  } catch (error) {
    const name = (error as { name?: string }).name;
    if (name === "PasswordException") {
      throw new ExtractionError("RAG_FILE_ENCRYPTED", file, `PDF '${file}' is password-protected`, {
        hint: "Remove the password and ingest it again.",
        cause: error,
      });
    }
    throw new ExtractionError("RAG_FILE_CORRUPT", file, `PDF '${file}' could not be parsed (${name ?? "error"})`, {
      hint: "The file is damaged or not really a PDF; re-export it from its source.",
      cause: error,
    });
  }
  const { text, pageStarts } = joinPages(pages);
  if (!ocrFollows && text.replace(/\f/g, "").trim().length === 0) {
    throw new ExtractionError("RAG_FILE_EMPTY", file, `PDF '${file}' has no text layer (${pages.length} pages, no text)`, {
      hint: "It is probably a scan: turn OCR on (rag.ocr.enabled: true).",
    });
  }
  return { format: "pdf", text, pageStarts, ...(title ? { title } : {}) };
}

async function extractDocx(file: string, bytes: Uint8Array, maxUncompressedBytes: number): Promise<ExtractedDocument> {
  await assertZipWithinLimits(file, bytes, { maxUncompressedBytes });
  const mammoth = (await import("mammoth")).default;
  try {
    const result = await mammoth.extractRawText({ buffer: Buffer.from(bytes) });
    return { format: "docx", text: normaliseNewlines(result.value).replace(/\n{3,}/g, "\n\n").trim(), pageStarts: [0] };
  } catch (error) {
    throw new ExtractionError("RAG_FILE_CORRUPT", file, `Word file '${file}' could not be read (${(error as Error).message.slice(0, 80)})`, {
      hint: "The .docx is damaged; open and re-save it in Word or LibreOffice.",
      cause: error,
    });
  }
}

async function extractEml(file: string, bytes: Uint8Array): Promise<ExtractedDocument> {
  const PostalMime = (await import("postal-mime")).default;
  try {
    const email = await PostalMime.parse(Buffer.from(bytes));
    const address = (a: { name?: string; address?: string } | undefined): string =>
      a ? (a.name && a.address ? `${a.name} <${a.address}>` : (a.address ?? a.name ?? "")) : "";
    const to = (email.to ?? []).map((a) => address(a as { name?: string; address?: string })).join(", ");
    const body = email.text?.trim() ? email.text : email.html ? htmlToText(email.html).text : "";
    const header = [
      email.subject ? `Subject: ${email.subject}` : "",
      email.from ? `From: ${address(email.from as { name?: string; address?: string })}` : "",
      to ? `To: ${to}` : "",
      email.date ? `Date: ${email.date}` : "",
    ].filter(Boolean);
    const text = `${header.join("\n")}\n\n${normaliseNewlines(body).trim()}`.trim();
    return { format: "eml", text, pageStarts: [0], ...(email.subject ? { title: email.subject } : {}) };
  } catch (error) {
    throw new ExtractionError("RAG_FILE_CORRUPT", file, `e-mail '${file}' could not be parsed`, { cause: error });
  }
}

/**
 * Turns the bytes of one file into text. The format comes from the content (magic numbers,
 * headers), never from the name. Throws ExtractionError with a per-file code on refusal. With
 * `ocr`, pages without a usable text layer and image files are read by OCR.
 */
export async function extractDocument(file: string, bytes: Uint8Array, options: ExtractOptions = {}): Promise<ExtractedDocument> {
  const { ocr, signal, onOcrPage, ...plain } = options;
  const doc = await extractText(file, bytes, { ...plain, ocrFollows: plain.ocrFollows === true || ocr !== undefined });
  if (!ocr) return doc;
  return completeWithOcr(file, bytes, doc, ocr, { ...(signal ? { signal } : {}), ...(onOcrPage ? { onPage: onOcrPage } : {}) });
}

async function extractText(file: string, bytes: Uint8Array, options: ExtractOptions): Promise<ExtractedDocument> {
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_FILE_BYTES;
  if (bytes.length > maxBytes) {
    throw new ExtractionError("RAG_FILE_TOO_LARGE", file, `file '${file}' is ${bytes.length} bytes, over the ${maxBytes}-byte limit`, {
      hint: "Split the file, or raise maxFileBytes in the rag config.",
      details: { bytes: bytes.length, maxBytes },
    });
  }
  const original = bytes;
  bytes = transcodeToUtf8(bytes).bytes; // UTF-16 and Windows-1252 text become UTF-8; all else is unchanged
  const kind = sniffFormat(bytes);
  let doc: ExtractedDocument;
  switch (kind) {
    case "empty":
      throw new ExtractionError("RAG_FILE_EMPTY", file, `file '${file}' is empty (${bytes.length} bytes, no text)`, {
        hint: "Nothing to index; check that the file was saved completely.",
      });
    case "ole-compound":
      throw new ExtractionError("RAG_FILE_ENCRYPTED", file, `file '${file}' is an OLE compound file (a password-protected Office file or a legacy .doc)`, {
        hint: "Remove the password or save it as .docx, then ingest it again.",
      });
    case "zip":
    case "binary":
      throw new ExtractionError("RAG_UNSUPPORTED_FORMAT", file, `file '${file}' is not a supported format (looks like ${kind === "zip" ? "a zip archive" : "binary data"})`, {
        hint: "Supported: PDF, PNG/JPEG/TIFF scans, DOCX, HTML, e-mail (.eml), Markdown and plain text.",
      });
    case "image":
      if (!options.ocrFollows) {
        throw new ExtractionError("RAG_UNSUPPORTED_FORMAT", file, `file '${file}' is an image and OCR is off`, {
          hint: "Turn OCR on (rag.ocr.enabled: true) to ingest scanned images.",
        });
      }
      return { format: "image", text: "", pageStarts: [0] }; // read by completeWithOcr
    case "pdf":
      doc = await extractPdf(file, bytes, options.maxUncompressedBytes ?? DEFAULT_MAX_UNCOMPRESSED_BYTES, options.ocrFollows === true);
      break;
    case "docx":
      doc = await extractDocx(file, bytes, options.maxUncompressedBytes ?? DEFAULT_MAX_UNCOMPRESSED_BYTES);
      break;
    case "eml":
      doc = await extractEml(file, original); // postal-mime decodes each part by its own charset
      break;
    case "html": {
      const html = htmlToText(new TextDecoder().decode(bytes));
      doc = { format: "html", text: html.text, pageStarts: [0], ...(html.title ? { title: html.title } : {}) };
      break;
    }
    case "markdown":
    case "text": {
      const text = new TextDecoder().decode(bytes);
      const binary = binaryInText(text);
      if (binary !== undefined) {
        throw new ExtractionError("RAG_UNSUPPORTED_FORMAT", file, `file '${file}' starts as text but holds binary data further on (${binary})`, {
          hint: "Save it again as plain UTF-8 text (or as PDF/DOCX); a text file with binary data appended is not indexed.",
        });
      }
      doc = { format: kind, text: normaliseNewlines(text), pageStarts: [0] };
      break;
    }
  }
  if (doc.text.trim().length === 0 && !(options.ocrFollows && doc.format === "pdf")) {
    throw new ExtractionError("RAG_FILE_EMPTY", file, `file '${file}' (${doc.format}) contains no text`, {
      hint: "Nothing to index; a scanned document needs OCR first.",
    });
  }
  return doc;
}
