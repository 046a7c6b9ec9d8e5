// The CUAD paper's scoring (its evaluate.py), applied to our sentence scores, to set our figures
// beside the published ones. It differs from clause-metrics.ts (our headline) in three ways:
// - the unit is a predicted text per question (contract × category): here a run of consecutive
//   sentences of one clause whose probability exceeds the threshold, scored by its best sentence;
// - a prediction matches a lawyer's span only when their word sets (lower case, ". , ; :" removed,
//   "/" a space) have Jaccard similarity ≥ 0.5, not on any overlap;
// - a gold span is one true positive however many predictions match it, and every prediction that
//   matches no gold span of its question is a false positive (also where the question has no answer).
// Thresholds are CUAD's (0.99, 0.98, …, 0.01, 0.001, 0; a prediction needs p > threshold), and
// precision at a recall is the best precision at any threshold reaching that recall (CUAD's
// monotone envelope). As CUAD's n-best list, a question offers at most its 20 best sentences.
import type { CuadCategory } from "../src/index";
import type { GoldRange } from "./cuad-data";

export interface SpanScoringData {
  readonly categories: readonly CuadCategory[];
  readonly size: number;
  readonly contractOf: Int32Array;
  readonly clauseOf: Int32Array;
  readonly starts: Int32Array;
  readonly ends: Int32Array;
  readonly contracts: readonly { readonly text: string; readonly gold: ReadonlyMap<CuadCategory, readonly (readonly GoldRange[])[]> }[];
}

export interface SpanMetrics {
  readonly precisionAt80Recall: number;
  readonly precisionAt90Recall: number;
  /** Area under the interpolated precision-recall curve (trapezoids over CUAD's thresholds). */
  readonly aupr: number;
  /** The highest recall any threshold reaches (precision at a recall above it is 0). */
  readonly maxRecall: number;
  readonly gold: number;
}

/** CUAD's answer normalisation: the set of words of a text. */
export function cuadWords(text: string): Set<string> {
  const t = text.replace(/[.,;:]/g, "").toLowerCase().replace(/\//g, " ");
  return new Set(t.split(/\s+/).filter(Boolean));
}

export function jaccard(a: ReadonlySet<string>, b: ReadonlySet<string>): number {
  if (a.size === 0 && b.size === 0) return 0;
  let inter = 0;
  for (const w of a) if (b.has(w)) inter++;
  return inter / (a.size + b.size - inter);
}

/** CUAD's n-best size: the candidate answers a question keeps. */
export const CUAD_CANDIDATES = 20;

export const CUAD_THRESHOLDS: readonly number[] = [...Array.from({ length: 99 }, (_, k) => (99 - k) / 100), 0.001, 0];

/**
 * CUAD-style precision at 80% / 90% recall and AUPR, micro over all questions (contract × category
 * of `categories`), of `probabilities[i * C + c]` read as run predictions (`unit: "run"`) or each
 * sentence alone (`unit: "sentence"`).
 */
export function cuadSpanMetrics(data: SpanScoringData, probabilities: Float32Array, categories: readonly number[], unit: "run" | "sentence" = "run", thresholds: readonly number[] = CUAD_THRESHOLDS): SpanMetrics {
  const C = data.categories.length;
  const T = thresholds.length;
  const tp = new Float64Array(T);
  const fp = new Float64Array(T);
  let gold = 0;
  let first = 0;
  for (let k = 0; k < data.contracts.length; k++) {
    let end = first;
    while (end < data.size && data.contractOf[end] === k) end++;
    const contract = data.contracts[k]!;
    const sentenceWords: Set<string>[] = [];
    const wordsOf = (i: number) => (sentenceWords[i - first] ??= cuadWords(contract.text.slice(data.starts[i]!, data.ends[i]!)));
    for (const c of categories) {
      const answers = (contract.gold.get(data.categories[c]!) ?? []).map((alts) => cuadWords(contract.text.slice(alts[0]!.start, alts[0]!.end))).filter((w) => w.size > 0);
      gold += answers.length;
      // Which answers a run [a, b] matches, memoised: runs repeat from one threshold to the next.
      const memo = new Map<number, number[]>();
      // The question's n-best: a sentence below its 20th best score is never a candidate.
      let cutoff = -Infinity;
      if (end - first > CUAD_CANDIDATES) {
        const sorted = Float32Array.from({ length: end - first }, (_, j) => probabilities[(first + j) * C + c]!).sort();
        cutoff = sorted[sorted.length - CUAD_CANDIDATES]!;
      }
      const matches = (a: number, b: number): number[] => {
        const key = (a - first) * 1_000_003 + (b - first);
        let m = memo.get(key);
        if (m) return m;
        let words: Set<string>;
        if (a === b) words = wordsOf(a);
        else {
          words = new Set();
          for (let i = a; i <= b; i++) for (const w of wordsOf(i)) words.add(w);
        }
        m = [];
        answers.forEach((ans, j) => {
          if (words.size > 2 * ans.size || ans.size > 2 * words.size) return; // Jaccard < 0.5 for sure
          if (jaccard(words, ans) >= 0.5) m!.push(j);
        });
        memo.set(key, m);
        return m;
      };
      for (let t = 0; t < T; t++) {
        const th = thresholds[t]!;
        const hit = new Uint8Array(answers.length);
        let runStart = -1;
        const close = (b: number) => {
          if (answers.length === 0) fp[t]!++;
          else {
            const m = matches(runStart, b);
            if (m.length === 0) fp[t]!++;
            for (const j of m) hit[j] = 1;
          }
          runStart = -1;
        };
        for (let i = first; i < end; i++) {
          const p = probabilities[i * C + c]!;
          const on = p > th && p >= cutoff;
          if (runStart >= 0 && (!on || unit === "sentence" || data.clauseOf[i] !== data.clauseOf[i - 1])) close(i - 1);
          if (on && runStart < 0) runStart = i;
        }
        if (runStart >= 0) close(end - 1);
        for (const h of hit) tp[t]! += h;
      }
    }
    first = end;
  }
  const recall = Array.from(tp, (x) => (gold > 0 ? x / gold : 0));
  const precision = Array.from(tp, (x, t) => (x + fp[t]! > 0 ? x / (x + fp[t]!) : NaN));
  // The monotone envelope: precision at recall r is the best precision at any recall ≥ r.
  const envelope = new Array<number>(T);
  let best = 0;
  for (let t = T - 1; t >= 0; t--) {
    if (!Number.isNaN(precision[t]!)) best = Math.max(best, precision[t]!);
    envelope[t] = best;
  }
  const at = (target: number) => {
    for (let t = 0; t < T; t++) if (recall[t]! >= target) return envelope[t]!;
    return 0;
  };
  let aupr = 0;
  let prevR = 0;
  let prevP = 1; // CUAD's curve opens at (recall 0, precision 1)
  for (let t = 0; t < T; t++) {
    aupr += ((recall[t]! - prevR) * (prevP + envelope[t]!)) / 2;
    prevR = recall[t]!;
    prevP = envelope[t]!;
  }
  return { precisionAt80Recall: at(0.8), precisionAt90Recall: at(0.9), aupr, maxRecall: Math.max(0, ...recall), gold };
}
