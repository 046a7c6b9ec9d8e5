// Per-category label thresholds on the shipped two stages' out-of-fold scores, nested (each fold's thresholds chosen
// on the other four by bestThresholds), against one threshold (0.3); labels only, the shipped ranking is unchanged:
//   nice -n 10 npx tsx train/threshold-experiment.ts   (reads the first stage's CV caches; minutes without them)
import { bestThresholds, clauseMetrics } from "./clause-metrics";
import { CLAUSE_CATEGORY_INDICES, DEFAULT_EXPERIMENT, runExperiment } from "./clause-model-experiment";
import { contractFold } from "./cuad-data";
const log = (l: string) => process.stdout.write(`${l}\n`);
const r = runExperiment(DEFAULT_EXPERIMENT, () => undefined);
const o = r.oof, p = r.probabilities, C = o.categories.length;
const all = Int32Array.from({ length: o.size }, (_, i) => i);
const foldOf = o.contracts.map((c) => contractFold(c.file, o.folds));
const show = (name: string, q: Float32Array, t: number) => {
  const m = clauseMetrics(o, q, all, CLAUSE_CATEGORY_INDICES, t);
  const folds = Array.from({ length: o.folds }, (_, f) => (100 * clauseMetrics(o, q, all.filter((i) => foldOf[o.contractOf[i]!] === f), CLAUSE_CATEGORY_INDICES, t).macroF1).toFixed(1));
  log(`${name}: macro F1 ${(100 * m.macroF1).toFixed(1)} micro F1 ${(100 * (m.micro.f1 ?? 0)).toFixed(1)} P@80%R ${(100 * (m.micro.precisionAt80Recall ?? 0)).toFixed(1)}  per fold macro ${folds.join(" ")}`);
  return m;
};
const base = show("one threshold 0.3", p, 0.3);
// P@80%R of the lines below is not the shipped ranking (the labelled pairs are lifted above 0.5): read their F1 only.
for (const shrink of [1, 0.5]) {
  // Labels only: a pair is labelled when p >= its category's threshold (chosen on the other folds, shrunk toward 0.3).
  const labelled = new Float32Array(p.length);
  const chosen: number[][] = [];
  for (let f = 0; f < o.folds; f++) {
    const t = bestThresholds(o, p, CLAUSE_CATEGORY_INDICES, (k) => foldOf[k] !== f, 0.3);
    chosen.push(CLAUSE_CATEGORY_INDICES.map((c) => shrink * t[c]! + (1 - shrink) * 0.3));
    for (let i = 0; i < o.size; i++) if (foldOf[o.contractOf[i]!] === f) for (const c of CLAUSE_CATEGORY_INDICES) {
      const tc = shrink * t[c]! + (1 - shrink) * 0.3;
      labelled[i * C + c] = p[i * C + c]! >= tc ? 0.5 + 0.5 * p[i * C + c]! : 0.5 * p[i * C + c]!;
    }
  }
  const m = show(`per-category thresholds (other folds), shrink ${shrink}`, labelled, 0.5);
  CLAUSE_CATEGORY_INDICES.forEach((c, k) => {
    const a = base.perCategory[k]!.f1 ?? 0, b = m.perCategory[k]!.f1 ?? 0;
    if (Math.abs(b - a) >= 0.02) log(`  ${o.categories[c]!.padEnd(36)} F1 ${(100 * a).toFixed(1)} -> ${(100 * b).toFixed(1)}  thresholds ${chosen.map((t) => t[k]!.toFixed(2)).join(" ")}`);
  });
}
