// Second-stage experiments on the cached first-stage out-of-fold scores (seconds once cached):
//   nice -n 10 npx tsx train/stack-experiment.ts [--epochs=6] [--lr=0.05] [--l2=1e-4] [--calibration] [--table] [--per-category]
// --per-category also tries a label threshold per category, chosen on the other folds.
import { clauseMetrics, metricsTable, perCategoryThresholdMapped, type ClauseMetrics } from "./clause-metrics";
import { calibrationTable, CLAUSE_CATEGORY_INDICES, DEFAULT_EXPERIMENT } from "./clause-model-experiment";
import { contractFold } from "./cuad-data";
import { plattCalibration } from "./platt-calibration";
import { crossValidateStack, DEFAULT_STACK } from "./second-stage";
import { blendedOutOfFold } from "./stage1-oof";

const arg = (name: string) => process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
const num = (name: string, fallback: number) => (arg(name) === undefined ? fallback : Number(arg(name)));
const log = (l: string) => process.stdout.write(`${l}\n`);
const { oof: o } = blendedOutOfFold(DEFAULT_EXPERIMENT, log);
const C = o.categories.length;
const all = Int32Array.from({ length: o.size }, (_, i) => i);
const line = (name: string, m: ClauseMetrics) =>
  log(`${name}: macro F1 ${(100 * m.macroF1).toFixed(1)}, micro P ${(100 * (m.micro.precision ?? 0)).toFixed(1)} R ${(100 * (m.micro.recall ?? 0)).toFixed(1)} F1 ${(100 * (m.micro.f1 ?? 0)).toFixed(1)}, P@80%R ${(100 * (m.micro.precisionAt80Recall ?? 0)).toFixed(1)}`);
const sweep = (name: string, p: Float32Array) => {
  for (const t of [0.2, 0.3, 0.4]) line(`${name} p >= ${t}`, clauseMetrics(o, p, all, CLAUSE_CATEGORY_INDICES, t));
};

const first = plattCalibration(o.logits, o.labels, C);
sweep("first stage", first.probabilities);
const opts = { ...DEFAULT_STACK, epochs: num("epochs", DEFAULT_STACK.epochs), learningRate: num("lr", DEFAULT_STACK.learningRate), l2: num("l2", DEFAULT_STACK.l2) };
const stack = crossValidateStack(o, CLAUSE_CATEGORY_INDICES, opts, first.calibration, log);
sweep("two stages", stack.probabilities);
if (process.argv.includes("--calibration")) log(calibrationTable(o, stack.probabilities));
if (process.argv.includes("--table")) log(metricsTable(clauseMetrics(o, stack.probabilities, all, CLAUSE_CATEGORY_INDICES, num("threshold", 0.3)), "two stages"));

// Per-category thresholds, chosen on the other folds and applied to each held-out fold (scores are
// mapped so that the category's threshold lands on 0.5 for the metric).
if (process.argv.includes("--per-category")) {
  const foldOf = o.contracts.map((c) => contractFold(c.file, o.folds));
  for (const [name, p] of [["first stage", first.probabilities], ["two stages", stack.probabilities]] as const) {
    line(`${name}, per-category thresholds`, clauseMetrics(o, perCategoryThresholdMapped(o, p, CLAUSE_CATEGORY_INDICES, foldOf, o.folds), all, CLAUSE_CATEGORY_INDICES, 0.5));
  }
}
