import { OcrError } from "../../errors";
import { downscaleGray, rgbaToGray, scaleToFit, type GrayImage } from "./gray-image";

/** The raster formats ingested as scans. */
export type ImageKind = "png" | "jpeg" | "tiff";

/** Resolution assumed when a file does not declare one (the usual office-scanner setting). */
const DEFAULT_DPI = 300;
/** Larger images are refused before decoding (a decompression bomb guard): 200 MP is a 1.4 m × 1.4 m page at 300 dpi. */
const MAX_DECODE_PIXELS = 200_000_000;

export function imageKindOf(bytes: Uint8Array): ImageKind | undefined {
  if (bytes[0] === 0x89 && bytes[1] === 0x50 && bytes[2] === 0x4e && bytes[3] === 0x47) return "png";
  if (bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return "jpeg";
  if ((bytes[0] === 0x49 && bytes[1] === 0x49 && bytes[2] === 0x2a && bytes[3] === 0) || (bytes[0] === 0x4d && bytes[1] === 0x4d && bytes[2] === 0 && bytes[3] === 0x2a)) return "tiff";
  return undefined;
}

/** One page of an image file, decoded only when OCR gets to it (so a 300-page TIFF is never all in memory). */
export interface ImagePage {
  readonly page: number;
  decode(): Promise<GrayImage>;
}

function tooLarge(page: number, width: number, height: number): OcrError {
  return new OcrError("RAG_OCR_PAGE_TOO_LARGE", `image page ${page} is ${width}×${height} pixels, over the ${MAX_DECODE_PIXELS / 1e6} MP decoding limit`, {
    hint: "Scan at 300 dpi or less, or split the image.",
    details: { page, width, height },
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

function plausibleDpi(dpi: number | undefined): number {
  return dpi !== undefined && dpi >= 70 && dpi <= 1200 ? dpi : DEFAULT_DPI;
}

function pngSize(bytes: Uint8Array): { width: number; height: number } | undefined {
  if (bytes.length < 24) return undefined;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return { width: view.getUint32(16), height: view.getUint32(20) };
}

/**
 * PNG and JPEG are decoded by pure-JavaScript decoders (pngjs, jpeg-js): a hostile or truncated
 * file then fails with an exception, where Skia's native decoder was seen to crash the process.
 */
async function decodePngOrJpeg(bytes: Uint8Array, kind: "png" | "jpeg", maxPixels: number): Promise<GrayImage> {
  let decoded: { width: number; height: number; data: Uint8Array };
  try {
    if (kind === "png") {
      const size = pngSize(bytes);
      if (size && size.width * size.height > MAX_DECODE_PIXELS) throw tooLarge(1, size.width, size.height);
      const { PNG } = (await import("pngjs")).default;
      decoded = PNG.sync.read(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
    } else {
      const jpeg = (await import("jpeg-js")).default;
      decoded = jpeg.decode(bytes, { useTArray: true, formatAsRGBA: true, maxResolutionInMP: MAX_DECODE_PIXELS / 1e6, maxMemoryUsageInMB: 2048 });
    }
  } catch (error) {
    if (OcrError.isInstance(error)) throw error;
    throw new OcrError("RAG_OCR_PAGE_FAILED", `the ${kind.toUpperCase()} image could not be decoded (${String((error as Error)?.message ?? error).slice(0, 80)})`, {
      hint: "The file is damaged or truncated; re-export or re-scan it.",
      cause: error,
    });
  }
  const { width, height } = decoded;
  const gray: GrayImage = { width, height, pixels: rgbaToGray(decoded.data, width, height), dpi: plausibleDpi(declaredDpi(bytes, kind)) };
  return downscaleGray(gray, scaleToFit(width, height, maxPixels));
}

/**
 * The pages of a PNG, JPEG (one page each) or TIFF (one per image directory, so multi-page fax
 * and scanner TIFFs work). Sizes are checked from the headers before any pixel is decoded.
 */
export async function imagePages(bytes: Uint8Array, kind: ImageKind, maxPixels: number): Promise<ImagePage[]> {
  if (kind !== "tiff") return [{ page: 1, decode: () => decodePngOrJpeg(bytes, kind, maxPixels) }];
  const UTIF = (await import("utif2")).default;
  const buffer = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
  let ifds: ReturnType<typeof UTIF.decode>;
  try {
    ifds = UTIF.decode(buffer).filter((ifd) => ifd["t256"] !== undefined && ifd["t257"] !== undefined);
  } catch (error) {
    throw new OcrError("RAG_OCR_PAGE_FAILED", "the TIFF file could not be parsed", { hint: "The file is damaged; re-export it.", cause: error });
  }
  // Every page is listed (nothing is decoded here): OCR refuses a file over `ocr.maxPages` as a whole.
  return ifds.map((ifd, i) => ({
    page: i + 1,
    decode: async () => {
      const width = Number((ifd["t256"] as number[])[0]);
      const height = Number((ifd["t257"] as number[])[0]);
      if (!(width > 0 && height > 0) || width * height > MAX_DECODE_PIXELS) throw tooLarge(i + 1, width, height);
      try {
        UTIF.decodeImage(buffer, ifd);
      } catch (error) {
        throw new OcrError("RAG_OCR_PAGE_FAILED", `TIFF page ${i + 1} could not be decoded (${String(error).slice(0, 80)})`, {
          hint: "This page is damaged or uses an unsupported compression; the other pages were kept.",
          cause: error,
        });
      }
      const rgba = UTIF.toRGBA8(ifd);
      ifd.data = new Uint8Array(0); // the decoded strip is no longer needed
      const resolution = ifd["t282"] as number[] | undefined;
      const unit = (ifd["t296"] as number[] | undefined)?.[0] ?? 2;
      const raw = resolution?.[0];
      const dpi = plausibleDpi(raw === undefined ? undefined : unit === 3 ? raw * 2.54 : raw);
      const gray: GrayImage = { width, height, pixels: rgbaToGray(rgba, width, height), dpi };
      return downscaleGray(gray, scaleToFit(width, height, maxPixels));
    },
  }));
}
