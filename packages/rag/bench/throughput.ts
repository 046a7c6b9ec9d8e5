// Ingest throughput, query latency and memory of RagEngine, each beside raw LanceDB doing the
// floor of the same work in the same run (so the ratio holds on this shared, noisy machine).
//
//   cd packages/rag && nice -n 10 npx tsx --tsconfig ../../tsconfig.base.json bench/throughput.ts [options]
//   (no option)     cuad, synthetic 200 MB, onnx, latency at ~100k chunks
//   --help          this text
//   --only=cuad,latency   some sections (cuad, synthetic, onnx, latency, memory)
//   --only=memory   1 GB of synthetic text, peak RSS (several minutes)
//   --synthetic-mb=200 --memory-mb=1024 --latency-chunks=100000  sizes
//   --malloc-arena-max=2 (default) | unset   the memory run's MALLOC_ARENA_MAX, as `bear` and `bear-server` set it
//   --malloc-mmap-threshold=unset (default, as the apps) | 131072 | a list (unset,131072)   the memory run's
//                  MALLOC_MMAP_THRESHOLD_ (a fixed glibc mmap threshold); with a list, one engine run per value on the same corpus
//   --memory-trace[=FILE]   engine ingests sample process.memoryUsage() every 250 ms and print the sample of highest RSS
//                  (JS heap, external, native = rss - heapTotal - external); with FILE every sample is appended to it,
//                  with the start and end of each LanceDB createIndex, optimize and delete (which phase peaks)
//   --before=DIR   also ingest with the RagEngine of another checkout's rag package (DIR/src/index.ts) in the same
//                  run, and print the before/after table of figures and ratios to raw LanceDB. DIR must sit inside
//                  this checkout (module resolution), e.g.:
//                    mkdir .before && git archive main packages/rag/src | tar -x -C .before
//                    nice -n 10 npx tsx bench/throughput.ts --only=cuad,synthetic --before=.before/packages/rag
//   --rounds=N     run raw LanceDB, the before (with --before) and the engine N times, alternating, and print each round's
//                  CPU and the medians (a single run of each is biased by what the shared machine did meanwhile)
//   --scoped       the latency run's searches scoped to the corpus's matter (`filter: { matters }`, as every API search is):
//                  BM25 under the matter's own statistics (store/matter-bm25.ts, the ethical wall) instead of LanceDB's
//   --two-pass=1   the latency run with namedDocumentSearch off (two BM25 queries for a query naming a document, as before)
//   --dist         the engine as production runs it: the built package (dist/index.js, extraction in a worker thread;
//                  run `npx nx run @bear/rag:build` first) instead of src/ (extraction in-process under tsx). With
//                  --before=DIR, the before is DIR/dist/index.js, e.g. main's build copied into this checkout:
//                    mkdir -p .before && cp -r /path/to/main/packages/rag/dist .before/dist
//   --src=DIR/src  the latency run with another checkout's RagEngine (see --before): the resolver rebuild costs before/after
//                  (with --only=latency, --before=DIR runs both engines on the same index instead, interleaved query by
//                  query with raw LanceDB, each with its own search cache, and prints the before/after CPU and the
//                  number of queries whose top-k ids differ)
//
// Every measurement runs in its own child process, so peak RSS (getrusage maxrss) is that
// measurement's alone. Each ingest line splits its CPU time into the JavaScript main thread (ours: reading,
// chunking, encoding, the engine's bookkeeping) and every other thread (LanceDB's native pool, libuv, V8's GC
// helpers, the extraction worker). Raw LanceDB floor: read the files, cut 600-character chunks, write one
// table (in the same batches), build one full-text index; with --onnx also embed the chunks.
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { randomBytes } from "node:crypto";
import { DiskCacheStore, TieredCache, type Embedder, type EmbedOptions } from "@bear/core";
import { OnnxEmbedder, RagEngine } from "../src/index";
import { LexicalAnalyser } from "../src/store/lexical-analyser";
// eslint-disable-next-line @nx/enforce-module-boundaries -- a bench helper of the repository root, shared by several packages' benches (no project to import it from)
import { mainThreadCpu } from "../../../scripts/test-support/thread-cpu";

/** The RagEngine of this checkout (its src/, or with `--dist` its build), or of the one `--src` names (the "before" of a before/after run). */
async function engineClass(): Promise<typeof RagEngine> {
  const src = arg("src");
  const dist = process.argv.includes("--dist");
  if (src && !dist) return ((await import(pathToFileURL(path.join(src, "index.ts")).href)) as { RagEngine: typeof RagEngine }).RagEngine;
  if (!dist) return RagEngine;
  const built = src ? path.resolve(src, "../dist/index.js") : path.resolve(import.meta.dirname, "../dist/index.js");
  if (!fs.existsSync(built)) throw new Error(`--dist: ${built} is missing; build it first (npx nx run @bear/rag:build)`);
  return ((await import(pathToFileURL(built).href)) as { RagEngine: typeof RagEngine }).RagEngine;
}

/** The RagEngine of another checkout's rag package (`--before=DIR`): DIR/src/index.ts, or with `--dist` DIR/dist/index.js. */
async function beforeEngineClass(dir: string): Promise<typeof RagEngine> {
  const file = process.argv.includes("--dist") ? path.resolve(dir, "dist/index.js") : path.resolve(dir, "src/index.ts");
  if (!fs.existsSync(file)) throw new Error(`--before: ${file} is missing`);
  return ((await import(pathToFileURL(file).href)) as { RagEngine: typeof RagEngine }).RagEngine;
}

/** The `shared` folder beside the checkout (a worktree may sit a level deeper than the main checkout). */
const shared = ((): string => {
  for (let dir = path.resolve(import.meta.dirname, "../../.."); dir !== path.dirname(dir); dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, "shared/data"))) return path.join(dir, "shared");
  }
  return path.resolve(import.meta.dirname, "../../../../shared");
})();
const cuadDir = path.join(shared, "data/cuad_train/full_contract_txt");
const modelDir = path.join(shared, "models/model2vec-vq128-bge-base/onnx");
const arg = (name: string): string | undefined => process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
const MB = 1e6;

// ---------- synthetic corpus (deterministic pseudo-random legal text, generated at run time) ----------
let seed = 42;
const rnd = (): number => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;
const SUBJECTS = ["The Supplier", "The Customer", "Either party", "The Licensee", "The Recipient", "Each Party", "The Contractor"];
const VERBS = ["shall deliver", "may terminate", "shall indemnify", "must notify", "shall maintain", "may assign", "shall not disclose"];
const OBJECTS = ["the Services", "this Agreement", "all Confidential Information", "the Deliverables", "any Personal Data", "the Licensed Software", "the Fees"];
const TAILS = ["within thirty (30) days of written notice", "in accordance with Schedule 2", "subject to Section 14.2(b)", "at its own cost and expense", "during the Term and for five years thereafter", "save as required by applicable law"];
function contract(i: number, clauses: number): string {
  const lines = [`MASTER AGREEMENT NO. ${i}`, "", `This Agreement is made on March ${1 + (i % 27)}, 2025 between Alpha ${i} Ltd. ("Alpha"), and Beta ${i} Inc. ("Beta").`, ""];
  for (let a = 1; a <= Math.ceil(clauses / 6); a++) {
    lines.push(`ARTICLE ${a} ${pick(["DEFINITIONS", "SERVICES", "FEES", "TERMINATION", "CONFIDENTIALITY", "LIABILITY", "GOVERNING LAW"])}`);
    for (let c = 1; c <= 6; c++) lines.push(`${a}.${c} ${pick(SUBJECTS)} ${pick(VERBS)} ${pick(OBJECTS)} ${pick(TAILS)}. ${pick(SUBJECTS)} ${pick(VERBS)} ${pick(OBJECTS)}.`);
    lines.push("");
  }
  return lines.join("\n");
}
const query = (i: number): string => `${pick(SUBJECTS)} ${pick(VERBS)} ${pick(OBJECTS)} ${pick(TAILS)} ${i}`;

/** Writes synthetic contracts (~82 KB each) until `megabytes` are on disk, one file at a time. */
function writeCorpus(dir: string, megabytes: number, clauses = 600): number {
  fs.mkdirSync(dir, { recursive: true });
  let bytes = 0;
  for (let i = 0; bytes < megabytes * MB; i++) {
    const text = contract(i, clauses);
    bytes += Buffer.byteLength(text);
    fs.writeFileSync(path.join(dir, `agreement-${String(i).padStart(5, "0")}.txt`), text);
  }
  return bytes;
}

function corpusBytes(dir: string): { files: number; bytes: number } {
  const names = fs.readdirSync(dir).filter((n) => !n.startsWith("."));
  return { files: names.length, bytes: names.reduce((s, n) => s + fs.statSync(path.join(dir, n)).size, 0) };
}

function percentiles(samples: number[]): { p50: number; p95: number; p99: number } {
  const s = [...samples].sort((a, b) => a - b);
  const at = (p: number): number => s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]!;
  return { p50: at(50), p95: at(95), p99: at(99) };
}

const maxRssMiB = (): number => process.resourceUsage().maxRSS / 1024;
const cpuSince = (start: NodeJS.CpuUsage): number => {
  const used = process.cpuUsage(start);
  return (used.user + used.system) / 1e6;
};

/** Times the embedder's own work (the share of ingest time it takes). */
class TimedEmbedder implements Embedder {
  seconds = 0;
  constructor(private readonly inner: Embedder) {}
  get id(): string {
    return this.inner.id;
  }
  get dimensions(): number {
    return this.inner.dimensions;
  }
  async embed(texts: readonly string[], options?: EmbedOptions): Promise<Float32Array[]> {
    const t0 = performance.now();
    try {
      return await this.inner.embed(texts, options);
    } finally {
      this.seconds += (performance.now() - t0) / 1000;
    }
  }
}

const loadOnnx = (): Promise<OnnxEmbedder> => OnnxEmbedder.load({ modelDir, threads: 1, batchSize: 128 });

// ---------- phases (each run in a child process) ----------

interface IngestResult {
  seconds: number;
  /** CPU seconds of the whole process (all threads, LanceDB's included): the work done, less sensitive to the machine's load than wall time. */
  cpuSeconds: number;
  /** Of `cpuSeconds`, the JavaScript main thread's (the rest: LanceDB's native threads, libuv, GC helpers, worker threads). */
  mainCpuSeconds: number;
  chunks: number;
  rssMiB: number;
  /** With `--memory-trace`: process.memoryUsage() at the sample of highest RSS, in MiB (native = rss - heapTotal - external). */
  peakSample?: { atSeconds: number; rss: number; heapTotal: number; heapUsed: number; external: number; arrayBuffers: number; native: number };
  embedSeconds?: number;
  reingestSeconds?: number;
  /** CPU seconds of the re-ingest of unchanged files (whole process). */
  reingestCpuSeconds?: number;
  reingestChunks?: number;
}

/** Raw LanceDB: read, cut 600-char chunks, (embed), add in ~4 MB batches, one FTS index. */
async function rawIngest(corpus: string, work: string, onnx: boolean): Promise<IngestResult> {
  const lancedb = await import("@lancedb/lancedb");
  const embedder = onnx ? new TimedEmbedder(await loadOnnx()) : undefined;
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  const main0 = mainThreadCpu();
  const db = await lancedb.connect(path.join(work, "raw"));
  let table: Awaited<ReturnType<typeof db.createTable>> | undefined;
  let rows: Record<string, unknown>[] = [];
  let pendingBytes = 0;
  let chunks = 0;
  const flush = async (): Promise<void> => {
    if (rows.length === 0) return;
    if (embedder) {
      const vectors = await embedder.embed(rows.map((r) => r["text"] as string));
      rows.forEach((r, i) => (r["vector"] = Array.from(vectors[i]!)));
    }
    table = table ? (await table.add(rows), table) : await db.createTable("chunks", rows);
    chunks += rows.length;
    rows = [];
    pendingBytes = 0;
  };
  for (const name of fs.readdirSync(corpus).sort()) {
    const text = fs.readFileSync(path.join(corpus, name), "utf8");
    for (let start = 0; start < text.length; start += 600) {
      rows.push({ id: `${name}:${start}`, documentId: name, text: text.slice(start, start + 600), start, end: Math.min(text.length, start + 600) });
    }
    pendingBytes += text.length;
    if (pendingBytes >= 4 * MB) await flush();
  }
  await flush();
  await table!.createIndex("text", { config: lancedb.Index.fts({ withPosition: false }) });
  const seconds = (performance.now() - t0) / 1000;
  const cpuSeconds = cpuSince(cpu0);
  const mainCpuSeconds = mainThreadCpu() - main0;
  db.close();
  return { seconds, cpuSeconds, mainCpuSeconds, chunks, rssMiB: maxRssMiB(), ...(embedder ? { embedSeconds: embedder.seconds } : {}) };
}

/**
 * Samples process.memoryUsage() every 250 ms (`--memory-trace`; each sample appended to FILE with `--memory-trace=FILE`) and keeps
 * the one of highest RSS: what the peak is made of (JS heap, external/Arrow buffers, and the rest: LanceDB's native memory,
 * malloc arenas, code).
 */
function memorySampler(): () => IngestResult["peakSample"] {
  if (!process.argv.some((a) => a.startsWith("--memory-trace"))) return () => undefined;
  const file = arg("memory-trace");
  const t0 = performance.now();
  const mib = (n: number): number => Math.round(n / 1048576);
  let peak: IngestResult["peakSample"];
  const sample = (): void => {
    const m = process.memoryUsage();
    const s = { atSeconds: Math.round((performance.now() - t0) / 100) / 10, rss: mib(m.rss), heapTotal: mib(m.heapTotal), heapUsed: mib(m.heapUsed), external: mib(m.external), arrayBuffers: mib(m.arrayBuffers), native: mib(m.rss - m.heapTotal - m.external) };
    if (file) fs.appendFileSync(file, `${JSON.stringify(s)}\n`);
    if (!peak || s.rss > peak.rss) peak = s;
  };
  const timer = setInterval(sample, 250);
  if (file) void markLanceCalls(file, () => Math.round((performance.now() - t0) / 100) / 10);
  return () => {
    clearInterval(timer);
    sample();
    return peak;
  };
}

/**
 * With `--memory-trace=FILE`: the start and end of each LanceDB table call that may move native memory (writes,
 * index builds, optimize), appended to FILE beside the samples, so the RSS timeline shows which phase peaks.
 * The engine imports the same @lancedb/lancedb module, so wrapping its table class here reaches the engine's calls.
 */
async function markLanceCalls(file: string, now: () => number): Promise<void> {
  const lancedb = await import("@lancedb/lancedb");
  const probeDir = fs.mkdtempSync(path.join(os.tmpdir(), "rag-bench-marks-"));
  const db = await lancedb.connect(probeDir);
  const proto = Object.getPrototypeOf(await db.createTable("probe", [{ a: 1 }])) as Record<string, (...args: unknown[]) => Promise<unknown>>;
  db.close();
  fs.rmSync(probeDir, { recursive: true, force: true }); // the probe table only lent its class
  for (const name of ["createIndex", "optimize", "delete"]) {
    const original = proto[name]!;
    proto[name] = async function (this: unknown, ...args: unknown[]): Promise<unknown> {
      const detail = name === "createIndex" ? String(args[0]) : "";
      const mark = (phase: string): void => fs.appendFileSync(file, `${JSON.stringify({ event: `${name}${detail ? ` ${detail}` : ""}`, phase, atSeconds: now(), rss: Math.round(process.memoryUsage.rss() / 1048576) })}\n`);
      mark("start");
      try {
        return await original.apply(this, args);
      } finally {
        mark("end");
      }
    };
  }
}

async function engineIngest(corpus: string, work: string, onnx: boolean): Promise<IngestResult> {
  const embedder = onnx ? new TimedEmbedder(await loadOnnx()) : undefined;
  const Engine = await engineClass();
  const rag = await Engine.open({ dir: path.join(work, "engine"), root: corpus, ...(embedder ? { embedder } : {}) });
  const peakSample = memorySampler();
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  const main0 = mainThreadCpu();
  const report = await rag.ingest(["."], { matter: "bench" });
  const seconds = (performance.now() - t0) / 1000;
  const cpuSeconds = cpuSince(cpu0);
  const mainCpuSeconds = mainThreadCpu() - main0;
  const peak = peakSample();
  if (report.failed > 0) throw new Error(`${report.failed} files failed: ${JSON.stringify(report.files.find((f) => f.status === "failed"))}`);
  const t1 = performance.now();
  const cpu1 = process.cpuUsage();
  const again = await rag.ingest(["."], { matter: "bench" });
  const reingestSeconds = (performance.now() - t1) / 1000;
  const reingestCpuSeconds = cpuSince(cpu1);
  await rag.dispose();
  return { seconds, cpuSeconds, mainCpuSeconds, chunks: report.chunksWritten, rssMiB: maxRssMiB(), reingestSeconds, reingestCpuSeconds, reingestChunks: again.chunksWritten, ...(peak ? { peakSample: peak } : {}), ...(embedder ? { embedSeconds: embedder.seconds } : {}) };
}

interface LatencyRow {
  name: string;
  p50: number;
  p95: number;
  p99: number;
  /** CPU milliseconds per query (whole process, all threads): the work done, robust to the machine's load. */
  cpu50: number;
  /** CPU milliseconds per query, 95th percentile: the tail without the machine's load in it. */
  cpu95: number;
  cpuMean: number;
}

interface LatencyResult {
  /** With `--before`: per mode, the queries whose top-k chunk ids differ between the before and the engine, and the per-query CPU ratios engine / before. */
  beforeAfter?: Record<string, { differ: number; cpuRatio50: number; cpuRatioMean: number }>;
  chunks: number;
  /** Wall time of building the document resolver (reading every document's text once). */
  resolverMs: number;
  /** Wall and CPU time of the resolver's first build, its rebuild after a commit of 3 documents, and after their delete. */
  resolver: Record<"first" | "afterCommit" | "afterDelete", { ms: number; cpuMs: number }>;
  indexed: string[];
  rows: LatencyRow[];
}

/**
 * ~100k chunks with the ONNX fixture; the same queries through RagEngine and straight to its
 * LanceDB table, interleaved. `--latency-index=DIR` keeps the index there and reuses it (profiling
 * runs); `--dump-ids=FILE` writes the engine's top-k chunk ids per query (ranking before/after a change).
 */
async function latency(corpus: string, work: string): Promise<LatencyResult> {
  const lancedb = await import("@lancedb/lancedb");
  const embedder = await loadOnnx();
  const dir = arg("latency-index") ?? path.join(work, "engine");
  const reuse = fs.existsSync(path.join(dir, "rag-index.json"));
  // A reused index starts with an empty search cache: the fixed queries must not hit results of an earlier run.
  if (reuse) fs.rmSync(path.join(dir, "cache"), { recursive: true, force: true });
  // --two-pass: the search as before namedDocumentSearch (a query over every passage, then one inside the documents found).
  const Engine = await engineClass();
  const twoPass = arg("two-pass") === "1" ? { namedDocumentSearch: false } : {};
  const rag = await Engine.open({ dir, root: corpus, embedder, ...twoPass });
  if (!reuse) await rag.ingest(["."], { matter: "bench" });
  // Builds the document resolver named-document searches use, as a running engine has it (searches take two passes until then).
  const build = async (): Promise<{ ms: number; cpuMs: number }> => {
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    await rag.resolveDocuments([rag.documents()[0]!.id]);
    return { ms: performance.now() - t0, cpuMs: cpuSince(cpu0) * 1000 };
  };
  const first = await build();
  // The rebuild after a commit of a few documents, and after their delete (the index is left as it was).
  const added = path.join(corpus, `added-${process.pid}`);
  fs.mkdirSync(added);
  for (let i = 0; i < 3; i++) fs.writeFileSync(path.join(added, `added-${i}.txt`), contract(90_000 + i, 600));
  await rag.ingest([added], { matter: "bench" });
  const afterCommit = await build();
  for (const d of rag.documents().filter((x) => x.source.includes(`added-${process.pid}`))) await rag.delete(d.id);
  const afterDelete = await build();
  fs.rmSync(added, { recursive: true, force: true });
  const resolverMs = first.ms;
  const stats = await rag.stats();
  const db = await lancedb.connect(path.join(dir, "lance"));
  const chunks = await db.openTable("chunks");
  const rrf = await lancedb.rerankers.RRFReranker.create(60);
  // What a hit needs to be shown (its text, offsets, page and section path), in the index's layout:
  // an index written before keeps a column per field, or its text at the end of its search text; a
  // new one holds analysed search terms beside the text (chunk-layout.ts), so the raw query is
  // analysed the same way first (microseconds of JavaScript; LanceDB then does the rest).
  const fields = (await chunks.schema()).fields.map((f) => f.name);
  const packed = fields.includes("place");
  const terms = packed && fields.includes("text");
  const columns = packed ? ["documentId", "version", terms ? "text" : "searchText", "place"] : ["id", "documentId", "version", "matter", "docType", "text", "start", "end", "page", "sectionPath", "ordinal"];
  const analyser = new LexicalAnalyser();
  const ftsQuery = (q: string): string => (terms ? analyser.analyse(q) : q);
  const k = 8;
  const raw = {
    lexical: async (q: string) => chunks.query().fullTextSearch(ftsQuery(q), { columns: ["searchText"] }).select([...columns, "_score"]).limit(k).toArray(),
    hybrid: async (q: string) => {
      const [v] = await embedder.embed([q]);
      return chunks.query().fullTextSearch(ftsQuery(q), { columns: ["searchText"] }).nearestTo(Array.from(v!)).distanceType("cosine").select(columns).rerank(rrf).limit(k).toArray();
    },
  };
  // --before: another checkout's engine on the same index, with a search cache of its own (the keys would be the same).
  const beforeDir = arg("before");
  const beforeCache = beforeDir
    ? new TieredCache({ secret: randomBytes(32), maxMemoryBytes: 32 * 2 ** 20, store: new DiskCacheStore({ dir: path.join(work, "before-cache"), maxBytes: 256 * 2 ** 20 }) })
    : undefined;
  const before = beforeDir ? await (await beforeEngineClass(beforeDir)).open({ dir, root: corpus, embedder, cache: beforeCache, ...twoPass }) : undefined;
  if (before) await before.resolveDocuments([before.documents()[0]!.id]);
  const engines: [string, RagEngine][] = [["engine", rag], ...(before ? [["before", before] as [string, RagEngine]] : [])];
  const samples: Record<string, { ms: number[]; cpu: number[] }> = {};
  for (const mode of ["lexical", "hybrid"]) for (const name of [...engines.map(([n]) => n), "raw"]) samples[`${mode} ${name}`] = { ms: [], cpu: [] };
  const ids: { query: string; lexical: string[]; hybrid: string[]; before?: { lexical: string[]; hybrid: string[] } }[] = [];
  const N = Number(arg("queries") ?? 300);
  const scope = process.argv.includes("--scoped") ? { filter: { matters: ["bench"] } } : {};
  const timed = async <T>(name: string, keep: boolean, fn: () => Promise<T>): Promise<T> => {
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    const out = await fn();
    const ms = performance.now() - t0;
    const cpu = process.cpuUsage(cpu0);
    if (keep) {
      samples[name]!.ms.push(ms);
      samples[name]!.cpu.push((cpu.user + cpu.system) / 1000);
    }
    return out;
  };
  for (let i = 0; i < N + 10; i++) {
    const q = query(i);
    const row = { query: q, lexical: [] as string[], hybrid: [] as string[], ...(before ? { before: { lexical: [] as string[], hybrid: [] as string[] } } : {}) };
    for (const mode of ["lexical", "hybrid"] as const) {
      // Every query differs: each search misses the (default, on) search cache and does the full work.
      // With --before the two engines take turns going first.
      for (const [name, engine] of i % 2 === 0 ? engines : [...engines].reverse()) {
        const hits = await timed(`${mode} ${name}`, i >= 10, () => engine.search(q, { k, mode, ...scope }));
        (name === "engine" ? row : row.before!)[mode] = hits.map((h) => h.chunkId);
      }
      await timed(`${mode} raw`, i >= 10, () => raw[mode](`${q} `));
    }
    if (i >= 10) ids.push(row);
  }
  const dump = arg("dump-ids");
  if (dump) fs.writeFileSync(dump, `${JSON.stringify(ids, null, 1)}\n`);
  db.close();
  await rag.dispose();
  await before?.dispose();
  await beforeCache?.dispose();
  await embedder.dispose();
  const mean = (xs: number[]): number => xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length);
  const beforeAfter = before
    ? Object.fromEntries(
        (["lexical", "hybrid"] as const).map((mode) => {
          const ratios = samples[`${mode} engine`]!.cpu.map((c, j) => c / samples[`${mode} before`]!.cpu[j]!);
          return [mode, { differ: ids.filter((r) => r[mode].join() !== r.before![mode].join()).length, cpuRatio50: percentiles(ratios).p50, cpuRatioMean: mean(ratios) }];
        }),
      )
    : undefined;
  return {
    ...(beforeAfter ? { beforeAfter } : {}),
    chunks: stats.chunks,
    resolverMs,
    resolver: { first, afterCommit, afterDelete },
    indexed: [...stats.indexedColumns],
    rows: Object.entries(samples).map(([name, s]) => ({ name, ...percentiles(s.ms), cpu50: percentiles(s.cpu).p50, cpu95: percentiles(s.cpu).p95, cpuMean: mean(s.cpu) })),
  };
}

// ---------- orchestration ----------

function runPhase<T>(phase: string, corpus: string, extra: string[] = [], env: NodeJS.ProcessEnv = process.env): T {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), `rag-bench-${phase}-`));
  try {
    const result = spawnSync(process.execPath, [...process.execArgv, import.meta.filename, `--phase=${phase}`, `--corpus=${corpus}`, `--work=${work}`, ...extra, ...process.argv.filter((a) => a === "--dist" || a.startsWith("--memory-trace"))], {
      encoding: "utf8",
      maxBuffer: 64 * MB,
      env,
    });
    const line = result.stdout.split("\n").find((l) => l.startsWith("RESULT "));
    if (!line) throw new Error(`phase ${phase} failed (exit ${result.status}): ${result.stderr.slice(-3000)}`);
    return JSON.parse(line.slice(7)) as T;
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}

interface IngestRows {
  readonly label: string;
  readonly bytes: number;
  readonly raw: IngestResult;
  readonly engine: IngestResult;
  readonly before?: IngestResult;
  readonly load: string;
}

const loadNow = (): string =>
  os
    .loadavg()
    .map((l) => l.toFixed(1))
    .join(" ");

const median = (xs: readonly number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 === 1 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};

/** Each figure's median over several runs of one phase. */
function medianResult(results: readonly IngestResult[]): IngestResult {
  if (results.length === 1) return results[0]!;
  const out: Record<string, number> = {};
  for (const key of Object.keys(results[0]!)) out[key] = median(results.map((r) => (r as unknown as Record<string, number>)[key]!));
  return out as unknown as IngestResult;
}

function ingestRows(label: string, corpus: string, onnx: boolean): IngestRows {
  const { files, bytes } = corpusBytes(corpus);
  const phase = onnx ? "engine-onnx" : "engine";
  const beforeDir = arg("before");
  const rounds = Math.max(1, Math.floor(Number(arg("rounds") ?? 1)));
  console.log(`\n${label}: ${files} files, ${(bytes / MB).toFixed(1)} MB${onnx ? ", ONNX 64-d fixture embedder (1 thread)" : ", lexical"}${rounds > 1 ? `, ${rounds} rounds` : ""}`);
  // Raw, before and after alternate round by round: one run of each is biased by whatever the machine did meanwhile.
  const runs: { raw: IngestResult; before?: IngestResult; engine: IngestResult }[] = [];
  for (let r = 0; r < rounds; r++) {
    const raw = runPhase<IngestResult>(onnx ? "raw-onnx" : "raw", corpus);
    const before = beforeDir ? runPhase<IngestResult>(phase, corpus, [`--src=${path.resolve(beforeDir, "src")}`]) : undefined;
    const engine = runPhase<IngestResult>(phase, corpus);
    runs.push({ raw, engine, ...(before ? { before } : {}) });
    const cpu = (x: IngestResult): string => `${x.cpuSeconds.toFixed(2)} s (JS main ${x.mainCpuSeconds.toFixed(2)})`;
    if (rounds > 1) console.log(`  round ${r + 1}: cpu raw ${cpu(raw)}${before ? `, before ${cpu(before)} ${(before.cpuSeconds / raw.cpuSeconds).toFixed(2)}x` : ""}, engine ${cpu(engine)} ${(engine.cpuSeconds / raw.cpuSeconds).toFixed(2)}x;  load ${loadNow()}`);
  }
  const raw = medianResult(runs.map((r) => r.raw));
  const before = beforeDir ? medianResult(runs.map((r) => r.before!)) : undefined;
  const engine = medianResult(runs.map((r) => r.engine));
  if (rounds > 1) {
    const ratios = (pick: (r: (typeof runs)[number]) => IngestResult): string => median(runs.map((r) => pick(r).cpuSeconds / r.raw.cpuSeconds)).toFixed(2);
    console.log(`  median of the rounds' CPU ratios to raw:${before ? ` before ${ratios((r) => r.before!)}x,` : ""} engine ${ratios((r) => r.engine)}x (the lines below: each figure's median over the rounds)`);
  }
  const line = (name: string, r: IngestResult): string =>
    `  ${name.padEnd(18)} ${r.seconds.toFixed(1).padStart(6)} s (cpu ${r.cpuSeconds.toFixed(1).padStart(5)} s: JS main ${r.mainCpuSeconds.toFixed(1).padStart(4)}, other threads ${(r.cpuSeconds - r.mainCpuSeconds).toFixed(1).padStart(4)})  ${(bytes / MB / r.seconds).toFixed(2).padStart(6)} MB/s  ${(r.chunks / r.seconds).toFixed(0).padStart(6)} chunks/s  ${String(r.chunks).padStart(7)} chunks  peak RSS ${r.rssMiB.toFixed(0).padStart(5)} MiB` +
    (r.embedSeconds === undefined ? "" : `  embedder ${r.embedSeconds.toFixed(1)} s (${((100 * r.embedSeconds) / r.seconds).toFixed(0)}%)`);
  console.log(line("raw LanceDB", raw));
  if (before) console.log(line("RagEngine (before)", before));
  console.log(line("RagEngine", engine));
  const load = loadNow();
  for (const [name, r] of before ? [["before", before] as const, ["ratio", engine] as const] : [["ratio", engine] as const]) {
    console.log(`  ${name} ${(r.seconds / raw.seconds).toFixed(2)}x raw (cpu ${(r.cpuSeconds / raw.cpuSeconds).toFixed(2)}x);  re-ingest of unchanged files ${r.reingestSeconds!.toFixed(2)} s (cpu ${r.reingestCpuSeconds!.toFixed(2)} s), ${r.reingestChunks} chunks written;  load ${load}`);
  }
  return { label: `${label}${onnx ? ", ONNX" : ""}`, bytes, raw, engine, ...(before ? { before } : {}), load };
}

/** The issue's before/after table (markdown): the engine's figures before and after, each beside raw LanceDB in the same run. */
function beforeAfterTable(sections: readonly IngestRows[]): void {
  const rows = sections.filter((s): s is IngestRows & { before: IngestResult } => s.before !== undefined);
  if (rows.length === 0) return;
  console.log("\n| | before | after |\n|---|---|---|");
  for (const { label, bytes, raw, engine, before } of rows) {
    const row = (name: string, f: (r: IngestResult) => string): void => console.log(`| ${label}: ${name} | ${f(before)} | ${f(engine)} |`);
    row("CPU vs raw LanceDB", (r) => `${(r.cpuSeconds / raw.cpuSeconds).toFixed(2)}× (${r.cpuSeconds.toFixed(1)} s; raw ${raw.cpuSeconds.toFixed(1)} s)`);
    row("CPU split: JS main thread / other threads", (r) => `${r.mainCpuSeconds.toFixed(1)} / ${(r.cpuSeconds - r.mainCpuSeconds).toFixed(1)} s (raw ${raw.mainCpuSeconds.toFixed(1)} / ${(raw.cpuSeconds - raw.mainCpuSeconds).toFixed(1)})`);
    row("wall vs raw LanceDB", (r) => `${(r.seconds / raw.seconds).toFixed(2)}× (${r.seconds.toFixed(1)} s; raw ${raw.seconds.toFixed(1)} s)`);
    row("MB/s", (r) => (bytes / MB / r.seconds).toFixed(2));
    row("chunks/s", (r) => (r.chunks / r.seconds).toFixed(0));
    row("peak RSS", (r) => `${r.rssMiB.toFixed(0)} MiB (raw ${raw.rssMiB.toFixed(0)})`);
    row("re-ingest of unchanged files", (r) => `${r.reingestSeconds!.toFixed(2)} s (cpu ${r.reingestCpuSeconds!.toFixed(2)} s)`);
    if (engine.embedSeconds !== undefined) row("embedder's share", (r) => `${((100 * r.embedSeconds!) / r.seconds).toFixed(0)}%`);
  }
  console.log(`(load average at each section's end: ${rows.map((r) => r.load).join(" / ")})`);
}

/** The comment at the top of this file, as usage text. */
function usage(): string {
  const lines = fs.readFileSync(import.meta.filename, "utf8").split("\n");
  return lines.slice(0, lines.findIndex((l) => !l.startsWith("//"))).map((l) => l.replace(/^\/\/ ?/, "")).join("\n");
}

async function main(): Promise<void> {
  if (process.argv.includes("--help") || process.argv.includes("-h")) {
    console.log(usage());
    return;
  }
  const phase = arg("phase");
  if (phase) {
    const corpus = arg("corpus")!;
    const work = arg("work")!;
    const result =
      phase === "raw" || phase === "raw-onnx"
        ? await rawIngest(corpus, work, phase === "raw-onnx")
        : phase === "engine" || phase === "engine-onnx"
          ? await engineIngest(corpus, work, phase === "engine-onnx")
          : await latency(corpus, work);
    process.stdout.write(`RESULT ${JSON.stringify(result)}\n`);
    return;
  }
  const only = new Set((arg("only") ?? "cuad,synthetic,onnx,latency").split(","));
  console.log(`node ${process.version}, ${os.cpus().length} vCPU, load ${os.loadavg().map((l) => l.toFixed(1)).join(" ")}`);
  const work = fs.mkdtempSync(path.join(os.tmpdir(), "rag-bench-corpus-"));
  const sections: IngestRows[] = [];
  try {
    if (only.has("cuad")) sections.push(ingestRows("cuad_train contracts", cuadDir, false));
    if (only.has("synthetic")) {
      const dir = path.join(work, "synthetic");
      writeCorpus(dir, Number(arg("synthetic-mb") ?? 200));
      sections.push(ingestRows(`synthetic ${arg("synthetic-mb") ?? 200} MB`, dir, false));
      fs.rmSync(dir, { recursive: true, force: true });
    }
    if (only.has("onnx")) sections.push(ingestRows("cuad_train contracts", cuadDir, true));
    if (only.has("latency")) {
      const dir = path.join(work, "latency");
      // ~310 chunks per synthetic contract at the default 600-char target.
      writeCorpus(dir, (Number(arg("latency-chunks") ?? 100_000) / 310) * 0.0815);
      const extra = ["latency-index", "dump-ids", "queries", "two-pass", "src"].flatMap((n) => (arg(n) ? [`--${n}=${arg(n)}`] : []));
      if (arg("before")) extra.push(`--before=${path.resolve(arg("before")!)}`);
      const r = runPhase<LatencyResult>("latency", dir, extra);
      console.log(`\nquery latency at ${r.chunks} chunks (indices on ${r.indexed.join(", ")}), k = 8, ${arg("queries") ?? 300} queries per row after 10 warm-up, engine and raw interleaved, search cache on (every query a miss); document resolver built first in ${r.resolverMs.toFixed(0)} ms`);
      const b = (x: { ms: number; cpuMs: number }): string => `${x.ms.toFixed(0)} ms (cpu ${x.cpuMs.toFixed(0)} ms)`;
      console.log(`  document resolver: first build ${b(r.resolver.first)}; after a commit of 3 documents ${b(r.resolver.afterCommit)}; after their delete ${b(r.resolver.afterDelete)}`);
      for (const row of r.rows) {
        console.log(
          `  ${row.name.padEnd(15)} p50 ${row.p50.toFixed(1).padStart(6)} ms  p95 ${row.p95.toFixed(1).padStart(6)} ms  p99 ${row.p99.toFixed(1).padStart(6)} ms   cpu/query p50 ${row.cpu50.toFixed(1).padStart(5)} ms  p95 ${row.cpu95.toFixed(1).padStart(5)} ms  mean ${row.cpuMean.toFixed(1).padStart(5)} ms`,
        );
      }
      const at = (name: string): LatencyRow => r.rows.find((x) => x.name === name)!;
      for (const mode of ["lexical", "hybrid"]) {
        const w = at(`${mode} raw`);
        for (const name of r.beforeAfter ? ["before", "engine"] : ["engine"]) {
          const e = at(`${mode} ${name}`);
          console.log(`  ${mode} ${name}/raw: p50 ${(e.p50 / w.p50).toFixed(2)}x, p95 ${(e.p95 / w.p95).toFixed(2)}x, cpu/query p50 ${(e.cpu50 / w.cpu50).toFixed(2)}x, p95 ${(e.cpu95 / w.cpu95).toFixed(2)}x, mean ${(e.cpuMean / w.cpuMean).toFixed(2)}x`);
        }
        const ba = r.beforeAfter?.[mode];
        if (ba) console.log(`  ${mode} engine vs before, query by query: cpu ratio p50 ${ba.cpuRatio50.toFixed(3)}, mean ${ba.cpuRatioMean.toFixed(3)}; top-8 ids differ for ${ba.differ} of ${arg("queries") ?? 300} queries`);
      }
      fs.rmSync(dir, { recursive: true, force: true });
    }
    if (only.has("memory")) {
      const dir = path.join(work, "memory");
      const bytes = writeCorpus(dir, Number(arg("memory-mb") ?? 1024));
      // glibc reads its tunables only when a process starts: the child gets them as the apps' shebangs give them.
      const arenas = arg("malloc-arena-max") ?? "2";
      const { MALLOC_ARENA_MAX: _arenas, MALLOC_MMAP_THRESHOLD_: _threshold, ...inherited } = process.env;
      const glibcEnv = (threshold: string): NodeJS.ProcessEnv => ({
        ...inherited,
        ...(arenas === "unset" ? {} : { MALLOC_ARENA_MAX: arenas }),
        ...(threshold === "unset" ? {} : { MALLOC_MMAP_THRESHOLD_: threshold }),
      });
      const before = arg("before");
      const runs: [string, IngestResult][] = [];
      // Several thresholds (`--malloc-mmap-threshold=unset,131072`): one engine run each, one after the other, on the same corpus.
      for (const threshold of (arg("malloc-mmap-threshold") ?? "unset").split(",")) {
        const env = glibcEnv(threshold);
        const settings = `MALLOC_ARENA_MAX=${arenas}, MALLOC_MMAP_THRESHOLD_=${threshold}`;
        if (before) runs.push([`before, ${settings}`, runPhase<IngestResult>("engine", dir, [`--src=${path.resolve(before, "src")}`], env)]);
        runs.push([before ? `after, ${settings}` : settings, runPhase<IngestResult>("engine", dir, [], env)]);
      }
      for (const [name, r] of runs) {
        console.log(
          `\nmemory (${name}): ${(bytes / MB).toFixed(0)} MB of synthetic text, lexical: ${r.seconds.toFixed(0)} s (cpu ${r.cpuSeconds.toFixed(1)} s, JS main ${r.mainCpuSeconds.toFixed(1)} s), ${(bytes / MB / r.seconds).toFixed(2)} MB/s, ${r.chunks} chunks, peak RSS ${r.rssMiB.toFixed(0)} MiB (load ${loadNow()})` +
            (r.peakSample ? `\n  at the highest sampled RSS (${r.peakSample.atSeconds} s): ${JSON.stringify(r.peakSample)} MiB` : ""),
        );
      }
    }
    beforeAfterTable(sections);
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}

await main();
