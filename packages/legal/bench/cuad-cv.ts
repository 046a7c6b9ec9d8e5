// Trained clause model vs rules on cuad_train, by contract-level cross-validation (no contract is
// ever scored by a model that saw it), plus the shipped model's speed beside the rules in the same run.
//   nice -n 10 npx tsx bench/cuad-cv.ts [--folds=5] [--epochs=4] [--lr=0.5] [--threshold=0.5] [--speed-only] [--baseline-model=<older clause-model.bin>] [--rounds=1]
// Speed lines give wall-clock latency and the process's CPU time per contract (on a loaded machine read
// the CPU figure, and with --rounds=N the models take turns N times, so compare within a round).
import fs from "node:fs";
import path from "node:path";
import { ContractDocument, RuleClauseClassifier } from "../src/index";
import { ClauseModel } from "../src/classification/clause-model/clause-model";
import { ModelClauseClassifier } from "../src/classification/model-clause-classifier";
import { shippedClauseModel } from "../src/classification/clause-model/shipped-clause-model";
import { DEFAULT_EXPERIMENT, runExperiment } from "../train/clause-model-experiment";
import { CUAD_TRAIN_DIR } from "../train/cuad-data";

const arg = (name: string) => process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
const num = (name: string, fallback: number) => (arg(name) === undefined ? fallback : Number(arg(name)));
const t0 = performance.now();

if (!process.argv.includes("--speed-only")) {
  const opts = { ...DEFAULT_EXPERIMENT, folds: num("folds", DEFAULT_EXPERIMENT.folds), epochs: num("epochs", DEFAULT_EXPERIMENT.epochs), learningRate: num("lr", DEFAULT_EXPERIMENT.learningRate), threshold: num("threshold", DEFAULT_EXPERIMENT.threshold) };
  const { report } = runExperiment(opts, (l) => console.log(l));
  console.log(report);
}

// Speed: the shipped model (rules + features + linear model) against the rules alone, same contracts.
const model = shippedClauseModel();
if (model) {
  const files = fs.readdirSync(path.join(CUAD_TRAIN_DIR, "full_contract_txt")).sort().slice(0, 40);
  const texts = files.map((f) => fs.readFileSync(path.join(CUAD_TRAIN_DIR, "full_contract_txt", f), "utf8"));
  const rules = new RuleClauseClassifier();
  const trained = new ModelClauseClassifier(model, rules);
  const pct = (xs: number[], q: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(q * xs.length))]!.toFixed(1);
  const run = (name: string, f: (d: ContractDocument) => unknown) => {
    const ms: number[] = [];
    const cpu0 = process.cpuUsage();
    const start = performance.now();
    for (const t of texts) {
      const doc = new ContractDocument(t);
      const s = performance.now();
      f(doc);
      ms.push(performance.now() - s);
    }
    const wall = (performance.now() - start) / 1000;
    const cpu = process.cpuUsage(cpu0);
    const cpuMs = (cpu.user + cpu.system) / 1000 / texts.length;
    const chars = texts.reduce((n, t) => n + t.length, 0);
    console.log(`${name.padEnd(22)} ${(texts.length / wall).toFixed(1).padStart(6)} contracts/s ${(chars / 1e6 / wall).toFixed(2)} MB/s  p50 ${pct(ms, 0.5)} ms  p95 ${pct(ms, 0.95)} ms  p99 ${pct(ms, 0.99)} ms  cpu ${cpuMs.toFixed(1)} ms/contract  rss ${(process.memoryUsage().rss / 1e6).toFixed(0)} MB`);
  };
  console.log(`\nclassification speed on ${texts.length} cuad_train contracts (model file ${model.meta["sentences"]} training sentences, 2^${model.hashBits} buckets)`);
  const baseline = arg("baseline-model");
  const older = baseline ? new ModelClauseClassifier(ClauseModel.fromBytes(fs.readFileSync(baseline), baseline), rules) : undefined;
  const rounds = Math.max(1, Math.floor(num("rounds", 1)));
  for (let round = 1; round <= rounds; round++) {
    if (rounds > 1) console.log(`round ${round} of ${rounds}`);
    run("rules only", (d) => rules.classify(d, 0.5));
    if (older) run("baseline model file", (d) => older.classify(d, 0.5));
    run("trained model (+rules)", (d) => trained.classify(d, 0.5));
  }
} else console.log("no shipped model file (model/clause-model.bin): run `npm run train -w @bear/legal`");
console.log(`wall ${((performance.now() - t0) / 1000).toFixed(1)} s, node ${process.version}`);
