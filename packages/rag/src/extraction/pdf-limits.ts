// A PDF can be a decompression bomb: a 500 KB file whose content stream inflates to 500 MB kept pdf.js
// busy for 21 s and 0.8 GB, and pdf.js keeps decoded streams in ArrayBuffers, which the extraction
// worker's heap limit does not count. Before pdf.js sees the file, every stream is decoded the way
// pdf.js will decode it — each filter of its chain (a name, an array, an indirect reference; names
// with #xx escapes and abbreviations), hex and ASCII85 text before the inflate, LZW and run-length too —
// with its output counted and dropped, stopping as soon as the total passes the limit. A stream whose
// filter cannot be read (a reference to an object inside a compressed object stream) is refused: pdf.js
// would decode it, the guard could not measure it.
import zlib from "node:zlib";
import { ExtractionError } from "../errors";
import { decodeAscii85, decodeAsciiHex, lzwDecodedSize, runLengthDecodedSize } from "./pdf-stream-filters";

/** Inflates zlib data, counting the output (and keeping it when `keep`); stops once past `limit`. Broken data counts what it gave. */
function inflate(data: Uint8Array, limit: number, keep: boolean): Promise<{ size: number; bytes?: Buffer }> {
  return new Promise((resolve) => {
    const inflater = zlib.createInflate({ chunkSize: 64 * 1024 });
    const chunks: Buffer[] = [];
    let size = 0;
    let done = false;
    const finish = (): void => {
      if (done) return;
      done = true;
      resolve(keep && size <= limit ? { size, bytes: Buffer.concat(chunks) } : { size });
    };
    inflater.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (keep) chunks.push(chunk);
      if (size > limit) {
        inflater.destroy();
        finish();
      }
    });
    inflater.on("end", finish);
    inflater.on("error", finish); // pdf.js tolerates damaged streams too; what inflated still counts
    inflater.end(data);
  });
}

/** Filters whose output the guard measures; any other (images: DCT, JPX, JBIG2, CCITT) ends the chain. */
const ABBREVIATIONS: Record<string, string> = { Fl: "FlateDecode", AHx: "ASCIIHexDecode", A85: "ASCII85Decode", LZW: "LZWDecode", RL: "RunLengthDecode" };

/** A PDF name's text: #xx escapes decoded, abbreviations expanded. */
function pdfName(raw: string): string {
  const name = raw.replace(/#([0-9A-Fa-f]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
  return ABBREVIATIONS[name] ?? name;
}

/** A PDF's text as Latin-1 (one char per byte, so offsets are byte offsets) and its plain indirect objects. */
class PdfText {
  readonly text: string;
  readonly #objects = new Map<string, number>();
  /** Where each object header ("12 0 obj") starts, in file order. */
  readonly #headers: number[] = [];

  constructor(bytes: Uint8Array) {
    this.text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("latin1");
    const header = /(\d+)\s+(\d+)\s+obj\b/g;
    for (let m = header.exec(this.text); m !== null; m = header.exec(this.text)) {
      this.#objects.set(`${m[1]} ${m[2]}`, m.index + m[0].length);
      this.#headers.push(m.index);
    }
  }

  /** The text of object `num gen` (up to its endobj), or undefined when it is not a plain object of the file. */
  object(num: string, gen: string): string | undefined {
    const start = this.#objects.get(`${num} ${gen}`);
    if (start === undefined) return undefined;
    const end = this.text.indexOf("endobj", start);
    return this.text.slice(start, end < 0 ? Math.min(this.text.length, start + 4096) : end).trim();
  }

  /** The dictionary before the `stream` keyword at `at`: from its object's header, nested dictionaries included. */
  streamDict(at: number): string {
    let lo = 0;
    let hi = this.#headers.length - 1;
    let found = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if ((this.#headers[mid] ?? 0) < at) {
        found = mid;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    const start = found >= 0 ? (this.#headers[found] ?? 0) : 0;
    return this.text.slice(Math.max(start, at - 64 * 1024), at);
  }
}

type FilterChain = { readonly names: string[] } | { readonly unreadable: string };

/** Every /Filter chain the dictionary names (a nested dictionary may hold one too: each is measured). */
function filterChains(pdf: PdfText, dict: string): FilterChain[] {
  const chains: FilterChain[] = [];
  const key = /\/Filter\s*(\[[^\]]*\]|\/[^\s/<>[\]()]+|(\d+)\s+(\d+)\s+R)/g;
  for (let m = key.exec(dict); m !== null; m = key.exec(dict)) {
    let value = m[1] ?? "";
    if (m[2] !== undefined && m[3] !== undefined) {
      const resolved = pdf.object(m[2], m[3]);
      if (resolved === undefined || !/^(\[[^\]]*\]|\/[^\s/<>[\]()]+)$/.test(resolved)) {
        chains.push({ unreadable: `${m[2]} ${m[3]} R` });
        continue;
      }
      value = resolved;
    }
    chains.push({ names: [...value.matchAll(/\/([^\s/<>[\]()]+)/g)].map((n) => pdfName(n[1] ?? "")) });
  }
  return chains;
}

/** The stream's data: its direct /Length when `endstream` follows it, else up to the next `endstream`. */
function streamData(pdf: PdfText, bytes: Uint8Array, dict: string, start: number): { data: Uint8Array; end: number } | undefined {
  const length = /\/Length\s+(\d+)(?!\s+\d+\s+R)/.exec(dict);
  if (length?.[1] !== undefined) {
    const end = start + Number(length[1]);
    if (end <= bytes.length && /^\s*endstream/.test(pdf.text.slice(end, end + 32))) return { data: bytes.subarray(start, end), end };
  }
  const end = pdf.text.indexOf("endstream", start);
  return end < 0 ? undefined : { data: bytes.subarray(start, end), end };
}

/** Bytes the chain's measured filters produce (counted up to just past `limit`). */
async function decodedSize(data: Uint8Array, names: readonly string[], limit: number): Promise<number> {
  let current: Uint8Array = data;
  let size = 0;
  for (const [i, name] of names.entries()) {
    const last = i === names.length - 1 || !isMeasured(names[i + 1] ?? "");
    switch (name) {
      case "ASCIIHexDecode":
        current = decodeAsciiHex(current);
        size = current.length;
        break;
      case "ASCII85Decode":
        current = decodeAscii85(current);
        size = current.length;
        break;
      case "FlateDecode": {
        const out = await inflate(current, limit, !last);
        size = out.size;
        if (out.bytes === undefined) return size;
        current = out.bytes;
        break;
      }
      case "LZWDecode":
        if (!last) return limit + 1; // LZW feeding another filter: not seen in real files, not measured
        return lzwDecodedSize(current, limit);
      case "RunLengthDecode":
        if (!last) return limit + 1;
        return runLengthDecodedSize(current, limit);
      default:
        return size; // an image codec ends what the guard measures
    }
    if (size > limit) return size;
  }
  return size;
}

function isMeasured(name: string): boolean {
  return ["ASCIIHexDecode", "ASCII85Decode", "FlateDecode", "LZWDecode", "RunLengthDecode"].includes(name);
}

function tooLarge(file: string, maxUncompressedBytes: number): ExtractionError {
  return new ExtractionError("RAG_FILE_TOO_LARGE", file, `PDF '${file}' has compressed streams that expand to more than ${maxUncompressedBytes} bytes`, {
    hint: "This looks like a decompression bomb; if the document is genuine, split it or raise maxUncompressedBytes in the rag config.",
    details: { maxUncompressedBytes },
  });
}

/**
 * Throws RAG_FILE_TOO_LARGE when the PDF's compressed streams decode to more than `maxUncompressedBytes`
 * in total, and RAG_FILE_CORRUPT when a stream's filter cannot be read (so it cannot be measured).
 */
export async function assertPdfStreamsWithinLimits(file: string, bytes: Uint8Array, maxUncompressedBytes: number): Promise<void> {
  const pdf = new PdfText(bytes);
  const keyword = /(?<!end)stream(?:\r\n|\n|\r)/g;
  let total = 0;
  for (let m = keyword.exec(pdf.text); m !== null; m = keyword.exec(pdf.text)) {
    const dict = pdf.streamDict(m.index);
    if (!/>>\s*$/.test(dict)) continue; // "stream" ending a line of text, not a stream's keyword
    const found = streamData(pdf, bytes, dict, m.index + m[0].length);
    if (found === undefined) return;
    keyword.lastIndex = found.end;
    let largest = 0;
    for (const chain of filterChains(pdf, dict)) {
      if ("unreadable" in chain) {
        throw new ExtractionError("RAG_FILE_CORRUPT", file, `PDF '${file}' names a stream filter the size check cannot read (${chain.unreadable})`, {
          hint: "Re-save the PDF (e.g. print to PDF) so its streams name their filters directly, and ingest it again.",
        });
      }
      largest = Math.max(largest, await decodedSize(found.data, chain.names, maxUncompressedBytes - total));
    }
    total += largest;
    if (total > maxUncompressedBytes) throw tooLarge(file, maxUncompressedBytes);
  }
}
