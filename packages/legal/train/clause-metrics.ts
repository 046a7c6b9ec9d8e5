// Clause-detection metrics as bench/cuad.ts defines them: a predicted sentence is correct when it
// overlaps a gold span of its category; a gold span is found when a prediction overlaps it.
import type { SentenceDataset } from "./sentence-dataset";

export interface CategoryMetrics {
  readonly category: string;
  readonly gold: number;
  readonly predicted: number;
  readonly precision?: number;
  readonly recall?: number;
  readonly f1?: number;
  readonly precisionAt80Recall?: number;
}

export interface ClauseMetrics {
  readonly perCategory: readonly CategoryMetrics[];
  readonly micro: CategoryMetrics;
  /** Mean F1 over categories with gold spans (a category with no prediction counts 0). */
  readonly macroF1: number;
}

/**
 * `scores[i * C + c]` is sentence i's score for category c (only `rows` are read); `zeroMeansUnscored`
 * leaves sentences with score 0 out of the ranking (the rules give most sentences no score at all).
 */
export type LabelledSentences = Pick<SentenceDataset, "categories" | "size" | "contractOf" | "labels" | "goldSpans">;

export function clauseMetrics(data: LabelledSentences, scores: Float32Array, rows: Int32Array, categories: readonly number[], threshold: number, zeroMeansUnscored = false): ClauseMetrics {
  const C = data.categories.length;
  const inRows = new Uint8Array(data.size);
  for (const r of rows) inRows[r] = 1;
  const contractsIn = new Set<number>();
  for (const r of rows) contractsIn.add(data.contractOf[r]!);
  const perCat = new Map<number, { preds: Float32Array; correct: Uint8Array; goldBest: Float32Array }>();
  for (const c of categories) {
    const preds: number[] = [];
    const correct: number[] = [];
    for (const r of rows) {
      const s = scores[r * C + c]!;
      if (zeroMeansUnscored && s <= 0) continue;
      preds.push(s);
      correct.push(data.labels[r * C + c]!);
    }
    const goldBest = data.goldSpans
      .filter((g) => g.category === c && contractsIn.has(g.contract))
      .map((g) => {
        let best = 0;
        for (const i of g.sentences) if (inRows[i]) best = Math.max(best, scores[i * C + c]!);
        return best;
      });
    perCat.set(c, { preds: Float32Array.from(preds), correct: Uint8Array.from(correct), goldBest: Float32Array.from(goldBest) });
  }
  const summarise = (name: string, cats: readonly number[]): CategoryMetrics => {
    let predicted = 0, right = 0, gold = 0, found = 0;
    for (const c of cats) {
      const m = perCat.get(c)!;
      for (let i = 0; i < m.preds.length; i++) {
        if (m.preds[i]! < threshold) continue;
        predicted++;
        right += m.correct[i]!;
      }
      gold += m.goldBest.length;
      for (const b of m.goldBest) if (b >= threshold && b > 0) found++;
    }
    const precision = predicted > 0 ? right / predicted : undefined;
    const recall = gold > 0 ? found / gold : undefined;
    const f1 = precision !== undefined && recall !== undefined ? (precision + recall > 0 ? (2 * precision * recall) / (precision + recall) : 0) : undefined;
    const p80 = precisionAtRecall(cats.map((c) => perCat.get(c)!), 0.8);
    return { category: name, gold, predicted, ...(precision === undefined ? {} : { precision }), ...(recall === undefined ? {} : { recall }), ...(f1 === undefined ? {} : { f1 }), ...(p80 === undefined ? {} : { precisionAt80Recall: p80 }) };
  };
  const perCategory = categories.map((c) => summarise(data.categories[c]!, [c]));
  const withGold = perCategory.filter((m) => m.gold > 0);
  return { perCategory, micro: summarise("micro (all categories)", categories), macroF1: withGold.reduce((s, m) => s + (m.f1 ?? 0), 0) / Math.max(1, withGold.length) };
}

const BINS = 100_000;
const bin = (score: number) => Math.min(BINS - 1, Math.max(0, Math.floor(score * BINS)));

/**
 * Best precision at any threshold whose recall (of gold spans) reaches `target`. Thresholds step by
 * 1e-5 (a histogram sweep: linear in the number of sentences, where a sort was too slow for 4M scores).
 */
function precisionAtRecall(parts: readonly { preds: Float32Array; correct: Uint8Array; goldBest: Float32Array }[], target: number): number | undefined {
  const kept = new Float64Array(BINS);
  const right = new Float64Array(BINS);
  const found = new Float64Array(BINS);
  let total = 0;
  for (const p of parts) {
    for (let i = 0; i < p.preds.length; i++) {
      const b = bin(p.preds[i]!);
      kept[b] = kept[b]! + 1;
      right[b] = right[b]! + p.correct[i]!;
    }
    for (const g of p.goldBest) if (g > 0) found[bin(g)] = found[bin(g)]! + 1;
    total += p.goldBest.length;
  }
  if (total === 0) return undefined;
  let best: number | undefined;
  let k = 0, r = 0, f = 0;
  for (let b = BINS - 1; b >= 0; b--) {
    k += kept[b]!;
    r += right[b]!;
    f += found[b]!;
    if (k > 0 && f / total >= target) best = Math.max(best ?? 0, r / k);
  }
  return best;
}

const pct = (x: number | undefined) => (x === undefined ? "  n/a" : (100 * x).toFixed(1).padStart(5));

/** A markdown table: one row per category, then micro and macro. */
export function metricsTable(m: ClauseMetrics, title: string): string {
  const lines = [title, "| category                            | gold | pred |   P   |   R   |  F1   | P@80%R |", "|-------------------------------------|------|------|-------|-------|-------|--------|"];
  for (const r of [...m.perCategory, m.micro]) {
    if (r.gold === 0 && r.predicted === 0) continue;
    lines.push(`| ${r.category.padEnd(35)} | ${String(r.gold).padStart(4)} | ${String(r.predicted).padStart(4)} | ${pct(r.precision)} | ${pct(r.recall)} | ${pct(r.f1)} | ${pct(r.precisionAt80Recall).padStart(6)} |`);
  }
  lines.push(`macro F1 over categories with gold spans: ${pct(m.macroF1)}`);
  return lines.join("\n");
}

/** Candidate label thresholds for per-category tuning. */
export const THRESHOLD_GRID = [0.05, 0.075, 0.1, 0.125, 0.15, 0.2, 0.25, 0.3, 0.35, 0.4, 0.45, 0.5, 0.6, 0.7, 0.8];

/**
 * Per category, the threshold of THRESHOLD_GRID with the best F1 on the contracts `useContract`
 * accepts (ties: the higher threshold); categories without gold spans there keep `fallback`.
 */
export function bestThresholds(data: LabelledSentences, scores: Float32Array, categories: readonly number[], useContract: (contract: number) => boolean, fallback: number): Float32Array {
  const C = data.categories.length;
  const out = new Float32Array(C).fill(fallback);
  const G = THRESHOLD_GRID.length;
  for (const c of categories) {
    const predicted = new Float64Array(G), right = new Float64Array(G), found = new Float64Array(G);
    for (let i = 0; i < data.size; i++) {
      if (!useContract(data.contractOf[i]!)) continue;
      const s = scores[i * C + c]!;
      for (let g = 0; g < G; g++) if (s >= THRESHOLD_GRID[g]!) {
        predicted[g]!++;
        right[g]! += data.labels[i * C + c]!;
      }
    }
    let gold = 0;
    for (const span of data.goldSpans) {
      if (span.category !== c || !useContract(span.contract)) continue;
      gold++;
      let best = 0;
      for (const i of span.sentences) best = Math.max(best, scores[i * C + c]!);
      for (let g = 0; g < G; g++) if (best >= THRESHOLD_GRID[g]! && best > 0) found[g]!++;
    }
    if (gold === 0) continue;
    let bestF = -1;
    for (let g = 0; g < G; g++) {
      const p = predicted[g]! > 0 ? right[g]! / predicted[g]! : 0;
      const r = found[g]! / gold;
      const f = p + r > 0 ? (2 * p * r) / (p + r) : 0;
      if (f >= bestF) {
        bestF = f;
        out[c] = THRESHOLD_GRID[g]!;
      }
    }
  }
  return out;
}

/**
 * Scores of every held-out fold mapped so that each category's threshold, chosen on the other folds
 * (bestThresholds), lands on 0.5: read at 0.5, they give per-category thresholds without peeking.
 */
export function perCategoryThresholdMapped(data: LabelledSentences, scores: Float32Array, categories: readonly number[], foldOfContract: ArrayLike<number>, folds: number): Float32Array {
  const C = data.categories.length;
  const mapped = new Float32Array(data.size * C);
  for (let f = 0; f < folds; f++) {
    const t = bestThresholds(data, scores, categories, (k) => foldOfContract[k] !== f, 0.3);
    for (let i = 0; i < data.size; i++)
      if (foldOfContract[data.contractOf[i]!] === f)
        for (const c of categories) {
          const s = scores[i * C + c]!;
          mapped[i * C + c] = s >= t[c]! ? 0.5 + 0.5 * ((s - t[c]!) / (1 - t[c]!)) : 0.5 * (s / t[c]!);
        }
  }
  return mapped;
}
