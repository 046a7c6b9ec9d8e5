// Idea (a) of session 13: unsupervised word vectors (PPMI + truncated SVD, dense-vectors.ts) learned on the
// training folds' text only, pooled per sentence (SIF mean) and per neighbour window (the sentences before and
// after), read by the second stage as extra features beside its context features, so that a sentence worded
// unlike any training phrase but meaning the same can still be told apart from its category's look-alikes.
// Judged as clause-reader-experiment.ts judges: tune = folds 1-4 (each fold's mix chosen on the other tune
// folds), fold 0 reported and never chosen on. For outer fold f the vectors are learned on the text of the
// contracts outside f, so no held-out contract's text shapes them.
//   nice -n 10 npx tsx train/dense-stack-experiment.ts [--first=linear|seed16|seed17|pair] [--dims=48] [--variants=base,sent,sent+neigh,proto,sent+neigh+proto] [--tune-only] [--stack-seed=16]
// --tune-only prints the tune part alone (no fold 0, no all-folds figure), so that a choice can be made before the
// report fold is read once. --stack-seed reseeds the second stage alone (its shuffles), to see how far a paired
// base/variant difference moves when nothing but that seed changes.
import { clauseMetrics, type ClauseMetrics } from "./clause-metrics";
import { CLAUSE_CATEGORY_INDICES, DEFAULT_EXPERIMENT, type ExperimentOptions } from "./clause-model-experiment";
import { contractFold, loadCuad } from "./cuad-data";
import { DEFAULT_WORD_VECTORS, learnWordVectors, sentenceVector, words, type WordVectors } from "./dense-vectors";
import type { OutOfFold } from "./out-of-fold";
import { plattCalibration } from "./platt-calibration";
import { categoryMatrix, chooseMix, DEFAULT_STACK, fitDense, mixStages, scoredDocuments, stackWidth } from "./second-stage";
import { blendedOutOfFold, stage1OutOfFold } from "./stage1-oof";
import { TrainingError } from "./training-options";
import { isStackCandidate } from "../src/classification/clause-model/context-features";

const arg = (name: string) => process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
const log = (l: string) => process.stdout.write(`${l}\n`);
const first = arg("first") ?? "seed16";
const dims = Number(arg("dims") ?? DEFAULT_WORD_VECTORS.dims);
const variants = (arg("variants") ?? "base,sent,sent+neigh").split(",");
const tuneOnly = process.argv.includes("--tune-only");
const stackSeed = Number(arg("stack-seed") ?? DEFAULT_STACK.seed);
if (!Number.isInteger(stackSeed)) throw new TrainingError(`--stack-seed must be a whole number, not '${arg("stack-seed")}'`, `Pass --stack-seed=${DEFAULT_STACK.seed} for the shipped second stage's seed.`);
const fmt = (m: ClauseMetrics) => `${(100 * m.macroF1).toFixed(1)} / ${(100 * (m.micro.f1 ?? 0)).toFixed(1)} / ${(100 * (m.micro.precisionAt80Recall ?? 0)).toFixed(1)}`;
const pct = (v: number | undefined) => ((v ?? 0) * 100).toFixed(1).padStart(5);
const contracts = loadCuad();
const sigmoid = (z: number) => 1 / (1 + Math.exp(-z));

const runOptions = (seed: number, members: number): ExperimentOptions => ({ ...DEFAULT_EXPERIMENT, networkMembers: members, network: { ...DEFAULT_EXPERIMENT.network, seed } });
const o: OutOfFold =
  first === "linear" ? stage1OutOfFold(DEFAULT_EXPERIMENT, log, contracts)
  : first === "pair" ? blendedOutOfFold(runOptions(16, 2), log, contracts).oof
  : blendedOutOfFold(runOptions(Number(first.replace("seed", "")), 1), log, contracts).oof;
o.contracts.forEach((c, k) => {
  if (c.file !== contracts[k]!.file) throw new Error(`contract ${k}: ${c.file} in the scores, ${contracts[k]!.file} loaded`);
});
const C = o.categories.length;
const foldOf = o.contracts.map((c) => contractFold(c.file, o.folds));
const rowFold = Int32Array.from({ length: o.size }, (_, i) => foldOf[o.contractOf[i]!]!);
const tokens = Array.from({ length: o.size }, (_, i) => words(contracts[o.contractOf[i]!]!.text.slice(o.starts[i]!, o.ends[i]!)));

/** Per outer fold, every sentence's vector and its neighbours' (vectors learned outside the fold), [i * 2K + d]. */
function denseBlock(f: number): Float32Array {
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  const wv: WordVectors = learnWordVectors(tokens.filter((_, i) => rowFold[i] !== f), { ...DEFAULT_WORD_VECTORS, dims });
  const K = dims;
  const own = new Float32Array(o.size * K);
  const v = new Float32Array(K);
  for (let i = 0; i < o.size; i++) own.set(sentenceVector(tokens[i]!, wv, v), i * K);
  const out = new Float32Array(o.size * 2 * K);
  for (let i = 0; i < o.size; i++) {
    out.set(own.subarray(i * K, (i + 1) * K), i * 2 * K);
    const n = out.subarray(i * 2 * K + K, (i + 1) * 2 * K);
    for (const j of [i - 1, i + 1]) {
      if (j < 0 || j >= o.size || o.contractOf[j] !== o.contractOf[i]) continue;
      for (let d = 0; d < K; d++) n[d]! += own[j * K + d]!;
    }
    let norm = 0;
    for (let d = 0; d < K; d++) norm += n[d]! ** 2;
    norm = Math.sqrt(norm);
    if (norm > 0) for (let d = 0; d < K; d++) n[d]! /= norm;
  }
  log(`fold ${f}: ${wv.index.size} words × ${K} dims, ${((performance.now() - t0) / 1000).toFixed(0)} s wall, ${(process.cpuUsage(c0).user / 1e6).toFixed(1)} s CPU`);
  return out;
}

const first0 = plattCalibration(o.logits, o.labels, C);
const dense = Array.from({ length: o.folds }, (_, f) => (variants.some((v) => v !== "base") ? denseBlock(f) : new Float32Array(0)));
const docs = scoredDocuments(o);
const F = stackWidth(o);

/**
 * Prototype features of candidate rows `cand` for category c in outer fold f: the cosine of the sentence's vector
 * with the mean vector of c's gold sentences and with that of c's other candidates, both over the training folds'
 * contracts other than the sentence's own (its own contract never votes for itself), and their difference.
 */
function prototypes(c: number, f: number, cand: readonly number[]): Float32Array {
  const K = dims;
  const block = dense[f]!;
  const total = [new Float64Array(K), new Float64Array(K)];
  const byContract = new Map<number, Float64Array[]>();
  for (const r of cand) {
    if (rowFold[r] === f) continue;
    const kind = o.labels[r * C + c] ? 0 : 1;
    const own = byContract.get(o.contractOf[r]!) ?? [new Float64Array(K), new Float64Array(K)];
    byContract.set(o.contractOf[r]!, own);
    for (let d = 0; d < K; d++) {
      const v = block[r * 2 * K + d]!;
      total[kind]![d]! += v;
      own[kind]![d]! += v;
    }
  }
  const out = new Float32Array(cand.length * PROTOTYPE_FEATURES);
  const centroid = new Float64Array(K);
  cand.forEach((r, p) => {
    const own = rowFold[r] === f ? undefined : byContract.get(o.contractOf[r]!);
    const cos = [0, 0];
    for (const kind of [0, 1]) {
      let norm = 0;
      let dot = 0;
      for (let d = 0; d < K; d++) {
        centroid[d] = total[kind]![d]! - (own ? own[kind]![d]! : 0);
        norm += centroid[d]! ** 2;
        dot += centroid[d]! * block[r * 2 * K + d]!;
      }
      cos[kind] = norm > 0 ? dot / Math.sqrt(norm) : 0;
    }
    out[p * PROTOTYPE_FEATURES] = cos[0]!;
    out[p * PROTOTYPE_FEATURES + 1] = cos[1]!;
    out[p * PROTOTYPE_FEATURES + 2] = cos[0]! - cos[1]!;
  });
  return out;
}
const PROTOTYPE_FEATURES = 3;

/** Second-stage CV by contract with `extra` dense features (0, K or 2K of each fold's block) after the context features, and the prototype features when asked. */
function crossValidate(extra: number, withPrototypes = false): { probabilities: Float32Array; logits: Float32Array } {
  const probabilities = new Float32Array(o.size * C);
  const logits = new Float32Array(o.size * C).fill(Number.NaN);
  const P = withPrototypes ? PROTOTYPE_FEATURES : 0;
  const W = F + extra + P;
  for (const c of CLAUSE_CATEGORY_INDICES) {
    const x = categoryMatrix(o, docs, c);
    const cand: number[] = [];
    for (let r = 0; r < o.size; r++) {
      if (isStackCandidate(o.logits[r * C + c]!, o.rules[r * C + c]!)) cand.push(r);
      else probabilities[r * C + c] = sigmoid(first0.calibration.a[c]! * o.logits[r * C + c]! + first0.calibration.b[c]!);
    }
    for (let f = 0; f < o.folds; f++) {
      const xc = new Float32Array(cand.length * W);
      cand.forEach((r, p) => {
        xc.set(x.subarray(r * F, (r + 1) * F), p * W);
        if (extra > 0) xc.set(dense[f]!.subarray(r * 2 * dims, r * 2 * dims + extra), p * W + F);
      });
      if (P > 0) {
        const proto = prototypes(c, f, cand);
        cand.forEach((_, p) => xc.set(proto.subarray(p * P, (p + 1) * P), p * W + F + extra));
      }
      const train = Int32Array.from(cand.map((r, p) => (rowFold[r] !== f ? p : -1)).filter((p) => p >= 0));
      const { w, b } = fitDense(xc, W, (p) => o.labels[cand[p]! * C + c]!, train, { ...DEFAULT_STACK, seed: stackSeed + 97 * c + f });
      cand.forEach((r, p) => {
        if (rowFold[r] !== f) return;
        let z = b;
        for (let k = 0; k < W; k++) z += w[k]! * xc[p * W + k]!;
        logits[r * C + c] = z;
        probabilities[r * C + c] = sigmoid(z);
      });
    }
  }
  return { probabilities, logits };
}

interface Run {
  readonly name: string;
  readonly tune: ClauseMetrics;
  readonly held: ClauseMetrics;
  readonly all: ClauseMetrics;
}

function run(name: string, extra: number, withPrototypes: boolean): Run {
  const t0 = performance.now();
  const rowsWhere = (keep: (fold: number) => boolean) => Int32Array.from({ length: o.size }, (_, i) => i).filter((i) => keep(rowFold[i]!));
  const tune = rowsWhere((f) => f !== 0);
  const held = rowsWhere((f) => f === 0);
  const all = rowsWhere(() => true);
  const stack = crossValidate(extra, withPrototypes);
  const weight = (rows: Int32Array) => chooseMix(o, stack.logits, first0.calibration, rows, CLAUSE_CATEGORY_INDICES, 0.3);
  const tuneWeights = [0, ...[1, 2, 3, 4].map((f) => weight(rowsWhere((g) => g !== 0 && g !== f)))];
  const allWeights = [0, 1, 2, 3, 4].map((f) => (f === 0 ? weight(tune) : weight(rowsWhere((g) => g !== f))));
  const pTune = mixStages(o, stack.logits, first0.calibration, (i) => tuneWeights[rowFold[i]!]!);
  const pAll = mixStages(o, stack.logits, first0.calibration, (i) => allWeights[rowFold[i]!]!);
  const m = (p: Float32Array, rows: Int32Array) => clauseMetrics(o, p, rows, CLAUSE_CATEGORY_INDICES, 0.3);
  const result = { name, tune: m(pTune, tune), held: m(pAll, held), all: m(pAll, all) };
  const reported = tuneOnly ? "" : `   fold 0 ${fmt(result.held)}   all ${fmt(result.all)}`;
  log(`${name.padEnd(28)} tune ${fmt(result.tune)}${reported}   second alone tune ${fmt(m(stack.probabilities, tune))}   weights ${tuneWeights.slice(1).join(",")}${tuneOnly ? "" : ` | ${allWeights.join(",")}`}  ${((performance.now() - t0) / 1000).toFixed(0)} s`);
  return result;
}

log(`first stage: ${first}; second-stage seed ${stackSeed}; word vectors ${dims} dims; macro F1 / micro F1 / P@80%R at p >= 0.3, two stages mixed; tune = folds 1-4, fold 0 = mix chosen on folds 1-4, all = nested over 5 folds`);
const extraOf: Record<string, number> = { base: 0, "": 0, sent: dims, "sent+neigh": 2 * dims };
const runs = variants.map((v) => run(v, extraOf[v === "proto" ? "" : v.replace(/\+proto$/, "")]!, v === "proto" || v.endsWith("+proto")));
if (process.argv.includes("--per-category")) {
  for (const part of tuneOnly ? (["tune"] as const) : (["tune", "all"] as const)) {
    log(`\nper category, ${part}: F1 and P@80%R per run (${runs.map((r) => r.name).join(" | ")})`);
    runs[0]![part].perCategory.forEach((x, k) => log(`${x.category.padEnd(36)} ${String(x.gold).padStart(4)} ${runs.map((r) => `${pct(r[part].perCategory[k]!.f1)} ${pct(r[part].perCategory[k]!.precisionAt80Recall)}`).join("  ")}`));
  }
}
