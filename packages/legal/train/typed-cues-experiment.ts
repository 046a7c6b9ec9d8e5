// Typed cues (ExperimentOptions.typed, typed-cues.ts) against the shipped features, with each network seed
// alone and with the shipped pair. Judged on the tune part (folds 1–4: their out-of-fold scores, the mix
// weight of each fold chosen on the other tune folds); fold 0 is reported, never chosen on. The caches are
// filled by `train/linear-oof.ts [--typed=1]` and `train/network-oof-member.ts --member=0|1 [--typed=1]`
// (run them side by side), or here when missing:
//   nice -n 10 npx tsx train/typed-cues-experiment.ts [--seeds=16,17] [--typed-only] [--per-category]
// --typed-only: the typed runs alone (the shipped features' runs are deterministic: the README has them).
// --linear-only: the linear reader alone and two stages over it (mix 0.5), as the README's pilot rows are
//   measured (shared-stack-experiment.ts --linear-only --fixed-mix=0.5): needs only train/linear-oof.ts's cache.
import { clauseMetrics, metricsTable, type ClauseMetrics } from "./clause-metrics";
import { CLAUSE_CATEGORY_INDICES, DEFAULT_EXPERIMENT, type ExperimentOptions } from "./clause-model-experiment";
import { contractFold } from "./cuad-data";
import { plattCalibration } from "./platt-calibration";
import { chooseMix, crossValidateStack, DEFAULT_STACK, mixStages } from "./second-stage";
import { blendedOutOfFold, stage1OutOfFold } from "./stage1-oof";

const arg = (name: string) => process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
const log = (l: string) => process.stdout.write(`${l}\n`);
const seeds = (arg("seeds") ?? "16,17").split(",").map(Number);
const fmt = (m: ClauseMetrics) => `${(100 * m.macroF1).toFixed(1)} / ${(100 * (m.micro.f1 ?? 0)).toFixed(1)} / ${(100 * (m.micro.precisionAt80Recall ?? 0)).toFixed(1)}`;
const pct = (v: number | undefined) => ((v ?? 0) * 100).toFixed(1).padStart(5);

/** A run: the network readers from `seed` (`members` of them: seed, seed + 1), with or without typed cues. */
const runOptions = (typed: boolean, seed: number, members: number): ExperimentOptions => ({ ...DEFAULT_EXPERIMENT, ...(typed ? { typed } : {}), networkMembers: members, network: { ...DEFAULT_EXPERIMENT.network, seed } });

interface Run {
  readonly name: string;
  readonly tune: ClauseMetrics;
  readonly all: ClauseMetrics;
}

function run(name: string, opts: ExperimentOptions): Run {
  const t0 = performance.now();
  const { oof: o, network, linear } = blendedOutOfFold(opts, () => undefined);
  const C = o.categories.length;
  const foldOf = o.contracts.map((c) => contractFold(c.file, o.folds));
  const rowsWhere = (keep: (fold: number) => boolean) => Int32Array.from({ length: o.size }, (_, i) => i).filter((i) => keep(foldOf[o.contractOf[i]!]!));
  const tune = rowsWhere((f) => f !== 0);
  const held = rowsWhere((f) => f === 0);
  const all = rowsWhere(() => true);
  const first = plattCalibration(o.logits, o.labels, C);
  const stack = crossValidateStack(o, CLAUSE_CATEGORY_INDICES, DEFAULT_STACK, first.calibration);
  const weight = (rows: Int32Array) => chooseMix(o, stack.logits, first.calibration, rows, CLAUSE_CATEGORY_INDICES, 0.3);
  // Tune part: fold f's weight chosen on the other tune folds; fold 0: on the tune part; all: on the other four folds.
  const tuneWeights = [0, ...[1, 2, 3, 4].map((f) => weight(rowsWhere((g) => g !== 0 && g !== f)))];
  const allWeights = [0, 1, 2, 3, 4].map((f) => (f === 0 ? weight(tune) : weight(rowsWhere((g) => g !== f))));
  const pTune = mixStages(o, stack.logits, first.calibration, (i) => tuneWeights[foldOf[o.contractOf[i]!]!]!);
  const pAll = mixStages(o, stack.logits, first.calibration, (i) => allWeights[foldOf[o.contractOf[i]!]!]!);
  const m = (p: Float32Array, rows: Int32Array) => clauseMetrics(o, p, rows, CLAUSE_CATEGORY_INDICES, 0.3);
  const net = plattCalibration(network, o.labels, C).probabilities;
  const lin = plattCalibration(linear, o.labels, C).probabilities;
  const result = { name, tune: m(pTune, tune), all: m(pAll, all) };
  log(`${name.padEnd(26)} tune ${fmt(result.tune)}   fold 0 ${fmt(m(pAll, held))}   all ${fmt(result.all)}   first stage tune ${fmt(m(first.probabilities, tune))}   network tune ${fmt(m(net, tune))}   linear tune ${fmt(m(lin, tune))}   weights ${tuneWeights.slice(1).join(",")} | ${allWeights.join(",")}  ${((performance.now() - t0) / 1000).toFixed(0)} s`);
  return result;
}

if (process.argv.includes("--linear-only")) {
  for (const typed of process.argv.includes("--typed-only") ? [true] : [false, true]) {
    const o = stage1OutOfFold({ ...DEFAULT_EXPERIMENT, ...(typed ? { typed } : {}) }, () => undefined);
    const C = o.categories.length;
    const foldOf = o.contracts.map((c) => contractFold(c.file, o.folds));
    const rowsWhere = (keep: (fold: number) => boolean) => Int32Array.from({ length: o.size }, (_, i) => i).filter((i) => keep(foldOf[o.contractOf[i]!]!));
    const m = (p: Float32Array, rows: Int32Array) => clauseMetrics(o, p, rows, CLAUSE_CATEGORY_INDICES, 0.3);
    const first = plattCalibration(o.logits, o.labels, C);
    const [all, tune, held] = [rowsWhere(() => true), rowsWhere((f) => f !== 0), rowsWhere((f) => f === 0)];
    const name = typed ? "typed cues" : "shipped features";
    log(`${name}: linear reader alone (Platt on all folds' scores)  all ${fmt(m(first.probabilities, all))}   tune ${fmt(m(first.probabilities, tune))}   fold 0 ${fmt(m(first.probabilities, held))}`);
    if (process.argv.includes("--per-category")) log(metricsTable(m(first.probabilities, all), `${name}: linear reader alone, all five folds`));
    const stack = crossValidateStack(o, CLAUSE_CATEGORY_INDICES, { epochs: DEFAULT_STACK.epochs, learningRate: DEFAULT_STACK.learningRate, l2: DEFAULT_STACK.l2, seed: DEFAULT_STACK.seed }, first.calibration);
    const mixed = mixStages(o, stack.logits, first.calibration, () => 0.5);
    log(`${name}: two stages over it (mix 0.5)                      all ${fmt(m(mixed, all))}   tune ${fmt(m(mixed, tune))}   fold 0 ${fmt(m(mixed, held))}`);
  }
  process.exit(0);
}

log("macro F1 / micro F1 / P@80%R at p >= 0.3, two stages mixed; tune = folds 1-4 (mix of each chosen on the other tune folds), fold 0 = mix chosen on folds 1-4, all = nested over 5 folds");
const typedOnly = process.argv.includes("--typed-only");
const runs: { seed: number; members: number; label: string }[] = seeds.map((seed) => ({ seed, members: 1, label: `seed ${seed}` }));
if (seeds.length === 2 && seeds[1] === seeds[0]! + 1) runs.push({ seed: seeds[0]!, members: 2, label: `seeds ${seeds.join("+")}` });
const pairs: [Run, Run][] = [];
let lastTyped: Run | undefined;
for (const r of runs) {
  const typed = (lastTyped = run(`typed cues, ${r.label}`, runOptions(true, r.seed, r.members)));
  if (!typedOnly) pairs.push([run(`shipped features, ${r.label}`, runOptions(false, r.seed, r.members)), typed]);
}
if (process.argv.includes("--per-category") && pairs.length > 0) {
  for (const part of ["tune", "all"] as const) {
    log(`\nper category, ${part === "tune" ? "tune part (folds 1-4)" : "all five folds"}: F1 and P@80%R, shipped features → typed cues, for each run above`);
    const head = pairs.map(([a]) => a.name.replace("shipped features, ", "").padStart(24)).join(" ");
    log(`${"category".padEnd(36)} ${"gold".padStart(4)} ${head}`);
    pairs[0]![0][part].perCategory.forEach((x, k) => {
      const cells = pairs.map(([a, b]) => `${pct(a[part].perCategory[k]!.f1)}→${pct(b[part].perCategory[k]!.f1)} ${pct(a[part].perCategory[k]!.precisionAt80Recall)}→${pct(b[part].perCategory[k]!.precisionAt80Recall)}`.padStart(24)).join(" ");
      log(`${x.category.padEnd(36)} ${String(x.gold).padStart(4)} ${cells}`);
    });
  }
}
if (process.argv.includes("--per-category") && lastTyped) {
  log(metricsTable(lastTyped.tune, `${lastTyped.name}: tune part (folds 1-4)`));
  log(metricsTable(lastTyped.all, `${lastTyped.name}: all five folds (mix weight nested)`));
}
