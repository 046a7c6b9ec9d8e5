// The clause reader's features in the second stage (clause-reader.ts, context-features.ts) against the
// shipped second stage, with each network seed alone and with the shipped pair. Judged on the tune part
// (folds 1–4: their out-of-fold scores, the mix weight of each fold chosen on the other tune folds); fold 0
// is reported, never chosen on. The first stage's caches are filled by `train/linear-oof.ts` and
// `train/network-oof-member.ts --member=0|1` (side by side), or here when missing:
//   nice -n 19 npx tsx train/clause-reader-experiment.ts [--seeds=16,17] [--bits=15] [--per-category] [--pair-only]
import { clauseMetrics, type ClauseMetrics } from "./clause-metrics";
import { CLAUSE_CATEGORY_INDICES, DEFAULT_EXPERIMENT, type ExperimentOptions } from "./clause-model-experiment";
import { clauseReaderOutOfFold, DEFAULT_CLAUSE_READER } from "./clause-reader-oof";
import { contractFold, loadCuad } from "./cuad-data";
import type { OutOfFold } from "./out-of-fold";
import { plattCalibration } from "./platt-calibration";
import { chooseMix, crossValidateStack, DEFAULT_STACK, mixStages } from "./second-stage";
import { blendedOutOfFold } from "./stage1-oof";

const arg = (name: string) => process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
const log = (l: string) => process.stdout.write(`${l}\n`);
const seeds = (arg("seeds") ?? "16,17").split(",").map(Number);
const bits = Number(arg("bits") ?? DEFAULT_CLAUSE_READER.bits);
const fmt = (m: ClauseMetrics) => `${(100 * m.macroF1).toFixed(1)} / ${(100 * (m.micro.f1 ?? 0)).toFixed(1)} / ${(100 * (m.micro.precisionAt80Recall ?? 0)).toFixed(1)}`;
const pct = (v: number | undefined) => ((v ?? 0) * 100).toFixed(1).padStart(5);
const contracts = loadCuad();

const runOptions = (seed: number, members: number): ExperimentOptions => ({ ...DEFAULT_EXPERIMENT, networkMembers: members, network: { ...DEFAULT_EXPERIMENT.network, seed } });

interface Run {
  readonly name: string;
  readonly tune: ClauseMetrics;
  readonly held: ClauseMetrics;
  readonly all: ClauseMetrics;
}

function run(name: string, o: OutOfFold): Run {
  const t0 = performance.now();
  const C = o.categories.length;
  const foldOf = o.contracts.map((c) => contractFold(c.file, o.folds));
  const rowsWhere = (keep: (fold: number) => boolean) => Int32Array.from({ length: o.size }, (_, i) => i).filter((i) => keep(foldOf[o.contractOf[i]!]!));
  const tune = rowsWhere((f) => f !== 0);
  const held = rowsWhere((f) => f === 0);
  const all = rowsWhere(() => true);
  const first = plattCalibration(o.logits, o.labels, C);
  const stack = crossValidateStack(o, CLAUSE_CATEGORY_INDICES, DEFAULT_STACK, first.calibration);
  const weight = (rows: Int32Array) => chooseMix(o, stack.logits, first.calibration, rows, CLAUSE_CATEGORY_INDICES, 0.3);
  const tuneWeights = [0, ...[1, 2, 3, 4].map((f) => weight(rowsWhere((g) => g !== 0 && g !== f)))];
  const allWeights = [0, 1, 2, 3, 4].map((f) => (f === 0 ? weight(tune) : weight(rowsWhere((g) => g !== f))));
  const pTune = mixStages(o, stack.logits, first.calibration, (i) => tuneWeights[foldOf[o.contractOf[i]!]!]!);
  const pAll = mixStages(o, stack.logits, first.calibration, (i) => allWeights[foldOf[o.contractOf[i]!]!]!);
  const m = (p: Float32Array, rows: Int32Array) => clauseMetrics(o, p, rows, CLAUSE_CATEGORY_INDICES, 0.3);
  const result = { name, tune: m(pTune, tune), held: m(pAll, held), all: m(pAll, all) };
  log(`${name.padEnd(34)} tune ${fmt(result.tune)}   fold 0 ${fmt(result.held)}   all ${fmt(result.all)}   second alone tune ${fmt(m(stack.probabilities, tune))}   weights ${tuneWeights.slice(1).join(",")} | ${allWeights.join(",")}  ${((performance.now() - t0) / 1000).toFixed(0)} s`);
  return result;
}

log("macro F1 / micro F1 / P@80%R at p >= 0.3, two stages mixed; tune = folds 1-4 (mix of each chosen on the other tune folds), fold 0 = mix chosen on folds 1-4, all = nested over 5 folds");
const runs: { seed: number; members: number; label: string }[] = process.argv.includes("--pair-only") ? [] : seeds.map((seed) => ({ seed, members: 1, label: `seed ${seed}` }));
if (seeds.length === 2 && seeds[1] === seeds[0]! + 1) runs.push({ seed: seeds[0]!, members: 2, label: `seeds ${seeds.join("+")}` });
const pairs: [Run, Run][] = [];
for (const r of runs) {
  const { oof } = blendedOutOfFold(runOptions(r.seed, r.members), log, contracts);
  const clauseLogits = clauseReaderOutOfFold(oof, contracts, { ...DEFAULT_CLAUSE_READER, bits }, log);
  pairs.push([run(`shipped second stage, ${r.label}`, oof), run(`+ clause reader (2^${bits}), ${r.label}`, { ...oof, clauseLogits })]);
}
if (process.argv.includes("--per-category")) {
  for (const part of ["tune", "all"] as const) {
    log(`\nper category, ${part === "tune" ? "tune part (folds 1-4)" : "all five folds"}: F1 and P@80%R, shipped → with the clause reader, for each run above`);
    log(`${"category".padEnd(36)} ${"gold".padStart(4)} ${pairs.map(([a]) => a.name.replace("shipped second stage, ", "").padStart(26)).join(" ")}`);
    pairs[0]![0][part].perCategory.forEach((x, k) => {
      const cells = pairs.map(([a, b]) => `${pct(a[part].perCategory[k]!.f1)}→${pct(b[part].perCategory[k]!.f1)} ${pct(a[part].perCategory[k]!.precisionAt80Recall)}→${pct(b[part].perCategory[k]!.precisionAt80Recall)}`.padStart(26)).join(" ");
      log(`${x.category.padEnd(36)} ${String(x.gold).padStart(4)} ${cells}`);
    });
  }
}
