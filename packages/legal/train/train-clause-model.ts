// Trains the clause model shipped in @bear/legal:   npm run train -w @bear/legal
//   [--seed=16] [--folds=5] [--epochs=4] [--lr=0.5] [--hash-bits=18] [--out=model/clause-model.bin]
// 1. contract-level cross-validation of the first stage on ../shared/data/cuad_train (out-of-fold
//    scores, cached in tmp/ so a second run or a second-stage experiment skips it);
// 2. Platt calibration per category on the pooled out-of-fold scores;
// 3. the second stage's cross-validation on those scores (printed tables), then the second stage
//    fitted on all of them;
// 4. the first stage on every contract, with those calibrations and the second stage, quantised and written.
// Deterministic: the same seed and data give the same bytes. Run it with `nice`: it takes minutes.
import fs from "node:fs";
import path from "node:path";
import { ClauseModel } from "../src/classification/clause-model/clause-model";
import { CLAUSE_CATEGORY_INDICES, DEFAULT_EXPERIMENT, runExperiment } from "./clause-model-experiment";
import { loadCuad } from "./cuad-data";
import { trainLogistic } from "./logistic-trainer";
import { DEFAULT_STACK, fitStack } from "./second-stage";
import { buildDataset, type SentenceDataset } from "./sentence-dataset";

const arg = (name: string) => process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
const num = (name: string, fallback: number) => {
  const v = arg(name);
  if (v === undefined) return fallback;
  const n = Number(v);
  if (!Number.isFinite(n)) throw new Error(`--${name} must be a number, not '${v}'`);
  return n;
};
const opts = {
  ...DEFAULT_EXPERIMENT,
  seed: num("seed", DEFAULT_EXPERIMENT.seed),
  folds: num("folds", DEFAULT_EXPERIMENT.folds),
  epochs: num("epochs", DEFAULT_EXPERIMENT.epochs),
  learningRate: num("lr", DEFAULT_EXPERIMENT.learningRate),
  hashBits: num("hash-bits", DEFAULT_EXPERIMENT.hashBits),
};
const out = path.resolve(import.meta.dirname, "..", arg("out") ?? "model/clause-model.bin");

const t0 = performance.now();
const log = (line: string) => process.stdout.write(`${line}\n`);
let built: SentenceDataset | undefined;
const dataset = () => (built ??= buildDataset(loadCuad(), opts.hashBits));
const { oof, calibration, report } = runExperiment(opts, log, dataset);
log(report);
// Document-level categories (key terms, never labelled as clauses) keep the first stage alone.
const stack = fitStack(oof, CLAUSE_CATEGORY_INDICES, DEFAULT_STACK);
const data = dataset();
const all = Int32Array.from({ length: data.size }, (_, i) => i);
const w = trainLogistic(data, all, opts);
const model = ClauseModel.fromWeights({
  hashBits: opts.hashBits,
  categories: data.categories,
  bias: w.bias,
  hashed: w.hashed,
  rules: w.rules,
  calibrationA: calibration.a,
  calibrationB: calibration.b,
  stack,
  meta: { data: "cuad_train", contracts: data.contracts.length, sentences: data.size, seed: opts.seed, epochs: opts.epochs, learningRate: opts.learningRate, l2: opts.l2, folds: opts.folds, stack: { ...DEFAULT_STACK } },
});
fs.mkdirSync(path.dirname(out), { recursive: true });
const bytes = model.toBytes();
fs.writeFileSync(out, bytes);
log(`wrote ${path.relative(process.cwd(), out)} (${(bytes.length / 1e6).toFixed(1)} MB) in ${((performance.now() - t0) / 1000).toFixed(0)} s`);
