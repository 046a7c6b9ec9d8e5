// The second stage's shared model: one logistic model over the context features of every category's
// candidate pairs pooled, with an intercept per category. Each category's own model is then shrunk
// toward it instead of toward zero (second-stage.ts `fitDense` with a prior), so a category with a few
// dozen spans reads its neighbours, rank and clause the way the well-represented categories taught,
// and departs from that only where its own data says so. The file format does not change: a category's
// shrunk weights are stored like any other.
import { contextFeatureCount, contextFeatures, isStackCandidate, type ScoredDocument } from "../src/classification/clause-model/context-features";
import { seededRandom, shuffleInPlace } from "./logistic-trainer";
import type { OutOfFold } from "./out-of-fold";

/** Every category's candidate pairs (isStackCandidate) with their context features, [entry * F + f]. */
export interface CandidatePool {
  readonly features: number;
  readonly x: Float32Array;
  /** Sentence (row of the OutOfFold) of each entry. */
  readonly row: Int32Array;
  readonly category: Int32Array;
  readonly label: Uint8Array;
}

/** The pairs the second stage reads, for the given categories, with their context features. */
export function candidatePool(o: OutOfFold, docs: readonly { readonly doc: ScoredDocument; readonly first: number; readonly maxima: Float32Array }[], categories: readonly number[]): CandidatePool {
  const C = o.categories.length;
  const F = contextFeatureCount(C);
  let n = 0;
  for (const c of categories) for (let i = 0; i < o.size; i++) if (isStackCandidate(o.logits[i * C + c]!, o.rules[i * C + c]!)) n++;
  const x = new Float32Array(n * F);
  const row = new Int32Array(n);
  const category = new Int32Array(n);
  const label = new Uint8Array(n);
  let e = 0;
  for (const c of categories)
    for (const d of docs) {
      const features = contextFeatures(d.doc, c, d.maxima);
      const sentences = d.doc.clauseOf.length;
      for (let s = 0; s < sentences; s++) {
        const i = d.first + s;
        if (!isStackCandidate(o.logits[i * C + c]!, o.rules[i * C + c]!)) continue;
        x.set(features.subarray(s * F, (s + 1) * F), e * F);
        row[e] = i;
        category[e] = c;
        label[e] = o.labels[i * C + c]!;
        e++;
      }
    }
  return { features: F, x, row, category, label };
}

/** The shared model in raw feature scale: weights `w` (F) and one intercept per category `b` (C; 0 where a category has no pair). */
export interface SharedStack {
  readonly w: Float32Array;
  readonly b: Float32Array;
}

const sigmoid = (z: number) => 1 / (1 + Math.exp(-z));

/**
 * Logistic regression with AdaGrad over the pool's entries whose sentence `keep` accepts (standardised over
 * them, scaling folded back), deterministic for the seed; `sharedL2` is its L2 per step.
 */
export function fitShared(pool: CandidatePool, categories: number, keep: (row: number) => boolean, opts: { readonly epochs: number; readonly learningRate: number; readonly seed: number; readonly sharedL2?: number }): SharedStack {
  const F = pool.features;
  const l2 = opts.sharedL2 ?? 0;
  const entries = Int32Array.from({ length: pool.row.length }, (_, e) => e).filter((e) => keep(pool.row[e]!));
  const mean = new Float64Array(F);
  const sq = new Float64Array(F);
  const positives = new Float64Array(categories);
  const counts = new Float64Array(categories);
  for (const e of entries) {
    for (let f = 0; f < F; f++) {
      const v = pool.x[e * F + f]!;
      mean[f]! += v;
      sq[f]! += v * v;
    }
    positives[pool.category[e]!]! += pool.label[e]!;
    counts[pool.category[e]!]!++;
  }
  const scale = new Float64Array(F);
  for (let f = 0; f < F; f++) {
    mean[f]! /= Math.max(1, entries.length);
    const sd = Math.sqrt(Math.max(0, sq[f]! / Math.max(1, entries.length) - mean[f]! ** 2));
    scale[f] = sd > 1e-9 ? 1 / sd : 0;
  }
  // Each category's intercept starts at its own base rate among its candidates (smoothed).
  const b = new Float64Array(categories);
  for (let c = 0; c < categories; c++) if (counts[c]! > 0) b[c] = Math.log((positives[c]! + 0.5) / (counts[c]! - positives[c]! + 0.5));
  const gb = new Float64Array(categories).fill(1e-8);
  const w = new Float64Array(F);
  const gw = new Float64Array(F).fill(1e-8);
  const xs = new Float64Array(F);
  const random = seededRandom(opts.seed + 7919);
  const order = Int32Array.from(entries);
  for (let epoch = 0; epoch < opts.epochs; epoch++) {
    shuffleInPlace(order, random);
    for (const e of order) {
      const c = pool.category[e]!;
      let z = b[c]!;
      for (let f = 0; f < F; f++) {
        xs[f] = (pool.x[e * F + f]! - mean[f]!) * scale[f]!;
        z += w[f]! * xs[f]!;
      }
      const g = sigmoid(z) - pool.label[e]!;
      if (Math.abs(g) < 1e-4) continue;
      gb[c]! += g * g;
      b[c]! -= (opts.learningRate * g) / Math.sqrt(gb[c]!);
      for (let f = 0; f < F; f++) {
        const grad = g * xs[f]! + l2 * w[f]!;
        gw[f]! += grad * grad;
        w[f]! -= (opts.learningRate * grad) / Math.sqrt(gw[f]!);
      }
    }
  }
  const raw = new Float32Array(F);
  let shift = 0;
  for (let f = 0; f < F; f++) {
    raw[f] = w[f]! * scale[f]!;
    shift += w[f]! * scale[f]! * mean[f]!;
  }
  return { w: raw, b: Float32Array.from(b, (v, c) => (counts[c]! > 0 ? v - shift : 0)) };
}
