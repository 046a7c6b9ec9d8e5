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
// "not found" threshold on scores the model did not train on, and another 15% ("report") is held
// out of everything: the answered / "not found" rates printed last are measured there.
// "Not found" is learned, not only thresholded: each question's candidates compete with a null
// option (score 0) in the softmax, and questions whose contract has no answer (CUAD categories
// with no span) teach the model to put the null option first. Question-level features then move
// the whole list, so the top score means something on its own.
import { createHash } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { splitOf } from "../bench/lbr-split";
import { unanswerableQuestions } from "../bench/lbr-unanswerable";
import { documentResolver } from "../src/answer/naming-index";
import { candidateSentences, DENSE, featurize, HASH_SIZE, hashedScore, isHeadingOrBlank, questionProfile, type Candidate } from "../src/answer/sentence-features";
import { RagEngine } from "../src/index";
import { CANDIDATE_PASSAGES, namingStems } from "../src/answer/sentence-ranker";

/** `--resolver-only`: recalibrate the document resolver, keep the ranker weights as they are. */
const resolverOnly = process.argv.includes("--resolver-only");
/** `--tune-calibrates-only`: the tune half of legalbench_rag only sets the threshold (by default it is also fitted on, cross-fitted for the threshold). */
const tuneInFit = !process.argv.includes("--tune-calibrates-only");
const shared = fs.realpathSync(path.resolve(import.meta.dirname, "../../../../shared/data"));
const out = path.resolve(process.argv.find((a) => a.startsWith("--out="))?.slice(6) ?? path.join(import.meta.dirname, "../src/answer/answer-ranker-weights.ts"));
const EPOCHS = Number(process.argv.find((a) => a.startsWith("--epochs="))?.slice(9) ?? 8);

let seed = 0x5eed;
function random(): number {
  seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0;
  return seed / 2 ** 32;
}
const hashFrac = (key: string): number => createHash("sha256").update(key).digest().readUInt32BE(0) / 2 ** 32;
const foldOf = (file: string): 0 | 1 => (hashFrac(`fold|${file}`) < 0.5 ? 0 : 1);
/** Share of answerable questions that must stay answered at the "not found" threshold. */
const KEEP_ANSWERED = 0.015;

// ---------- data ----------
interface Example {
  question: string;
  file: string; // path relative to the training corpus folder
  gold: { start: number; end: number }[];
  role: Role;
  /** Tune-half legalbench_rag questions: the cross-fitting fold of their document. */
  fold?: 0 | 1;
}
type Role = "fit" | "calibrate" | "report";
/** By hash of the contract's file name: 15% calibrate, 15% report, the rest fit. */
const roleOf = (file: string): Role => {
  const x = hashFrac(`calibrate|${file}`);
  return x < 0.15 ? "calibrate" : x < 0.3 ? "report" : "fit";
};
/** Share of the fit contracts' unanswerable questions used in fitting. */
const FIT_NEGATIVES = 0.2;
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
const negatives: { question: string; file: string; role: Role }[] = [];
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
  const role = roleOf(file);
  for (const r of records) {
    const forms = categoryQuestion.get(r.category);
    if (!forms || r.category === "Document Name") continue;
    const question = prefix + forms[Math.floor(random() * forms.length)]!;
    if (r.spans.length > 0) examples.push({ question, file: `cuad/${file}`, gold: r.spans, role });
    else if (role !== "fit" || random() < FIT_NEGATIVES) negatives.push({ question, file: `cuad/${file}`, role });
  }
}
const nli = JSON.parse(fs.readFileSync(path.join(shared, "contractnli/contractnli_subset.json"), "utf8")) as { documents: { file_name: string; text: string }[] };
for (const d of nli.documents) if (!lbrFiles.has(d.file_name)) fs.writeFileSync(path.join(corpus, "contractnli", d.file_name), d.text);
for (const l of fs.readFileSync(path.join(shared, "contractnli/nli.jsonl"), "utf8").split("\n").filter(Boolean)) {
  const r = JSON.parse(l) as { file: string; hypothesis: string; label: string; spans: { start: number; end: number }[] };
  if (lbrFiles.has(r.file) || r.spans.length === 0) continue;
  const h = r.hypothesis.replace(/\.$/, "");
  const question = `Consider this Non-Disclosure Agreement; Does the document indicate that ${h.charAt(0).toLowerCase()}${h.slice(1)}?`;
  examples.push({ question, file: `contractnli/${r.file}`, gold: r.spans, role: roleOf(r.file) });
}
for (const sub of ["cuad", "contractnli"]) {
  for (const f of fs.readdirSync(path.join(shared, "legalbench_rag/corpus", sub))) fs.copyFileSync(path.join(shared, "legalbench_rag/corpus", sub, f), path.join(corpus, "lbr", `${sub}--${f}`));
}
const tuneLbr = lbrQueries.filter((q) => splitOf(q.answers[0]!.file) === "tune");
for (const q of tuneLbr) {
  const [sub, f] = q.answers[0]!.file.split("/") as [string, string];
  examples.push({ question: q.query, file: `lbr/${sub}--${f}`, gold: q.answers.filter((a) => a.file === q.answers[0]!.file), role: "fit", fold: foldOf(q.answers[0]!.file) });
}
// Unanswerable questions about tune-half documents (bench/lbr-unanswerable.ts): the report half is never read.
const tuneUnanswerable = unanswerableQuestions(shared)
  .filter((q) => splitOf(q.file) === "tune")
  .map((q) => ({ question: q.query, file: `lbr/${q.file.replace("/", "--")}`, fold: foldOf(q.file) }));
console.log(`tune-half unanswerable: ${tuneUnanswerable.length}`);
console.log(`examples: ${examples.length} (${examples.filter((e) => e.role === "calibrate").length} held out to calibrate, ${examples.filter((e) => e.role === "report").length} to report), unanswerable: ${negatives.length}`);

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
  /** The question's own hashed features (shared by all its candidates). */
  question: Uint16Array;
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
  const { dense, hashed, question: questionFeatures } = featurize(q, cands);
  const labels = cands.map((c) => (gold.some((g) => Math.min(g.end, c.end) - Math.max(g.start, c.start) > 0) ? 1 : 0));
  return { cands, dense, hashed, question: questionFeatures, labels };
}

// ---------- fit the ranker (skipped with --resolver-only) ----------
interface Weights {
  dense: Float64Array;
  hashed: Float64Array;
}
function score(w: Weights, d: Float32Array, h: Uint16Array, prior = 0): number {
  let s = prior;
  for (let i = 0; i < DENSE; i++) s += w.dense[i]! * d[i]!;
  return s + hashedScore(w.hashed, h);
}
/** Scores of a question's candidates, its own features included. */
const scores = (w: Weights, g: Group): number[] => {
  const prior = hashedScore(w.hashed, g.question);
  return g.dense.map((d, i) => score(w, d, g.hashed[i]!, prior));
};
function argmax(xs: number[]): number {
  let best = 0;
  for (let i = 1; i < xs.length; i++) if (xs[i]! > xs[best]!) best = i;
  return best;
}
const top1 = (w: Weights, groups: Group[]): number => groups.filter((g) => g.labels[argmax(scores(w, g))] === 1).length / Math.max(1, groups.length);
const bestScore = (w: Weights, g: Group): number => Math.max(...scores(w, g));

/**
 * Listwise softmax over each question's candidates and a null option (score 0), AdaGrad, L2.
 * A question with no gold sentence (unanswerable) pulls the null option up. Deterministic: the
 * shuffle restarts from the same seed on every call.
 */
function fit(training: Group[], watch?: { fit: Group[]; heldOut: Group[] }): Weights {
  let rng = 0x5eed;
  const rand = (): number => {
    rng = (Math.imul(rng, 1664525) + 1013904223) >>> 0;
    return rng / 2 ** 32;
  };
  const w: Weights = { dense: new Float64Array(DENSE), hashed: new Float64Array(HASH_SIZE) };
  const gDense = new Float64Array(DENSE).fill(1e-8);
  const gHashed = new Float64Array(HASH_SIZE).fill(1e-8);
  const LR = 0.1;
  const L2 = 1e-5;
  const order = training.map((_, i) => i);
  for (let epoch = 0; epoch < EPOCHS; epoch++) {
    for (let i = order.length - 1; i > 0; i--) {
      const j = Math.floor(rand() * (i + 1));
      [order[i], order[j]] = [order[j]!, order[i]!];
    }
    let loss = 0;
    for (const gi of order) {
      const g = training[gi]!;
      const s = scores(w, g);
      const m = Math.max(0, ...s);
      const e = s.map((x) => Math.exp(x - m));
      const eNull = Math.exp(-m);
      const z = e.reduce((a, b) => a + b, 0) + eNull;
      const positives = g.labels.reduce((a, b) => a + b, 0);
      loss -= Math.log((positives > 0 ? g.labels.reduce((a, y, i) => a + (y ? e[i]! : 0), 0) : eNull) / z);
      // The question's own features move every candidate: their gradient is P(answered) - answerable.
      const gradQuestion = 1 - eNull / z - (positives > 0 ? 1 : 0);
      const qScale = g.question.length ? 1 / Math.sqrt(g.question.length) : 0;
      for (const x of g.question) {
        const gk = gradQuestion * qScale + L2 * w.hashed[x]!;
        gHashed[x]! += gk * gk;
        w.hashed[x]! -= (LR * gk) / Math.sqrt(gHashed[x]!);
      }
      for (let i = 0; i < s.length; i++) {
        const grad = e[i]! / z - (positives > 0 ? g.labels[i]! / positives : 0);
        if (Math.abs(grad) < 1e-4) continue;
        const d = g.dense[i]!;
        for (let k = 0; k < DENSE; k++) {
          const gk = grad * d[k]! + L2 * w.dense[k]!;
          gDense[k]! += gk * gk;
          w.dense[k]! -= (LR * gk) / Math.sqrt(gDense[k]!);
        }
        const h = g.hashed[i]!;
        const scale = h.length ? 1 / Math.sqrt(h.length) : 0;
        for (const x of h) {
          const gk = grad * scale + L2 * w.hashed[x]!;
          gHashed[x]! += gk * gk;
          w.hashed[x]! -= (LR * gk) / Math.sqrt(gHashed[x]!);
        }
      }
    }
    if (watch) console.log(`epoch ${epoch + 1}: loss ${(loss / order.length).toFixed(4)}, top-1 on fit ${(top1(w, watch.fit) * 100).toFixed(1)}%, on held-out ${(top1(w, watch.heldOut) * 100).toFixed(1)}%`);
  }
  return w;
}

let ranker: { dense: Float64Array; hashed: Float64Array; notFoundBelow: number; questions: number } | undefined;
if (!resolverOnly) {
  const fitGroups: Group[] = [];
  const calibrateGroups: Group[] = [];
  const reportGroups: Group[] = [];
  const negativeGroups: Record<Role, Group[]> = { fit: [], calibrate: [], report: [] };
  // The tune half of legalbench_rag, in two folds by document: each fold is scored by a model
  // that did not train on it, and the "not found" threshold is set on those scores.
  const tuneFolds: { answerable: Group[]; unanswerable: Group[] }[] = [
    { answerable: [], unanswerable: [] },
    { answerable: [], unanswerable: [] },
  ];
  const t1 = performance.now();
  for (const e of examples) {
    const g = await groupOf(e.question, e.file, e.gold);
    if (!g) continue;
    if (e.fold !== undefined) tuneFolds[e.fold]!.answerable.push(g);
    else if (e.role === "calibrate") calibrateGroups.push(g);
    else if (e.role === "report") reportGroups.push(g);
    else if (g.labels.some((x) => x === 1)) fitGroups.push(g);
  }
  for (const n of negatives) {
    const g = await groupOf(n.question, n.file, []);
    if (g) negativeGroups[n.role].push(g);
  }
  for (const n of tuneUnanswerable) {
    const g = await groupOf(n.question, n.file, []);
    if (g) tuneFolds[n.fold]!.unanswerable.push(g);
  }
  const tuneAll = (k?: 0 | 1): Group[] => tuneFolds.flatMap((f, i) => (i === k ? [] : [...f.answerable.filter((g) => g.labels.includes(1)), ...f.unanswerable]));
  console.log(
    `featurized ${fitGroups.length} fit groups (+${negativeGroups.fit.length} unanswerable), ${calibrateGroups.length} calibration groups (+${negativeGroups.calibrate.length}), ${reportGroups.length} report groups (+${negativeGroups.report.length}), tune half ${tuneFolds.map((f) => `${f.answerable.length}+${f.unanswerable.length}`).join(" / ")} in ${((performance.now() - t1) / 1000).toFixed(1)} s`,
  );

  const base = [...fitGroups, ...negativeGroups.fit];
  // Tune-half scores for the threshold, each by a model that never saw its question. By default
  // the tune half is also fitted on, by cross-fitting; with --tune-calibrates-only it only calibrates.
  const oofAnswerable: number[] = [];
  const oofUnanswerable: number[] = [];
  let final: Weights;
  if (tuneInFit) {
    for (const k of [0, 1] as const) {
      const w = fit([...base, ...tuneAll(k)]);
      oofAnswerable.push(...tuneFolds[k]!.answerable.map((g) => bestScore(w, g)));
      oofUnanswerable.push(...tuneFolds[k]!.unanswerable.map((g) => bestScore(w, g)));
      console.log(`fold ${k}: top-1 on gold ${(top1(w, tuneFolds[k]!.answerable) * 100).toFixed(1)}% of ${tuneFolds[k]!.answerable.length} tune questions it did not train on`);
    }
    final = fit([...base, ...tuneAll()], { fit: fitGroups, heldOut: calibrateGroups.filter((g) => g.labels.includes(1)) });
  } else {
    final = fit(base, { fit: fitGroups, heldOut: calibrateGroups.filter((g) => g.labels.includes(1)) });
    for (const f of tuneFolds) {
      oofAnswerable.push(...f.answerable.map((g) => bestScore(final, g)));
      oofUnanswerable.push(...f.unanswerable.map((g) => bestScore(final, g)));
    }
    const tuneAnswerable = tuneFolds.flatMap((f) => f.answerable);
    console.log(`tune half: top-1 on gold ${(top1(final, tuneAnswerable) * 100).toFixed(1)}% of ${tuneAnswerable.length} questions`);
  }

  // ---------- calibrate "not found" ----------
  // A wrong "not found" hides an answer that is there: keep 98.5% of answerable questions
  // answered, both on the held-out cuad_train contracts and out-of-fold on the tune half.
  const quantile = (xs: number[], q: number): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length * q)]!;
  const answerable = calibrateGroups.filter((g) => g.labels.includes(1)).map((g) => bestScore(final, g));
  const notFoundBelow = Math.min(quantile(answerable, KEEP_ANSWERED), quantile(oofAnswerable, KEEP_ANSWERED));
  const rate = (xs: number[], f: (x: number) => boolean): string => `${((xs.filter(f).length / Math.max(1, xs.length)) * 100).toFixed(1)}%`;
  const below = (x: number): boolean => x < notFoundBelow;
  console.log(`not found below ${notFoundBelow.toFixed(3)}`);
  console.log(`  calibration contracts: answers ${rate(answerable, (x) => !below(x))} of answerable questions, says "not found" for ${rate(negativeGroups.calibrate.map((g) => bestScore(final, g)), below)} of unanswerable ones`);
  console.log(`  tune half (not fitted on): answers ${rate(oofAnswerable, (x) => !below(x))} of ${oofAnswerable.length} answerable questions, says "not found" for ${rate(oofUnanswerable, below)} of ${oofUnanswerable.length} unanswerable ones`);
  const reportAnswerable = reportGroups.filter((g) => g.labels.includes(1));
  console.log(
    `  report contracts (never fitted or calibrated on): answers ${rate(reportAnswerable.map((g) => bestScore(final, g)), (x) => !below(x))} of ${reportAnswerable.length} answerable questions (top-1 on gold ${(top1(final, reportAnswerable) * 100).toFixed(1)}%), says "not found" for ${rate(negativeGroups.report.map((g) => bestScore(final, g)), below)} of ${negativeGroups.report.length} unanswerable ones`,
  );
  ranker = { ...final, notFoundBelow, questions: fitGroups.length + (tuneInFit ? tuneFolds[0]!.answerable.length + tuneFolds[1]!.answerable.length : 0) };
}

// ---------- calibrate the document resolver on the tune half of legalbench_rag ----------
const lbrDocs = docs.filter((d) => path.relative(corpus, d.source).startsWith("lbr/"));
const resolver = documentResolver(
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
