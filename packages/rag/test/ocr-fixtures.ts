// Scanned-page fixtures cut from the real scans in ../shared/data/pdfs/scanned (read by tests only).
import fs from "node:fs";
import path from "node:path";
import { PDFDocument, StandardFonts } from "pdf-lib";
import UTIF from "utif2";
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

/** A grayscale multi-page TIFF (uncompressed strips); `declared` overrides a page's width/height tags. */
export function tiffOf(pages: readonly { image: GrayImage; declared?: { width: number; height: number } }[]): Uint8Array {
  const dataStart = 4096;
  let offset = dataStart;
  const ifds = pages.map(({ image, declared }) => {
    const ifd = {
      t256: [declared?.width ?? image.width], t257: [declared?.height ?? image.height], t258: [8], t259: [1], t262: [1],
      t273: [offset], t277: [1], t278: [image.height], t279: [image.pixels.length], t282: [[200, 1]], t283: [[200, 1]], t296: [2],
    };
    offset += image.pixels.length;
    return ifd;
  });
  const head = new Uint8Array(UTIF.encode(ifds as never));
  const out = new Uint8Array(offset);
  out.set(head, 0);
  let at = dataStart;
  for (const { image } of pages) {
    out.set(image.pixels, at);
    at += image.pixels.length;
  }
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
