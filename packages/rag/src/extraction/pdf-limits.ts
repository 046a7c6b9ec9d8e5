// A PDF can be a decompression bomb: a 500 KB file whose content stream inflates to 500 MB kept pdf.js
// busy for 21 s and 0.8 GB, and pdf.js keeps decoded streams in ArrayBuffers, which the extraction
// worker's heap limit does not count. Before pdf.js sees the file, its objects are read with pdf.js's
// syntax (pdf-syntax.ts; object streams too) and every stream is decoded the way pdf.js will decode it —
// each filter of its chain, hex and ASCII85 text before the inflate, LZW and run-length too — with its
// output counted and dropped, stopping as soon as the total passes the limit. A filter or an image size
// the guard cannot read is refused: pdf.js would decode it, the guard could not measure it.
import { ExtractionError } from "../errors";
import { inflateCounted } from "./counted-inflate";
import { decodeAscii85, decodeAsciiHex, lzwDecodedSize, runLengthDecodedSize } from "./pdf-stream-filters";
import { jpegPixels, jpxPixels } from "./pdf-image-size";
import { isDict, isName, isRef, PdfLexer, type PdfDict, type PdfValue } from "./pdf-syntax";

/** Abbreviated filter names (inline-image style, which pdf.js accepts everywhere). */
const ABBREVIATIONS: Record<string, string> = { Fl: "FlateDecode", AHx: "ASCIIHexDecode", A85: "ASCII85Decode", LZW: "LZWDecode", RL: "RunLengthDecode" };

/** A filter's full name (the lexer has decoded #xx escapes already). */
function filterName(name: string): string {
  return ABBREVIATIONS[name] ?? name;
}

/** Bytes the chain's measured filters produce (counted up to just past `limit`); with `keep`, also the decoded bytes. */
async function decodedSize(data: Uint8Array, names: readonly string[], limit: number, keep = false): Promise<{ size: number; bytes?: Uint8Array }> {
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
        const out = await inflateCounted(current, limit, { keep: keep || !last, onError: "count" });
        size = out.size;
        if (out.bytes === undefined) return { size };
        current = out.bytes;
        break;
      }
      case "LZWDecode":
        if (!last) return { size: limit + 1 }; // LZW feeding another filter: not seen in real files, not measured
        return { size: lzwDecodedSize(current, limit) };
      case "RunLengthDecode":
        if (!last) return { size: limit + 1 };
        return { size: runLengthDecodedSize(current, limit) };
      default:
        return { size }; // an image codec ends what the guard measures
    }
    if (size > limit) return { size };
  }
  return keep ? { size, bytes: current } : { size };
}

const MEASURED_FILTERS = new Set(["ASCIIHexDecode", "ASCII85Decode", "FlateDecode", "LZWDecode", "RunLengthDecode"]);

function isMeasured(name: string): boolean {
  return MEASURED_FILTERS.has(name);
}

function tooLarge(file: string, maxUncompressedBytes: number): ExtractionError {
  return new ExtractionError("RAG_FILE_TOO_LARGE", file, `PDF '${file}' has compressed streams that expand to more than ${maxUncompressedBytes} bytes`, {
    hint: "This looks like a decompression bomb; if the document is genuine, split it or raise maxUncompressedBytes in the rag config.",
    details: { maxUncompressedBytes },
  });
}

/** Where an indirect object's value starts: in the file, or in a decoded object stream. */
interface ObjectSource {
  readonly text: string;
  readonly pos: number;
}

interface StreamObject {
  readonly dict: PdfDict;
  readonly data: Uint8Array;
}

/** Thrown when reading a file's objects would take more than a real file's share of work. */
/** The file is past a cap of the guard's reading: refused, never read in part (what pdf.js reads could be the rest). */
class PdfTooComplexError extends Error {
  constructor(readonly what: string) {
    super(what);
  }
}

/** Definitions of one object number the guard reads; a file with more is refused (its xref may pick the one left out). */
export const MAX_DEFINITIONS_PER_OBJECT = 16;
/** References one value may lead through (chains and every definition on the way); a file needing more is refused. */
export const MAX_REFERENCES_PER_VALUE = 64;
/** Filter chains one stream may have (each definition of each referenced filter combined); more is refused. */
const MAX_FILTER_CHAINS = 16;

/** The file's indirect objects and streams, read as pdf.js reads them (object streams included once decoded). */
class PdfObjects {
  readonly text: string;
  /** Every definition of each object: a file may define one several times, and its xref picks which one pdf.js reads. */
  readonly #sources = new Map<string, ObjectSource[]>();
  readonly streams: StreamObject[] = [];

  /** Where each "endstream" starts, in order: one scan, so a file of streams without one costs no rescans. */
  readonly #endstreams: number[] = [];
  /** Each definition's value, parsed once. */
  readonly #parsed = new Map<ObjectSource, PdfValue>();

  constructor(readonly bytes: Uint8Array) {
    this.text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("latin1");
    for (let at = this.text.indexOf("endstream"); at >= 0; at = this.text.indexOf("endstream", at + 9)) this.#endstreams.push(at);
    // "12 0 obj", with comments allowed between its tokens, as pdf.js's lexer skips them. Written so that no
    // input makes it backtrack: a number starts after a non-digit, and a comment part cannot contain "%".
    const header = /(?<!\d)(\d+)(?:\s|%[^\r\n%]*)+(\d+)(?:\s|%[^\r\n%]*)+obj\b/g;
    const found: Array<{ dict: PdfDict; start: number }> = [];
    // Objects do not overlap in a real file; a hostile one nests headers in unclosed values so that each parse runs
    // to the end: past this much reading the file is refused as too complex to check.
    let budget = 8 * this.text.length + (1 << 20);
    for (let m = header.exec(this.text); m !== null; m = header.exec(this.text)) {
      const at = m.index + m[0].length;
      const source = { text: this.text, pos: at };
      this.define(`${m[1]} ${m[2]}`, source);
      const lexer = new PdfLexer(this.text, at);
      const value = lexer.value();
      this.#parsed.set(source, value);
      budget -= lexer.pos - at;
      if (budget < 0) throw new PdfTooComplexError("objects nested so deep that");
      if (isDict(value) && lexer.keyword() === "stream") found.push({ dict: value, start: lexer.streamStart() });
    }
    // Lengths may be references: read the streams once every object is known.
    for (const { dict, start } of found) this.streams.push({ dict, data: this.streamData(dict, start) });
  }

  private define(key: string, source: ObjectSource): void {
    const list = this.#sources.get(key);
    if (list === undefined) this.#sources.set(key, [source]);
    else if (list.length < MAX_DEFINITIONS_PER_OBJECT) list.push(source);
    else throw new PdfTooComplexError(`an object defined more than ${MAX_DEFINITIONS_PER_OBJECT} times, which`);
  }

  /** The first "endstream" at or after `from`, or -1. */
  private endstreamAfter(from: number): number {
    let lo = 0;
    let hi = this.#endstreams.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((this.#endstreams[mid] ?? 0) < from) lo = mid + 1;
      else hi = mid;
    }
    return this.#endstreams[lo] ?? -1;
  }

  /**
   * The stream's data: its /Length when `endstream` follows it (the longest such, when the length is defined
   * several ways), else up to the next `endstream`, as pdf.js falls back.
   */
  private streamData(dict: PdfDict, start: number): Uint8Array {
    let best = -1;
    for (const length of this.numbers(dict.get("Length"))) {
      if (length >= 0 && start + length <= this.bytes.length && length > best && /^\s*endstream/.test(this.text.slice(start + length, start + length + 32))) best = length;
    }
    if (best >= 0) return this.bytes.subarray(start, start + best);
    const end = this.endstreamAfter(start);
    return this.bytes.subarray(start, end < 0 ? this.bytes.length : end);
  }

  /** Adds the objects an object stream holds ("num offset" pairs, then the objects from /First). */
  addObjectStream(dict: PdfDict, decoded: Uint8Array): void {
    const text = Buffer.from(decoded.buffer, decoded.byteOffset, decoded.byteLength).toString("latin1");
    const count = Math.max(0, ...this.numbers(dict.get("N")));
    const first = Math.max(0, ...this.numbers(dict.get("First")));
    const lexer = new PdfLexer(text, 0);
    for (let i = 0; i < count && i < 100_000; i++) {
      const num = lexer.value();
      const offset = lexer.value();
      if (typeof num !== "number" || typeof offset !== "number") return;
      this.define(`${num} 0`, { text, pos: first + offset });
    }
  }

  /** Every value `value` may stand for (each definition of a referenced object); none when a reference leads nowhere. */
  resolve(value: PdfValue | undefined, budget = { left: MAX_REFERENCES_PER_VALUE }): PdfValue[] {
    if (value === undefined) return [];
    if (!isRef(value)) return [value];
    const out: PdfValue[] = [];
    for (const source of this.#sources.get(value.ref) ?? []) {
      // a chain of references (or a loop) longer than any real file's: what is left unread could be what pdf.js reads
      if (--budget.left < 0) throw new PdfTooComplexError(`a value behind more than ${MAX_REFERENCES_PER_VALUE} references, which`);
      let parsed = this.#parsed.get(source);
      if (parsed === undefined) this.#parsed.set(source, (parsed = new PdfLexer(source.text, source.pos).value()));
      out.push(...this.resolve(parsed, budget));
    }
    return out;
  }

  numbers(value: PdfValue | undefined): number[] {
    return this.resolve(value).filter((v): v is number => typeof v === "number");
  }

  /**
   * Every filter chain the stream may have, as pdf.js reads it (`dict.get("F", "Filter")`, each array element
   * resolved), or "unreadable" when one of them cannot be told.
   */
  filterChains(dict: PdfDict): string[][] | "unreadable" {
    const declared = dict.has("F") ? dict.get("F") : dict.get("Filter");
    if (declared === undefined) return [[]];
    const values = this.resolve(declared);
    if (values.length === 0) return "unreadable";
    const chains: string[][] = [];
    for (const value of values) {
      const items = Array.isArray(value) ? value : [value];
      let combined: string[][] = [[]];
      for (const item of items) {
        const names = this.resolve(item);
        if (names.length === 0 || !names.every(isName)) return "unreadable";
        combined = combined.flatMap((chain) => names.map((n) => [...chain, filterName((n as { name: string }).name)]));
        if (combined.length > MAX_FILTER_CHAINS) throw new PdfTooComplexError(`a stream with more than ${MAX_FILTER_CHAINS} possible filter chains, which`);
      }
      chains.push(...combined);
      if (chains.length > MAX_FILTER_CHAINS) throw new PdfTooComplexError(`a stream with more than ${MAX_FILTER_CHAINS} possible filter chains, which`);
    }
    return chains;
  }

  /** Pixels of an image stream (its own /Width × /Height: a mask is one too), or undefined when it is no image. */
  imagePixels(dict: PdfDict): number | "unreadable" | undefined {
    const isImage = this.resolve(dict.get("Subtype")).some((v) => isName(v) && v.name === "Image");
    if (!isImage && !(dict.has("Width") && dict.has("Height"))) return undefined;
    const widths = this.numbers(dict.get("Width") ?? dict.get("W"));
    const heights = this.numbers(dict.get("Height") ?? dict.get("H"));
    if (widths.length === 0 || heights.length === 0) return "unreadable";
    return Math.max(0, ...widths) * Math.max(0, ...heights);
  }
}

/** What the guard checks: decoded stream bytes always; image sizes when the file is to be drawn. */
export interface PdfLimits {
  readonly maxUncompressedBytes: number;
  /** The largest image (masks included) a page may make pdf.js decode; unset when the file is not drawn. */
  readonly maxImagePixels?: number;
  /** False: only images are checked (the streams were measured before, when the text was extracted). */
  readonly measureStreams?: boolean;
}

function unreadable(file: string, what: string): ExtractionError {
  return new ExtractionError("RAG_FILE_CORRUPT", file, `PDF '${file}' has ${what} the size check cannot read`, {
    hint: "Re-save the PDF (e.g. print to PDF) so its streams state their filters and sizes directly, and ingest it again.",
  });
}

/**
 * Throws RAG_FILE_TOO_LARGE when the PDF's streams decode to more than `maxUncompressedBytes` in total
 * (or, with `maxImagePixels`, when it holds a larger image or mask), and RAG_FILE_CORRUPT when a stream's
 * filter or an image's size cannot be read (so it cannot be measured).
 */
export async function assertPdfWithinLimits(file: string, bytes: Uint8Array, limits: PdfLimits): Promise<void> {
  try {
    await checkPdfWithinLimits(file, bytes, limits);
  } catch (error) {
    // past a cap of the guard's reading the file is refused: fail closed
    if (error instanceof PdfTooComplexError) throw unreadable(file, error.what);
    throw error;
  }
}

async function checkPdfWithinLimits(file: string, bytes: Uint8Array, limits: PdfLimits): Promise<void> {
  const { maxUncompressedBytes, maxImagePixels, measureStreams = true } = limits;
  const pdf = new PdfObjects(bytes);
  let total = 0;
  const measure = async (stream: StreamObject, keep: boolean): Promise<Uint8Array | undefined> => {
    const chains = pdf.filterChains(stream.dict);
    if (chains === "unreadable") throw unreadable(file, "a stream filter");
    // Each chain the stream may have is measured; the largest counts.
    let largest: { size: number; bytes?: Uint8Array } = { size: 0 };
    for (const chain of chains) {
      const out = await decodedSize(stream.data, chain, maxUncompressedBytes - total, keep && chains.length === 1);
      if (out.size >= largest.size) largest = out;
    }
    total += largest.size;
    if (total > maxUncompressedBytes) throw tooLarge(file, maxUncompressedBytes);
    return largest.bytes;
  };
  // Object streams first: the objects they hold may be the filters and sizes of other streams.
  const objectStreams = new Set<StreamObject>();
  for (const stream of pdf.streams) {
    if (!pdf.resolve(stream.dict.get("Type")).some((t) => isName(t) && t.name === "ObjStm")) continue;
    objectStreams.add(stream);
    const decoded = await measure(stream, true);
    if (decoded !== undefined) pdf.addObjectStream(stream.dict, decoded);
  }
  for (const stream of pdf.streams) {
    if (objectStreams.has(stream)) continue;
    if (measureStreams) await measure(stream, false);
    if (maxImagePixels === undefined) continue;
    const declared = pdf.imagePixels(stream.dict);
    const coded = declared === undefined ? undefined : await codedPixels(pdf, stream, maxUncompressedBytes);
    if (declared === "unreadable" || coded === "unreadable") throw unreadable(file, "an image whose size");
    const pixels = declared === undefined ? undefined : Math.max(declared, coded ?? 0);
    if (pixels !== undefined && pixels > maxImagePixels) {
      throw new ExtractionError("RAG_FILE_TOO_LARGE", file, `PDF '${file}' holds an image of ${pixels} pixels, more than the ${maxImagePixels} a page may draw`, {
        hint: "An image or mask this large is hostile or a scan at an extreme resolution; re-scan or re-save it at 300-600 dpi.",
        details: { pixels, maxImagePixels },
      });
    }
  }
}

/**
 * The pixels an image's codec will decode (a JPEG's frame header, a JPEG 2000's SIZ), which pdf.js follows rather
 * than the declared /Width and /Height; undefined for images without such a codec.
 */
async function codedPixels(pdf: PdfObjects, stream: StreamObject, maxUncompressedBytes: number): Promise<number | "unreadable" | undefined> {
  const chains = pdf.filterChains(stream.dict);
  if (chains === "unreadable") return "unreadable";
  let largest: number | undefined;
  for (const chain of chains) {
    const codec = chain.findIndex((f) => f === "DCTDecode" || f === "JPXDecode");
    if (codec < 0) continue;
    const before = codec === 0 ? { size: stream.data.length, bytes: stream.data } : await decodedSize(stream.data, chain.slice(0, codec), maxUncompressedBytes, true);
    if (before.bytes === undefined) return "unreadable";
    const pixels = chain[codec] === "DCTDecode" ? jpegPixels(before.bytes) : jpxPixels(before.bytes);
    if (pixels === "unreadable") return "unreadable";
    if (pixels !== undefined) largest = Math.max(largest ?? 0, pixels);
  }
  return largest;
}

/** Throws RAG_FILE_TOO_LARGE when the PDF's streams decode to more than `maxUncompressedBytes` in total (see assertPdfWithinLimits). */
export function assertPdfStreamsWithinLimits(file: string, bytes: Uint8Array, maxUncompressedBytes: number): Promise<void> {
  return assertPdfWithinLimits(file, bytes, { maxUncompressedBytes });
}
