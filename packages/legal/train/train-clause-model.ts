// Trains the clause model shipped in @bear/legal:   npm run train -w @bear/legal
//   [--seed=16] [--folds=5] [--epochs=4] [--lr=0.5] [--hash-bits=18] [--linear-bits=18] [--sections=0] [--typed=0] [--clause-reader=0|1] [--readers-only] [--out=model/clause-model.bin]
// 1. the first stage's two readers (the linear model and the network over the same hashed features)
//    on every contract but the CI hold-out (isClauseCiHoldout), each cached in tmp/ under a key over
//    its inputs (shipped-first-stage.ts), so a run where only the second stage changed skips them;
// 2. contract-level cross-validation of both readers on ../shared/data/cuad_train (out-of-fold
//    scores, cached in tmp/ so a second run or a second-stage experiment skips it), their blend per
//    category and the Platt calibration of the blend, fitted on the pooled out-of-fold scores;
// 3. the second stage's cross-validation on those scores (printed tables), the weight with which its
//    logit mixes with the first stage's (chosen on the out-of-fold scores), then the second stage
//    fitted on them (CI hold-out left out);
// 4. all of it quantised and written.
// Deterministic: the same seed and data give the same bytes. Run it with `nice`: it takes minutes.
import fs from "node:fs";
import path from "node:path";
import { ClauseModel } from "../src/classification/clause-model/clause-model";
import { CUAD_CATEGORIES } from "../src/index";
import { CLAUSE_CATEGORY_INDICES, DEFAULT_EXPERIMENT, runExperiment } from "./clause-model-experiment";
import { isClauseCiHoldout } from "./clause-ci-holdout";
import { loadCuad } from "./cuad-data";
import { mergeBagNetworks } from "./network-ensemble";
import { shippedReaders } from "./shipped-first-stage";
import { contextOptions } from "./stage1-oof";
import { DEFAULT_STACK, fitStack } from "./second-stage";
import { buildDataset, type SentenceDataset } from "./sentence-dataset";
import { DEFAULT_CLAUSE_READER, fitClauseReader } from "./clause-reader-oof";

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
  linearBits: num("linear-bits", DEFAULT_EXPERIMENT.linearBits),
  sections: num("sections", DEFAULT_EXPERIMENT.sections ? 1 : 0) === 1,
  typed: num("typed", DEFAULT_EXPERIMENT.typed ? 1 : 0) === 1,
};
// --clause-reader=0|1: the second stage also reads the clause reader's scores (default: as DEFAULT_EXPERIMENT).
const clauseReader = num("clause-reader", DEFAULT_EXPERIMENT.clauseReader ? 1 : 0) === 1 ? (DEFAULT_EXPERIMENT.clauseReader ?? DEFAULT_CLAUSE_READER) : undefined;
const runOpts = { ...opts, clauseReader };
const out = path.resolve(import.meta.dirname, "..", arg("out") ?? "model/clause-model.bin");

const t0 = performance.now();
const log = (line: string) => process.stdout.write(`${line}\n`);
const contracts = loadCuad();
let built: SentenceDataset | undefined;
const dataset = () => (built ??= buildDataset(contracts, opts.hashBits, contextOptions(opts)));
// The shipped first stage: both readers on every contract but the CI hold-out (1 in 40 contracts),
// which is left out of everything the file learns but the calibration maps (5 numbers per category
// fitted on pooled out-of-fold scores). Fitted before the cross-validation: it does not depend on it.
// Each reader comes from tmp/ when nothing it depends on changed (the dataset is then never built).
const held = new Set(contracts.map((c, k) => (isClauseCiHoldout(c.file) ? k : -1)).filter((k) => k >= 0));
const readers = shippedReaders(opts, contracts, dataset, log);
const w = readers.linear;
// The network readers (one per seed) merge into one wider network: its logit is their mean.
const network = mergeBagNetworks(readers.networks);
log(`first stage ready: ${contracts.length - held.size} contracts (${readers.sentences} sentences) in ${((performance.now() - t0) / 1000).toFixed(0)} s`);
// --readers-only: stop once the shipped readers are cached (a process beside the readers' cross-validation).
if (process.argv.includes("--readers-only")) process.exit(0);
const { oof, blend, calibration, mix, report } = runExperiment(runOpts, log, dataset);
log(report);
// Document-level categories (key terms, never labelled as clauses) keep the first stage alone.
const stack = fitStack(oof, CLAUSE_CATEGORY_INDICES, DEFAULT_STACK, (k) => !held.has(k), mix);
const model = ClauseModel.fromWeights({
  hashBits: opts.hashBits,
  linearBits: opts.linearBits,
  sections: opts.sections,
  typed: opts.typed,
  categories: CUAD_CATEGORIES,
  bias: w.bias,
  hashed: w.hashed,
  rules: w.rules,
  calibrationA: calibration.a,
  calibrationB: calibration.b,
  stack,
  network: { weights: network, blend },
  // The clause reader, fitted on the same contracts as the second stage that reads it.
  ...(clauseReader ? { clauseReader: fitClauseReader(contracts, oof, (k) => !held.has(k), clauseReader) } : {}),
  meta: { data: "cuad_train", contracts: contracts.length - held.size, heldOutForCi: held.size, sentences: readers.sentences, seed: opts.seed, epochs: opts.epochs, learningRate: opts.learningRate, l2: opts.l2, folds: opts.folds, stack: { ...DEFAULT_STACK, mix }, ...(clauseReader ? { clauseReader } : {}), network: { ...opts.network, members: opts.networkMembers, ...(opts.memberHidden ? { memberHidden: opts.memberHidden } : {}) } },
});
fs.mkdirSync(path.dirname(out), { recursive: true });
const bytes = model.toBytes();
fs.writeFileSync(out, bytes);
log(`wrote ${path.relative(process.cwd(), out)} (${(bytes.length / 1e6).toFixed(1)} MB) in ${((performance.now() - t0) / 1000).toFixed(0)} s`);
