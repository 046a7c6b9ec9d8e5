// pdf.js jobs and image decodes in PDF reader processes (what @bear/rag does now) beside where they ran
// before, in the same run, interleaved round by round: text extraction in one worker thread (V8 heap
// limit 1024 MB), page images and image-file decodes on the calling thread. On the real PDFs of
// ../shared/data/pdfs/text, and image files made from page 1 of each real scan of ../shared/data/pdfs/scanned
// (drawn at 300 dpi in gray, saved as PNG, baseline JPEG and uncompressed TIFF).
//   nice -n 10 npx tsx --tsconfig ../../tsconfig.base.json bench/pdf-readers.ts [--rounds=5] [--only=pdf|images]
// Per file or page: wall latency p50/p95 (noisy on a loaded machine) and CPU (this process, its threads
// and the reader processes it waited for: the figure that holds under load); MB/s of bytes read, one
// file at a time and two uploads at once; for image files, this process's longest event-loop stall and
// its peak RSS growth over a round (sampled by a thread); peak RSS of this process; then a hostile fax TIFF
// whose decoder loops (faxLoopTiff) decoded here and in a reader under a 1 s CPU deadline.
import fs from "node:fs";
import path from "node:path";
import { monitorEventLoopDelay } from "node:perf_hooks";
import { Worker } from "node:worker_threads";
import { extractDocumentIsolated } from "../src/extraction/isolated-extraction";
import { imageKindOf, imagePages } from "../src/extraction/ocr/image-pages";
import { imagePageSources } from "../src/extraction/ocr/ocr-sources";
import { renderPageImage, renderPageImageHere, renderPdfPageImage } from "../src/extraction/ocr/page-image";
import { pdfCanvasFactory, rasterisePdfPage } from "../src/extraction/ocr/pdf-page-rasteriser";
import { pdfProcessPool, type PdfProcessOptions } from "../src/extraction/pdf-process/pdf-process-pool";
// eslint-disable-next-line @nx/enforce-module-boundaries -- a test-only helper of the repository root
import { bundledWorkerUrl } from "../../../scripts/test-support/bundle-worker";
import { pngOf, tiffOf } from "../test/ocr-fixtures";
import { faxLoopTiff } from "../test/support/hostile-files";
import { pdfChildUrl } from "../test/support/pdf-child-build";

const rounds = Number(process.argv.find((a) => a.startsWith("--rounds="))?.split("=")[1] ?? 5);
const only = process.argv.find((a) => a.startsWith("--only="))?.split("=")[1];
const dir = path.resolve(import.meta.dirname, "../../../../shared/data/pdfs/text");
interface BenchFile {
  readonly name: string;
  readonly bytes: Uint8Array;
}
const files: BenchFile[] = fs.readdirSync(dir).filter((f) => /\.pdf$/i.test(f)).sort().map((name) => ({ name, bytes: new Uint8Array(fs.readFileSync(path.join(dir, name))) }));
const childUrl = await pdfChildUrl();
const threadUrl = await bundledWorkerUrl({ packageDir: path.resolve(import.meta.dirname, ".."), entry: "bench/support/extraction-thread.ts", cacheName: "bear-rag-bench" });

/** One worker thread, one file at a time: extraction as it ran before. */
const thread = new Worker(threadUrl, { resourceLimits: { maxOldGenerationSizeMb: 1024, maxYoungGenerationSizeMb: 64 } });
let nextId = 0;
const threadQueue: Array<() => void> = [];
let threadBusy = false;
function inThread(file: string, bytes: Uint8Array): Promise<void> {
  return new Promise((resolve, reject) => {
    const start = (): void => {
      threadBusy = true;
      const id = nextId++;
      const onMessage = (reply: { id: number; ok: boolean; message?: string }): void => {
        if (reply.id !== id) return;
        thread.off("message", onMessage);
        threadBusy = false;
        threadQueue.shift()?.();
        if (reply.ok) resolve();
        else reject(new Error(reply.message));
      };
      thread.on("message", onMessage);
      const copy = bytes.slice();
      thread.postMessage({ id, file, bytes: copy }, [copy.buffer]);
    };
    if (threadBusy) threadQueue.push(start);
    else start();
  });
}

// a long deadline: the bench measures, it does not refuse (a 154-page PDF takes ~11 s of CPU)
const readers: PdfProcessOptions = { childUrl, processes: 2 };
const timeoutMs = 1_800_000;
const pool = pdfProcessPool(readers)!;
const CLK_TCK = 100;
/** CPU seconds of this process (every thread) and of the live reader processes. */
function cpuSeconds(): number {
  const own = process.cpuUsage();
  let children = 0;
  for (const pid of pool.pids()) {
    try {
      const fields = fs.readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]!.split(" ");
      children += (Number(fields[11]) + Number(fields[12])) / CLK_TCK;
    } catch {
      // exited
    }
  }
  return (own.user + own.system) / 1e6 + children;
}

interface Mode {
  readonly label: string;
  readonly job: (file: BenchFile) => Promise<unknown>;
}
const extractModes: Mode[] = [
  { label: "extract: worker thread (before)", job: (f) => inThread(f.name, f.bytes) },
  { label: "extract: 2 reader processes (after)", job: (f) => extractDocumentIsolated(f.name, f.bytes, { ...readers, timeoutMs }) },
];
const imageModes: Mode[] = [
  { label: "page image: calling thread (before)", job: (f) => renderPdfPageImage(f.bytes, 1) },
  { label: "page image: reader process (after)", job: (f) => renderPageImage(f.bytes, 1, { process: readers, timeoutMs }) },
];

/**
 * This process's peak RSS since `reset()`, sampled every 5 ms by a worker thread: it keeps sampling while
 * a decode holds the main thread (maxRSS cannot be reset, and the fixtures already set it).
 */
const rssPeak = new Float64Array(new SharedArrayBuffer(8));
const rssSampler = new Worker(
  `const { workerData } = require("node:worker_threads"); const peak = new Float64Array(workerData);
   setInterval(() => { const rss = process.memoryUsage.rss(); if (rss > peak[0]) peak[0] = rss; }, 5);`,
  { eval: true, workerData: rssPeak.buffer },
);
rssSampler.unref();
const rss = {
  reset: (): number => (rssPeak[0] = process.memoryUsage.rss()),
  growthMiB: (from: number): number => Math.max(0, rssPeak[0]! - from) / 2 ** 20,
};
/** A turn of the event loop: monitorEventLoopDelay records a stall only between two of its ticks, so one is let through before and after. */
const turn = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 20));

const pct = (xs: number[], p: number): number => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))]!;
const median = (xs: number[]): number => pct(xs, 50);

/** Runs every mode over `set`, interleaved round by round; `imageStats` adds the event-loop stall and the peak RSS growth. */
async function measure(modes: Mode[], set: BenchFile[], concurrent: boolean, imageStats = false): Promise<void> {
  const totalMB = set.reduce((n, f) => n + f.bytes.length, 0) / 1e6;
  for (const mode of modes) await mode.job(set[0]!); // warm up: module loads, reader starts
  const stats = new Map(modes.map((m) => [m.label, { latency: [] as number[], cpu: [] as number[], wall: [] as number[], stall: 0, rss: 0 }]));
  for (let r = 0; r < rounds; r++) {
    // alternate which mode goes first, so drifts in machine load fall on both
    for (const mode of r % 2 === 0 ? modes : [...modes].reverse()) {
      const s = stats.get(mode.label)!;
      const delay = monitorEventLoopDelay({ resolution: 10 });
      delay.enable();
      await turn();
      const rss0 = rss.reset();
      const cpu0 = cpuSeconds();
      const t0 = performance.now();
      if (concurrent) {
        let next = 0;
        const lane = async (): Promise<void> => {
          while (next < set.length) await mode.job(set[next++]!);
        };
        await Promise.all([lane(), lane()]);
      } else {
        for (const f of set) {
          const t = performance.now();
          await mode.job(f);
          s.latency.push(performance.now() - t);
        }
      }
      s.wall.push((performance.now() - t0) / 1000);
      s.cpu.push(cpuSeconds() - cpu0);
      s.rss = Math.max(s.rss, rss.growthMiB(rss0));
      await turn();
      delay.disable();
      s.stall = Math.max(s.stall, delay.max / 1e6);
    }
  }
  for (const mode of modes) {
    const s = stats.get(mode.label)!;
    const perFile = concurrent ? "" : `p50 ${pct(s.latency, 50).toFixed(0).padStart(5)} ms  p95 ${pct(s.latency, 95).toFixed(0).padStart(5)} ms  `;
    const image = imageStats ? `  stall max ${s.stall.toFixed(0).padStart(4)} ms  RSS +${s.rss.toFixed(0).padStart(3)} MiB` : "";
    console.log(
      `${mode.label.padEnd(40)} ${concurrent ? "2 at once  " : ""}${perFile}${(totalMB / median(s.wall)).toFixed(2).padStart(6)} MB/s  CPU ${(median(s.cpu) / set.length * 1000).toFixed(0).padStart(5)} ms/${imageStats ? "page" : "file"}${image}  (medians of ${rounds} rounds)`,
    );
  }
}

/** Page 1 of each real scan, drawn at 300 dpi in gray, as a PNG, a baseline JPEG and an uncompressed TIFF. */
async function scanImages(): Promise<BenchFile[]> {
  const scanned = path.resolve(import.meta.dirname, "../../../../shared/data/pdfs/scanned");
  const { getDocumentProxy } = await import("unpdf");
  const jpeg = (await import("jpeg-js")).default;
  const out: BenchFile[] = [];
  for (const name of fs.readdirSync(scanned).filter((f) => /\.pdf$/i.test(f)).sort()) {
    const pdf = await getDocumentProxy(new Uint8Array(fs.readFileSync(path.join(scanned, name))), { verbosity: 0, CanvasFactory: await pdfCanvasFactory() } as Parameters<typeof getDocumentProxy>[1]);
    const image = await rasterisePdfPage(pdf, 1, 300, 24e6);
    await pdf.destroy();
    const rgba = Buffer.alloc(image.width * image.height * 4);
    image.pixels.forEach((v, i) => rgba.fill(v, i * 4, i * 4 + 3).writeUInt8(255, i * 4 + 3));
    out.push({ name: `${name}.png`, bytes: await pngOf(image) });
    out.push({ name: `${name}.jpg`, bytes: new Uint8Array(jpeg.encode({ width: image.width, height: image.height, data: rgba }, 85).data) });
    out.push({ name: `${name}.tif`, bytes: tiffOf([{ image }]) });
  }
  return out;
}

const OCR_MAX_PIXELS = 24_000_000; // ocr.maxPageMegapixels' default
const decodeHere = async (f: BenchFile): Promise<unknown> => (await imagePages(f.bytes, imageKindOf(f.bytes)!, OCR_MAX_PIXELS))[0]!.decode();
const decodeInReader = async (f: BenchFile): Promise<unknown> => {
  const kind = imageKindOf(f.bytes)!;
  return imagePageSources(f.bytes, kind, await imagePages(f.bytes, kind, OCR_MAX_PIXELS), OCR_MAX_PIXELS, timeoutMs, { process: readers })[0]!.image();
};

/** The hostile fax TIFF: what it costs this process decoded here (to the end) and in a reader (stopped at 1 s of CPU). */
async function hostile(): Promise<void> {
  const bomb = { name: "fax-loop.tif", bytes: faxLoopTiff(8 * 1024) };
  for (const [label, job] of [
    ["fax loop 8 KB: calling thread (before)", () => decodeHere(bomb)],
    ["fax loop 8 KB: reader process (after)", async () => imagePageSources(bomb.bytes, "tiff", await imagePages(bomb.bytes, "tiff", OCR_MAX_PIXELS), OCR_MAX_PIXELS, 1000, { process: readers })[0]!.image()],
  ] as const) {
    const delay = monitorEventLoopDelay({ resolution: 10 });
    const own = process.cpuUsage();
    const rss0 = rss.reset();
    delay.enable();
    await turn();
    const t0 = performance.now();
    const outcome = await job().then(
      () => "decoded",
      (error: { code?: string; message?: string }) => `${error.code}: ${error.message}`,
    );
    const wallMs = performance.now() - t0;
    await turn();
    delay.disable();
    const used = process.cpuUsage(own);
    console.log(
      `${label.padEnd(40)} wall ${wallMs.toFixed(0).padStart(5)} ms  CPU here ${((used.user + used.system) / 1000).toFixed(0).padStart(5)} ms  stall max ${(delay.max / 1e6).toFixed(0).padStart(5)} ms  RSS +${rss.growthMiB(rss0).toFixed(0)} MiB  ${outcome}`,
    );
  }
}

console.log(`node ${process.version}, ${files.length} PDFs, ${(files.reduce((n, f) => n + f.bytes.length, 0) / 1e6).toFixed(2)} MB, ${rounds} rounds, load ${(await import("node:os")).loadavg()[0]!.toFixed(1)}`);
if (only !== "images") {
  await measure(extractModes, files, false);
  await measure(extractModes, files, true);
  await measure(imageModes, files, false);
}
if (only !== "pdf") {
  const images = await scanImages();
  console.log(`${images.length} image files (${images.map((f) => path.extname(f.name)).join(" ")}), ${(images.reduce((n, f) => n + f.bytes.length, 0) / 1e6).toFixed(2)} MB, page 1 of each real scan at 300 dpi`);
  await measure(
    [
      { label: "image OCR decode: calling thread (before)", job: decodeHere },
      { label: "image OCR decode: reader process (after)", job: decodeInReader },
    ],
    images,
    false,
    true,
  );
  await measure(
    [
      { label: "image page image: calling thread (before)", job: (f) => renderPageImageHere(f.bytes, 1) },
      { label: "image page image: reader process (after)", job: (f) => renderPageImage(f.bytes, 1, { process: readers, timeoutMs }) },
    ],
    images,
    false,
    true,
  );
  await hostile();
}
console.log(`peak RSS of this process ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MiB`);
await thread.terminate();
pool.dispose();
