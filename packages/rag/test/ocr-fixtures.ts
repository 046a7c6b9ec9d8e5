// Scanned-page fixtures cut from the real scans in ../shared/data/pdfs/scanned (read by tests only).
import fs from "node:fs";
import path from "node:path";
import { PDFDocument, StandardFonts } from "pdf-lib";
import { rasterisePdfPage, pdfCanvasFactory } from "../src/extraction/ocr/pdf-page-rasteriser";
import type { GrayImage } from "../src/extraction/ocr/gray-image";
import { shared } from "./fixtures";

export const SCAN_NAME = "CURAEGISTECHNOLOGIES,INC_05_26_2010-EX-1-CORPORATE SPONSORSHIP AGREEMENT";
export const scannedDir = (): string => path.join(shared(), "data/pdfs/scanned");

/** Whitespace-normalised text, as the data README scores OCR. */
export const norm = (s: string): string => s.split(/\s+/).filter(Boolean).join(" ");

export function levenshtein(a: string, b: string): number {
  const x = [...a];
  const y = [...b];
  let prev = Array.from({ length: y.length + 1 }, (_, j) => j);
  for (let i = 1; i <= x.length; i++) {
    const cur = [i];
    for (let j = 1; j <= y.length; j++) cur[j] = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + (x[i - 1] === y[j - 1] ? 0 : 1));
    prev = cur;
  }
  return prev[y.length]!;
}

export const cer = (ocr: string, truth: string): number => levenshtein(norm(ocr), norm(truth)) / Math.max(1, norm(truth).length);

/**
 * The top of page 1 of a real 200-dpi scan: the title and the opening paragraph (three lines),
 * with the ground-truth text of those lines. Small enough for CI, real enough to fail on a bad engine.
 */
export async function scannedCrop(): Promise<{ image: GrayImage; truth: string }> {
  const bytes = new Uint8Array(fs.readFileSync(path.join(scannedDir(), `${SCAN_NAME}.pdf`)));
  const { getDocumentProxy } = await import("unpdf");
  const pdf = await getDocumentProxy(bytes, { verbosity: 0, CanvasFactory: await pdfCanvasFactory() } as Parameters<typeof getDocumentProxy>[1]);
  const page = await rasterisePdfPage(pdf, 1, 200, 24e6);
  await pdf.destroy();
  const top = 130;
  const height = 170;
  const pixels = page.pixels.slice(top * page.width, (top + height) * page.width);
  const gt = fs.readFileSync(path.join(scannedDir(), `${SCAN_NAME}.gt.txt`), "utf8");
  const truth = gt.split("\n").filter((l) => l.trim()).slice(0, 4).join("\n");
  return { image: { width: page.width, height, pixels, dpi: 200 }, truth };
}

/** A PNG of a gray image (with a pHYs chunk saying its dpi), encoded by Skia. */
export async function pngOf(image: GrayImage): Promise<Uint8Array> {
  const { createCanvas } = await import("@napi-rs/canvas");
  const canvas = createCanvas(image.width, image.height);
  const ctx = canvas.getContext("2d");
  const data = ctx.createImageData(image.width, image.height);
  image.pixels.forEach((v, i) => data.data.set([v, v, v, 255], i * 4));
  ctx.putImageData(data, 0, 0);
  return new Uint8Array(await canvas.encode("png"));
}

/**
 * A grayscale multi-page TIFF (little-endian, uncompressed, one strip per page); `declared` overrides a
 * page's width/height tags. Written by hand: utif2's encoder writes into a fixed 20,000-byte buffer, so
 * past ~110 pages it cut the directories off and the file read as far fewer pages than asked for.
 * Pages given the same pixel array share one strip, so a 2,001-page file of a small image stays small.
 */
export function tiffOf(pages: readonly { image: GrayImage; declared?: { width: number; height: number } }[]): Uint8Array {
  const SHORT = 3;
  const LONG = 4;
  const RATIONAL = 5;
  const IFD_BYTES = 2 + 12 * 12 + 4 + 2 * 8; // 12 entries, the next-IFD offset, two resolutions (rationals)
  const strips = new Map<Uint8Array, number>();
  let dataAt = 8 + pages.length * IFD_BYTES;
  for (const { image } of pages) {
    if (!strips.has(image.pixels)) {
      strips.set(image.pixels, dataAt);
      dataAt += image.pixels.length;
    }
  }
  const out = new Uint8Array(dataAt);
  const view = new DataView(out.buffer);
  out.set([0x49, 0x49, 42, 0]);
  view.setUint32(4, 8, true);
  for (const [pixels, at] of strips) out.set(pixels, at);
  pages.forEach(({ image, declared }, i) => {
    const ifd = 8 + i * IFD_BYTES;
    const rationals = ifd + 2 + 12 * 12 + 4;
    const entries: [tag: number, type: number, value: number][] = [
      [256, LONG, declared?.width ?? image.width], [257, LONG, declared?.height ?? image.height], [258, SHORT, 8], [259, SHORT, 1],
      [262, SHORT, 1], [273, LONG, strips.get(image.pixels)!], [277, SHORT, 1], [278, LONG, image.height],
      [279, LONG, image.pixels.length], [282, RATIONAL, rationals], [283, RATIONAL, rationals + 8], [296, SHORT, 2],
    ];
    view.setUint16(ifd, entries.length, true);
    entries.forEach(([tag, type, value], e) => {
      const entry = ifd + 2 + e * 12;
      view.setUint16(entry, tag, true);
      view.setUint16(entry + 2, type, true);
      view.setUint32(entry + 4, 1, true);
      if (type === SHORT) view.setUint16(entry + 8, value, true);
      else view.setUint32(entry + 8, value, true);
    });
    view.setUint32(ifd + 2 + 12 * 12, i + 1 < pages.length ? ifd + IFD_BYTES : 0, true);
    for (const at of [rationals, rationals + 8]) {
      view.setUint32(at, 200, true);
      view.setUint32(at + 4, 1, true);
    }
  });
  return out;
}

/** A PDF whose page 1 has a text layer and page 2 is only an image (a scanned page), as in real mixed files. */
export async function mixedPdf(text: string, png: Uint8Array, size: { width: number; height: number }): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  const font = await doc.embedFont(StandardFonts.Helvetica);
  const first = doc.addPage([612, 792]);
  text.split("\n").forEach((line, i) => first.drawText(line, { x: 50, y: 740 - i * 16, size: 11, font }));
  const image = await doc.embedPng(png);
  const page = doc.addPage([size.width, size.height]);
  page.drawImage(image, { x: 0, y: 0, width: size.width, height: size.height });
  return doc.save();
}
