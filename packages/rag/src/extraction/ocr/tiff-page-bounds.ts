// What decoding one TIFF page will cost, computed from its directory before utif2 allocates anything.
// utif2 sizes its buffers from tags a hostile file sets freely (a tile's width and height, bits and
// samples per pixel), its JPEG decoder from each strip's own frame header, and its inflater not at all:
// a 162-byte file declaring a 40000×40000 tile zero-fills 1.6 GB. Each of those is bounded here.
import { OcrError } from "../../errors";
import { inflateCounted } from "../counted-inflate";
import { jpegPixels, jpegScanCount } from "../pdf-image-size";
import type { TiffDirectory } from "./tiff-directories";

// Compressions a scanner or fax writes, and utif2 decodes: none, CCITT 1D / G3 / G4, LZW, JPEG, Deflate
// (both codes), PackBits. The rest are camera raw formats, not documents.
const SCAN_COMPRESSIONS = new Set([1, 2, 3, 4, 5, 7, 8, 32946, 32773]);

export interface TiffPageShape {
  readonly width: number;
  readonly height: number;
  /** Bytes the decode will hold at its peak (pixel buffer, tile, RGBA copy, gray copy, one strip's inflate). */
  readonly decodeBytes: number;
}

function first(directory: TiffDirectory, tag: number): number | undefined {
  const values = directory[`t${tag}`];
  const value = Array.isArray(values) ? values[0] : undefined;
  return typeof value === "number" ? value : undefined;
}

function numbers(directory: TiffDirectory, tag: number): readonly number[] | undefined {
  const values = directory[`t${tag}`];
  return Array.isArray(values) && values.every((v) => typeof v === "number") ? (values as number[]) : undefined;
}

function unsupported(page: number, what: string): OcrError {
  return new OcrError("RAG_OCR_PAGE_FAILED", `TIFF page ${page} cannot be read: ${what}`, {
    hint: "This page is damaged or not a document scan; re-save it as an 8-bit or 1-bit TIFF, PNG or PDF. The other pages were kept.",
    details: { page },
  });
}

/**
 * Checks that page `page` (its directory `directory`) decodes within `budgetBytes`, reading every
 * compressed strip's or tile's output size first (Deflate inflated with its output counted, LZW counted
 * as utif2 decodes it, JPEG by its frame headers). The directory's strip or tile byte counts are cut to
 * the file in place (the decoder reads them as given). Throws `RAG_OCR_PAGE_TOO_LARGE` over the budget and
 * `RAG_OCR_PAGE_FAILED` for damage or a format that is not a scan. `strips: "checked"` skips reading the
 * strips (the inflate, the LZW count, the JPEG headers) for a page whose same bytes were checked before
 * (a reader process decoding a page its caller checked): the directory's checks and cuts still run.
 */
export async function boundTiffPage(bytes: Uint8Array, directory: TiffDirectory, page: number, budgetBytes: number, maxScanPixels: number, strips: "check" | "checked" = "check"): Promise<TiffPageShape> {
  const width = first(directory, 256) ?? 0;
  const height = first(directory, 257) ?? 0;
  if (!(width > 0 && height > 0)) throw unsupported(page, "it has no width or height");
  const compression = first(directory, 259) ?? 1;
  if (!SCAN_COMPRESSIONS.has(compression)) throw unsupported(page, `compression ${compression} is not a scanner's`);
  const bitsPerSample = first(directory, 258) ?? 1;
  const samples = first(directory, 277) ?? 1;
  if (![1, 2, 4, 8, 16].includes(bitsPerSample) || !(samples >= 1 && samples <= 5)) {
    throw unsupported(page, `${samples} samples of ${bitsPerSample} bits per pixel`);
  }
  const photometric = first(directory, 262);
  if (compression === 7 && (photometric === 32803 || photometric === 34892)) throw unsupported(page, "it is a camera's lossless JPEG");
  const bitsPerPixel = bitsPerSample * samples;
  const rowBytes = Math.ceil((width * bitsPerPixel) / 8);
  const tiled = directory["t322"] !== undefined;
  const tileWidth = tiled ? (first(directory, 322) ?? 0) : width;
  const tileHeight = tiled ? (first(directory, 323) ?? 0) : Math.min(first(directory, 278) ?? height, height);
  if (!(tileWidth > 0 && tileHeight > 0)) throw unsupported(page, "its tiles or strips have no size");
  const pieceBytes = Math.ceil((tileWidth * tileHeight * bitsPerPixel) / 8);
  const offsets = numbers(directory, tiled ? 324 : 273);
  const counts = numbers(directory, tiled ? 325 : 279);
  const needed = tiled ? Math.ceil(width / tileWidth) * Math.ceil(height / tileHeight) : Math.ceil(height / tileHeight);
  // utif2 decodes every listed strip (and as many tiles as the image needs), each as long as its count says.
  if (!offsets || offsets.length === 0 || (compression !== 1 && !counts) || (counts && counts.length < offsets.length) || (tiled ? offsets.length < needed : offsets.length > needed)) {
    throw unsupported(page, "its strip or tile table does not match its size");
  }
  const used = tiled ? needed : offsets.length;
  // Counts are cut to the file (utif2 copies an uncompressed strip byte by byte for as long as its count
  // says), and pieces may not overlap more than the file could hold.
  const clamped = counts?.map((count, i) => Math.min(count, Math.max(0, bytes.length - (offsets[i] ?? 0))));
  let input = 0;
  if (clamped) {
    for (let i = 0; i < used; i++) input += clamped[i] ?? 0;
    directory[`t${tiled ? 325 : 279}`] = clamped;
  }
  if (input > bytes.length) throw unsupported(page, "its strips or tiles overlap");
  const decodeBytes = height * rowBytes + (tiled ? pieceBytes : 0) + width * height * 5 + (compression === 8 || compression === 32946 ? pieceBytes : 0);
  if (decodeBytes > budgetBytes) {
    throw new OcrError("RAG_OCR_PAGE_TOO_LARGE", `TIFF page ${page} (${width}×${height} pixels) would need ${Math.ceil(decodeBytes / 2 ** 20)} MiB to decode, over the ${budgetBytes / 2 ** 20} MiB limit`, {
      hint: "Scan at 300 dpi or less, in 8-bit gray or 1-bit, or split the image.",
      details: { page, width, height, decodeBytes, budgetBytes },
    });
  }
  if (strips === "checked") return { width, height, decodeBytes };
  let scanPixels = 0;
  for (let i = 0; i < used; i++) {
    const at = offsets[i] ?? 0;
    const length = clamped?.[i] ?? 0;
    if (compression === 1 || at >= bytes.length) continue;
    const data = bytes.subarray(at, at + length);
    if (compression === 8 || compression === 32946) {
      // utif2 skips the zlib header and checksum and inflates the rest whole, with no output limit.
      const { size } = await inflateCounted(data.subarray(2, Math.max(2, data.length - 4)), pieceBytes, { raw: true, onError: "count" });
      if (size > pieceBytes) throw unsupported(page, `strip ${i + 1} inflates past its ${pieceBytes} bytes`);
    } else if (compression === 5) {
      if (tiffLzwOutputSize(data, 2 * pieceBytes + 1024) > 2 * pieceBytes + 1024) throw unsupported(page, `strip ${i + 1} decodes past its ${pieceBytes} bytes`);
    } else if (compression === 7) {
      const pixels = jpegPixels(data);
      if (pixels === "unreadable" || (pixels ?? 0) > (tileWidth + 16) * (tileHeight + 16)) {
        throw unsupported(page, `strip ${i + 1}'s JPEG frame is larger than the strip it fills`);
      }
      const scans = jpegScanCount(data);
      if (scans > 64) throw unsupported(page, `strip ${i + 1} is a JPEG of ${scans} scans`);
      scanPixels += scans * (pixels ?? 0);
      if (scanPixels > maxScanPixels) throw unsupported(page, `its JPEG strips' scans would walk the page ${Math.round(scanPixels / (width * height))} times`);
    }
  }
  return { width, height, decodeBytes };
}

/**
 * At most the bytes utif2's LZW decoder writes for `data`, counted without writing them (stopping past
 * `limit`). utif2 emits each code's whole string even beyond its target, so a few bytes of codes can
 * cost seconds of CPU. Its code table lives for the process and is kept across clear codes, so a code
 * this stream never defined reads whatever an earlier file left there: counted here as the longest
 * string the table can hold. For a well-formed stream the count is exact.
 */
export function tiffLzwOutputSize(data: Uint8Array, limit: number): number {
  const lengths = new Uint32Array(4096).fill(4096);
  for (let code = 0; code < 258; code++) lengths[code] = 1;
  const end = data.length * 8;
  let bit = 0;
  let width = 9;
  let next = 258;
  let previous = 0;
  let size = 0;
  const read = (): number => {
    const at = bit >>> 3;
    const word = ((data[at] ?? 0) << 16) | ((data[at + 1] ?? 0) << 8) | (data[at + 2] ?? 0);
    const code = (word >>> (24 - (bit & 7) - width)) & ((1 << width) - 1);
    bit += width;
    return code;
  };
  const define = (from: number): void => {
    if (next < 4096) lengths[next] = Math.min(4096, (lengths[from] ?? 0) + 1);
    next++;
    if (next + 1 === 1 << width && width !== 12) width++;
  };
  while (bit < end) {
    let code = read();
    if (code === 257) break;
    if (code === 256) {
      width = 9;
      next = 258;
      code = read();
      if (code === 257) break;
      size += lengths[code] ?? 0;
    } else if (code < next) {
      size += lengths[code] ?? 0;
      define(previous);
    } else {
      define(previous);
      size += lengths[Math.min(next - 1, 4095)] ?? 0;
    }
    if (size > limit) return size;
    previous = code;
  }
  return size;
}
