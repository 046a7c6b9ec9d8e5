// Retrieval quality on the public LegalBench-RAG-style split (CUAD + ContractNLI), scored exactly
// as LegalBench-RAG does: precision@k and recall@k by character-span overlap.
// With --group=answers it scores the model-free answers instead (`rag.answer(q, { llm: null })`):
// is the first citation in the named document, does it overlap the gold span, does any citation,
// on the fixed tune / report halves of bench/lbr-split.ts.
//   npx tsx bench/legalbench-rag.ts [--group=lexical|more|answers] [--quick]   (default group: lexical)
//   --half=tune|report  only the queries of one half of bench/lbr-split.ts (retrieval groups)
//   --hybrid            with --quick: a hybrid row too (ONNX fixture)
//   --k=8               search with this k (the candidates fetched follow it) and score @1..@k only
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { KeyEncryptionKey, KeyedContentCipher } from "@bear/security";
import { OnnxEmbedder, RagEngine, type Answer, type ChunkingStrategy } from "../src/index";
import { splitOf } from "./lbr-split";
import { unanswerableQuestions } from "./lbr-unanswerable";

const shared = fs.realpathSync(path.resolve(import.meta.dirname, "../../../../shared"));
const dataDir = path.join(shared, "data/legalbench_rag");
const KS = [1, 2, 4, 8, 16, 32, 64].filter((k) => k <= Number(process.argv.find((a) => a.startsWith("--k="))?.slice(4) ?? 64));

interface Query {
  id: string;
  source: "cuad" | "contractnli";
  query: string;
  answers: { file: string; start: number; end: number }[];
}

const halfArg = process.argv.find((a) => a.startsWith("--half="))?.slice(7);
const allQueries = fs
  .readFileSync(path.join(dataDir, "queries.jsonl"), "utf8")
  .split("\n")
  .filter(Boolean)
  .map((l) => JSON.parse(l) as Query);
const queries = halfArg && process.argv.every((a) => a !== "--group=answers") ? allQueries.filter((q) => splitOf(q.answers[0]!.file) === halfArg) : allQueries;
const searchK = Number(process.argv.find((a) => a.startsWith("--k="))?.slice(4) ?? 64);

interface Setup {
  name: string;
  strategy: ChunkingStrategy;
  targetChars: number;
  mode: "lexical" | "vector" | "hybrid";
  onnx?: boolean;
  boost?: number;
  /** Encrypted index (sealed text, blind-token BM25) under a random workspace key. */
  sealed?: boolean;
}

const quick = process.argv.includes("--quick");
const targetArg = Number(process.argv.find((a) => a.startsWith("--target="))?.slice(9) ?? 600);
const group = process.argv.find((a) => a.startsWith("--group="))?.slice(8) ?? "lexical";
if (group === "answers") {
  await answerBench();
  process.exit(0);
}
const setups: Setup[] = quick
  ? [
      { name: `legal-${targetArg} lexical`, strategy: "legal", targetChars: targetArg, mode: "lexical" },
      // --hybrid: the hybrid path (the ONNX fixture is too weak for quality claims; it checks the fusion did not get worse)
      ...(process.argv.includes("--hybrid") ? [{ name: `legal-${targetArg} hybrid (onnx fixture)`, strategy: "legal", targetChars: targetArg, mode: "hybrid", onnx: true } as const] : []),
    ]
  : group === "more"
    ? [
        { name: "sentence-600 lexical", strategy: "sentence", targetChars: 600, mode: "lexical" },
        { name: "legal-600 lexical, encrypted index", strategy: "legal", targetChars: 600, mode: "lexical", sealed: true },
        { name: "legal-600 vector (onnx fixture)", strategy: "legal", targetChars: 600, mode: "vector", onnx: true },
        { name: "legal-600 hybrid (onnx fixture)", strategy: "legal", targetChars: 600, mode: "hybrid", onnx: true },
      ]
    : [
        { name: "legal-600 lexical (default)", strategy: "legal", targetChars: 600, mode: "lexical" },
        { name: "legal-600 lexical, no document-aware ranking", strategy: "legal", targetChars: 600, mode: "lexical", boost: 0 },
        { name: "fixed-600 lexical", strategy: "fixed", targetChars: 600, mode: "lexical" },
      ];

type Scores = Record<"cuad" | "contractnli" | "all", { p: number[]; r: number[]; n: number }>;

function overlap(a0: number, a1: number, b0: number, b1: number): number {
  return Math.max(0, Math.min(a1, b1) - Math.max(a0, b0));
}

function score(hits: { file: string; start: number; end: number }[], gold: Query["answers"]): { p: number; r: number } {
  let retrieved = 0;
  let relevant = 0;
  for (const h of hits) {
    retrieved += h.end - h.start;
    for (const g of gold) if (g.file === h.file) relevant += overlap(h.start, h.end, g.start, g.end);
  }
  let goldChars = 0;
  let covered = 0;
  for (const g of gold) {
    goldChars += g.end - g.start;
    const mask = new Uint8Array(g.end - g.start);
    for (const h of hits) if (h.file === g.file) mask.fill(1, Math.max(0, h.start - g.start), Math.max(0, Math.min(g.end, h.end) - g.start));
    covered += mask.reduce((s, x) => s + x, 0);
  }
  return { p: retrieved > 0 ? relevant / retrieved : 0, r: goldChars > 0 ? covered / goldChars : 0 };
}

const pct = (x: number): string => `${(x * 100).toFixed(1)}%`.padStart(6);

const cache = new Map<string, RagEngine>();
/** The index folders made for the setups, removed once their engines are disposed. */
const indexDirs: string[] = [];
let embedder: OnnxEmbedder | undefined;
const results: { setup: Setup; scores: Scores; ingestMs: number; queryMs: number }[] = [];
for (const setup of setups) {
  const key = `${setup.strategy}-${setup.targetChars}-${setup.onnx ? "onnx" : "lex"}${setup.sealed ? "-sealed" : ""}`;
  let rag = cache.get(key);
  let ingestMs = 0;
  if (!rag) {
    if (setup.onnx) embedder ??= await OnnxEmbedder.load({ modelDir: path.join(shared, "models/model2vec-vq128-bge-base/onnx") });
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "lbr-"));
    indexDirs.push(dir);
    rag = await RagEngine.open({
      dir,
      root: dataDir,
      chunking: { strategy: setup.strategy, targetChars: setup.targetChars },
      ...(setup.onnx && embedder ? { embedder } : {}),
      ...(setup.sealed ? { cipher: new KeyedContentCipher(KeyEncryptionKey.fromBytes(randomBytes(32))) } : {}),
    });
    const t0 = performance.now();
    await rag.ingest(["corpus"], { matter: "lbr" });
    ingestMs = performance.now() - t0;
    cache.set(key, rag);
  }
  const fileOf = new Map(rag.documents().map((d) => [d.id, path.relative(path.join(dataDir, "corpus"), d.source)]));
  const scores: Scores = { cuad: { p: KS.map(() => 0), r: KS.map(() => 0), n: 0 }, contractnli: { p: KS.map(() => 0), r: KS.map(() => 0), n: 0 }, all: { p: KS.map(() => 0), r: KS.map(() => 0), n: 0 } };
  const t0 = performance.now();
  // Two queries in flight: LanceDB searches run on its native thread pool.
  const engine = rag;
  const allHits = new Array<{ file: string; start: number; end: number }[]>(queries.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: 2 }, async () => {
      while (next < queries.length) {
        const i = next++;
        const q = queries[i]!;
        const found = await engine.search(q.query, { k: searchK, mode: setup.mode, ...(setup.boost === undefined ? {} : { documentBoost: setup.boost }) });
        allHits[i] = found.map((h) => ({ file: fileOf.get(h.documentId)!, start: h.start, end: h.end }));
      }
    }),
  );
  for (const [qi, q] of queries.entries()) {
    const hits = allHits[qi]!;
    for (const bucket of [scores[q.source], scores.all]) {
      bucket.n++;
      KS.forEach((k, i) => {
        const s = score(hits.slice(0, k), q.answers);
        bucket.p[i]! += s.p;
        bucket.r[i]! += s.r;
      });
    }
  }
  const queryMs = performance.now() - t0;
  for (const b of Object.values(scores)) {
    b.p = b.p.map((x) => x / b.n);
    b.r = b.r.map((x) => x / b.n);
  }
  results.push({ setup, scores, ingestMs, queryMs });
}

console.log(`LegalBench-RAG-style retrieval, public split: ${queries.length} queries (CUAD ${queries.filter((q) => q.source === "cuad").length}, ContractNLI ${queries.filter((q) => q.source === "contractnli").length}), 60 documents, 2.18M chars`);
console.log("Published (LegalBench-RAG, 714 docs / 79.7M chars, RCTS + text-embedding-3-large): recall@64 CUAD 74.7%, ContractNLI 61.7%; precision@1 overall (4 subsets) 6.4%\n");
for (const { setup, scores, ingestMs, queryMs } of results) {
  console.log(`== ${setup.name}${ingestMs ? `  (ingest ${(ingestMs / 1000).toFixed(1)} s` : "  ("}${ingestMs ? ", " : ""}${(queryMs / queries.length).toFixed(1)} ms/query at 2 in flight)`);
  console.log(`   subset        ${KS.map((k) => `   @${k}`.padStart(6)).join(" ")}`);
  for (const subset of ["cuad", "contractnli", "all"] as const) {
    console.log(`   ${subset.padEnd(11)} P ${scores[subset].p.map(pct).join(" ")}`);
    console.log(`   ${"".padEnd(11)} R ${scores[subset].r.map(pct).join(" ")}`);
  }
}
const best = results[0]!.scores;
if ((group === "lexical" || quick) && KS.length === 7) console.log(
  `\nDefault (${results[0]!.setup.name}) vs published: recall@64 CUAD ${pct(best.cuad.r[6]!)} vs 74.7% | ContractNLI ${pct(best.contractnli.r[6]!)} vs 61.7% | precision@1 ${pct(best.all.p[0]!)} vs 6.4% (goal 12.8%)`,
);
for (const rag of cache.values()) await rag.dispose();
for (const dir of indexDirs) fs.rmSync(dir, { recursive: true, force: true });
await embedder?.dispose();

/** Answer quality of the model-free default, per half of the fixed split and per subset. */
async function answerBench(): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "lbr-answers-"));
  const rag = await RagEngine.open({ dir, root: dataDir });
  await rag.ingest(["corpus"], { matter: "lbr" });
  const fileOf = new Map(rag.documents().map((d) => [d.id, path.relative(path.join(dataDir, "corpus"), d.source)]));
  type Tally = { n: number; inDoc: number; first: number; any: number; notFound: number };
  const tallies = new Map<string, Tally>();
  const bump = (key: string, f: (t: Tally) => void): void => {
    const t = tallies.get(key) ?? { n: 0, inDoc: 0, first: 0, any: 0, notFound: 0 };
    f(t);
    tallies.set(key, t);
  };
  const latencies: number[] = [];
  for (const q of queries) {
    const t0 = performance.now();
    const answer: Answer = await rag.answer(q.query, { llm: null });
    latencies.push(performance.now() - t0);
    const cites = answer.citations.map((c) => ({ file: fileOf.get(c.documentId)!, start: c.start, end: c.end }));
    const hits = (c: { file: string; start: number; end: number }): boolean => q.answers.some((g) => g.file === c.file && overlap(c.start, c.end, g.start, g.end) > 0);
    const goldFiles = new Set(q.answers.map((g) => g.file));
    const half = splitOf(q.answers[0]!.file);
    for (const key of [`${half}/${q.source}`, `${half}/all`]) {
      bump(key, (t) => {
        t.n++;
        if (cites[0] && goldFiles.has(cites[0].file)) t.inDoc++;
        if (cites[0] && hits(cites[0])) t.first++;
        if (cites.some(hits)) t.any++;
        if (answer.notFound) t.notFound++;
      });
    }
  }
  // Questions whose named document holds no answer: the right reply is "not found".
  const unanswerable = new Map<string, { n: number; notFound: number; elsewhere: number }>();
  for (const q of unanswerableQuestions(path.join(shared, "data"))) {
    const answer: Answer = await rag.answer(q.query, { llm: null });
    const first = answer.citations[0] ? fileOf.get(answer.citations[0].documentId) : undefined;
    for (const key of [`${splitOf(q.file)}/${q.source}`, `${splitOf(q.file)}/all`]) {
      const t = unanswerable.get(key) ?? { n: 0, notFound: 0, elsewhere: 0 };
      t.n++;
      if (answer.notFound) t.notFound++;
      else if (first !== q.file) t.elsewhere++;
      unanswerable.set(key, t);
    }
  }
  latencies.sort((a, b) => a - b);
  const at = (p: number): string => `${latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))]!.toFixed(1)} ms`;
  console.log(`Model-free answers (rag.answer(q, { llm: null })), public split: ${queries.length} queries; latency p50 ${at(0.5)} p95 ${at(0.95)} p99 ${at(0.99)}`);
  console.log("   half/subset           n   1st cite in named doc   1st cite on gold span   any cite on gold span   not found");
  for (const half of ["tune", "report"]) {
    for (const subset of ["cuad", "contractnli", "all"]) {
      const t = tallies.get(`${half}/${subset}`)!;
      const r = (x: number): string => `${((x / t.n) * 100).toFixed(1)}%`.padStart(22);
      console.log(`   ${`${half}/${subset}`.padEnd(18)} ${String(t.n).padStart(4)}  ${r(t.inDoc)}  ${r(t.first)}  ${r(t.any)}  ${r(t.notFound).slice(12)}`);
    }
  }
  console.log("Unanswerable questions (the named document has no such clause: CUAD category without a span, ContractNLI NotMentioned)");
  console.log("   half/subset           n   \"not found\"   answered from another document");
  for (const half of ["tune", "report"]) {
    for (const subset of ["cuad", "contractnli", "all"]) {
      const t = unanswerable.get(`${half}/${subset}`);
      if (!t) continue;
      const r = (x: number): string => `${((x / t.n) * 100).toFixed(1)}%`;
      console.log(`   ${`${half}/${subset}`.padEnd(18)} ${String(t.n).padStart(4)}   ${r(t.notFound).padStart(11)}   ${r(t.elsewhere).padStart(30)}`);
    }
  }
  await rag.dispose();
  fs.rmSync(dir, { recursive: true, force: true });
}
