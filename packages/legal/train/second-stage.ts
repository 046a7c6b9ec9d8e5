// The second stage: one small logistic model per category over the context features of each
// sentence (context-features.ts), trained on the first stage's out-of-fold scores. Its own
// cross-validation uses the same contract folds, so a contract is never scored by a second stage
// that saw it (its first-stage scores are out-of-fold too).
import { contextFeatureCount, contextFeatures, documentMaxima, isStackCandidate, type ScoredDocument } from "../src/classification/clause-model/context-features";
import type { StackWeights } from "../src/classification/clause-model/clause-model";
import { clauseMetrics } from "./clause-metrics";
import { contractFold } from "./cuad-data";
import { seededRandom, shuffleInPlace } from "./logistic-trainer";
import type { OutOfFold } from "./out-of-fold";
import { candidatePool, fitShared } from "./shared-stack";

export interface StackOptions {
  readonly epochs: number;
  readonly learningRate: number;
  /** L2 per step: toward zero, or with `sharedL2` toward the shared model's weights. */
  readonly l2: number;
  readonly seed: number;
  /**
   * Present: each category's model is shrunk toward one model shared by every category (shared-stack.ts: fitted
   * first on all categories' candidate pairs pooled, with an intercept per category, under this L2 per step)
   * instead of toward zero, so a rare category (19–40 spans) borrows what the context features mean from the
   * others. Absent: every category alone (files up to v6).
   */
  readonly sharedL2?: number;
}

export const DEFAULT_STACK: StackOptions = { epochs: 6, learningRate: 0.05, l2: 0.05, seed: 16 };

/** The contracts of an OutOfFold as ScoredDocuments (a contract's sentences are contiguous rows). */
export function scoredDocuments(o: OutOfFold): { doc: ScoredDocument; first: number; maxima: Float32Array }[] {
  const C = o.categories.length;
  const out: { doc: ScoredDocument; first: number; maxima: Float32Array }[] = [];
  let first = 0;
  for (let k = 0; k < o.contracts.length; k++) {
    let end = first;
    while (end < o.size && o.contractOf[end] === k) end++;
    const doc: ScoredDocument = {
      categories: C,
      logits: o.logits.subarray(first * C, end * C),
      rules: o.rules.subarray(first * C, end * C),
      clauseOf: o.clauseOf.subarray(first, end),
      starts: o.starts.subarray(first, end),
      textLength: o.contracts[k]!.textLength,
      type: o.contracts[k]!.type,
      ...(o.clauseLogits ? { clauseLogits: o.clauseLogits.subarray(first * C, end * C) } : {}),
    };
    out.push({ doc, first, maxima: documentMaxima(doc) });
    first = end;
  }
  return out;
}

/** The second stage's width for these scores (with the clause reader's features when `o` carries its logits). */
export const stackWidth = (o: OutOfFold) => contextFeatureCount(o.categories.length, { clauseReader: o.clauseLogits !== undefined });

/** The context features of every sentence of the corpus for category c, [i * F + f]. */
export function categoryMatrix(o: OutOfFold, docs: ReturnType<typeof scoredDocuments>, c: number): Float32Array {
  const F = stackWidth(o);
  const x = new Float32Array(o.size * F);
  for (const d of docs) x.set(contextFeatures(d.doc, c, d.maxima), d.first * F);
  return x;
}

const sigmoid = (z: number) => 1 / (1 + Math.exp(-z));

/** Raw-scale weights of one logistic model over the F context features. */
export interface DenseModel {
  readonly w: Float32Array;
  readonly b: number;
}

/**
 * Logistic regression with AdaGrad over dense rows (the given ones), deterministic for the seed. With a
 * `prior` (raw-scale weights), training starts from it and the L2 penalty pulls toward it instead of zero.
 */
export function fitDense(x: Float32Array, F: number, y: (row: number) => number, rows: Int32Array, opts: StackOptions, prior?: DenseModel): DenseModel {
  // Standardise on the training rows, learn there, then fold the scaling back into w and b.
  const mean = new Float64Array(F);
  const sq = new Float64Array(F);
  for (const r of rows) for (let f = 0; f < F; f++) {
    const v = x[r * F + f]!;
    mean[f]! += v;
    sq[f]! += v * v;
  }
  const scale = new Float64Array(F);
  for (let f = 0; f < F; f++) {
    mean[f]! /= rows.length;
    const sd = Math.sqrt(Math.max(0, sq[f]! / rows.length - mean[f]! ** 2));
    scale[f] = sd > 1e-9 ? 1 / sd : 0;
  }
  // The prior in the standardised coordinates of these rows: z = b + Σ w_raw·x = (b + Σ w_raw·mean) + Σ (w_raw/scale)·xs.
  const w0 = new Float64Array(F);
  let b = 0;
  if (prior) {
    b = prior.b;
    for (let f = 0; f < F; f++) {
      b += prior.w[f]! * mean[f]!;
      w0[f] = scale[f]! > 0 ? prior.w[f]! / scale[f]! : 0;
    }
  }
  const w = Float64Array.from(w0);
  const gw = new Float64Array(F).fill(1e-8);
  let gb = 1e-8;
  const random = seededRandom(opts.seed);
  const order = Int32Array.from(rows);
  const xs = new Float64Array(F);
  for (let epoch = 0; epoch < opts.epochs; epoch++) {
    shuffleInPlace(order, random);
    for (const r of order) {
      let z = b;
      for (let f = 0; f < F; f++) {
        xs[f] = (x[r * F + f]! - mean[f]!) * scale[f]!;
        z += w[f]! * xs[f]!;
      }
      const g = sigmoid(z) - y(r);
      if (Math.abs(g) < 1e-4) continue;
      gb += g * g;
      b -= (opts.learningRate * g) / Math.sqrt(gb);
      for (let f = 0; f < F; f++) {
        const grad = g * xs[f]! + opts.l2 * (w[f]! - w0[f]!);
        gw[f]! += grad * grad;
        w[f]! -= (opts.learningRate * grad) / Math.sqrt(gw[f]!);
      }
    }
  }
  const out = new Float32Array(F);
  let bias = b;
  for (let f = 0; f < F; f++) {
    out[f] = w[f]! * scale[f]!;
    bias -= w[f]! * scale[f]! * mean[f]!;
  }
  return { w: out, b: bias };
}

export interface StackCrossValidation {
  /** Out-of-fold second-stage probabilities, [i * C + c] (the second stage alone: mix 1). */
  readonly probabilities: Float32Array;
  /** Out-of-fold second-stage logits of the pairs it reads, [i * C + c]; NaN elsewhere. */
  readonly logits: Float32Array;
}

/** Second-stage cross-validation by contract on the first stage's out-of-fold scores, categories given. */
export function crossValidateStack(o: OutOfFold, categories: readonly number[], opts: StackOptions, platt: { a: Float32Array; b: Float32Array }, log: (line: string) => void = () => undefined): StackCrossValidation {
  const C = o.categories.length;
  const F = stackWidth(o);
  const docs = scoredDocuments(o);
  const foldOf = o.contracts.map((c) => contractFold(c.file, o.folds));
  const rowsOf = (keep: (f: number) => boolean) => {
    const out: number[] = [];
    for (let i = 0; i < o.size; i++) if (keep(foldOf[o.contractOf[i]!]!)) out.push(i);
    return Int32Array.from(out);
  };
  const folds = Array.from({ length: o.folds }, (_, f) => ({ train: rowsOf((g) => g !== f), test: rowsOf((g) => g === f) }));
  const probabilities = new Float32Array(o.size * C);
  const logits = new Float32Array(o.size * C).fill(Number.NaN);
  const t0 = performance.now();
  // The shared model of each fold, fitted on the other folds' contracts only.
  const shared = opts.sharedL2 === undefined ? undefined : (() => {
    const pool = candidatePool(o, docs, categories);
    return folds.map((_, f) => fitShared(pool, C, (r) => foldOf[o.contractOf[r]!] !== f, opts));
  })();
  for (const c of categories) {
    const x = categoryMatrix(o, docs, c);
    const y = (r: number) => o.labels[r * C + c]!;
    const candidate = (r: number) => isStackCandidate(o.logits[r * C + c]!, o.rules[r * C + c]!);
    folds.forEach(({ train, test }, f) => {
      const prior = shared ? { w: shared[f]!.w, b: shared[f]!.b[c]! } : undefined;
      const { w, b } = fitDense(x, F, y, train.filter(candidate), { ...opts, seed: opts.seed + 97 * c + f }, prior);
      for (const r of test) {
        if (!candidate(r)) {
          probabilities[r * C + c] = sigmoid(platt.a[c]! * o.logits[r * C + c]! + platt.b[c]!);
          continue;
        }
        let z = b;
        for (let k = 0; k < F; k++) z += w[k]! * x[r * F + k]!;
        logits[r * C + c] = z;
        probabilities[r * C + c] = sigmoid(z);
      }
    });
  }
  log(`second stage: ${categories.length} categories × ${o.folds} folds, ${F} context features, ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  return { probabilities, logits };
}

/** One mix weight for every category, or one per category (indexed like `OutOfFold.categories`). */
export type MixWeights = number | readonly number[];

/**
 * The score of every pair: where the second stage reads it, sigmoid(mix·z2 + (1 − mix)·z1cal) with z1cal
 * the first stage's calibrated logit (as ClauseModel.predictDocument); elsewhere the first stage's probability.
 * `mix` may differ by row (the nested CV: each fold's own weights).
 */
export function mixStages(o: OutOfFold, stackLogits: Float32Array, platt: { a: Float32Array; b: Float32Array }, mix: MixWeights | ((row: number) => MixWeights)): Float32Array {
  const C = o.categories.length;
  const out = new Float32Array(o.size * C);
  for (let i = 0; i < o.size; i++) {
    const w = typeof mix === "function" ? mix(i) : mix;
    for (let c = 0; c < C; c++) {
      const m = typeof w === "number" ? w : w[c]!;
      const z1 = platt.a[c]! * o.logits[i * C + c]! + platt.b[c]!;
      const z2 = stackLogits[i * C + c]!;
      out[i * C + c] = sigmoid(Number.isNaN(z2) ? z1 : m * z2 + (1 - m) * z1);
    }
  }
  return out;
}

/** Mix weights tried (1: the second stage alone; 0: the first stage alone). */
export const MIX_GRID = [0, 0.25, 0.4, 0.5, 0.6, 0.75, 1];

/**
 * The mix weight of MIX_GRID with the best P@80%R + macro F1 (label threshold `threshold`) on the given
 * rows: the two headline measures, one ranking all categories together, one each category alone.
 */
export function chooseMix(o: OutOfFold, stackLogits: Float32Array, platt: { a: Float32Array; b: Float32Array }, rows: Int32Array, categories: readonly number[], threshold: number): number {
  let best = 1;
  let bestScore = -1;
  for (const mix of MIX_GRID) {
    const m = clauseMetrics(o, mixStages(o, stackLogits, platt, mix), rows, categories, threshold);
    const score = (m.micro.precisionAt80Recall ?? 0) + m.macroF1;
    if (score > bestScore) {
      bestScore = score;
      best = mix;
    }
  }
  return best;
}

/**
 * Nested choice of the mix: each contract's score mixes its out-of-fold stages with the weight chosen
 * on the other folds only (no weight is chosen on the contracts it is measured on).
 */
export function nestedMix(o: OutOfFold, stackLogits: Float32Array, platt: { a: Float32Array; b: Float32Array }, categories: readonly number[], threshold: number): { probabilities: Float32Array; weights: number[] } {
  const foldOf = o.contracts.map((c) => contractFold(c.file, o.folds));
  const weights = Array.from({ length: o.folds }, (_, f) => {
    const rows = Int32Array.from({ length: o.size }, (_, i) => i).filter((i) => foldOf[o.contractOf[i]!] !== f);
    return chooseMix(o, stackLogits, platt, rows, categories, threshold);
  });
  return { probabilities: mixStages(o, stackLogits, platt, (i) => weights[foldOf[o.contractOf[i]!]!]!), weights };
}

/** The second stage on every contract (shipped with the first stage trained on every contract). */
export function fitStack(o: OutOfFold, categories: readonly number[], opts: StackOptions, keepContract: (contract: number) => boolean = () => true, mix = 1): StackWeights {
  const C = o.categories.length;
  const F = stackWidth(o);
  const docs = scoredDocuments(o);
  const weights = new Float32Array(C * F);
  // NaN: no second stage for this category (the first stage's probability stands).
  const bias = new Float32Array(C).fill(Number.NaN);
  const shared = opts.sharedL2 === undefined ? undefined : fitShared(candidatePool(o, docs, categories), C, (r) => keepContract(o.contractOf[r]!), opts);
  for (const c of categories) {
    const x = categoryMatrix(o, docs, c);
    const rows = Int32Array.from({ length: o.size }, (_, i) => i).filter((r) => keepContract(o.contractOf[r]!) && isStackCandidate(o.logits[r * C + c]!, o.rules[r * C + c]!));
    const prior = shared ? { w: shared.w, b: shared.b[c]! } : undefined;
    const { w, b } = fitDense(x, F, (r) => o.labels[r * C + c]!, rows, { ...opts, seed: opts.seed + 97 * c }, prior);
    weights.set(w, c * F);
    bias[c] = b;
  }
  return { features: F, weights, bias, mix };
}
