// Hostile image files (TIFF, PNG, JPEG) on the OCR and page-image path: each is refused from its headers,
// before the decoder allocates, on the calling thread — where utif2, pngjs and jpeg-js would otherwise
// loop, or allocate what a few hundred bytes of file ask for.
import { describe, expect, it } from "@jest/globals";
import fc from "fast-check";
import zlib from "node:zlib";
import UTIF from "utif2";
import { imagePages } from "../src/extraction/ocr/image-pages";
import { renderPageImage } from "../src/extraction/ocr/page-image";
import { tiffLzwOutputSize } from "../src/extraction/ocr/tiff-page-bounds";
import { tiffOf } from "./ocr-fixtures";
import { grayPage, lzwEncode, pngHeaderOnly, pngWithData, tiffFile, tiffStripAt, type TiffEntry } from "./support/hostile-files";

/** An 8-bit gray PNG with this interlace method and image data. */
const pngWithInterlace = (width: number, height: number, interlace: number, idat: Buffer): Uint8Array => pngWithData(width, height, 8, 0, idat, interlace);

const MiB = 2 ** 20;
const MAX_PIXELS = 4_000_000;

async function decodeAll(bytes: Uint8Array, budgetBytes?: number): Promise<void> {
  for (const page of await imagePages(bytes, "tiff", MAX_PIXELS, budgetBytes)) await page.decode();
}

/** Runs `work`, returning how far RSS rose above where it started (sampled after, and by the kernel's peak). */
async function rssGrowth(work: () => Promise<unknown>): Promise<number> {
  const before = process.memoryUsage().rss;
  const peakBefore = process.resourceUsage().maxRSS * 1024;
  await work().catch(() => undefined);
  const peakAfter = process.resourceUsage().maxRSS * 1024;
  return Math.max(process.memoryUsage().rss - before, peakAfter > peakBefore ? peakAfter - Math.max(before, peakBefore) : 0);
}

/** A page with its strip placed after the directories. */
function withStrip(make: (stripAt: number) => TiffEntry[], strip: Uint8Array): Uint8Array {
  const at = tiffStripAt([make(0)], [strip], 0);
  return tiffFile([make(at)], [strip]);
}

describe("TIFF page directories are read with every count and offset checked", () => {
  it("refuses a 38-byte TIFF whose directory names itself as the next one (utif2 loops until the heap is gone)", async () => {
    const loop = tiffFile([[{ tag: 256, type: 4, values: [1] }, { tag: 257, type: 4, values: [1] }]], [], { lastNext: 8 });
    expect(loop.length).toBe(38);
    const started = performance.now();
    await expect(imagePages(loop, "tiff", MAX_PIXELS)).rejects.toMatchObject({ code: "RAG_OCR_PAGE_FAILED", message: expect.stringContaining("loop") });
    await expect(renderPageImage(loop, 1)).rejects.toMatchObject({ code: "RAG_OCR_PAGE_FAILED" });
    expect(performance.now() - started).toBeLessThan(1000);
  });

  it("refuses an entry whose count claims more values than the file holds (utif2 pushes 4 billion)", async () => {
    const liar = tiffFile([[{ tag: 256, type: 3, values: [1], count: 0xffffffff }, { tag: 257, type: 4, values: [1] }]]);
    expect(liar.length).toBe(38);
    await expect(decodeAll(liar)).rejects.toMatchObject({ code: "RAG_OCR_PAGE_FAILED", message: expect.stringContaining("past the end of the file") });
  });

  it("still reads every page of an honest multi-page TIFF, with its declared resolution", async () => {
    const image = { width: 40, height: 30, pixels: new Uint8Array(1200).fill(200), dpi: 300 };
    const pages = await imagePages(tiffOf([{ image }, { image }, { image }]), "tiff", MAX_PIXELS);
    expect(pages.map((p) => p.page)).toEqual([1, 2, 3]);
    const decoded = await pages[2]!.decode();
    expect(decoded).toMatchObject({ width: 40, height: 30, dpi: 200 });
    expect(Math.max(...decoded.pixels)).toBe(200);
  });

  it("never hangs or throws anything but an OCR error on damaged directories (fast-check)", async () => {
    const image = { width: 16, height: 8, pixels: new Uint8Array(128).fill(90), dpi: 300 };
    const honest = tiffOf([{ image }, { image }]);
    const directories = 8 + 2 * (2 + 12 * 12 + 4 + 16);
    await fc.assert(
      fc.asyncProperty(fc.array(fc.tuple(fc.nat(directories - 1), fc.nat(255)), { minLength: 1, maxLength: 12 }), async (edits) => {
        const bytes = honest.slice();
        for (const [at, value] of edits) bytes[at] = value;
        const started = performance.now();
        try {
          // A small budget: a damaged width may still describe a legitimate large page, which is slow, not stuck.
          await decodeAll(bytes, 4 * MiB);
        } catch (error) {
          expect((error as { code?: string }).code).toMatch(/^RAG_OCR_PAGE_(FAILED|TOO_LARGE)$/);
        }
        expect(performance.now() - started).toBeLessThan(5000);
      }),
      { numRuns: 300, seed: 4242 },
    );
  }, 120_000);
});

describe("a TIFF page is refused when decoding it would cost more than its pixels", () => {
  it("refuses a 1×1 page declaring a 40000×40000 tile before utif2 zero-fills 1.6 GB", async () => {
    const page = (at: number): TiffEntry[] => [
      ...grayPage(1, 1).filter((e) => ![273, 278, 279].includes(e.tag)),
      { tag: 322, type: 4, values: [40_000] },
      { tag: 323, type: 4, values: [40_000] },
      { tag: 324, type: 4, values: [at] },
      { tag: 325, type: 4, values: [1] },
    ];
    const bomb = withStrip(page, new Uint8Array([7]));
    expect(bomb.length).toBeLessThan(200);
    let error: unknown;
    const growth = await rssGrowth(() => decodeAll(bomb).catch((e) => (error = e)));
    expect(error).toMatchObject({ code: "RAG_OCR_PAGE_TOO_LARGE", message: expect.stringMatching(/would need \d+ MiB to decode, over the 512 MiB limit/) });
    expect(growth).toBeLessThan(50 * MiB);
  });

  it("refuses a Deflate strip that inflates far past its page (utif2 inflates it whole, with no limit)", async () => {
    const strip = zlib.deflateSync(Buffer.alloc(64 * MiB));
    expect(strip.length).toBeLessThan(100_000);
    const bomb = withStrip((at) => grayPage(100, 100, { compression: 8, stripAt: at, stripBytes: strip.length }), strip);
    await expect(decodeAll(bomb)).rejects.toMatchObject({ code: "RAG_OCR_PAGE_FAILED", message: expect.stringContaining("inflates past its 10000 bytes") });
    // The same page with an honest strip decodes.
    const honest = zlib.deflateSync(Buffer.alloc(10_000, 128));
    const page = await (await imagePages(withStrip((at) => grayPage(100, 100, { compression: 8, stripAt: at, stripBytes: honest.length }), honest), "tiff", MAX_PIXELS))[0]!.decode();
    expect(page).toMatchObject({ width: 100, height: 100 });
    expect(page.pixels.every((p) => p === 128)).toBe(true);
  });

  it("reads a Deflate strip once in a reader process: a page its caller checked is not inflated again to be counted", async () => {
    // A strip inflating to twice its page: check() refuses it by inflating it, as the caller does before any
    // reader decodes; a reader told its pages were checked (checkedBefore) decodes without that second pass
    // (utif2 keeps the page's own bytes), so what it does with these bytes shows the check was skipped.
    const strip = zlib.deflateSync(Buffer.alloc(20_000, 99));
    const page = withStrip((at) => grayPage(100, 100, { compression: 8, stripAt: at, stripBytes: strip.length }), strip);
    const [caller] = await imagePages(page, "tiff", MAX_PIXELS);
    await expect(caller!.check()).rejects.toMatchObject({ message: expect.stringContaining("inflates past its 10000 bytes") });
    await expect(caller!.decode()).rejects.toMatchObject({ message: expect.stringContaining("inflates past its 10000 bytes") });
    const [reader] = await imagePages(page, "tiff", MAX_PIXELS, undefined, { checkedBefore: true });
    await expect(reader!.decode()).resolves.toMatchObject({ width: 100, height: 100 });
    // what the reader still checks from the directory (sizes, counts cut to the file) is not skipped
    const huge = withStrip((at) => grayPage(60_000, 60_000, { compression: 8, stripAt: at, stripBytes: strip.length }), strip);
    const [hugeInReader] = await imagePages(huge, "tiff", MAX_PIXELS, undefined, { checkedBefore: true });
    await expect(hugeInReader!.decode()).rejects.toMatchObject({ code: "RAG_OCR_PAGE_TOO_LARGE" });
  });

  it("refuses an LZW strip whose codes repeat the longest string (seconds of CPU from a few KB)", async () => {
    // Codes that each define a string one longer than the last, then repeat the longest thousands of times.
    const codes: number[] = [256, 0];
    for (let code = 258; code < 4094; code++) codes.push(code);
    for (let i = 0; i < 6000; i++) codes.push(4093);
    const strip = packCodes(codes);
    const bomb = withStrip((at) => grayPage(100, 100, { compression: 5, stripAt: at, stripBytes: strip.length }), strip);
    expect(tiffLzwOutputSize(strip, Number.MAX_SAFE_INTEGER)).toBeGreaterThan(10_000_000);
    const started = process.cpuUsage();
    await expect(decodeAll(bomb)).rejects.toMatchObject({ code: "RAG_OCR_PAGE_FAILED", message: expect.stringContaining("decodes past its 10000 bytes") });
    expect(process.cpuUsage(started).user / 1000).toBeLessThan(500);
  });

  it("counts LZW output as utif2 writes it: exactly for honest streams, never less for random bytes (fast-check)", () => {
    const decodeLzw = (data: Uint8Array): number =>
      (UTIF.decode as unknown as { _decodeLZW: (d: Uint8Array, o: number, l: number, t: Uint8Array, to: number, b: number) => number })._decodeLZW(data, 0, data.length, new Uint8Array(1 << 20), 0, 8);
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 3000 }), (text) => {
        const data = lzwEncode(text);
        expect(tiffLzwOutputSize(data, Number.MAX_SAFE_INTEGER)).toBe(decodeLzw(data));
      }),
      { numRuns: 200, seed: 77 },
    );
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 600 }), (data) => {
        expect(tiffLzwOutputSize(data, Number.MAX_SAFE_INTEGER)).toBeGreaterThanOrEqual(decodeLzw(data));
      }),
      { numRuns: 300, seed: 78 },
    );
  });

  it("refuses a JPEG strip whose frame is larger than the page it fills (the decoder sizes from the frame)", async () => {
    const frame = new Uint8Array([0xff, 0xd8, 0xff, 0xc0, 0x00, 0x11, 0x08, 0x1f, 0x40, 0x1f, 0x40, 0x01, 0x01, 0x11, 0x00, 0xff, 0xd9]);
    const bomb = withStrip((at) => grayPage(100, 100, { compression: 7, stripAt: at, stripBytes: frame.length }), frame);
    await expect(decodeAll(bomb)).rejects.toMatchObject({ code: "RAG_OCR_PAGE_FAILED", message: expect.stringContaining("JPEG frame is larger") });
  });

  it("refuses strips listed over and over (each a full copy of the file) and camera compressions", async () => {
    const pixels = new Uint8Array(100 * 100).fill(50);
    const repeated = withStrip((at) => grayPage(100, 100, { stripAt: at }).map((e) => (e.tag === 278 ? { ...e, values: [1] } : e.tag === 273 ? { ...e, values: Array(100).fill(at) } : e.tag === 279 ? { ...e, values: Array(100).fill(10_000) } : e)), pixels);
    await expect(decodeAll(repeated)).rejects.toMatchObject({ code: "RAG_OCR_PAGE_FAILED", message: expect.stringContaining("overlap") });
    const raw = withStrip((at) => grayPage(100, 100, { compression: 34713, stripAt: at }), pixels);
    await expect(decodeAll(raw)).rejects.toMatchObject({ code: "RAG_OCR_PAGE_FAILED", message: expect.stringContaining("compression 34713") });
  });
});

describe("the decoders' unbounded loops are bounded too (rev10 #11, #12)", () => {
  it("refuses a page directory whose entries all point at the same megabyte (read over and over)", async () => {
    const shared = Array.from({ length: 262_144 }, (_, i) => i);
    // One megabyte of values in the file; ten more decoder tags whose 262,144 LONGs start at offset 0.
    const again = [338, 339, 530, 317, 292, 283, 282, 266, 284, 296].map((tag) => ({ tag, type: 4, values: [0], count: shared.length }));
    const file = tiffFile([[...grayPage(1, 1), { tag: 320, type: 4, values: shared }, ...again]]);
    expect(file.length).toBeLessThan(1.1 * MiB);
    const started = process.cpuUsage();
    await expect(decodeAll(file)).rejects.toMatchObject({ code: "RAG_OCR_PAGE_FAILED", message: expect.stringContaining("values overlap") });
    expect(process.cpuUsage(started).user / 1000).toBeLessThan(1000);
  });

  it("refuses a chain of thousands of empty directories (each 6 bytes)", async () => {
    const directories = 12_000;
    const file = new Uint8Array(8 + directories * 6);
    const view = new DataView(file.buffer);
    file.set([0x49, 0x49, 42, 0]);
    view.setUint32(4, 8, true);
    for (let d = 0; d < directories; d++) view.setUint32(8 + d * 6 + 2, d + 1 < directories ? 8 + (d + 1) * 6 : 0, true);
    await expect(imagePages(file, "tiff", MAX_PIXELS)).rejects.toMatchObject({ code: "RAG_OCR_PAGE_FAILED", message: expect.stringContaining("more directories than its size can hold") });
  });

  it("refuses an interlaced PNG whose data inflates past its Adam7 size (pngjs inflates it with no limit), and reads an honest one", async () => {
    const bomb = pngWithInterlace(1, 1, 1, zlib.deflateSync(Buffer.alloc(64 * MiB)));
    let error: unknown;
    const growth = await rssGrowth(async () => (await imagePages(bomb, "png", MAX_PIXELS))[0]!.decode().catch((e) => (error = e)));
    expect(error).toMatchObject({ code: "RAG_OCR_PAGE_FAILED", message: expect.stringContaining("interlaced data inflates past the 2 bytes") });
    expect(growth).toBeLessThan(50 * MiB);
    const honest = await (await imagePages(pngWithInterlace(1, 1, 1, zlib.deflateSync(Buffer.from([0, 77]))), "png", MAX_PIXELS))[0]!.decode();
    expect(honest).toMatchObject({ width: 1, height: 1 });
    expect(honest.pixels[0]).toBe(77);
  });

  it("refuses a progressive JPEG of hundreds of scans (each walks every block), and decodes a baseline one", async () => {
    const frame = [0xff, 0xc2, 0x00, 0x0b, 0x08, 0x0f, 0xa0, 0x0f, 0xa0, 0x01, 0x01, 0x11, 0x00];
    const scan = [0xff, 0xda, 0x00, 0x08, 0x01, 0x01, 0x00, 0x01, 0x3f, 0x10, 0x00, 0x00, 0x00];
    const jpeg = new Uint8Array([0xff, 0xd8, ...frame, ...Array.from({ length: 300 }, () => scan).flat(), 0xff, 0xd9]);
    const started = process.cpuUsage();
    await expect((await imagePages(jpeg, "jpeg", MAX_PIXELS))[0]!.decode()).rejects.toMatchObject({ code: "RAG_OCR_PAGE_TOO_LARGE", message: expect.stringContaining("300 scans") });
    expect(process.cpuUsage(started).user / 1000).toBeLessThan(200);
    // The decoders read an SOS header by its content, not its length field: a lying length hides no scan.
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 0, max: 0xffff }), async (length) => {
        const lying = jpeg.slice();
        for (let at = 2 + frame.length; at < lying.length - 2; at += scan.length) {
          lying[at + 2] = length >> 8;
          lying[at + 3] = length & 0xff;
        }
        await expect((await imagePages(lying, "jpeg", MAX_PIXELS))[0]!.decode()).rejects.toMatchObject({ code: "RAG_OCR_PAGE_TOO_LARGE" });
      }),
      { numRuns: 50, seed: 15 },
    );
    const encoder = (await import("jpeg-js")).default;
    const baseline = encoder.encode({ width: 64, height: 48, data: Buffer.alloc(64 * 48 * 4, 180) }, 90).data;
    expect(await (await imagePages(new Uint8Array(baseline), "jpeg", MAX_PIXELS))[0]!.decode()).toMatchObject({ width: 64, height: 48 });
  });
});

describe("PNG and JPEG pages are refused by the bytes their decoders would hold", () => {
  it("refuses an 8000×8000 16-bit RGBA PNG before pngjs decodes it (~1.5 GB), and a JPEG frame of 400 MP", async () => {
    const png = pngHeaderOnly(8000, 8000, 16, 6);
    const [page] = await imagePages(png, "png", MAX_PIXELS);
    let error: unknown;
    const growth = await rssGrowth(() => page!.decode().catch((e) => (error = e)));
    expect(error).toMatchObject({ code: "RAG_OCR_PAGE_TOO_LARGE", message: expect.stringContaining("8000×8000 pixels") });
    expect(growth).toBeLessThan(50 * MiB);
    const jpeg = new Uint8Array([0xff, 0xd8, 0xff, 0xc0, 0x00, 0x11, 0x08, 0x4e, 0x20, 0x4e, 0x20, 0x03, 0x01, 0x11, 0x00, 0x02, 0x11, 0x00, 0x03, 0x11, 0x00, 0xff, 0xd9]);
    await expect((await imagePages(jpeg, "jpeg", MAX_PIXELS))[0]!.decode()).rejects.toMatchObject({ code: "RAG_OCR_PAGE_TOO_LARGE", message: expect.stringContaining("400 MP") });
  });

  it("still decodes an A4 page scanned at 300 dpi in 8-bit gray", async () => {
    const width = 2480;
    const height = 3508;
    const rows = Buffer.alloc(height * (1 + width), 255);
    for (let y = 0; y < height; y++) rows[y * (1 + width)] = 0; // filter type 0 on every row
    const png = pngWithInterlace(width, height, 0, zlib.deflateSync(rows));
    // Asked at full size (no downscale): the budget, not the raster cap, is what is tested.
    const page = await (await imagePages(png, "png", width * height))[0]!.decode();
    expect(page).toMatchObject({ width, height });
  }, 60_000);
});

/** Packs 12-bit-or-narrower LZW codes MSB first, widening as utif2's decoder does (EarlyChange). */
function packCodes(codes: readonly number[]): Uint8Array {
  const out: number[] = [];
  let buffer = 0;
  let bits = 0;
  let width = 9;
  let next = 258;
  codes.forEach((code, i) => {
    buffer = (buffer * (1 << width) + code) % 2 ** 30;
    bits += width;
    while (bits >= 8) {
      out.push(Math.floor(buffer / 2 ** (bits - 8)) & 0xff);
      bits -= 8;
    }
    buffer %= 2 ** bits;
    if (code === 256) {
      width = 9;
      next = 258;
    } else if (i > 0 && codes[i - 1] !== 256) {
      next++;
      if (next + 1 === 1 << width && width !== 12) width++;
    }
  });
  if (bits > 0) out.push((buffer << (8 - bits)) & 0xff);
  return new Uint8Array(out);
}
