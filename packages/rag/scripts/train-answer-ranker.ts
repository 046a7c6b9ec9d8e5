// Trains the extractive answer ranker (src/answer/answer-ranker-weights.ts) and calibrates the
// document resolver and the "not found" threshold. Deterministic: same data, same weights.
//   npm run train -w @bear/rag        (nice -n 10; about 5 minutes on 2 cores)
//   npm run train -w @bear/rag -- --resolver-only   (recalibrates the document resolver only, ~20 s)
//
// Data (../shared/data, public split):
// - cuad_train: (contract, category question, gold spans) for contracts NOT in the
//   legalbench_rag corpus; questions are phrased from category_descriptions.csv the way
//   LegalBench-RAG phrases them ("Consider the <name> between <A> and <B>; <question>").
// - contractnli: NDA hypotheses with evidence spans, NDAs not in the legalbench_rag corpus.
// - legalbench_rag: the queries of the "tune" half of bench/lbr-split.ts only. The "report" half
//   is never read here.
// A further 15% of the cuad_train contracts (by hash) is held out of fitting and used to set the
// "not found" threshold on scores the model did not train on.
import { createHash } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { splitOf } from "../bench/lbr-split";
import { DocumentResolver } from "../src/answer/document-resolver";
import { candidateSentences, DENSE, featurize, HASH_SIZE, isHeadingOrBlank, questionProfile, type Candidate } from "../src/answer/sentence-features";
import { RagEngine } from "../src/index";
import { CANDIDATE_PASSAGES, namingStems } from "../src/answer/sentence-ranker";

/** `--resolver-only`: recalibrate the document resolver, keep the ranker weights as they are. */
const resolverOnly = process.argv.includes("--resolver-only");
const shared = fs.realpathSync(path.resolve(import.meta.dirname, "../../../../shared/data"));
const out = path.resolve(import.meta.dirname, "../src/answer/answer-ranker-weights.ts");
const EPOCHS = 6;

let seed = 0x5eed;
function random(): number {
  seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0;
  return seed / 2 ** 32;
}
const hashFrac = (key: string): number => createHash("sha256").update(key).digest().readUInt32BE(0) / 2 ** 32;

// ---------- data ----------
interface Example {
  question: string;
  file: string; // path relative to the training corpus folder
  gold: { start: number; end: number }[];
  role: "fit" | "calibrate";
}
const lbrQueries = fs
  .readFileSync(path.join(shared, "legalbench_rag/queries.jsonl"), "utf8")
  .split("\n")
  .filter(Boolean)
  .map((l) => JSON.parse(l) as { query: string; answers: { file: string; start: number; end: number }[] });
const lbrFiles = new Set(fs.readdirSync(path.join(shared, "legalbench_rag/corpus/cuad")).concat(fs.readdirSync(path.join(shared, "legalbench_rag/corpus/contractnli"))));

const work = fs.mkdtempSync(path.join(os.tmpdir(), "bear-train-ranker-"));
const corpus = path.join(work, "corpus");
fs.mkdirSync(path.join(corpus, "cuad"), { recursive: true });
fs.mkdirSync(path.join(corpus, "contractnli"), { recursive: true });
fs.mkdirSync(path.join(corpus, "lbr"), { recursive: true });

const categoryQuestion = new Map<string, string[]>();
for (const line of fs.readFileSync(path.join(shared, "cuad_train/category_descriptions.csv"), "utf8").replace(/^\uFEFF/, "").split("\n").slice(1)) {
  const m = /^Category: ([^,]+),"?Description: (.*?)"?,"?Answer Format/.exec(line);
  if (!m) continue;
  const category = m[1]!.trim();
  const description = m[2]!.replace(/\s+/g, " ").trim();
  const first = description.split(/(?<=\?)\s/)[0]!;
  const lower = category.toLowerCase();
  const forms = [
    first.endsWith("?") ? first.replace(/\bthe contract\b/, "this contract") : `What is ${first.charAt(0).toLowerCase()}${first.slice(1).replace(/\.$/, "")} in this contract?`,
    `Is there a ${lower} clause in this contract?`,
    `What does this contract say about ${lower}?`,
  ];
  categoryQuestion.set(category, forms);
}

const examples: Example[] = [];
const negatives: { question: string; file: string }[] = [];
const clauses = fs
  .readFileSync(path.join(shared, "cuad_train/clauses.jsonl"), "utf8")
  .split("\n")
  .filter(Boolean)
  .map((l) => JSON.parse(l) as { file: string; category: string; answer: string; spans: { start: number; end: number }[] });
const byFile = new Map<string, typeof clauses>();
for (const c of clauses) byFile.set(c.file, [...(byFile.get(c.file) ?? []), c]);
for (const [file, records] of byFile) {
  if (lbrFiles.has(file)) continue;
  fs.copyFileSync(path.join(shared, "cuad_train/full_contract_txt", file), path.join(corpus, "cuad", file));
  const name = records.find((r) => r.category === "Document Name")?.answer ?? "agreement";
  const parties = (records.find((r) => r.category === "Parties")?.answer ?? "")
    .split(";")
    .map((p) => p.replace(/\(.*?\)|["“”]/g, "").trim())
    .filter(Boolean)
    .slice(0, 2);
  const prefix = `Consider the ${name.replace(/\s+/g, " ").trim()}${parties.length === 2 ? ` between ${parties[0]} and ${parties[1]}` : ""}; `;
  const role = hashFrac(`calibrate|${file}`) < 0.15 ? "calibrate" : "fit";
  for (const r of records) {
    const forms = categoryQuestion.get(r.category);
    if (!forms || r.category === "Document Name") continue;
    const question = prefix + forms[Math.floor(random() * forms.length)]!;
    if (r.spans.length > 0) examples.push({ question, file: `cuad/${file}`, gold: r.spans, role });
    else if (role === "calibrate" || random() < 0.08) negatives.push({ question, file: `cuad/${file}` });
  }
}
const nli = JSON.parse(fs.readFileSync(path.join(shared, "contractnli/contractnli_subset.json"), "utf8")) as { documents: { file_name: string; text: string }[] };
for (const d of nli.documents) if (!lbrFiles.has(d.file_name)) fs.writeFileSync(path.join(corpus, "contractnli", d.file_name), d.text);
for (const l of fs.readFileSync(path.join(shared, "contractnli/nli.jsonl"), "utf8").split("\n").filter(Boolean)) {
  const r = JSON.parse(l) as { file: string; hypothesis: string; label: string; spans: { start: number; end: number }[] };
  if (lbrFiles.has(r.file) || r.spans.length === 0) continue;
  const h = r.hypothesis.replace(/\.$/, "");
  const question = `Consider this Non-Disclosure Agreement; Does the document indicate that ${h.charAt(0).toLowerCase()}${h.slice(1)}?`;
  examples.push({ question, file: `contractnli/${r.file}`, gold: r.spans, role: hashFrac(`calibrate|${r.file}`) < 0.15 ? "calibrate" : "fit" });
}
for (const sub of ["cuad", "contractnli"]) {
  for (const f of fs.readdirSync(path.join(shared, "legalbench_rag/corpus", sub))) fs.copyFileSync(path.join(shared, "legalbench_rag/corpus", sub, f), path.join(corpus, "lbr", `${sub}--${f}`));
}
const tuneLbr = lbrQueries.filter((q) => splitOf(q.answers[0]!.file) === "tune");
for (const q of tuneLbr) {
  const [sub, f] = q.answers[0]!.file.split("/") as [string, string];
  examples.push({ question: q.query, file: `lbr/${sub}--${f}`, gold: q.answers.filter((a) => a.file === q.answers[0]!.file), role: "fit" });
}
console.log(`examples: ${examples.length} (${examples.filter((e) => e.role === "calibrate").length} held out to calibrate), unanswerable: ${negatives.length}`);

// ---------- retrieval ----------
const rag = await RagEngine.open({ dir: path.join(work, "index"), root: corpus });
const t0 = performance.now();
await rag.ingest(resolverOnly ? ["lbr"] : ["."], { matter: "train" });
const docs = rag.documents();
console.log(`ingested ${docs.length} documents in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
const idOf = new Map(docs.map((d) => [path.relative(corpus, d.source), d.id]));

interface Group {
  cands: Candidate[];
  dense: Float32Array[];
  hashed: Uint16Array[];
  labels: number[];
}
async function groupOf(question: string, file: string, gold: { start: number; end: number }[]): Promise<Group | undefined> {
  const id = idOf.get(file);
  if (!id) return undefined;
  const passages = await rag.search(question, { k: CANDIDATE_PASSAGES, filter: { documentIds: [id] } });
  const doc = docs.find((d) => d.id === id)!;
  const q = questionProfile(question, namingStems(question, [doc]));
  const cands = candidateSentences(passages).filter((c) => !isHeadingOrBlank(c.text));
  if (cands.length === 0) return undefined;
  const { dense, hashed } = featurize(q, cands);
  const labels = cands.map((c) => (gold.some((g) => Math.min(g.end, c.end) - Math.max(g.start, c.start) > 0) ? 1 : 0));
  return { cands, dense, hashed, labels };
}

// ---------- fit the ranker (skipped with --resolver-only) ----------
let ranker: { dense: Float64Array; hashed: Float64Array; notFoundBelow: number; questions: number } | undefined;
if (!resolverOnly) {
  const fitGroups: Group[] = [];
  const calibrateGroups: Group[] = [];
  const negativeGroups: Group[] = [];
  const t1 = performance.now();
  for (const e of examples) {
    const g = await groupOf(e.question, e.file, e.gold);
    if (!g) continue;
    if (e.role === "calibrate") calibrateGroups.push(g);
    else if (g.labels.some((x) => x === 1)) fitGroups.push(g);
  }
  for (const n of negatives) {
    const g = await groupOf(n.question, n.file, []);
    if (g) negativeGroups.push(g);
  }
  console.log(`featurized ${fitGroups.length} fit groups, ${calibrateGroups.length} calibration groups, ${negativeGroups.length} unanswerable in ${((performance.now() - t1) / 1000).toFixed(1)} s`);

  // ---------- fit: listwise softmax over each question's candidates, AdaGrad, L2 ----------
  const dense = new Float64Array(DENSE);
  const hashed = new Float64Array(HASH_SIZE);
  const gDense = new Float64Array(DENSE).fill(1e-8);
  const gHashed = new Float64Array(HASH_SIZE).fill(1e-8);
  const LR = 0.1;
  const L2 = 1e-5;
  function score(d: Float32Array, h: Uint16Array): number {
    let s = 0;
    for (let i = 0; i < DENSE; i++) s += dense[i]! * d[i]!;
    const scale = h.length ? 1 / Math.sqrt(h.length) : 0;
    for (const x of h) s += hashed[x]! * scale;
    return s;
  }
  const top1 = (groups: Group[]): number => groups.filter((g) => g.labels[argmax(g.dense.map((d, i) => score(d, g.hashed[i]!)))] === 1).length / groups.length;
  function argmax(xs: number[]): number {
    let best = 0;
    for (let i = 1; i < xs.length; i++) if (xs[i]! > xs[best]!) best = i;
    return best;
  }
  const order = fitGroups.map((_, i) => i);
  for (let epoch = 0; epoch < EPOCHS; epoch++) {
    for (let i = order.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      [order[i], order[j]] = [order[j]!, order[i]!];
    }
    let loss = 0;
    for (const gi of order) {
      const g = fitGroups[gi]!;
      const s = g.dense.map((d, i) => score(d, g.hashed[i]!));
      const m = Math.max(...s);
      const e = s.map((x) => Math.exp(x - m));
      const z = e.reduce((a, b) => a + b, 0);
      const positives = g.labels.reduce((a, b) => a + b, 0);
      loss -= Math.log(g.labels.reduce((a, y, i) => a + (y ? e[i]! : 0), 0) / z);
      for (let i = 0; i < s.length; i++) {
        const grad = e[i]! / z - g.labels[i]! / positives;
        if (Math.abs(grad) < 1e-4) continue;
        const d = g.dense[i]!;
        for (let k = 0; k < DENSE; k++) {
          const gk = grad * d[k]! + L2 * dense[k]!;
          gDense[k]! += gk * gk;
          dense[k]! -= (LR * gk) / Math.sqrt(gDense[k]!);
        }
        const h = g.hashed[i]!;
        const scale = h.length ? 1 / Math.sqrt(h.length) : 0;
        for (const x of h) {
          const gk = grad * scale + L2 * hashed[x]!;
          gHashed[x]! += gk * gk;
          hashed[x]! -= (LR * gk) / Math.sqrt(gHashed[x]!);
        }
      }
    }
    console.log(`epoch ${epoch + 1}: loss ${(loss / order.length).toFixed(4)}, top-1 on fit ${(top1(fitGroups) * 100).toFixed(1)}%, on held-out ${(top1(calibrateGroups.filter((g) => g.labels.includes(1))) * 100).toFixed(1)}%`);
  }

  // ---------- calibrate "not found": on held-out answerable vs unanswerable questions ----------
  const best = (g: Group): number => Math.max(...g.dense.map((d, i) => score(d, g.hashed[i]!)));
  const answerable = calibrateGroups.filter((g) => g.labels.includes(1)).map(best).sort((a, b) => a - b);
  const unanswerable = negativeGroups.map(best);
  // Keep 98.5% of answerable questions answered: a wrong "not found" hides an answer that is there.
  const notFoundBelow = answerable[Math.floor(answerable.length * 0.015)]!;
  console.log(`not found below ${notFoundBelow.toFixed(3)}: answers ${((answerable.filter((s) => s >= notFoundBelow).length / answerable.length) * 100).toFixed(1)}% of held-out answerable questions, says "not found" for ${((unanswerable.filter((s) => s < notFoundBelow).length / unanswerable.length) * 100).toFixed(1)}% of unanswerable ones`);
  ranker = { dense, hashed, notFoundBelow, questions: fitGroups.length };
}

// ---------- calibrate the document resolver on the tune half of legalbench_rag ----------
const lbrDocs = docs.filter((d) => path.relative(corpus, d.source).startsWith("lbr/"));
const resolver = new DocumentResolver(
  await Promise.all(lbrDocs.map(async (d) => ({ id: d.id, title: d.title, source: d.source.replace(/lbr\/(cuad|contractnli)--/, ""), parties: d.parties, text: await rag.documentText(d.id) }))),
);
let bestPick = { minScore: 1, minMargin: 1, value: -Infinity };
const unnamed = (q: { query: string }): string => q.query.slice(q.query.indexOf(";") + 1);
for (const minScore of [0.6, 0.8, 1, 1.2, 1.4, 1.6, 2]) {
  for (const minMargin of [0.2, 0.3, 0.4, 0.5, 0.6, 0.8, 1]) {
    let right = 0;
    let wrong = 0;
    let unnamedFired = 0;
    for (const q of tuneLbr) {
      const [sub, f] = q.answers[0]!.file.split("/") as [string, string];
      const named = resolver.named(q.query, { minScore, minMargin, minSetScore: Infinity });
      if (named && idOf.get(`lbr/${sub}--${f}`) === named.documentId) right++;
      else if (named) wrong++;
      if (resolver.named(unnamed(q), { minScore, minMargin, minSetScore: Infinity })) unnamedFired++;
    }
    // A wrong document is worse than none; a question naming no document must not be narrowed.
    const value = right - 5 * wrong - 5 * unnamedFired;
    if (value >= bestPick.value) bestPick = { minScore, minMargin, value };
  }
}
// The ambiguous-set score: the lowest at which questions that name no document (the same
// questions without their "Consider …;" part) are narrowed at most 1% of the time.
const unnamedBest = tuneLbr.map((q) => resolver.rank(unnamed(q))[0]?.score ?? 0).sort((a, b) => b - a);
const minSetScore = Math.max(bestPick.minScore, Math.ceil((unnamedBest[Math.floor(unnamedBest.length * 0.01)]! + 1e-6) * 10) / 10);
console.log(`resolver: minScore ${bestPick.minScore}, minMargin ${bestPick.minMargin}, minSetScore ${minSetScore}`);

// ---------- write ----------
const resolverLine = `  resolver: { minScore: ${bestPick.minScore}, minMargin: ${bestPick.minMargin}, minSetScore: ${minSetScore} },`;
const b64 = (xs: Float64Array): string => Buffer.from(new Float32Array(xs).buffer).toString("base64");
fs.writeFileSync(
  out,
  ranker
    ? [
        "// Generated by scripts/train-answer-ranker.ts (npm run train -w @bear/rag). Do not edit by hand.",
        `// ${ranker.questions} training questions, ${EPOCHS} epochs, ${DENSE} dense + ${HASH_SIZE} hashed weights (float32, base64).`,
        "export const answerRankerWeights = {",
        "  version: 1,",
        `  dense: "${b64(ranker.dense)}",`,
        `  hashed: "${b64(ranker.hashed)}",`,
        `  notFoundBelow: ${ranker.notFoundBelow.toFixed(4)},`,
        resolverLine,
        "} as const;",
        "",
      ].join("\n")
    : fs.readFileSync(out, "utf8").replace(/^ {2}resolver: .*$/m, resolverLine),
);
console.log(`wrote ${path.relative(process.cwd(), out)}`);
await rag.dispose();
fs.rmSync(work, { recursive: true, force: true });
