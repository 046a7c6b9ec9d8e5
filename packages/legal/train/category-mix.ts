// The second stage's mix weight per category, chosen for the two headline measures together: start
// from the best single weight (chooseMix), then move one category at a time to the weight of MIX_GRID
// that most raises P@80%R (all categories ranked by one threshold) + macro F1 (label threshold p ≥ t)
// on the given rows, until no move helps. Choosing per category by its own F1 alone raised macro F1
// but cost P@80%R (README); judged on both, a category keeps the shared weight unless moving it pays.
// Measured nested on the v6 out-of-fold scores and not shipped yet (README): the file format reads a
// weight per category (version 4), `train/category-mix-experiment.ts` measures the choice.
import { contractFold } from "./cuad-data";
import type { OutOfFold } from "./out-of-fold";
import { chooseMix, MIX_GRID, mixStages } from "./second-stage";

const BINS = 20_000;
const bin = (p: number) => Math.min(BINS - 1, Math.max(0, Math.floor(p * BINS)));
const sigmoid = (z: number) => 1 / (1 + Math.exp(-z));
const MAX_PASSES = 3;

export interface CategoryMixOptions {
  /** A move must raise the objective by more than this (default 1e-4, 0.01 points): ties keep the current weight. */
  readonly minGain?: number;
  /** The objective is p80Weight · P@80%R + macro F1 (default 1). */
  readonly p80Weight?: number;
  /** Take only moves that lower neither P@80%R nor macro F1 (default false). */
  readonly pareto?: boolean;
}

/** One category's scores at one mix weight on the chosen rows: a histogram for P@80%R and its F1 at the threshold. */
interface Part {
  readonly kept: Int32Array;
  readonly right: Int32Array;
  readonly found: Int32Array;
  readonly f1: number;
}

function part(o: OutOfFold, stackLogits: Float32Array, platt: { a: Float32Array; b: Float32Array }, inRows: Uint8Array, spans: readonly { sentences: Int32Array }[], c: number, mix: number, threshold: number): Part {
  const C = o.categories.length;
  const score = (i: number) => {
    const z1 = platt.a[c]! * o.logits[i * C + c]! + platt.b[c]!;
    const z2 = stackLogits[i * C + c]!;
    return sigmoid(Number.isNaN(z2) ? z1 : mix * z2 + (1 - mix) * z1);
  };
  const kept = new Int32Array(BINS), right = new Int32Array(BINS), found = new Int32Array(BINS);
  let predicted = 0, correct = 0, hit = 0;
  for (let i = 0; i < o.size; i++) {
    if (!inRows[i]) continue;
    const p = score(i);
    const y = o.labels[i * C + c]!;
    kept[bin(p)]!++;
    right[bin(p)]! += y;
    if (p >= threshold) {
      predicted++;
      correct += y;
    }
  }
  for (const g of spans) {
    let best = 0;
    for (const i of g.sentences) if (inRows[i]) best = Math.max(best, score(i));
    if (best > 0) found[bin(best)]!++;
    if (best >= threshold) hit++;
  }
  const p = predicted > 0 ? correct / predicted : 0;
  const r = spans.length > 0 ? hit / spans.length : 0;
  return { kept, right, found, f1: p + r > 0 ? (2 * p * r) / (p + r) : 0 };
}

/**
 * Per category (index into `o.categories`), the mix weight chosen on `rows`; categories not in
 * `categories` get the best single weight.
 */
export function choosePerCategoryMix(o: OutOfFold, stackLogits: Float32Array, platt: { a: Float32Array; b: Float32Array }, rows: Int32Array, categories: readonly number[], threshold: number, options: CategoryMixOptions = {}, grid: readonly number[] = MIX_GRID): number[] {
  const minGain = options.minGain ?? 1e-4;
  const p80Weight = options.p80Weight ?? 1;
  const C = o.categories.length;
  const shared = chooseMix(o, stackLogits, platt, rows, categories, threshold);
  const inRows = new Uint8Array(o.size);
  for (const r of rows) inRows[r] = 1;
  const contractsIn = new Set<number>();
  for (const r of rows) contractsIn.add(o.contractOf[r]!);
  let goldTotal = 0;
  const parts = categories.map((c) => {
    const spans = o.goldSpans.filter((g) => g.category === c && contractsIn.has(g.contract));
    goldTotal += spans.length;
    return { gold: spans.length, byWeight: grid.map((m) => part(o, stackLogits, platt, inRows, spans, c, m, threshold)) };
  });
  const withGold = parts.filter((p) => p.gold > 0).length;
  const kept = new Float64Array(BINS), right = new Float64Array(BINS), found = new Float64Array(BINS);
  const add = (p: Part, sign: number) => {
    for (let b = 0; b < BINS; b++) {
      kept[b]! += sign * p.kept[b]!;
      right[b]! += sign * p.right[b]!;
      found[b]! += sign * p.found[b]!;
    }
  };
  // Best precision at any threshold reaching 80% of the gold spans (as clauseMetrics, on coarser bins).
  const p80 = () => {
    let k = 0, r = 0, f = 0, best = 0;
    for (let b = BINS - 1; b >= 0; b--) {
      k += kept[b]!;
      r += right[b]!;
      f += found[b]!;
      if (k > 0 && f >= 0.8 * goldTotal) best = Math.max(best, r / k);
    }
    return best;
  };
  const chosen = parts.map(() => Math.max(0, grid.indexOf(shared)));
  const macro = () => parts.reduce((s, p, k) => s + (p.gold > 0 ? p.byWeight[chosen[k]!]!.f1 : 0), 0) / Math.max(1, withGold);
  parts.forEach((p, k) => add(p.byWeight[chosen[k]!]!, 1));
  let currentP80 = p80();
  let currentMacro = macro();
  let current = p80Weight * currentP80 + currentMacro;
  for (let pass = 0; pass < MAX_PASSES; pass++) {
    let moved = false;
    parts.forEach((p, k) => {
      const was = chosen[k]!;
      let best = { g: was, score: current + minGain, p80: currentP80, macro: currentMacro };
      add(p.byWeight[was]!, -1);
      for (let g = 0; g < grid.length; g++) {
        if (g === was) continue;
        chosen[k] = g;
        add(p.byWeight[g]!, 1);
        const m = { p80: p80(), macro: macro() };
        add(p.byWeight[g]!, -1);
        const score = p80Weight * m.p80 + m.macro;
        if (options.pareto && (m.p80 < currentP80 || m.macro < currentMacro)) continue;
        if (score > best.score) best = { g, score, ...m };
      }
      chosen[k] = best.g;
      add(p.byWeight[best.g]!, 1);
      if (best.g !== was) {
        current = best.score;
        currentP80 = best.p80;
        currentMacro = best.macro;
        moved = true;
      }
    });
    if (!moved) break;
  }
  const out = new Array<number>(C).fill(shared);
  categories.forEach((c, k) => (out[c] = grid[chosen[k]!]!));
  return out;
}

/**
 * Nested choice: each contract's scores mix its out-of-fold stages with the weights chosen on the
 * other folds only (no weight is chosen on the contracts it is measured on).
 */
export function nestedPerCategoryMix(o: OutOfFold, stackLogits: Float32Array, platt: { a: Float32Array; b: Float32Array }, categories: readonly number[], threshold: number, options: CategoryMixOptions = {}): { probabilities: Float32Array; weights: number[][] } {
  const foldOf = o.contracts.map((c) => contractFold(c.file, o.folds));
  const weights = Array.from({ length: o.folds }, (_, f) => {
    const rows = Int32Array.from({ length: o.size }, (_, i) => i).filter((i) => foldOf[o.contractOf[i]!] !== f);
    return choosePerCategoryMix(o, stackLogits, platt, rows, categories, threshold, options);
  });
  return { probabilities: mixStages(o, stackLogits, platt, (i) => weights[foldOf[o.contractOf[i]!]!]!), weights };
}
