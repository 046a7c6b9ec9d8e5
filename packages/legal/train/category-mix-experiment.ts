// The second stage's mix weight per category (category-mix.ts) against one weight for all, both chosen
// on the other folds (nested), on the cached out-of-fold scores (a few minutes once cached):
//   nice -n 10 npx tsx train/category-mix-experiment.ts [--variants=sum,pareto,p80x2,gain0.3]
// sum: P@80%R + macro F1; pareto: only moves that lower neither; p80x2: 2·P@80%R + macro F1;
// gain0.3: a move must gain 0.3 points.
import { clauseMetrics, type ClauseMetrics } from "./clause-metrics";
import { CLAUSE_CATEGORY_INDICES, DEFAULT_EXPERIMENT } from "./clause-model-experiment";
import { nestedPerCategoryMix, type CategoryMixOptions } from "./category-mix";
import { contractFold } from "./cuad-data";
import { plattCalibration } from "./platt-calibration";
import { crossValidateStack, DEFAULT_STACK, nestedMix } from "./second-stage";
import { blendedOutOfFold } from "./stage1-oof";

const VARIANTS: Record<string, CategoryMixOptions> = { sum: {}, pareto: { pareto: true }, p80x2: { p80Weight: 2 }, "gain0.3": { minGain: 0.003 } };
const arg = (name: string) => process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
const names = (arg("variants") ?? "sum").split(",");
for (const n of names) if (!VARIANTS[n]) throw new Error(`--variants: unknown '${n}' (known: ${Object.keys(VARIANTS).join(", ")})`);
const log = (l: string) => process.stdout.write(`${l}\n`);
const { oof: o } = blendedOutOfFold(DEFAULT_EXPERIMENT, log);
const C = o.categories.length;
const T = DEFAULT_EXPERIMENT.threshold;
const all = Int32Array.from({ length: o.size }, (_, i) => i);
const foldOf = o.contracts.map((c) => contractFold(c.file, o.folds));
const pct = (x: number | undefined) => (100 * (x ?? 0)).toFixed(1);
const summary = (m: ClauseMetrics) => `macro F1 ${pct(m.macroF1)}, micro F1 ${pct(m.micro.f1)}, P@80%R ${pct(m.micro.precisionAt80Recall)}`;
const first = plattCalibration(o.logits, o.labels, C);
const second = crossValidateStack(o, CLAUSE_CATEGORY_INDICES, DEFAULT_STACK, first.calibration, log);
const single = nestedMix(o, second.logits, first.calibration, CLAUSE_CATEGORY_INDICES, T);
log(`one weight (${single.weights.join(", ")}), p >= ${T}: ${summary(clauseMetrics(o, single.probabilities, all, CLAUSE_CATEGORY_INDICES, T))}`);
for (const name of names) {
  const t0 = performance.now();
  const per = nestedPerCategoryMix(o, second.logits, first.calibration, CLAUSE_CATEGORY_INDICES, T, VARIANTS[name]);
  log(`per category, ${name} (${((performance.now() - t0) / 1000).toFixed(0)} s), p >= ${T}: ${summary(clauseMetrics(o, per.probabilities, all, CLAUSE_CATEGORY_INDICES, T))}`);
  const moved = per.weights.map((w, f) => CLAUSE_CATEGORY_INDICES.filter((c) => w[c] !== single.weights[f]).length);
  log(`  categories off the shared weight per fold: ${moved.join(", ")}`);
  const diffs = Array.from({ length: o.folds }, (_, f) => {
    const rows = all.filter((i) => foldOf[o.contractOf[i]!] === f);
    const a = clauseMetrics(o, single.probabilities, rows, CLAUSE_CATEGORY_INDICES, T);
    const b = clauseMetrics(o, per.probabilities, rows, CLAUSE_CATEGORY_INDICES, T);
    return [b.macroF1 - a.macroF1, (b.micro.f1 ?? 0) - (a.micro.f1 ?? 0), (b.micro.precisionAt80Recall ?? 0) - (a.micro.precisionAt80Recall ?? 0)].map((x) => (100 * x).toFixed(1)).join("/");
  });
  log(`  minus one weight, per outer fold (macro F1 / micro F1 / P@80%R): ${diffs.join("  ")}`);
}
