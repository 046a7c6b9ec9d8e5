import fs from "node:fs";
import { describe, expect, it } from "@jest/globals";
import fc from "fast-check";
import { withDeadline } from "./deadline";
import { downscaleGray, rgbaToGray, scaleToFit, toPgm } from "./gray-image";
import { imageKindOf } from "./image-pages";
import { assertLanguage, languagePackageOf, modelPathFor, traineddataPath } from "./language-packs";
import { ocrConfigSchema } from "./ocr-config";
import { tidyOcrText } from "./page-ocr";
import { SlotPool } from "./slot-pool";
import { parseTesseractTsv } from "./tesseract-tsv";
import { isUsableTextLayer } from "./text-layer-quality";

const CLAUSE =
  "12.3 Termination for Convenience. Either party may terminate this Agreement on sixty (60) days' written notice to the other party, without cause.";

describe("text layer quality (when a PDF page is OCRed instead)", () => {
  it("keeps a real text layer, in any language", () => {
    expect(isUsableTextLayer(CLAUSE)).toBe(true);
    expect(isUsableTextLayer("Der Lizenznehmer kann diesen Vertrag mit einer Frist von drei Monaten kündigen.")).toBe(true);
    expect(isUsableTextLayer("本契約は、日本法に準拠し、同法に従って解釈されるものとします。当事者は誠実に協議する。")).toBe(true);
  });

  it("OCRs a page with no text, a few stray characters, or a page number only", () => {
    expect(isUsableTextLayer("")).toBe(false);
    expect(isUsableTextLayer("  \n \f ")).toBe(false);
    expect(isUsableTextLayer("Page 3 of 10")).toBe(false);
  });

  it("OCRs garbage from a broken font encoding: symbols, control or private-use characters, vowel-less words", () => {
    expect(isUsableTextLayer("!\"#$%&'()*+,-./:;<=>?@[]^_`{|}~!\"#$%&'()*+,-./:;<=>?")).toBe(false);
    expect(isUsableTextLayer("\ue000\ue001\ue002 \ue003\ue004 abc def ghi jkl mno pqr stu")).toBe(false);
    expect(isUsableTextLayer("Xqzt Rvbkm Tnprs Wxyzq Bcdfg Hjklm Npqrs Tvwxz Bcdgh Jklmn Pqrst")).toBe(false);
  });

  it("is a total function: any string gives a boolean, and text made only of whitespace is never usable", () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 400 }), (s) => {
        expect(typeof isUsableTextLayer(s)).toBe("boolean");
      }),
    );
    fc.assert(fc.property(fc.stringMatching(/^[ \t\n\f\r]*$/), (s) => expect(isUsableTextLayer(s)).toBe(false)));
  });
});

describe("Tesseract TSV output", () => {
  const row = (level: number, block: number, par: number, line: number, word: number, conf: number, text: string): string =>
    [level, 1, block, par, line, word, 0, 0, 10, 10, conf, text].join("\t");

  it("rebuilds lines and paragraphs in reading order and averages word confidence", () => {
    const tsv = [
      "level\tpage_num\tblock_num\tpar_num\tline_num\tword_num\tleft\ttop\twidth\theight\tconf\ttext",
      row(1, 0, 0, 0, 0, -1, ""),
      row(5, 1, 1, 1, 1, 90, "ARTICLE"),
      row(5, 1, 1, 1, 2, 80, "12"),
      row(5, 1, 1, 2, 1, 70, "Termination"),
      row(5, 2, 1, 1, 1, 100, "Notice."),
      row(5, 2, 1, 1, 2, 95, " "),
    ].join("\n");
    const result = parseTesseractTsv(tsv);
    expect(result.text).toBe("ARTICLE 12\nTermination\n\nNotice.\n");
    expect(result.confidence).toBeCloseTo((90 + 80 + 70 + 100) / 4, 5);
  });

  it("reads an empty page as no text with confidence 0", () => {
    expect(parseTesseractTsv("level\tpage_num\n")).toEqual({ text: "", confidence: 0 });
  });
});

describe("gray images", () => {
  it("writes a PGM header the engines read, followed by the pixels", () => {
    const pgm = toPgm({ width: 3, height: 2, pixels: new Uint8Array([0, 1, 2, 3, 4, 5]), dpi: 200 });
    expect(Buffer.from(pgm.subarray(0, 11)).toString("latin1")).toBe("P5\n3 2\n255\n");
    expect([...pgm.subarray(11)]).toEqual([0, 1, 2, 3, 4, 5]);
  });

  it("turns transparent pixels into paper, not ink", () => {
    expect([...rgbaToGray(new Uint8Array([0, 0, 0, 0, 0, 0, 0, 255]), 2, 1)]).toEqual([255, 0]);
  });

  it("scales a page under the pixel cap, and keeps the mean brightness when downscaling", () => {
    expect(scaleToFit(100, 100, 20_000)).toBe(1);
    expect(100 * scaleToFit(1000, 1000, 250_000)).toBeCloseTo(50, 5);
    fc.assert(
      fc.property(fc.integer({ min: 4, max: 40 }), fc.integer({ min: 4, max: 40 }), fc.integer({ min: 0, max: 255 }), (w, h, v) => {
        const small = downscaleGray({ width: w, height: h, pixels: new Uint8Array(w * h).fill(v), dpi: 300 }, 0.5);
        expect(small.width * small.height).toBeLessThanOrEqual(Math.ceil((w * h) / 4) + w + h);
        expect(small.dpi).toBe(150);
        expect(small.pixels.every((p) => p === v)).toBe(true);
      }),
    );
  });

  it("recognises PNG, JPEG and both TIFF byte orders from their magic numbers", () => {
    expect(imageKindOf(new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a]))).toBe("png");
    expect(imageKindOf(new Uint8Array([0xff, 0xd8, 0xff, 0xe0]))).toBe("jpeg");
    expect(imageKindOf(new Uint8Array([0x49, 0x49, 0x2a, 0]))).toBe("tiff");
    expect(imageKindOf(new Uint8Array([0x4d, 0x4d, 0, 0x2a]))).toBe("tiff");
    expect(imageKindOf(new Uint8Array([0x25, 0x50, 0x44, 0x46]))).toBeUndefined();
  });
});

describe("OCR languages and config", () => {
  it("finds English in the @tesseract.js-data/eng npm package", () => {
    expect(traineddataPath("eng")).toMatch(/@tesseract\.js-data[\\/]eng[\\/]4\.0\.0_best_int[\\/]eng\.traineddata\.gz$/);
  });

  it("reads the shipped tessdata_fast English model with ocr.model fast, the npm best_int with best", () => {
    const fast = modelPathFor("eng", "fast");
    expect(fast).toMatch(/[\\/]ocr-models[\\/]eng\.traineddata\.gz$/);
    // gzip magic: the file is the real model, not a placeholder
    expect([...fs.readFileSync(fast).subarray(0, 2)]).toEqual([0x1f, 0x8b]);
    expect(fs.statSync(fast).size).toBeGreaterThan(1_000_000);
    expect(modelPathFor("eng", "best")).toBe(traineddataPath("eng"));
  });

  it("falls back to the npm package for a language with no shipped fast model, naming it when missing", () => {
    expect(() => modelPathFor("zul", "fast")).toThrow(expect.objectContaining({ code: "RAG_OCR_LANGUAGE_MISSING", hint: expect.stringContaining("npm install @tesseract.js-data/zul") }));
  });

  it("names the npm package to install when a language is missing", () => {
    expect(() => traineddataPath("zul")).toThrow(expect.objectContaining({ code: "RAG_OCR_LANGUAGE_MISSING", hint: expect.stringContaining("npm install @tesseract.js-data/zul") }));
    expect(languagePackageOf("chi_sim")).toBe("@tesseract.js-data/chi_sim");
  });

  it("refuses a language code that could name a path", () => {
    expect(() => assertLanguage("../eng")).toThrow(expect.objectContaining({ code: "RAG_OCR_LANGUAGE_MISSING" }));
  });

  it("defaults to auto engine, English, 200 dpi, and a confidence floor", () => {
    expect(ocrConfigSchema.parse({})).toMatchObject({ enabled: true, engine: "auto", languages: ["eng"], dpi: 200, minConfidence: 70 });
    expect(() => ocrConfigSchema.parse({ engine: "cloud" })).toThrow();
  });

  it("tidies OCR text: no form feeds (they separate pages), no trailing spaces, one blank line at most", () => {
    expect(tidyOcrText("A  \r\nB\f\n\n\n\nC \n")).toBe("A\nB\n\nC");
  });
});

describe("worker slots and deadlines", () => {
  it("hands out at most `size` resources and queues the rest in order", async () => {
    let made = 0;
    const pool = new SlotPool<number>(2, async () => ++made, async () => undefined);
    const a = await pool.acquire();
    const b = await pool.acquire();
    const order: number[] = [];
    const c = pool.acquire().then((x) => (order.push(x), x));
    pool.release(a);
    expect(await c).toBe(a);
    expect(made).toBe(2);
    pool.discard(b); // a broken one is rebuilt for the next caller
    expect(await pool.acquire()).toBe(3);
    await pool.dispose();
  });

  it("times out with RAG_OCR_TIMEOUT and stops the work; an abort rejects with its reason", async () => {
    let stopped = 0;
    const never = new Promise<never>(() => undefined);
    await expect(withDeadline(never, 20, undefined, () => stopped++)).rejects.toMatchObject({ code: "RAG_OCR_TIMEOUT" });
    const controller = new AbortController();
    const pending = withDeadline(never, 60_000, controller.signal, () => stopped++);
    controller.abort(new Error("cancelled by user"));
    await expect(pending).rejects.toThrow("cancelled by user");
    expect(stopped).toBe(2);
    await expect(withDeadline(Promise.resolve(7), 1000, undefined, () => stopped++)).resolves.toBe(7);
    expect(stopped).toBe(2);
  });
});
