import { isUtf8 } from "node:buffer";
import { imageKindOf } from "./ocr/image-pages";

/** The formats @bear/rag reads, decided from the bytes (never from the file name). */
export type DocumentFormat = "pdf" | "docx" | "html" | "eml" | "markdown" | "text" | "image";

/** What the first bytes say a file is; `unknown` and the encrypted kinds are refused at extraction. */
export type SniffResult = DocumentFormat | "rtf" | "ole-compound" | "zip" | "binary" | "empty";

const PDF = [0x25, 0x50, 0x44, 0x46, 0x2d]; // %PDF-
const ZIP = [0x50, 0x4b, 0x03, 0x04];
const OLE = [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1];
const RTF = [0x7b, 0x5c, 0x72, 0x74, 0x66]; // {\rtf

function startsWith(bytes: Uint8Array, magic: readonly number[], at = 0): boolean {
  return magic.every((b, i) => bytes[at + i] === b);
}

function isProbablyText(bytes: Uint8Array): boolean {
  const sample = bytes.subarray(0, 8192);
  let control = 0;
  for (let i = 0; i < sample.length; i++) {
    const b = sample[i]!;
    if (b === 0) return false;
    if (b < 9 || (b > 13 && b < 32 && b !== 27)) control++;
  }
  if (control > sample.length * 0.02) return false;
  // What a fatal UTF-8 TextDecoder accepts, validated without building the string.
  return isUtf8(sample.length < bytes.length ? trimPartialUtf8(sample) : sample);
}

/** A character `binaryInText` counts: NUL, another control character (not tab, newlines, form feed or escape), or U+FFFD. */
// eslint-disable-next-line no-control-regex -- control characters are what it looks for
const SUSPECT_CHARACTER = /[\0-\x08\x0e-\x1a\x1c-\x1f\ufffd]/;

/**
 * Why a decoded text file is not text after all, read over the whole file (sniffing reads only its first 8 KiB): a
 * NUL anywhere, or a stretch of 8,192 characters (windows overlapping by half, the last one ending at the end) with
 * over 1% U+FFFD replacement characters (invalid UTF-8) or over 2% control characters, the sniff's own rule.
 * Undefined when it is text throughout.
 */
export function binaryInText(text: string): string | undefined {
  // Nearly every text has none of the characters counted: one regex scan then answers.
  return SUSPECT_CHARACTER.test(text) ? binaryInTextScan(text) : undefined;
}

/** `binaryInText` without its fast path: the NUL search and the window scan (exported for the test holding the two equal). */
export function binaryInTextScan(text: string): string | undefined {
  const nul = text.indexOf("\0");
  if (nul >= 0) return `a NUL character at position ${nul}`;
  const size = 8192;
  for (let start = 0; ; start += size / 2) {
    const from = Math.max(0, Math.min(start, text.length - size));
    const to = Math.min(text.length, from + size);
    let replaced = 0;
    let control = 0;
    for (let i = from; i < to; i++) {
      const c = text.charCodeAt(i);
      if (c === 0xfffd) replaced++;
      else if (c < 9 || (c > 13 && c < 32 && c !== 27)) control++;
    }
    const length = to - from;
    if (replaced > length * 0.01) return `${replaced} bytes that are not UTF-8 text in characters ${from}-${to}`;
    if (control > length * 0.02) return `${control} control characters in characters ${from}-${to}`;
    if (to >= text.length) return undefined;
  }
}

/** Drops a UTF-8 sequence cut off at the end of a sample. */
function trimPartialUtf8(sample: Uint8Array): Uint8Array {
  const end = sample.length;
  for (let i = 1; i <= 3 && end - i >= 0; i++) {
    const b = sample[end - i] ?? 0;
    // A lead byte: its sequence is cut when fewer bytes follow it than it announces (a complete last character stays).
    if ((b & 0xc0) === 0xc0) return i < ((b & 0xe0) === 0xc0 ? 2 : (b & 0xf0) === 0xe0 ? 3 : 4) ? sample.subarray(0, end - i) : sample.subarray(0, end);
    if ((b & 0x80) === 0) break;
  }
  return sample.subarray(0, end);
}

const EMAIL_HEADER = /^(from|to|cc|subject|date|received|message-id|mime-version|return-path|delivered-to|reply-to|content-type|x-[a-z-]+):[ \t]/i;

function looksLikeEmail(head: string): boolean {
  const headerBlock = head.split(/\r?\n\r?\n/, 1)[0] ?? "";
  const lines = headerBlock.split(/\r?\n/).filter((l) => !/^[ \t]/.test(l));
  if (lines.length < 2) return false;
  const matching = lines.filter((l) => EMAIL_HEADER.test(l)).length;
  const hasKey = lines.some((l) => /^(from|received|message-id|mime-version):/i.test(l));
  return hasKey && matching >= 2 && matching >= lines.length * 0.6;
}

function looksLikeHtml(head: string): boolean {
  const start = head.trimStart().slice(0, 1024).toLowerCase();
  if (start.startsWith("<!doctype html") || start.startsWith("<html")) return true;
  if (start.startsWith("<?xml") && start.includes("<html")) return true;
  return start.startsWith("<") && /<(head|body|p|div|article|main|h[1-6]|table)[\s>]/.test(start);
}

function looksLikeMarkdown(head: string): boolean {
  return /^#{1,6} \S/m.test(head) || (/^\s*[-*] \S/m.test(head) && /\*\*[^*]+\*\*|\[[^\]]+\]\([^)]+\)/.test(head));
}

/** Reads the magic numbers and, for text, the shape of the first lines. */
export function sniffFormat(bytes: Uint8Array): SniffResult {
  if (bytes.length === 0) return "empty";
  let offset = 0;
  if (startsWith(bytes, [0xef, 0xbb, 0xbf])) offset = 3;
  if (startsWith(bytes, PDF, offset)) return "pdf";
  // Some PDF writers put junk before the header; the spec allows it within the first 1024 bytes.
  const headLatin = Buffer.from(bytes.subarray(0, 1024)).toString("latin1");
  if (headLatin.includes("%PDF-")) return "pdf";
  if (startsWith(bytes, OLE)) return "ole-compound";
  // RTF is ASCII markup: read as text, its escapes (\u1048?, \'e9) and formatting groups ({\b Jane} Okafor) would hide
  // words from search and from the PII scan while a word processor shows them
  if (startsWith(bytes, RTF, offset)) return "rtf";
  if (imageKindOf(bytes)) return "image";
  if (startsWith(bytes, ZIP)) {
    const names = Buffer.from(bytes.subarray(0, Math.min(bytes.length, 1 << 20))).toString("latin1");
    return names.includes("word/document.xml") ? "docx" : "zip";
  }
  if (!isProbablyText(bytes)) return "binary";
  const head = new TextDecoder().decode(trimPartialUtf8(bytes.subarray(offset, 16384)));
  if (head.trim().length === 0) return "empty";
  if (looksLikeHtml(head)) return "html";
  if (looksLikeEmail(head)) return "eml";
  if (looksLikeMarkdown(head)) return "markdown";
  return "text";
}

/** The formats a file name's extension promises (text and Markdown are one family: either reads the same). */
const EXTENSION_FORMATS: Readonly<Record<string, readonly DocumentFormat[]>> = {
  pdf: ["pdf"],
  docx: ["docx"],
  htm: ["html"],
  html: ["html"],
  eml: ["eml"],
  md: ["markdown", "text"],
  markdown: ["markdown", "text"],
  txt: ["text", "markdown"],
  text: ["text", "markdown"],
  png: ["image"],
  jpg: ["image"],
  jpeg: ["image"],
  tif: ["image"],
  tiff: ["image"],
};

const FORMAT_NAMES: Readonly<Record<DocumentFormat, string>> = {
  pdf: "a PDF",
  docx: "a Word document (DOCX)",
  html: "HTML",
  eml: "an e-mail",
  markdown: "Markdown",
  text: "plain text",
  image: "an image",
};

/** A file whose content is not what its extension says: it was read by its content (sniffed). */
export interface FormatNote {
  /** The extension of the name, lower case, without the dot. */
  readonly extension: string;
  /** The format the content was read as. */
  readonly format: DocumentFormat;
  readonly message: string;
}

/**
 * Says when a file was read as something other than its extension promises ("contract.pdf" that
 * holds plain text), so a front door can tell the user instead of accepting it silently. Names
 * without a known extension get no note: there was no promise to break.
 */
export function formatNoteFor(fileName: string, format: DocumentFormat): FormatNote | undefined {
  const dot = fileName.lastIndexOf(".");
  if (dot <= 0 || dot === fileName.length - 1) return undefined;
  const extension = fileName.slice(dot + 1).toLowerCase();
  const promised = EXTENSION_FORMATS[extension];
  if (!promised || promised.includes(format)) return undefined;
  return {
    extension,
    format,
    message: `'${fileName}' is named .${extension} but holds ${FORMAT_NAMES[format]}; it was read as ${FORMAT_NAMES[format]} (the format is sniffed from the content, not taken from the name)`,
  };
}
