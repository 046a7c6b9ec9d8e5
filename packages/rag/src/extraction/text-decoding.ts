// Real contracts arrive as UTF-16 (Windows "Unicode" text, with a byte-order mark) and as Latin-1 /
// Windows-1252 text. They are text, not binary: this turns them into UTF-8 before the format is
// sniffed, and leaves everything else (UTF-8, PDFs, zips, true binaries) exactly as it was.

import { isUtf8 } from "node:buffer";

/** The encoding a file's bytes were read as. */
export type SourceEncoding = "utf-8" | "utf-16le" | "utf-16be" | "windows-1252" | "unchanged";

export interface TranscodedText {
  readonly bytes: Uint8Array;
  readonly encoding: SourceEncoding;
}

const SAMPLE = 64 * 1024;
const MAGIC: readonly (readonly number[])[] = [
  [0x25, 0x50, 0x44, 0x46], // %PDF
  [0x50, 0x4b, 0x03, 0x04], // zip
  [0xd0, 0xcf, 0x11, 0xe0], // OLE
];

const startsWith = (bytes: Uint8Array, magic: readonly number[]): boolean => magic.every((b, i) => bytes[i] === b);


/** UTF-16 without a BOM: in Latin-script text every other byte is zero. */
function utf16WithoutBom(bytes: Uint8Array): "utf-16le" | "utf-16be" | undefined {
  const n = Math.min(bytes.length, SAMPLE) & ~1;
  if (n < 4) return undefined;
  if (bytes.subarray(0, n).indexOf(0) < 0) return undefined; // no zero byte at all (most text): a native scan answers
  let zeroEven = 0;
  let zeroOdd = 0;
  for (let i = 0; i < n; i += 2) {
    if (bytes[i] === 0) zeroEven++;
    if (bytes[i + 1] === 0) zeroOdd++;
  }
  const pairs = n / 2;
  if (zeroOdd > pairs * 0.6 && zeroEven < pairs * 0.05) return "utf-16le";
  if (zeroEven > pairs * 0.6 && zeroOdd < pairs * 0.05) return "utf-16be";
  return undefined;
}

/**
 * Single-byte legacy text: no NUL, almost no control characters, and mostly ASCII (Latin-script
 * prose has a few accented letters per line; binary data is about half high bytes).
 */
function looksLikeSingleByteText(bytes: Uint8Array): boolean {
  const sample = bytes.subarray(0, SAMPLE);
  let control = 0;
  let high = 0;
  for (const b of sample) {
    if (b === 0) return false;
    if (b < 9 || (b > 13 && b < 32 && b !== 27) || b === 127) control++;
    else if (b >= 0x80) high++;
  }
  return control <= sample.length * 0.01 && high <= sample.length * 0.3;
}

// Windows-1252's 0x80-0x9F (Node 20's TextDecoder("windows-1252") decodes them as Latin-1 C1
// controls); the five unassigned bytes stay C1 controls, as the WHATWG decoder maps them.
const CP1252_HIGH = "€\u0081‚ƒ„…†‡ˆ‰Š‹Œ\u008dŽ\u008f\u0090‘’“”•–—˜™š›œ\u009džŸ";

function decodeWindows1252(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)
    .toString("latin1")
    .replace(/[\u0080-\u009f]/g, (c) => CP1252_HIGH[c.charCodeAt(0) - 0x80] as string);
}

function decodeTo(bytes: Uint8Array, encoding: "utf-16le" | "utf-16be" | "windows-1252", skip: number): Uint8Array {
  const body = bytes.subarray(skip);
  return new TextEncoder().encode(encoding === "windows-1252" ? decodeWindows1252(body) : new TextDecoder(encoding).decode(body));
}

/**
 * UTF-16 text, or binary that happens to start with a byte-order mark (or to have every other byte zero):
 * decoded text has no NUL and almost no control characters.
 */
function decodeUtf16Text(bytes: Uint8Array, encoding: "utf-16le" | "utf-16be", skip: number): TranscodedText | undefined {
  const text = new TextDecoder(encoding).decode(bytes.subarray(skip, skip + SAMPLE));
  let control = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0) return undefined;
    if (c < 9 || (c > 13 && c < 32 && c !== 27) || c === 127) control++;
  }
  if (control > text.length * 0.01) return undefined;
  return { bytes: decodeTo(bytes, encoding, skip), encoding };
}

/**
 * Returns UTF-8 bytes for text in UTF-16 (with or without a BOM) or Windows-1252 / Latin-1, and the
 * input itself for UTF-8 and for anything that is not text (refused later as binary).
 */
export function transcodeToUtf8(bytes: Uint8Array): TranscodedText {
  if (bytes.length === 0 || MAGIC.some((m) => startsWith(bytes, m))) return { bytes, encoding: "unchanged" };
  const bom = startsWith(bytes, [0xff, 0xfe]) && !startsWith(bytes, [0xff, 0xfe, 0, 0]) ? "utf-16le" : startsWith(bytes, [0xfe, 0xff]) ? "utf-16be" : undefined;
  if (bom) return decodeUtf16Text(bytes, bom, 2) ?? { bytes, encoding: "unchanged" };
  // Before the UTF-8 test: UTF-16 of ASCII letters is also valid UTF-8 (full of NULs).
  const utf16 = utf16WithoutBom(bytes);
  const decoded = utf16 && decodeUtf16Text(bytes, utf16, 0);
  if (decoded) return decoded;
  // Validated without decoding (what a fatal TextDecoder accepts; the text is decoded once, later).
  if (isUtf8(bytes)) return { bytes, encoding: "utf-8" };
  if (looksLikeSingleByteText(bytes)) return { bytes: decodeTo(bytes, "windows-1252", 0), encoding: "windows-1252" };
  return { bytes, encoding: "unchanged" };
}
