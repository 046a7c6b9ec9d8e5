// pdf.js jobs in PDF reader processes (what @bear/rag does now) beside where they ran before, in the
// same run, interleaved round by round: text extraction in one worker thread (V8 heap limit 1024 MB),
// page images on the calling thread. On the real PDFs of ../shared/data/pdfs/text.
//   nice -n 10 npx tsx --tsconfig ../../tsconfig.base.json bench/pdf-readers.ts [--rounds=5]
// Per file: wall latency p50/p95 (noisy on a loaded machine) and CPU (this process, its threads and
// the reader processes it waited for: the figure that holds under load); MB/s of PDF bytes extracted,
// one file at a time and two uploads at once; peak RSS of this process.
import fs from "node:fs";
import path from "node:path";
import { Worker } from "node:worker_threads";
import { extractDocumentIsolated } from "../src/extraction/isolated-extraction";
import { renderPageImage, renderPdfPageImage } from "../src/extraction/ocr/page-image";
import { pdfProcessPool, type PdfProcessOptions } from "../src/extraction/pdf-process/pdf-process-pool";
// eslint-disable-next-line @nx/enforce-module-boundaries -- a test-only helper of the repository root
import { bundledWorkerUrl } from "../../../scripts/test-support/bundle-worker";
import { pdfChildUrl } from "../test/support/pdf-child-build";

const rounds = Number(process.argv.find((a) => a.startsWith("--rounds="))?.split("=")[1] ?? 5);
const dir = path.resolve(import.meta.dirname, "../../../../shared/data/pdfs/text");
const files = fs.readdirSync(dir).filter((f) => /\.pdf$/i.test(f)).sort().map((name) => ({ name, bytes: new Uint8Array(fs.readFileSync(path.join(dir, name))) }));
const totalMB = files.reduce((n, f) => n + f.bytes.length, 0) / 1e6;
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
  readonly job: (file: { name: string; bytes: Uint8Array }) => Promise<unknown>;
}
const extractModes: Mode[] = [
  { label: "extract: worker thread (before)", job: (f) => inThread(f.name, f.bytes) },
  { label: "extract: 2 reader processes (after)", job: (f) => extractDocumentIsolated(f.name, f.bytes, { ...readers, timeoutMs }) },
];
const imageModes: Mode[] = [
  { label: "page image: calling thread (before)", job: (f) => renderPdfPageImage(f.bytes, 1) },
  { label: "page image: reader process (after)", job: (f) => renderPageImage(f.bytes, 1, { process: readers, timeoutMs }) },
];

const pct = (xs: number[], p: number): number => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))]!;
const median = (xs: number[]): number => pct(xs, 50);

async function measure(modes: Mode[], concurrent: boolean): Promise<void> {
  for (const mode of modes) await mode.job(files[0]!); // warm up: module loads, reader starts
  const stats = new Map(modes.map((m) => [m.label, { latency: [] as number[], cpu: [] as number[], wall: [] as number[] }]));
  for (let r = 0; r < rounds; r++) {
    // alternate which mode goes first, so drifts in machine load fall on both
    for (const mode of r % 2 === 0 ? modes : [...modes].reverse()) {
      const s = stats.get(mode.label)!;
      const cpu0 = cpuSeconds();
      const t0 = performance.now();
      if (concurrent) {
        let next = 0;
        const lane = async (): Promise<void> => {
          while (next < files.length) await mode.job(files[next++]!);
        };
        await Promise.all([lane(), lane()]);
      } else {
        for (const f of files) {
          const t = performance.now();
          await mode.job(f);
          s.latency.push(performance.now() - t);
        }
      }
      s.wall.push((performance.now() - t0) / 1000);
      s.cpu.push(cpuSeconds() - cpu0);
    }
  }
  for (const mode of modes) {
    const s = stats.get(mode.label)!;
    const perFile = concurrent ? "" : `p50 ${pct(s.latency, 50).toFixed(0).padStart(5)} ms  p95 ${pct(s.latency, 95).toFixed(0).padStart(5)} ms  `;
    console.log(
      `${mode.label.padEnd(38)} ${concurrent ? "2 at once  " : ""}${perFile}${(totalMB / median(s.wall)).toFixed(2).padStart(6)} MB/s  CPU ${(median(s.cpu) / files.length * 1000).toFixed(0).padStart(5)} ms/file  (medians of ${rounds} rounds)`,
    );
  }
}

console.log(`node ${process.version}, ${files.length} PDFs, ${totalMB.toFixed(2)} MB, ${rounds} rounds, load ${(await import("node:os")).loadavg()[0]!.toFixed(1)}`);
await measure(extractModes, false);
await measure(extractModes, true);
await measure(imageModes, false);
console.log(`peak RSS of this process ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MiB`);
await thread.terminate();
pool.dispose();
