// Rare categories' positives weighted up in the network readers' training (BagNetworkOptions.positiveWeightCap)
// against the shipped training, over several seeds, and a per-category Platt map of the final score.
// Settings are judged on the tune part (folds 1–4: their out-of-fold scores, the mix weight of each fold chosen
// on the other tune folds); fold 0 is reported, never chosen on. The network caches are filled by
// `train/network-oof-member.ts --member=k [--positive-weight-cap=4]` (seed 16 + k), or here when missing:
//   nice -n 10 npx tsx train/positive-weight-experiment.ts [--seeds=16,17,18] [--caps=0,4] [--members=1] [--repeat] [--recalibrate] [--per-category]
// --members=2: each run averages two networks (seeds s and s + 1), as the shipped file does.
// --recalibrate: also a per-category Platt map of the two stages' mixed logit, each fold's fitted on the other folds.
import { clauseMetrics, type ClauseMetrics } from "./clause-metrics";
import { CLAUSE_CATEGORY_INDICES, DEFAULT_EXPERIMENT, type ExperimentOptions } from "./clause-model-experiment";
import { contractFold } from "./cuad-data";
import { fitPlatt } from "./logistic-trainer";
import type { OutOfFold } from "./out-of-fold";
import { plattCalibration } from "./platt-calibration";
import { chooseMix, crossValidateStack, DEFAULT_STACK, mixStages } from "./second-stage";
import { blendedOutOfFold } from "./stage1-oof";

const arg = (name: string) => process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
const list = (name: string, fallback: string) => (arg(name) ?? fallback).split(",").map(Number);
const log = (l: string) => process.stdout.write(`${l}\n`);
const seeds = list("seeds", "16,17,18");
const caps = list("caps", "0,4");
// --repeat: the caps are positiveRepeatCap (rare positives visited more often) instead of positiveWeightCap.
const capOption = process.argv.includes("--repeat") ? "positiveRepeatCap" : "positiveWeightCap";
const members = Number(arg("members") ?? "1");
const fmt = (m: ClauseMetrics) => `${(100 * m.macroF1).toFixed(1)} / ${(100 * (m.micro.f1 ?? 0)).toFixed(1)} / ${(100 * (m.micro.precisionAt80Recall ?? 0)).toFixed(1)}`;

/** The options of one run: `members` networks from seed `seed`, positives weighted up to `cap` (0: as shipped). */
const runOptions = (seed: number, cap: number): ExperimentOptions => ({ ...DEFAULT_EXPERIMENT, networkMembers: members, network: { ...DEFAULT_EXPERIMENT.network, seed, ...(cap ? { [capOption]: cap } : {}) } });

/** Per category, a Platt map of the mixed logit fitted on `fitRows`, applied to `applyRows` of `out`. */
function recalibrate(o: OutOfFold, p: Float32Array, fitRows: Int32Array, applyRows: Int32Array, out: Float32Array): void {
  const C = o.categories.length;
  for (const c of CLAUSE_CATEGORY_INDICES) {
    const logit = (i: number) => Math.log(Math.max(1e-7, p[i * C + c]!) / Math.max(1e-7, 1 - p[i * C + c]!));
    const z = Float32Array.from(fitRows, logit);
    const y = Uint8Array.from(fitRows, (i) => o.labels[i * C + c]!);
    const { a, b } = fitPlatt(z, y);
    for (const i of applyRows) out[i * C + c] = 1 / (1 + Math.exp(-(a * logit(i) + b)));
  }
}

log(`macro F1 / micro F1 / P@80%R at p >= 0.3; tune = folds 1-4 (mix of each chosen on the other tune folds), fold 0 = mix chosen on folds 1-4; ${members} network reader(s) per run`);
for (const seed of seeds)
  for (const cap of caps) {
    const t0 = performance.now();
    const { oof: o, network } = blendedOutOfFold(runOptions(seed, cap), () => undefined);
    const C = o.categories.length;
    const foldOf = o.contracts.map((c) => contractFold(c.file, o.folds));
    const rowsWhere = (keep: (fold: number) => boolean) => Int32Array.from({ length: o.size }, (_, i) => i).filter((i) => keep(foldOf[o.contractOf[i]!]!));
    const tune = rowsWhere((f) => f !== 0);
    const held = rowsWhere((f) => f === 0);
    const first = plattCalibration(o.logits, o.labels, C);
    const stack = crossValidateStack(o, CLAUSE_CATEGORY_INDICES, DEFAULT_STACK, first.calibration);
    const weight = (rows: Int32Array) => chooseMix(o, stack.logits, first.calibration, rows, CLAUSE_CATEGORY_INDICES, 0.3);
    const weights = [weight(tune), ...[1, 2, 3, 4].map((f) => weight(rowsWhere((g) => g !== 0 && g !== f)))];
    const p = mixStages(o, stack.logits, first.calibration, (i) => weights[foldOf[o.contractOf[i]!]!]!);
    const m = (s: Float32Array, rows: Int32Array) => clauseMetrics(o, s, rows, CLAUSE_CATEGORY_INDICES, 0.3);
    const net = plattCalibration(network, o.labels, C).probabilities;
    log(`seed ${seed} cap ${cap}: tune ${fmt(m(p, tune))}   fold 0 ${fmt(m(p, held))}   first stage tune ${fmt(m(first.probabilities, tune))}   network tune ${fmt(m(net, tune))}   weights ${weights.join(",")}  ${((performance.now() - t0) / 1000).toFixed(0)} s`);
    if (process.argv.includes("--recalibrate")) {
      const mapped = new Float32Array(p);
      for (const f of [1, 2, 3, 4]) recalibrate(o, p, rowsWhere((g) => g !== 0 && g !== f), rowsWhere((g) => g === f), mapped);
      recalibrate(o, p, tune, held, mapped);
      log(`seed ${seed} cap ${cap}, recalibrated per category: tune ${fmt(m(mapped, tune))}   fold 0 ${fmt(m(mapped, held))}`);
    }
    if (process.argv.includes("--per-category")) {
      const t = m(p, tune);
      log(t.perCategory.map((x) => `  ${x.category.padEnd(35)} ${String(x.gold).padStart(4)}  F1 ${((x.f1 ?? 0) * 100).toFixed(1).padStart(5)}  R ${((x.recall ?? 0) * 100).toFixed(1).padStart(5)}  P@80%R ${((x.precisionAt80Recall ?? 0) * 100).toFixed(1).padStart(5)}`).join("\n"));
    }
  }
