// The second stage shrunk toward a model shared by all categories (shared-stack.ts) against each category
// alone, on the cached first-stage out-of-fold scores. Settings are chosen on the tune part (folds 1–4:
// their scores, the mix weight of each chosen on the other tune folds); fold 0 is reported, never chosen on:
//   nice -n 10 npx tsx train/shared-stack-experiment.ts [--variants=alone,s005,s05_l2_02] [--table] [--per-category] [--linear-only | --one-network] [--fixed-mix=0.5]
// --per-category: F1 and P@80%R per category of each variant against the first one, on the tune part and on all folds.
import { clauseMetrics, metricsTable, type ClauseMetrics } from "./clause-metrics";
import { CLAUSE_CATEGORY_INDICES, DEFAULT_EXPERIMENT } from "./clause-model-experiment";
import { contractFold } from "./cuad-data";
import { plattCalibration } from "./platt-calibration";
import { chooseMix, crossValidateStack, DEFAULT_STACK, mixStages, type StackOptions } from "./second-stage";
import { blendedOutOfFold, stage1OutOfFold } from "./stage1-oof";

const arg = (name: string) => process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
const log = (l: string) => process.stdout.write(`${l}\n`);
// --linear-only: over the linear reader's out-of-fold scores alone (a pilot while the network readers' folds run).
// --one-network: the linear reader blended with the second network reader alone (seed 17; its cache is filled first).
const oneNetwork = { ...DEFAULT_EXPERIMENT, networkMembers: 1, network: { ...DEFAULT_EXPERIMENT.network, seed: DEFAULT_EXPERIMENT.network.seed + 1 } };
const o = process.argv.includes("--linear-only") ? stage1OutOfFold(DEFAULT_EXPERIMENT, log) : blendedOutOfFold(process.argv.includes("--one-network") ? oneNetwork : DEFAULT_EXPERIMENT, log).oof;
const C = o.categories.length;
const foldOf = o.contracts.map((c) => contractFold(c.file, o.folds));
const rowsWhere = (keep: (fold: number) => boolean) => Int32Array.from({ length: o.size }, (_, i) => i).filter((i) => keep(foldOf[o.contractOf[i]!]!));
const all = rowsWhere(() => true);
const tune = rowsWhere((f) => f !== 0);
const held = rowsWhere((f) => f === 0);
const first = plattCalibration(o.logits, o.labels, C);
// Each category alone (the v6 second stage), whatever DEFAULT_STACK now says.
const base: StackOptions = { epochs: DEFAULT_STACK.epochs, learningRate: DEFAULT_STACK.learningRate, l2: DEFAULT_STACK.l2, seed: DEFAULT_STACK.seed };
const VARIANTS: Record<string, StackOptions> = {
  alone: base,
  s0005: { ...base, sharedL2: 0.0005 },
  s005: { ...base, sharedL2: 0.005 },
  s05: { ...base, sharedL2: 0.05 },
  s005_l2_02: { ...base, sharedL2: 0.005, l2: 0.2 },
  s005_l2_001: { ...base, sharedL2: 0.005, l2: 0.01 },
};
const perCategory: { name: string; tune: ClauseMetrics; all: ClauseMetrics }[] = [];
const names = (arg("variants") ?? Object.keys(VARIANTS).join(",")).split(",");
const fmt = (m: ClauseMetrics) => `${(100 * m.macroF1).toFixed(1)} / ${(100 * (m.micro.f1 ?? 0)).toFixed(1)} / ${(100 * (m.micro.precisionAt80Recall ?? 0)).toFixed(1)}`;
log(`macro F1 / micro F1 / P@80%R at p >= 0.3; tune = folds 1-4 (mix of each chosen on the other tune folds), fold 0 = mix chosen on folds 1-4, all = nested over 5 folds`);
for (const name of names) {
  const opts = VARIANTS[name];
  if (!opts) throw new Error(`unknown variant ${name}: one of ${Object.keys(VARIANTS).join(", ")}`);
  const t0 = performance.now();
  const stack = crossValidateStack(o, CLAUSE_CATEGORY_INDICES, opts, first.calibration);
  // --fixed-mix=0.5: every fold mixes with that weight (a quick screen); else the weights are chosen as above.
  const fixed = arg("fixed-mix") === undefined ? undefined : Number(arg("fixed-mix"));
  const weight = (rows: Int32Array) => fixed ?? chooseMix(o, stack.logits, first.calibration, rows, CLAUSE_CATEGORY_INDICES, 0.3);
  // Tune part: fold f's weight chosen on the other tune folds; fold 0: on the tune part; all: on the other four folds.
  const tuneWeights = [0, ...[1, 2, 3, 4].map((f) => weight(rowsWhere((g) => g !== 0 && g !== f)))];
  const heldWeight = weight(tune);
  const allWeights = [0, 1, 2, 3, 4].map((f) => (f === 0 ? heldWeight : weight(rowsWhere((g) => g !== f))));
  const pTune = mixStages(o, stack.logits, first.calibration, (i) => tuneWeights[foldOf[o.contractOf[i]!]!]!);
  const pAll = mixStages(o, stack.logits, first.calibration, (i) => allWeights[foldOf[o.contractOf[i]!]!]!);
  const m = (p: Float32Array, rows: Int32Array) => clauseMetrics(o, p, rows, CLAUSE_CATEGORY_INDICES, 0.3);
  log(`${name.padEnd(12)} tune ${fmt(m(pTune, tune))}   fold 0 ${fmt(m(pAll, held))}   all ${fmt(m(pAll, all))}   alone(tune) ${fmt(m(stack.probabilities, tune))}   weights tune ${tuneWeights.slice(1).join(",")} fold0 ${heldWeight} all ${allWeights.join(",")}  ${((performance.now() - t0) / 1000).toFixed(0)} s`);
  if (process.argv.includes("--table")) {
    log(metricsTable(m(pTune, tune), `${name}: tune part (folds 1-4)`));
    log(metricsTable(m(pAll, held), `${name}: fold 0`));
    log(metricsTable(m(pAll, all), `${name}: all folds`));
  }
  perCategory.push({ name, tune: m(pTune, tune), all: m(pAll, all) });
}
if (process.argv.includes("--per-category") && perCategory.length > 1) {
  const [a, ...rest] = perCategory;
  const cell = (v: number | undefined) => (v === undefined ? "  n/a" : (100 * v).toFixed(1).padStart(5));
  for (const b of rest) {
    log(`\nper category, ${a!.name} -> ${b.name} (F1 at p >= 0.3, P@80%R): tune part | all folds`);
    a!.tune.perCategory.forEach((x, k) => {
      const y = b.tune.perCategory[k]!, xa = a!.all.perCategory[k]!, ya = b.all.perCategory[k]!;
      log(`| ${x.category.padEnd(35)} | ${String(x.gold).padStart(4)} | ${cell(x.f1)} -> ${cell(y.f1)} | ${cell(x.precisionAt80Recall)} -> ${cell(y.precisionAt80Recall)} || ${cell(xa.f1)} -> ${cell(ya.f1)} | ${cell(xa.precisionAt80Recall)} -> ${cell(ya.precisionAt80Recall)} |`);
    });
  }
}
