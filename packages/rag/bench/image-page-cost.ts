// What a page image of an image file (a PNG, JPEG or TIFF page decoded and drawn as a PNG) costs in CPU,
// for the largest genuine pages: an A4 page scanned at 600 dpi (4960×7016, 34.8 MP) in 8-bit gray and
// in RGB colour, as PNG, baseline JPEG and uncompressed TIFF, and the largest 8-bit gray PNG the static
// bounds admit (MAX_DECODE_BYTES: 8 bytes per pixel in pngjs, 8192×8192). Each page is drawn with
// renderPageImageHere (what a reader process runs for renderPageImage) in this thread; CPU is this
// process's (user + system), median of `--rounds` (default 3). Sets DEFAULT_IMAGE_PAGE_TIMEOUT_MS.
//   nice -n 10 npx tsx --tsconfig ../../tsconfig.base.json bench/image-page-cost.ts [--rounds=3]
import { PNG } from "pngjs";
import jpeg from "jpeg-js";
import { renderPageImageHere } from "../src/extraction/ocr/page-image";
import { imagePages } from "../src/extraction/ocr/image-pages";
import zlib from "node:zlib";
import { tiffOf } from "../test/ocr-fixtures";
import { grayPage, tiffFile, tiffStripAt } from "../test/support/hostile-files";

const rounds = Number(/--rounds=(\d+)/.exec(process.argv.join(" "))?.[1] ?? 3);

/** A page of text-like marks: dark strokes on white in lines, seeded (the same page every run). */
function page(width: number, height: number, channels: 1 | 3): Uint8Array {
  const pixels = new Uint8Array(width * height * channels).fill(255);
  let seed = 42;
  const random = (): number => ((seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32);
  for (let line = 200; line + 40 < height - 200; line += 70) {
    for (let x = 250; x < width - 250; x += 8 + Math.floor(random() * 20)) {
      const w = 3 + Math.floor(random() * 6);
      const h = 20 + Math.floor(random() * 20);
      for (let y = line; y < line + h; y++) for (let dx = 0; dx < w; dx++) for (let c = 0; c < channels; c++) pixels[(y * width + x + dx) * channels + c] = 20 + Math.floor(random() * 40);
    }
  }
  return pixels;
}

function pngOf(width: number, height: number, channels: 1 | 3): Uint8Array {
  const src = page(width, height, channels);
  const png = new PNG({ width, height, colorType: channels === 1 ? 0 : 2, inputColorType: channels === 1 ? 0 : 2, inputHasAlpha: false });
  png.data = Buffer.from(src);
  return new Uint8Array(PNG.sync.write(png, { colorType: channels === 1 ? 0 : 2, inputColorType: channels === 1 ? 0 : 2, inputHasAlpha: false }));
}

function jpegOf(width: number, height: number): Uint8Array {
  const rgb = page(width, height, 3);
  const rgba = new Uint8Array(width * height * 4);
  for (let i = 0; i < width * height; i++) rgba.set([rgb[3 * i]!, rgb[3 * i + 1]!, rgb[3 * i + 2]!, 255], 4 * i);
  return new Uint8Array(jpeg.encode({ width, height, data: rgba }, 85).data);
}

function cpuMs(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}

const A4 = { width: 4960, height: 7016 };
const only = /--only=(\S+)/.exec(process.argv.join(" "))?.[1];
const cases: Array<[string, () => Uint8Array]> = [
  ["PNG 8-bit gray, A4 600 dpi (34.8 MP)", () => pngOf(A4.width, A4.height, 1)],
  ["PNG RGB, A4 600 dpi (34.8 MP)", () => pngOf(A4.width, A4.height, 3)],
  // at 600 dpi jpeg-js asks for more than MAX_DECODE_BYTES and refuses it (its own limit, see README)
  ["JPEG RGB baseline q85, A4 400 dpi (15.5 MP)", () => jpegOf(3307, 4677)],
  ["TIFF 8-bit gray uncompressed, A4 600 dpi", () => tiffOf([{ image: { width: A4.width, height: A4.height, pixels: page(A4.width, A4.height, 1), dpi: 600 } }])],
  ["PNG 8-bit gray, 8192×8192 (the static bounds' largest)", () => pngOf(8192, 8192, 1)],
];
for (const [name, make] of cases.filter(([n]) => only === undefined || n.startsWith(only))) {
  const bytes = make();
  const kind = bytes[0] === 0x89 ? "png" : bytes[0] === 0xff ? "jpeg" : "tiff";
  await (await imagePages(bytes, kind, 4_000_000))[0]!.check(); // admitted by the static bounds
  const costs: number[] = [];
  for (let r = 0; r < rounds; r++) {
    const before = cpuMs();
    await renderPageImageHere(bytes, 1);
    costs.push(cpuMs() - before);
  }
  costs.sort((a, b) => a - b);
  console.log(`${name.padEnd(58)} ${(bytes.length / 2 ** 20).toFixed(1).padStart(6)} MiB  CPU median ${costs[Math.floor(costs.length / 2)]!.toFixed(0).padStart(6)} ms  max ${costs[costs.length - 1]!.toFixed(0).padStart(6)} ms`);
}

// A reader decoding a Deflate TIFF page its caller checked: with the strip inflated again to be counted
// (before) and without (checkedBefore, after), interleaved round by round in this run.
if (only === undefined || only === "deflate") {
  const strip = zlib.deflateSync(page(A4.width, A4.height, 1));
  const entries = (at: number) => grayPage(A4.width, A4.height, { compression: 8, stripAt: at, stripBytes: strip.length });
  const tiff = tiffFile([entries(tiffStripAt([entries(0)], [strip], 0))], [strip]);
  const costs = { before: [] as number[], after: [] as number[] };
  for (let r = 0; r < rounds; r++) {
    for (const variant of ["before", "after"] as const) {
      const before = cpuMs();
      await renderPageImageHere(tiff, 1, {}, { checkedBefore: variant === "after" });
      costs[variant].push(cpuMs() - before);
    }
  }
  const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  console.log(`TIFF 8-bit gray Deflate, A4 600 dpi, in a reader: strip checked again ${median(costs.before).toFixed(0)} ms, not again ${median(costs.after).toFixed(0)} ms CPU (median of ${rounds})`);
}
