// OCR quality and speed on the real scans in ../shared/data/pdfs, with each engine side by side.
//   nice -n 10 npx tsx bench/ocr.ts                      scanned/ with every engine, then text/ with OCR on
//   nice -n 10 npx tsx bench/ocr.ts --engines=tesseract.js,tesseract.js:best,tesseract-cli --no-text
//   nice -n 10 npx tsx bench/ocr.ts --no-scanned           text/ only
// Scanned: character error rate (CER) after whitespace normalisation against <name>.gt.txt, as
// data/pdfs/README.md defines it (no case or quote folding), and an order-insensitive bag-of-words
// F1; pages/s through the product path (pdf.js + Skia drawing, OCR workers = usable cores); page
// latency percentiles (draw + OCR); CPU seconds per page (this process's threads plus the
// tesseract children it waited for), the figure that holds on a shared machine; peak RSS of this process (tesseract.js workers are threads in
// it; tesseract-cli pages run in child processes, not counted).
// Text: extractDocument (OCR on, so image-only pages are read too) against CUAD's .txt: token
// recall and precision (lower-cased words and numbers, multiset overlap).
// Files split deterministically by SHA-1 of the name into "tune" and "held-out"; nothing here was
// tuned on either (dpi 200 is the README's stated scan resolution); both are printed.
import { createHash } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { extractDocument } from "../src/extraction/extract-document";
import { describeOcr } from "../src/extraction/ocr/create-ocr-engine";
import { ocrConfigSchema, type OcrConfig } from "../src/extraction/ocr/ocr-config";
import type { OcrEngineId } from "../src/extraction/ocr/ocr-engine";
import { PageOcr, type PageSource } from "../src/extraction/ocr/page-ocr";
import { pdfCanvasFactory, rasterisePdfPage } from "../src/extraction/ocr/pdf-page-rasteriser";

const data = path.resolve(import.meta.dirname, "../../../../shared/data");
const args = new Set(process.argv.slice(2));
const engineArg = process.argv.find((a) => a.startsWith("--engines="))?.split("=")[1];

let peakRss = 0;
const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 20);
sampler.unref();

const norm = (s: string): string => s.split(/\s+/).filter(Boolean).join(" ");
function levenshtein(a: string, b: string): number {
  const x = [...a];
  const y = [...b];
  let prev = new Uint32Array(y.length + 1).map((_, j) => j);
  let cur = new Uint32Array(y.length + 1);
  for (let i = 1; i <= x.length; i++) {
    cur[0] = i;
    const xi = x[i - 1];
    for (let j = 1; j <= y.length; j++) cur[j] = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + (xi === y[j - 1] ? 0 : 1));
    [prev, cur] = [cur, prev];
  }
  return prev[y.length]!;
}
const tokens = (s: string): string[] => s.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
function overlap(got: string, want: string): { recall: number; precision: number; f1: number } {
  const bag = new Map<string, number>();
  for (const t of tokens(want)) bag.set(t, (bag.get(t) ?? 0) + 1);
  const g = tokens(got);
  let hit = 0;
  for (const t of g) {
    const n = bag.get(t) ?? 0;
    if (n > 0) {
      hit++;
      bag.set(t, n - 1);
    }
  }
  const wantN = tokens(want).length;
  const recall = hit / Math.max(1, wantN);
  const precision = hit / Math.max(1, g.length);
  return { recall, precision, f1: (2 * recall * precision) / Math.max(1e-9, recall + precision) };
}
const split = (name: string): "tune" | "held-out" => ((createHash("sha1").update(name).digest()[0] ?? 0) % 2 === 0 ? "tune" : "held-out");
const pct = (xs: number[], p: number): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] ?? 0;
};
const f = (x: number, d = 1): string => x.toFixed(d);

/** CPU seconds of this process (every thread: tesseract.js workers, pdf.js, Skia) and of its waited-for children (tesseract processes). */
function cpuSeconds(): { self: number; children: number } {
  const u = process.cpuUsage();
  // /proc/self/stat fields 16-17: cutime, cstime in clock ticks (100 Hz on Linux)
  const fields = fs.readFileSync("/proc/self/stat", "utf8").split(") ")[1]!.split(" ");
  return { self: (u.user + u.system) / 1e6, children: (Number(fields[13]) + Number(fields[14])) / 100 };
}

async function scanned(spec: string, workers: number): Promise<void> {
  const [engine, model = "fast"] = spec.split(":") as [OcrEngineId, string?];
  const dir = path.join(data, "pdfs/scanned");
  const files = fs.readdirSync(dir).filter((n) => n.endsWith(".pdf")).sort();
  // Quality is measured whatever the machine's load: no page may time out here.
  const ocr = new PageOcr(ocrConfigSchema.parse({ engine, model, workers, pageTimeoutMs: 3_600_000 }) as OcrConfig);
  await ocr.engine(); // start-up is reported apart from throughput
  const started = Date.now();
  const cpu0 = cpuSeconds();
  let drawSeconds = 0;
  peakRss = process.memoryUsage().rss;
  const latencies: number[] = [];
  const rows: { name: string; part: string; chars: number; edits: number; f1: number; conf: number }[] = [];
  let pages = 0;
  const { getDocumentProxy } = await import("unpdf");
  const CanvasFactory = await pdfCanvasFactory();
  // One document after another (as an ingest does with concurrency 1); pages in parallel inside each.
  for (const name of files) {
    const bytes = new Uint8Array(fs.readFileSync(path.join(dir, name)));
    const pdf = await getDocumentProxy(bytes, { verbosity: 0, CanvasFactory } as Parameters<typeof getDocumentProxy>[1]);
    const startedAt = new Map<number, number>();
    const sources: PageSource[] = Array.from({ length: pdf.numPages }, (_, i) => ({
      page: i + 1,
      image: async () => {
        const t = performance.now();
        startedAt.set(i + 1, t);
        const image = await rasterisePdfPage(pdf, i + 1, ocr.config.dpi, ocr.maxPixels);
        drawSeconds += (performance.now() - t) / 1000;
        return image;
      },
    }));
    const outcomes = await ocr.readPages(sources, { onPage: (p) => latencies.push(performance.now() - (startedAt.get(p.page) ?? 0)) });
    await pdf.destroy();
    pages += outcomes.length;
    for (const o of outcomes) if ("failure" in o) console.log(`   page ${o.page} of ${name.slice(0, 40)} failed: ${o.failure.code} ${o.failure.message}`);
    const text = outcomes.map((o) => ("text" in o ? o.text : "")).join("\f");
    const truth = fs.readFileSync(path.join(dir, name.replace(/\.pdf$/, ".gt.txt")), "utf8");
    const conf = outcomes.reduce((s, o) => s + ("confidence" in o ? o.confidence : 0), 0) / outcomes.length;
    rows.push({ name, part: split(name), chars: [...norm(truth)].length, edits: levenshtein(norm(text), norm(truth)), f1: overlap(text, truth).f1, conf });
  }
  const seconds = (Date.now() - started) / 1000;
  const cpu1 = cpuSeconds();
  await ocr.dispose();
  const cpu = cpu1.self - cpu0.self + (cpu1.children - cpu0.children);
  const label = engine === "tesseract.js" ? `tesseract.js, ${model} model` : `${engine} (installed model)`;
  console.log(`\n== ${label}, ${workers} workers: ${pages} pages in ${f(seconds)} s = ${f(pages / seconds, 2)} pages/s wall (engine start-up excluded; load average ${os.loadavg().map((l) => f(l, 1)).join(" ")})`);
  console.log(`   CPU ${f(cpu / pages, 2)} s per page (drawing ${f(drawSeconds / pages, 2)} s wall) = ${f(workers / (cpu / pages), 2)} pages/s on ${workers} idle cores`);
  console.log(`   page latency (draw + OCR, ${workers} in flight)  p50 ${f(pct(latencies, 50) / 1000, 2)} s  p95 ${f(pct(latencies, 95) / 1000, 2)} s  p99 ${f(pct(latencies, 99) / 1000, 2)} s`);
  console.log(`   peak RSS ${f(peakRss / 2 ** 20, 0)} MiB`);
  console.log("   part      CER     BoW-F1  conf  file");
  for (const r of rows) console.log(`   ${r.part.padEnd(8)} ${f((100 * r.edits) / r.chars, 2).padStart(6)}%  ${f(100 * r.f1, 1).padStart(5)}%  ${f(r.conf, 0).padStart(3)}   ${r.name.slice(0, 60)}`);
  const agg = (rs: typeof rows): string => {
    const chars = rs.reduce((s, r) => s + r.chars, 0);
    const edits = rs.reduce((s, r) => s + r.edits, 0);
    return `CER ${f((100 * edits) / Math.max(1, chars), 2)}% over ${chars} chars`;
  };
  const noToc = rows.filter((r) => !r.name.startsWith("Monsanto"));
  console.log(`   overall ${agg(rows)} | tune ${agg(rows.filter((r) => r.part === "tune"))} | held-out ${agg(rows.filter((r) => r.part === "held-out"))}`);
  console.log(`   without the two-column TOC file (reading order, see README) ${agg(noToc)}`);
}

async function textPdfs(): Promise<void> {
  const dir = path.join(data, "pdfs/text");
  const manifest = JSON.parse(fs.readFileSync(path.join(dir, "manifest.json"), "utf8")) as { pdf: string; txt: string; pages: number }[];
  const ocr = new PageOcr(ocrConfigSchema.parse({ pageTimeoutMs: 3_600_000 }) as OcrConfig);
  console.log(`\n== text/ PDFs: extractDocument with OCR on (engine ${await ocr.engineId()}) vs CUAD .txt`);
  console.log("   part      pages  OCRed  recall  precision   s     file");
  let recallSum = 0;
  let wantSum = 0;
  for (const entry of manifest) {
    const bytes = new Uint8Array(fs.readFileSync(path.join(dir, entry.pdf)));
    const t = Date.now();
    const doc = await extractDocument(entry.pdf, bytes, { ocr });
    const want = fs.readFileSync(path.join(data, "cuad_train/full_contract_txt", entry.txt), "utf8");
    const o = overlap(doc.text, want);
    const n = tokens(want).length;
    recallSum += o.recall * n;
    wantSum += n;
    console.log(
      `   ${split(entry.pdf).padEnd(8)} ${String(entry.pages).padStart(5)}  ${String(doc.ocr?.pages.length ?? 0).padStart(5)}  ${f(100 * o.recall, 1).padStart(5)}%  ${f(100 * o.precision, 1).padStart(8)}%  ${f((Date.now() - t) / 1000, 1).padStart(5)}  ${entry.pdf.slice(0, 60)}`,
    );
  }
  await ocr.dispose();
  console.log(`   token recall, token-weighted over all files: ${f((100 * recallSum) / wantSum, 2)}%`);
}

const cores = os.availableParallelism();
const status = await describeOcr(ocrConfigSchema.parse({}) as OcrConfig);
console.log(`OCR bench: node ${process.version}, ${cores} usable cores, load average ${os.loadavg().map((l) => f(l, 1)).join(" ")}; auto engine = ${status.engine ?? "none"} (${status.version ?? status.error?.message})`);
// An engine is "tesseract.js" (fast models), "tesseract.js:best" (npm best_int) or "tesseract-cli".
const engines: string[] = engineArg ? engineArg.split(",") : status.engine === "tesseract-cli" ? ["tesseract.js", "tesseract-cli"] : ["tesseract.js"];
if (!args.has("--no-scanned")) for (const engine of engines) await scanned(engine, cores);
if (!args.has("--no-text")) await textPdfs();
console.log(`\npeak RSS of the run ${f(Math.max(peakRss, process.memoryUsage().rss) / 2 ** 20, 0)} MiB; load average now ${os.loadavg().map((l) => f(l, 1)).join(" ")}`);
