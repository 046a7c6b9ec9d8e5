// Ingestion throughput (lexical-only, ONNX and GGUF embedders), query latency per mode, memory peak.
//   npx tsx --tsconfig ../../tsconfig.base.json bench/throughput.ts               ~30k chunks, all three modes
//   npx tsx --tsconfig ../../tsconfig.base.json bench/throughput.ts --chunks=100k         ~100k chunks, lexical (~30 s)
//   npx tsx --tsconfig ../../tsconfig.base.json bench/throughput.ts --chunks=100k --onnx  ~100k chunks, all three modes (~75 s: over the minute)
// (the tsconfig flag lets tsx compile @bear/model-manager's sources, used for the GGUF row)
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { ModelManager } from "@bear/model-manager";
import { OnnxEmbedder, RagEngine } from "../src/index";

const shared = path.resolve(import.meta.dirname, "../../../../shared");

let peakRss = 0;
const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 25);

// Deterministic pseudo-random legal text.
let seed = 42;
const rnd = (): number => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
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

function writeCorpus(dir: string, files: number, clauses: number): number {
  fs.mkdirSync(dir, { recursive: true });
  let bytes = 0;
  for (let i = 0; i < files; i++) {
    const text = contract(i, clauses);
    bytes += Buffer.byteLength(text);
    fs.writeFileSync(path.join(dir, `agreement-${i}.txt`), text);
  }
  return bytes;
}

const CLAUSES_PER_FILE = 600;

function percentiles(samples: number[]): string {
  const s = [...samples].sort((a, b) => a - b);
  const at = (p: number): string => s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]!.toFixed(1).padStart(6);
  return `p50 ${at(50)} ms  p95 ${at(95)} ms  p99 ${at(99)} ms`;
}

const work = fs.mkdtempSync(path.join(os.tmpdir(), "rag-bench-"));

if (process.argv.includes("--chunks=100k")) {
  // ~100k chunks: ingest (with --onnx the IVF-PQ vector index is built past 50k chunks), then latency per mode.
  const bytes100k = writeCorpus(path.join(work, "huge"), 330, CLAUSES_PER_FILE);
  const onnx = process.argv.includes("--onnx")
    ? await OnnxEmbedder.load({ modelDir: path.join(shared, "models/model2vec-vq128-bge-base/onnx"), threads: 1, batchSize: 128 })
    : undefined;
  const rag = await RagEngine.open({ dir: path.join(work, "idx-100k"), root: work, ...(onnx ? { embedder: onnx } : {}) });
  const t0 = performance.now();
  const report = await rag.ingest(["huge"], { matter: "bench" });
  const s = (performance.now() - t0) / 1000;
  console.log(`corpus: 330 synthetic contracts, ${(bytes100k / 1e6).toFixed(1)} MB; node ${process.version}, ${os.cpus().length} vCPU`);
  console.log(`ingestion, ${onnx ? "ONNX (64-d fixture)" : "lexical-only"}  ${(bytes100k / 1e6 / s).toFixed(2)} MB/s  ${(report.chunksWritten / s).toFixed(0)} chunks/s  (${report.chunksWritten} chunks in ${s.toFixed(1)} s)`);
  const chunks = await rag.countChunks();
  const queries = Array.from({ length: 210 }, () => `${pick(SUBJECTS)} ${pick(VERBS)} ${pick(OBJECTS)} ${pick(TAILS)}`);
  console.log(`query latency at ${chunks} chunks, indices on ${(await rag.stats()).indexedColumns.join(", ")} (200 queries per mode, k = 8, after 10 warm-up queries)`);
  for (const mode of onnx ? (["lexical", "vector", "hybrid"] as const) : (["lexical"] as const)) {
    const samples: number[] = [];
    for (const [i, q] of queries.entries()) {
      const t1 = performance.now();
      await rag.search(`${q} ${i}`, { k: 8, mode });
      if (i >= 10) samples.push(performance.now() - t1);
    }
    console.log(`  ${mode.padEnd(8)} ${percentiles(samples)}`);
  }
  await rag.dispose();
  await onnx?.dispose();
  clearInterval(sampler);
  console.log(`memory peak (RSS) ${(peakRss / 2 ** 20).toFixed(0)} MiB`);
  fs.rmSync(work, { recursive: true, force: true });
  process.exit(0);
}

const embedder = await OnnxEmbedder.load({ modelDir: path.join(shared, "models/model2vec-vq128-bge-base/onnx"), threads: 1, batchSize: 128 });

const FILES = 100;
const CLAUSES = CLAUSES_PER_FILE; // ~300 chunks per file at the default 600-char target
const bytes = writeCorpus(path.join(work, "big"), FILES, CLAUSES);
const smallBytes = writeCorpus(path.join(work, "small"), 25, CLAUSES);
console.log(`corpus: ${FILES} synthetic contracts, ${(bytes / 1e6).toFixed(1)} MB (lexical run: 25 of them, ${(smallBytes / 1e6).toFixed(1)} MB); node ${process.version}, ${os.cpus().length} vCPU`);

console.log("\ningestion throughput");
{
  const rag = await RagEngine.open({ dir: path.join(work, "idx-lex"), root: work });
  const t0 = performance.now();
  const report = await rag.ingest(["small"], { matter: "bench" });
  const s = (performance.now() - t0) / 1000;
  console.log(`  lexical-only  ${(smallBytes / 1e6 / s).toFixed(2)} MB/s  ${(report.chunksWritten / s).toFixed(0)} chunks/s  (${report.chunksWritten} chunks in ${s.toFixed(1)} s)`);
  const t1 = performance.now();
  const again = await rag.ingest(["small"], { matter: "bench" });
  console.log(`  re-ingest of unchanged files: ${((performance.now() - t1) / 1000).toFixed(2)} s, ${again.chunksWritten} chunks written`);
  await rag.dispose();
}
{
  // GGUF embedding model through node-llama-cpp (model-manager's core Embedder), on 5 files.
  const ggufBytes = writeCorpus(path.join(work, "gguf"), 5, CLAUSES);
  const manager = await ModelManager.open({ modelDirs: [path.join(shared, "models/model2vec-vq128-bge-base")], threads: 1 });
  const gguf = await RagEngine.open({ dir: path.join(work, "idx-gguf"), root: work, embedder: manager.embedder("model2vec-vq128-bge-base") });
  const t0 = performance.now();
  const report = await gguf.ingest(["gguf"], { matter: "bench" });
  const s = (performance.now() - t0) / 1000;
  console.log(`  GGUF (128-d fixture, node-llama-cpp, 1 thread)  ${(ggufBytes / 1e6 / s).toFixed(2)} MB/s  ${(report.chunksWritten / s).toFixed(0)} chunks/s  (${report.chunksWritten} chunks in ${s.toFixed(1)} s)`);
  await gguf.dispose();
  await manager.dispose();
}
const rag = await RagEngine.open({ dir: path.join(work, "idx-onnx"), root: work, embedder });
{
  const t0 = performance.now();
  const report = await rag.ingest(["big"], { matter: "bench" });
  const s = (performance.now() - t0) / 1000;
  console.log(`  ONNX (${embedder.dimensions}-d fixture)  ${(bytes / 1e6 / s).toFixed(2)} MB/s  ${(report.chunksWritten / s).toFixed(0)} chunks/s  (${report.chunksWritten} chunks in ${s.toFixed(1)} s)`);
}

const chunks = await rag.countChunks();
console.log(`\nquery latency at ${chunks} chunks (200 queries per mode, k = 8, after 10 warm-up queries)`);
const queries = Array.from({ length: 210 }, () => `${pick(SUBJECTS)} ${pick(VERBS)} ${pick(OBJECTS)} ${pick(TAILS)}`);
for (const mode of ["lexical", "vector", "hybrid"] as const) {
  const samples: number[] = [];
  for (const [i, q] of queries.entries()) {
    const t0 = performance.now();
    await rag.search(`${q} ${i}`, { k: 8, mode });
    if (i >= 10) samples.push(performance.now() - t0);
  }
  console.log(`  ${mode.padEnd(8)} ${percentiles(samples)}`);
}
await rag.dispose();
await embedder.dispose();
clearInterval(sampler);
console.log(`\nmemory peak (RSS) ${(peakRss / 2 ** 20).toFixed(0)} MiB`);
console.log("100k chunks: run with --chunks=100k (lexical, a separate run to stay within a minute).");
fs.rmSync(work, { recursive: true, force: true });
