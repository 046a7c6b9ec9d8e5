// Retrieval quality on the public LegalBench-RAG-style split (CUAD + ContractNLI), scored exactly
// as LegalBench-RAG does: precision@k and recall@k by character-span overlap.
// With --group=answers it scores the model-free answers instead (`rag.answer(q, { llm: null })`):
// is the first citation in the named document, does it overlap the gold span, does any citation,
// on the fixed tune / report halves of bench/lbr-split.ts.
//   cd packages/rag && nice -n 10 npx tsx --tsconfig ../../tsconfig.base.json bench/legalbench-rag.ts [--group=lexical|more|answers] [--quick]
//                       (default group: lexical)
//   --half=tune|report  only the queries of one half of bench/lbr-split.ts (retrieval groups)
//   --hybrid            with --quick: a hybrid row too (ONNX fixture)
//   --target=600        with --quick: chunk target size; --overlap=N its overlap (default: the chunker's, min(100, target/4))
//   --k=8               search with this k (the candidates fetched follow it) and score @1..@k only
//   --two-pass          with --quick: namedDocumentSearch off (the rows as before it)
//   --compare-named     with --quick: each row twice, with and without namedDocumentSearch (one store query for a clearly named document)
//   --folds=N           P@1 / R@8 per fold of documents too (folds by SHA-256 of the file name; for cross-validation inside one half)
//   --fingerprint=FILE  the first row's rankings (chunk ids and scores of every query, no text): written to FILE, or compared
//                       with it when FILE exists ("n of m queries differ", per half; see sameRanking for LanceDB's noise)
import { createHash, randomBytes } from "node:crypto";
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
const folds = Number(process.argv.find((a) => a.startsWith("--folds="))?.slice(8) ?? 0);
const fingerprint = process.argv.find((a) => a.startsWith("--fingerprint="))?.slice(14);
/** A document's fold: by SHA-256 of its file name, unrelated to the tune/report split's own hash. */
const foldOf = (file: string): number => createHash("sha256").update(`bear-rag-fold-v1|${file}`).digest()[0]! % Math.max(1, folds);

type Ranking = (readonly [string, number])[];

/** A query's ranking: its chunk ids and scores (no text). */
const rankingOf = (hits: readonly { chunkId: string; score: number }[]): Ranking => hits.map((h) => [h.chunkId, h.score] as const);

/**
 * Two rankings are the same when they hold the same chunks with the same scores in the same order,
 * up to LanceDB's noise: its BM25 sums in float32 in whatever order its threads finish (two runs of
 * one build differ around the 8th digit), equal scores come back in either order, and which of the
 * chunks tied at the cut-off make the list varies. So scores match within 1e-5, chunks match as a
 * set within each run of equal scores, and the run cut at the end matches by its score and length.
 */
function sameRanking(a: Ranking, b: Ranking): boolean {
  if (a.length !== b.length) return false;
  const near = (x: number, y: number): boolean => Math.abs(x - y) <= 1e-5;
  for (let i = 0; i < a.length; ) {
    if (!near(a[i]![1], b[i]![1])) return false;
    let j = i + 1;
    while (j < a.length && near(a[j]![1], a[i]![1])) j++;
    if (j < a.length) {
      const ids = new Set(a.slice(i, j).map((h) => h[0]));
      if (b.slice(i, j).some((h) => !ids.has(h[0]) || !near(h[1], a[i]![1]))) return false;
    }
    i = j;
  }
  return true;
}

/** Writes the rankings (chunk ids and scores of each query, in query order) to `file`, or compares them with the ones it holds. */
function compareRanking(file: string, rankings: readonly Ranking[]): void {
  if (!fs.existsSync(file)) {
    fs.writeFileSync(file, `${JSON.stringify(rankings)}\n`);
    console.log(`rankings of ${rankings.length} queries written to ${file}\n`);
    return;
  }
  const before = JSON.parse(fs.readFileSync(file, "utf8")) as Ranking[];
  if (before.length !== rankings.length) throw new Error(`${file} holds ${before.length} queries, this run ${rankings.length}: run the same --half`);
  const differ = { tune: 0, report: 0 };
  rankings.forEach((r, i) => {
    if (!sameRanking(r, before[i]!)) differ[splitOf(queries[i]!.answers[0]!.file)]++;
  });
  console.log(`rankings vs ${file}: ${differ.tune + differ.report} of ${rankings.length} queries differ (tune ${differ.tune}, report ${differ.report})\n`);
}

interface Setup {
  name: string;
  strategy: ChunkingStrategy;
  targetChars: number;
  mode: "lexical" | "vector" | "hybrid";
  onnx?: boolean;
  boost?: number;
  /** Encrypted index (sealed text, blind-token BM25) under a random workspace key. */
  sealed?: boolean;
  /** namedDocumentSearch (default on). */
  named?: boolean;
}

const quick = process.argv.includes("--quick");
const targetArg = Number(process.argv.find((a) => a.startsWith("--target="))?.slice(9) ?? 600);
const overlapArg = process.argv.find((a) => a.startsWith("--overlap="))?.slice(10);
const overlapSetting = overlapArg === undefined ? {} : { overlapChars: Number(overlapArg) };
const group = process.argv.find((a) => a.startsWith("--group="))?.slice(8) ?? "lexical";
if (group === "answers") {
  await answerBench();
  process.exit(0);
}
const twoPass = process.argv.includes("--two-pass") ? { named: false } : {};
const quickSetups: Setup[] = [
  { name: `legal-${targetArg} lexical`, strategy: "legal", targetChars: targetArg, mode: "lexical", ...twoPass },
  // --hybrid: the hybrid path (the ONNX fixture is too weak for quality claims; it checks the fusion did not get worse)
  ...(process.argv.includes("--hybrid") ? [{ name: `legal-${targetArg} hybrid (onnx fixture)`, strategy: "legal", targetChars: targetArg, mode: "hybrid", onnx: true, ...twoPass } as const] : []),
];
const setups: Setup[] = quick
  ? process.argv.includes("--compare-named")
    ? quickSetups.flatMap((s) => [s, { ...s, name: `${s.name}, two passes always (namedDocumentSearch off)`, named: false }])
    : quickSetups
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
const results: { setup: Setup; scores: Scores; ingestMs: number; queryMs: number; byFold: Map<number, { p1: number; r8: number; n: number; docs: Set<string> }> }[] = [];
for (const setup of setups) {
  const key = `${setup.strategy}-${setup.targetChars}-${overlapArg ?? ""}-${setup.onnx ? "onnx" : "lex"}${setup.sealed ? "-sealed" : ""}${setup.named === false ? "-twopass" : ""}`;
  let rag = cache.get(key);
  let ingestMs = 0;
  if (!rag) {
    if (setup.onnx) embedder ??= await OnnxEmbedder.load({ modelDir: path.join(shared, "models/model2vec-vq128-bge-base/onnx") });
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "lbr-"));
    indexDirs.push(dir);
    rag = await RagEngine.open({
      dir,
      root: dataDir,
      chunking: { strategy: setup.strategy, targetChars: setup.targetChars, ...overlapSetting },
      ...(setup.onnx && embedder ? { embedder } : {}),
      ...(setup.sealed ? { cipher: new KeyedContentCipher(KeyEncryptionKey.fromBytes(randomBytes(32))) } : {}),
      ...(setup.named === false ? { namedDocumentSearch: false } : {}),
    });
    const t0 = performance.now();
    await rag.ingest(["corpus"], { matter: "lbr" });
    ingestMs = performance.now() - t0;
    // Builds the document resolver named-document searches use, as a running engine has it (searches take two passes until then).
    await rag.resolveDocuments([rag.documents()[0]!.id]);
    cache.set(key, rag);
  }
  const fileOf = new Map(rag.documents().map((d) => [d.id, path.relative(path.join(dataDir, "corpus"), d.source)]));
  const scores: Scores = { cuad: { p: KS.map(() => 0), r: KS.map(() => 0), n: 0 }, contractnli: { p: KS.map(() => 0), r: KS.map(() => 0), n: 0 }, all: { p: KS.map(() => 0), r: KS.map(() => 0), n: 0 } };
  const t0 = performance.now();
  // Two queries in flight: LanceDB searches run on its native thread pool.
  const engine = rag;
  const allHits = new Array<{ file: string; start: number; end: number }[]>(queries.length);
  const rankings = new Array<Ranking>(queries.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: 2 }, async () => {
      while (next < queries.length) {
        const i = next++;
        const q = queries[i]!;
        const found = await engine.search(q.query, { k: searchK, mode: setup.mode, ...(setup.boost === undefined ? {} : { documentBoost: setup.boost }) });
        allHits[i] = found.map((h) => ({ file: fileOf.get(h.documentId)!, start: h.start, end: h.end }));
        rankings[i] = rankingOf(found);
      }
    }),
  );
  const byFold = new Map<number, { p1: number; r8: number; n: number; docs: Set<string> }>();
  for (const [qi, q] of queries.entries()) {
    const hits = allHits[qi]!;
    if (folds > 0) {
      const file = q.answers[0]!.file;
      const fold = foldOf(file);
      const f = byFold.get(fold) ?? { p1: 0, r8: 0, n: 0, docs: new Set<string>() };
      f.n++;
      f.docs.add(file);
      f.p1 += score(hits.slice(0, 1), q.answers).p;
      f.r8 += score(hits.slice(0, 8), q.answers).r;
      byFold.set(fold, f);
    }
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
  results.push({ setup, scores, ingestMs, queryMs, byFold });
  if (fingerprint && results.length === 1) compareRanking(fingerprint, rankings);
}

console.log(`LegalBench-RAG-style retrieval, public split: ${queries.length} queries (CUAD ${queries.filter((q) => q.source === "cuad").length}, ContractNLI ${queries.filter((q) => q.source === "contractnli").length}), 60 documents, 2.18M chars`);
console.log("Published (LegalBench-RAG, 714 docs / 79.7M chars, RCTS + text-embedding-3-large): recall@64 CUAD 74.7%, ContractNLI 61.7%; precision@1 overall (4 subsets) 6.4%\n");
for (const { setup, scores, ingestMs, queryMs, byFold } of results) {
  console.log(`== ${setup.name}${ingestMs ? `  (ingest ${(ingestMs / 1000).toFixed(1)} s` : "  ("}${ingestMs ? ", " : ""}${(queryMs / queries.length).toFixed(1)} ms/query at 2 in flight)`);
  console.log(`   subset        ${KS.map((k) => `   @${k}`.padStart(6)).join(" ")}`);
  for (const subset of ["cuad", "contractnli", "all"] as const) {
    console.log(`   ${subset.padEnd(11)} P ${scores[subset].p.map(pct).join(" ")}`);
    console.log(`   ${"".padEnd(11)} R ${scores[subset].r.map(pct).join(" ")}`);
  }
  if (folds > 0) {
    const line = [...byFold.entries()].sort((a, b) => a[0] - b[0]).map(([f, x]) => `fold ${f} (${x.docs.size} docs, ${x.n} q) P@1 ${pct(x.p1 / x.n).trim()} R@8 ${pct(x.r8 / x.n).trim()}`);
    console.log(`   by document fold: ${line.join(" | ")}`);
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
