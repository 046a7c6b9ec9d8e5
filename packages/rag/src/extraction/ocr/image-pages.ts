import { OcrError } from "../../errors";
import { inflateCounted } from "../counted-inflate";
import { jpegPixels, jpegScanCount } from "../pdf-image-size";
import { downscaleGray, rgbaToGray, scaleToFit, type GrayImage } from "./gray-image";
import { readTiffDirectory, readTiffFile, type TiffDirectory } from "./tiff-directories";
import { boundTiffPage } from "./tiff-page-bounds";

/** The raster formats ingested as scans. */
export type ImageKind = "png" | "jpeg" | "tiff";

/** Resolution assumed when a file does not declare one (the usual office-scanner setting). */
const DEFAULT_DPI = 300;
/**
 * What decoding one page may hold at its peak, computed from the file's headers before any pixel is
 * decoded (a decompression bomb guard counting bytes, not pixels: a 16-bit RGBA PNG costs ~28 bytes
 * per pixel in pngjs, an 8-bit gray one ~6). 512 MiB decodes an A4 page scanned at 600 dpi in colour.
 */
export const MAX_DECODE_BYTES = 512 * 2 ** 20;
/**
 * A progressive JPEG's decode visits every pixel once per scan: scans × pixels is its CPU. 400 M is a
 * 12-scan progressive A4 page at 600 dpi (encoders' progressive scripts use up to ~12 scans).
 */
export const MAX_JPEG_SCAN_PIXELS = 400_000_000;

export function imageKindOf(bytes: Uint8Array): ImageKind | undefined {
  if (bytes[0] === 0x89 && bytes[1] === 0x50 && bytes[2] === 0x4e && bytes[3] === 0x47) return "png";
  if (bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return "jpeg";
  if ((bytes[0] === 0x49 && bytes[1] === 0x49 && bytes[2] === 0x2a && bytes[3] === 0) || (bytes[0] === 0x4d && bytes[1] === 0x4d && bytes[2] === 0 && bytes[3] === 0x2a)) return "tiff";
  return undefined;
}

export interface ImagePagesOptions {
  /**
   * The caller ran each page's `check()` on these same bytes (a reader process decoding for its pool):
   * `decode` then skips what the check read from a TIFF page's strips (inflating a Deflate strip whole,
   * counting an LZW one), which would cost a second pass over the page. Never set it for bytes not checked.
   */
  readonly checkedBefore?: boolean;
}

/** One page of an image file, decoded only when OCR gets to it (so a 300-page TIFF is never all in memory). */
export interface ImagePage {
  readonly page: number;
  /**
   * The page's static bounds, from its headers, decoding no pixel: throws what `decode` would refuse
   * from them (RAG_OCR_PAGE_TOO_LARGE, RAG_OCR_PAGE_FAILED). Cheap: run before a reader process decodes it.
   */
  check(): Promise<void>;
  /** `check`, then the decode, in this thread. */
  decode(): Promise<GrayImage>;
}

function tooLarge(page: number, size: string, decodeBytes: number, budgetBytes: number): OcrError {
  return new OcrError("RAG_OCR_PAGE_TOO_LARGE", `image page ${page} (${size}) would need ${Math.ceil(decodeBytes / 2 ** 20)} MiB to decode, over the ${Math.round(budgetBytes / 2 ** 20)} MiB limit`, {
    hint: "Scan at 300 dpi or less, in 8-bit gray or 1-bit, or split the image.",
    details: { page, decodeBytes, budgetBytes },
  });
}

/** PNG pHYs (pixels per metre) or JPEG JFIF density, when the file declares one. */
function declaredDpi(bytes: Uint8Array, kind: "png" | "jpeg"): number | undefined {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (kind === "png") {
    for (let at = 8; at + 12 <= bytes.length; ) {
      const length = view.getUint32(at);
      const type = String.fromCharCode(...bytes.subarray(at + 4, at + 8));
      if (type === "pHYs" && length >= 9 && bytes[at + 16] === 1) return Math.round(view.getUint32(at + 8) * 0.0254);
      if (type === "IDAT" || type === "IEND") return undefined;
      at += 12 + length;
    }
    return undefined;
  }
  // JFIF APP0: "JFIF\0", version, units (1 = dpi, 2 = dots/cm), x density.
  if (bytes[2] === 0xff && bytes[3] === 0xe0 && String.fromCharCode(...bytes.subarray(6, 11)) === "JFIF\0" && bytes.length > 16) {
    const units = bytes[13];
    const x = view.getUint16(14);
    if (units === 1 && x > 1) return x;
    if (units === 2 && x > 1) return Math.round(x * 2.54);
  }
  return undefined;
}

/** Refuses a JPEG whose scans would each walk its whole image too many times (see MAX_JPEG_SCAN_PIXELS). */
export function assertJpegScansFit(page: number, scans: number, pixels: number): void {
  if (scans <= 64 && scans * pixels <= MAX_JPEG_SCAN_PIXELS) return;
  throw new OcrError("RAG_OCR_PAGE_TOO_LARGE", `image page ${page} is a JPEG of ${scans} scans over ${Math.round(pixels / 1e6)} MP: decoding it would walk the image ${scans} times`, {
    hint: "Re-save the scan as a baseline (non-progressive) JPEG, a PNG or a PDF.",
    details: { page, scans, pixels },
  });
}

/**
 * pngjs inflates an interlaced PNG's data with no output limit (only the non-interlaced path passes one):
 * its IDAT is inflated here first with the output counted, against the size of its seven Adam7 passes.
 */
async function assertInterlacedPngFits(bytes: Uint8Array, { width, height, bitsPerPixel }: PngHeader): Promise<void> {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const passes: readonly [number, number, number, number][] = [[0, 0, 8, 8], [4, 0, 8, 8], [0, 4, 4, 8], [2, 0, 4, 4], [0, 2, 2, 4], [1, 0, 2, 2], [0, 1, 1, 2]];
  let expected = 0;
  for (const [x0, y0, dx, dy] of passes) {
    const columns = Math.ceil((width - x0) / dx);
    const rows = Math.ceil((height - y0) / dy);
    if (columns > 0 && rows > 0) expected += rows * (1 + Math.ceil((columns * bitsPerPixel) / 8));
  }
  const parts: Uint8Array[] = [];
  for (let at = 8; at + 12 <= bytes.length; ) {
    const length = view.getUint32(at);
    if (String.fromCharCode(...bytes.subarray(at + 4, at + 8)) === "IDAT") parts.push(bytes.subarray(at + 8, Math.min(bytes.length, at + 8 + length)));
    at += 12 + length;
  }
  const { size } = await inflateCounted(Buffer.concat(parts), expected, { onError: "count" });
  if (size > expected) throw new Error(`its interlaced data inflates past the ${expected} bytes its size allows`);
}

function plausibleDpi(dpi: number | undefined): number {
  return dpi !== undefined && dpi >= 70 && dpi <= 1200 ? dpi : DEFAULT_DPI;
}

const PNG_CHANNELS: Record<number, number> = { 0: 1, 2: 3, 3: 1, 4: 2, 6: 4 };

interface PngHeader {
  readonly width: number;
  readonly height: number;
  readonly bitsPerPixel: number;
  /** pngjs's peak: the inflated rows, an 8-bit RGBA copy (16-bit adds a wide one), then gray. */
  readonly decodeBytes: number;
}

/** A PNG's size and pixel format from its IHDR, and what pngjs will hold decoding it. */
function pngHeader(bytes: Uint8Array): PngHeader | undefined {
  if (bytes.length < 26) return undefined;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const width = view.getUint32(16);
  const height = view.getUint32(20);
  const bitDepth = bytes[24] ?? 8;
  const bitsPerPixel = (PNG_CHANNELS[bytes[25] ?? 6] ?? 4) * bitDepth;
  return { width, height, bitsPerPixel, decodeBytes: width * height * (6 + bitsPerPixel / 4 + (bitDepth === 16 ? 8 : 0)) };
}

function decodeFailure(kind: "png" | "jpeg", error: unknown): Error {
  if (OcrError.isInstance(error)) return error;
  return new OcrError("RAG_OCR_PAGE_FAILED", `the ${kind.toUpperCase()} image could not be decoded (${String((error as Error)?.message ?? error).slice(0, 80)})`, {
    hint: "The file is damaged or truncated; re-export or re-scan it.",
    cause: error,
  });
}

/** A PNG's or JPEG's static bounds: what its decoder would hold, an interlaced PNG's inflated size, a JPEG's scans. */
async function checkPngOrJpeg(bytes: Uint8Array, kind: "png" | "jpeg", budgetBytes: number): Promise<void> {
  try {
    if (kind === "png") {
      const size = pngHeader(bytes);
      if (size && size.decodeBytes > budgetBytes) throw tooLarge(1, `${size.width}×${size.height} pixels`, size.decodeBytes, budgetBytes);
      if (size && bytes[28] === 1) await assertInterlacedPngFits(bytes, size);
    } else {
      // jpeg-js holds ~2 bytes per pixel and component of coefficients, the components, then RGBA and gray.
      const pixels = jpegPixels(bytes);
      if (pixels === "unreadable") throw new Error("a frame has no height");
      if ((pixels ?? 0) * 15 > budgetBytes) throw tooLarge(1, `a frame of ${Math.round((pixels ?? 0) / 1e6)} MP`, (pixels ?? 0) * 15, budgetBytes);
      assertJpegScansFit(1, jpegScanCount(bytes), pixels ?? 0);
    }
  } catch (error) {
    throw decodeFailure(kind, error);
  }
}

/**
 * PNG and JPEG are decoded by pure-JavaScript decoders (pngjs, jpeg-js): a hostile or truncated
 * file then fails with an exception, where Skia's native decoder was seen to crash the process.
 */
async function decodePngOrJpeg(bytes: Uint8Array, kind: "png" | "jpeg", maxPixels: number, budgetBytes: number): Promise<GrayImage> {
  await checkPngOrJpeg(bytes, kind, budgetBytes);
  let decoded: { width: number; height: number; data: Uint8Array };
  try {
    if (kind === "png") {
      const { PNG } = (await import("pngjs")).default;
      decoded = PNG.sync.read(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
    } else {
      const jpeg = (await import("jpeg-js")).default;
      decoded = jpeg.decode(bytes, { useTArray: true, formatAsRGBA: true, maxMemoryUsageInMB: Math.ceil(budgetBytes / 2 ** 20) });
    }
  } catch (error) {
    throw decodeFailure(kind, error);
  }
  const { width, height } = decoded;
  const gray: GrayImage = { width, height, pixels: rgbaToGray(decoded.data, width, height), dpi: plausibleDpi(declaredDpi(bytes, kind)) };
  return downscaleGray(gray, scaleToFit(width, height, maxPixels));
}

/**
 * The pages of a PNG, JPEG (one page each) or TIFF (one per image directory, so multi-page fax
 * and scanner TIFFs work). What each page's decode will hold is checked from its headers against
 * `budgetBytes` before any pixel is decoded.
 */
export async function imagePages(bytes: Uint8Array, kind: ImageKind, maxPixels: number, budgetBytes = MAX_DECODE_BYTES, options: ImagePagesOptions = {}): Promise<ImagePage[]> {
  if (kind !== "tiff") return [{ page: 1, check: () => checkPngOrJpeg(bytes, kind, budgetBytes), decode: () => decodePngOrJpeg(bytes, kind, maxPixels, budgetBytes) }];
  // Only the directory chain is walked here (bounded by the file's size); each page's entries are read
  // when OCR gets to it. utif2 reads the file from an ArrayBuffer of its own: made once, not per page.
  const file = readTiffFile(bytes);
  let whole: ArrayBuffer | undefined;
  const buffer = (): ArrayBuffer => (whole ??= bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength ? (bytes.buffer as ArrayBuffer) : (bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer));
  return file.pageOffsets.map((offset, i) => ({
    page: i + 1,
    check: async () => {
      await boundTiffPage(bytes, readTiffDirectory(bytes, file, offset), i + 1, budgetBytes, MAX_JPEG_SCAN_PIXELS);
    },
    decode: () => decodeTiffPage(bytes, buffer(), readTiffDirectory(bytes, file, offset), i + 1, maxPixels, budgetBytes, options.checkedBefore === true ? "checked" : "check"),
  }));
}

async function decodeTiffPage(bytes: Uint8Array, buffer: ArrayBuffer, directory: TiffDirectory, page: number, maxPixels: number, budgetBytes: number, strips: "check" | "checked"): Promise<GrayImage> {
  const { width, height } = await boundTiffPage(bytes, directory, page, budgetBytes, MAX_JPEG_SCAN_PIXELS, strips);
  const UTIF = (await import("utif2")).default;
  const ifd = directory as Parameters<typeof UTIF.decodeImage>[1];
  let rgba: Uint8Array;
  try {
    withoutConsoleLog(() => UTIF.decodeImage(buffer, ifd));
    rgba = UTIF.toRGBA8(ifd);
  } catch (error) {
    throw new OcrError("RAG_OCR_PAGE_FAILED", `TIFF page ${page} could not be decoded (${String(error).slice(0, 80)})`, {
      hint: "This page is damaged or uses an unsupported compression; the other pages were kept.",
      cause: error,
    });
  }
  ifd.data = new Uint8Array(0); // the decoded strip is no longer needed
  const resolution = (directory["t282"] as [number, number][] | undefined)?.[0];
  const unit = (directory["t296"] as number[] | undefined)?.[0] ?? 2;
  const perUnit = resolution && resolution[1] > 0 ? resolution[0] / resolution[1] : undefined;
  const dpi = plausibleDpi(perUnit === undefined ? undefined : unit === 3 ? perUnit * 2.54 : perUnit);
  const gray: GrayImage = { width, height, pixels: rgbaToGray(rgba, width, height), dpi };
  return downscaleGray(gray, scaleToFit(width, height, maxPixels));
}

/**
 * utif2 prints the tile grid of every tiled page with console.log (left in the library): on the CLI's
 * stdout that would corrupt `--json` output. Its decode is synchronous, so nothing else logs meanwhile.
 */
function withoutConsoleLog(decode: () => void): void {
  /* eslint-disable no-console -- silencing a library's stray log, not logging */
  const log = console.log;
  console.log = () => undefined;
  try {
    decode();
  } finally {
    console.log = log;
  }
  /* eslint-enable no-console */
}
