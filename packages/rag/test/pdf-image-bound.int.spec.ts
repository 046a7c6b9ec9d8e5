import zlib from "node:zlib";
import { describe, expect, it } from "@jest/globals";
import { PNG } from "pngjs";
import { renderPageImage } from "../src/extraction/ocr/page-image";
import { MAX_DRAWN_IMAGE_PIXELS } from "../src/extraction/ocr/pdf-page-rasteriser";
import { onePagePdf } from "./support/hostile-files";


/** A stream object: its dictionary entries and data. */
const streamObject = (entries: string, data: Buffer): Buffer => Buffer.concat([Buffer.from(`<< ${entries} /Length ${data.length} >>\nstream\n`), data, Buffer.from("\nendstream")]);
const CONTENT = streamObject("", Buffer.from("q 612 0 0 792 0 0 cm /Im1 Do Q\n"));
const IMAGE = "/Type /XObject /Subtype /Image /ColorSpace /DeviceGray /BitsPerComponent 8";

/** A one-page PDF drawing one gray image of `side`×`side` pixels (a small file: the pixels deflate well). */
function pdfDrawingImage(side: number, gray = 0xee): Uint8Array {
  return onePagePdf([CONTENT, streamObject(`${IMAGE} /Width ${side} /Height ${side} /Filter /FlateDecode`, zlib.deflateSync(Buffer.alloc(side * side, gray)))]);
}

describe("images a PDF page draws", () => {
  it("are never decoded past MAX_DRAWN_IMAGE_PIXELS: a 1 MB page asking for a 100 MP image is refused before drawing, at the cost of a blank page", async () => {
    const huge = pdfDrawingImage(10_000); // 100 MP
    expect(huge.length).toBeLessThan(1024 * 1024);
    expect(10_000 * 10_000).toBeGreaterThan(MAX_DRAWN_IMAGE_PIXELS);
    const rssBefore = process.resourceUsage().maxRSS; // KiB, the process's peak so far
    // refused before pdf.js sees it (the guard reads every image's size); pdf.js's own maxImageSize is the second bound
    await expect(renderPageImage(huge, 1)).rejects.toMatchObject({ code: "RAG_FILE_TOO_LARGE", message: expect.stringContaining("holds an image of 100000000 pixels") });
    const grownMiB = (process.resourceUsage().maxRSS - rssBefore) / 1024;
    // decoded, the image alone is 100 MB of gray and 400 MB as RGBA
    expect(grownMiB).toBeLessThan(150);
  }, 120_000);

  it("draws an image under the bound (a black full-page image makes a dark page)", async () => {
    const page = await renderPageImage(pdfDrawingImage(1000, 0), 1);
    const { data } = PNG.sync.read(Buffer.from(page.png));
    let sum = 0;
    for (let i = 0; i < data.length; i += 4) sum += data[i] ?? 0;
    expect(sum / (data.length / 4)).toBeLessThan(20);
  }, 60_000);
});

describe("masks of the images a PDF page draws", () => {
  it("refuses, before drawing, a small image whose soft mask is larger than MAX_DRAWN_IMAGE_PIXELS", async () => {
    const side = 8000; // 64 MP mask under a 2x2 image
    const mask = zlib.deflateSync(Buffer.alloc(side * side, 0x80));
    const tiny = zlib.deflateSync(Buffer.alloc(4, 0x10));
    const pdf = onePagePdf([
      CONTENT,
      streamObject(`${IMAGE} /Width 2 /Height 2 /SMask 6 0 R /Filter /FlateDecode`, tiny),
      streamObject(`${IMAGE} /Width ${side} /Height ${side} /Filter /FlateDecode`, mask),
    ]);
    await expect(renderPageImage(pdf, 1)).rejects.toMatchObject({ code: "RAG_FILE_TOO_LARGE", message: expect.stringContaining(`holds an image of ${side * side} pixels`) });
  }, 60_000);
});

/** A one-page PDF drawing one image whose dictionary declares 100×100 and whose codec data is `coded`. */
function pdfWithCodedImage(filter: string, coded: Buffer): Uint8Array {
  return onePagePdf([CONTENT, streamObject(`${IMAGE} /Width 100 /Height 100 /Filter ${filter}`, coded)]);
}

describe("an image's codec, not its dictionary, sizes what pdf.js decodes", () => {
  it("refuses a JPEG declared 100x100 whose frame header says 8000x8000", async () => {
    const sof = Buffer.from([0xff, 0xd8, 0xff, 0xc0, 0x00, 0x0b, 0x08, 0x1f, 0x40, 0x1f, 0x40, 0x01, 0x01, 0x11, 0x00, 0xff, 0xd9]);
    await expect(renderPageImage(pdfWithCodedImage("/DCTDecode", sof), 1)).rejects.toMatchObject({ code: "RAG_FILE_TOO_LARGE", message: expect.stringContaining("holds an image of 64000000 pixels") });
    // the same JPEG behind a Flate stage
    await expect(renderPageImage(pdfWithCodedImage("[/FlateDecode /DCTDecode]", zlib.deflateSync(sof)), 1)).rejects.toMatchObject({ code: "RAG_FILE_TOO_LARGE" });
  });

  it("refuses a JPEG 2000 declared 100x100 whose SIZ marker says 9000x9000", async () => {
    const siz = Buffer.alloc(4 + 2 + 2 + 16);
    Buffer.from([0xff, 0x4f, 0xff, 0x51]).copy(siz, 0);
    siz.writeUInt32BE(9000, 8); // Xsiz
    siz.writeUInt32BE(9000, 12); // Ysiz
    await expect(renderPageImage(pdfWithCodedImage("/JPXDecode", siz), 1)).rejects.toMatchObject({ code: "RAG_FILE_TOO_LARGE", message: expect.stringContaining("holds an image of 81000000 pixels") });
  });
});
