import { createRequire } from "node:module";
import { BearError } from "@bear/core";
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
import { assertZipWithinLimits, DEFAULT_MAX_UNCOMPRESSED_BYTES, readZipDirectory } from "./zip-limits";
import { markdownReaderText } from "./markdown-reader-text";

const require = createRequire(import.meta.url);

/** E-mails attached to e-mails are read this deep (the outer message is depth 0). */
export const MAX_ATTACHMENT_DEPTH = 3;
/** Attachments read per message; the rest are named in `partsNotRead`. */
const MAX_ATTACHMENTS = 32;

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
  /**
   * Parts of the file its text does not hold, named for the ingest outcome's note: a DOCX's page
   * headers, footers and comments; an e-mail's attachments that were not read (and why).
   */
  readonly partsNotRead?: readonly string[];
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

/** What mammoth's docx reader gives (lib/documents.js): elements, and the footnotes and endnotes beside the body. */
interface DocxElement {
  readonly type: string;
  readonly value?: string;
  readonly children?: readonly DocxElement[];
  readonly noteType?: string;
  readonly noteId?: string;
}
interface DocxNote {
  readonly noteType: string;
  readonly noteId: string;
  readonly body: readonly DocxElement[];
}
interface DocxDocument extends DocxElement {
  readonly notes: { readonly _notes: Readonly<Record<string, DocxNote>> };
}

/**
 * The raw text of a DOCX element as mammoth's `extractRawText` gives it (paragraphs end with a
 * blank line, tabs kept), with each footnote or endnote reference marked where it stands ("[^1]",
 * "[^e1]"), numbered in order of first reference.
 */
function docxRawText(element: DocxElement, labelOf: (reference: DocxElement) => string): string {
  if (element.type === "text") return element.value ?? "";
  if (element.type === "tab") return "\t";
  if (element.type === "noteReference") return labelOf(element);
  const tail = element.type === "paragraph" ? "\n\n" : "";
  return (element.children ?? []).map((c) => docxRawText(c, labelOf)).join("") + tail;
}

async function extractDocx(file: string, bytes: Uint8Array, maxUncompressedBytes: number): Promise<ExtractedDocument> {
  await assertZipWithinLimits(file, bytes, { maxUncompressedBytes });
  // mammoth's own reader (what extractRawText runs), for the footnotes and endnotes extractRawText drops.
  const unzip = require("mammoth/lib/unzip") as { openZip(input: { buffer: Buffer }): PromiseLike<unknown> };
  const reader = require("mammoth/lib/docx/docx-reader") as { read(zip: unknown): PromiseLike<{ value: DocxDocument }> };
  try {
    const document = (await reader.read(await unzip.openZip({ buffer: Buffer.from(bytes) }))).value;
    const labels = new Map<string, string>();
    const counts = { footnote: 0, endnote: 0 };
    const keyOf = (type: string | undefined, id: string | undefined): string => `${type}-${id}`;
    const labelOf = (reference: DocxElement): string => {
      const key = keyOf(reference.noteType, reference.noteId);
      let label = labels.get(key);
      if (label === undefined) {
        const endnote = reference.noteType === "endnote";
        label = endnote ? `[^e${++counts.endnote}]` : `[^${++counts.footnote}]`;
        labels.set(key, label);
      }
      return label;
    };
    const body = docxRawText(document, labelOf);
    const notes = Object.values(document.notes._notes)
      .map((note) => ({ note, label: labels.get(keyOf(note.noteType, note.noteId)) }))
      .filter((n): n is { note: DocxNote; label: string } => n.label !== undefined)
      .map(({ note, label }) => ({ label, endnote: note.noteType === "endnote", text: note.body.map((e) => docxRawText(e, labelOf)).join("").trim() }))
      .filter((n) => n.text.length > 0);
    const section = (heading: string, endnotes: boolean): string => {
      const list = notes.filter((n) => n.endnote === endnotes);
      return list.length === 0 ? "" : `\n\n${heading}\n\n${list.map((n) => `${n.label} ${n.text}`).join("\n\n")}`;
    };
    const text = normaliseNewlines(body + section("Footnotes", false) + section("Endnotes", true)).replace(/\n{3,}/g, "\n\n").trim();
    const names = readZipDirectory(file, bytes).map((e) => e.name);
    const partsNotRead = [
      names.some((n) => /^word\/header\d*\.xml$/.test(n)) ? "page headers" : "",
      names.some((n) => /^word\/footer\d*\.xml$/.test(n)) ? "page footers" : "",
      names.includes("word/comments.xml") ? "comments" : "",
    ].filter(Boolean);
    return { format: "docx", text, pageStarts: [0], ...(partsNotRead.length > 0 ? { partsNotRead } : {}) };
  } catch (error) {
    throw new ExtractionError("RAG_FILE_CORRUPT", file, `Word file '${file}' could not be read (${(error as Error).message.slice(0, 80)})`, {
      hint: "The .docx is damaged; open and re-save it in Word or LibreOffice.",
      cause: error,
    });
  }
}

/**
 * An attachment's name as the sender wrote it, safe to print (rev12 #19): control and format characters
 * (an ESC sequence would rewrite a terminal's ingest report) removed, at most 120 characters.
 */
function printableName(name: string): string {
  return name.replace(/[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/gu, "").trim().slice(0, 120);
}

interface MailAttachment {
  readonly filename?: string | null;
  readonly mimeType?: string;
  readonly related?: boolean;
  readonly content: ArrayBuffer | string;
}

/**
 * An e-mail: its headers and body, then each attachment of a format this reads (text, HTML, PDF,
 * DOCX, an attached e-mail, recursively up to MAX_ATTACHMENT_DEPTH) under "Attachment: <name>",
 * read here under the same limits as a file. Attachments not read (images, unsupported or broken
 * files, too deep, too many) are named in `partsNotRead`; inline images of an HTML body are not.
 */
async function extractEml(file: string, bytes: Uint8Array, options: ExtractOptions, depth: number): Promise<ExtractedDocument> {
  const PostalMime = (await import("postal-mime")).default;
  let email: Awaited<ReturnType<typeof PostalMime.parse>>;
  try {
    email = await PostalMime.parse(Buffer.from(bytes), { attachmentEncoding: "arraybuffer", maxRfc822NestingDepth: Math.max(0, MAX_ATTACHMENT_DEPTH - depth) });
  } catch (error) {
    throw new ExtractionError("RAG_FILE_CORRUPT", file, `e-mail '${file}' could not be parsed`, { cause: error });
  }
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
  const parts = [`${header.join("\n")}\n\n${normaliseNewlines(body).trim()}`.trim()];
  const notRead: string[] = [];
  const attachments = (email.attachments as readonly MailAttachment[]).filter((a) => !(a.related && a.mimeType?.startsWith("image/")));
  for (const [i, attachment] of attachments.entries()) {
    const name = printableName(attachment.filename ?? "") || `${printableName(attachment.mimeType ?? "") || "attachment"} ${i + 1}`;
    if (i >= MAX_ATTACHMENTS) {
      notRead.push(`attachment '${name}' (over ${MAX_ATTACHMENTS} attachments)`);
      continue;
    }
    if (depth >= MAX_ATTACHMENT_DEPTH) {
      notRead.push(`attachment '${name}' (nested more than ${MAX_ATTACHMENT_DEPTH} deep)`);
      continue;
    }
    const content = typeof attachment.content === "string" ? new TextEncoder().encode(attachment.content) : new Uint8Array(attachment.content);
    try {
      const doc = await extractText(`${file} > ${name}`, content, { ...options, ocrFollows: false }, depth + 1);
      // One page: an attached PDF's page breaks become blank lines (the e-mail's offsets have no pages).
      parts.push(`Attachment: ${name}\n\n${doc.text.replace(/\f/g, "\n\n").trim()}`);
      for (const part of doc.partsNotRead ?? []) notRead.push(`${part} of attachment '${name}'`);
    } catch (error) {
      notRead.push(`attachment '${name}' (${BearError.isInstance(error) ? error.code : "unreadable"})`);
    }
  }
  return { format: "eml", text: parts.join("\n\n"), pageStarts: [0], ...(email.subject ? { title: email.subject } : {}), ...(notRead.length > 0 ? { partsNotRead: notRead } : {}) };
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

/** `depth`: how deep in attached e-mails this file is (0 for the file itself). */
async function extractText(file: string, bytes: Uint8Array, options: ExtractOptions, depth = 0): Promise<ExtractedDocument> {
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
    case "rtf":
      throw new ExtractionError("RAG_UNSUPPORTED_FORMAT", file, `file '${file}' is Rich Text (RTF), which is not read: its markup would hide words from search and redaction`, {
        hint: "Save it as DOCX or PDF from your word processor, then use that file.",
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
      doc = await extractEml(file, original, options, depth); // postal-mime decodes each part by its own charset
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
      // Markdown: the text a reader of the rendered file sees (character references decoded, inline HTML removed), so
      // search finds "Renée" written as "Ren&eacute;e" and scrubOnIngest sees a mailbox written as &#106;… (rev12 #15)
      doc = { format: kind, text: kind === "markdown" ? markdownReaderText(normaliseNewlines(text)).text : normaliseNewlines(text), pageStarts: [0] };
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
