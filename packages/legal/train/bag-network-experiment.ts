// Bag-network experiments on a subset of folds, beside the cached linear first stage:
//   nice -n 10 npx tsx train/bag-network-experiment.ts [--folds=0] [--sections=0|1] [--hidden=64] [--epochs=5] [--lr=0.05] [--bits=16] [--dropout=0.2] [--hidden-dropout=0.2] [--seed=16] [--hashes=1|2]
import fs from "node:fs";
import { applyBlend, fitBlend } from "./blend";
import { bagNetworkScores, trainBagNetwork } from "./bag-network-trainer";
import { clauseMetrics } from "./clause-metrics";
import { CLAUSE_CATEGORY_INDICES, DEFAULT_EXPERIMENT } from "./clause-model-experiment";
import { contractFold, loadCuad } from "./cuad-data";
import { plattCalibration } from "./platt-calibration";
import { buildDataset } from "./sentence-dataset";
import { stage1OutOfFold } from "./stage1-oof";

const arg = (name: string) => process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
const num = (name: string, fallback: number) => (arg(name) === undefined ? fallback : Number(arg(name)));
const log = (l: string) => process.stdout.write(`${l}\n`);
const contracts = loadCuad();
const experiment = { ...DEFAULT_EXPERIMENT, sections: num("sections", DEFAULT_EXPERIMENT.sections ? 1 : 0) === 1 };
const o = stage1OutOfFold(experiment, log, contracts);
const C = o.categories.length;
const folds = (arg("folds") ?? "0").split(",").map(Number);
const foldOf = contracts.map((c) => contractFold(c.file, o.folds));
const { bucketHashes: shippedHashes, ...shippedNetwork } = DEFAULT_EXPERIMENT.network;
const base = shippedNetwork;
const opts = { ...base, hidden: num("hidden", base.hidden), epochs: num("epochs", base.epochs), learningRate: num("lr", base.learningRate), bucketBits: num("bits", base.bucketBits), l2: num("l2", base.l2), dropout: num("dropout", base.dropout), hiddenDropout: num("hidden-dropout", base.hiddenDropout ?? 0), seed: num("seed", base.seed), ...(num("hashes", shippedHashes ?? 1) === 2 ? { bucketHashes: 2 as const } : {}) };
const saved = `tmp/bag-${process.argv.slice(2).join("_").replace(/[^a-z0-9=._-]/gi, "")}.bin`;
const nn = new Float32Array(o.size * C);
const testRows: number[] = [];
for (let i = 0; i < o.size; i++) if (folds.includes(foldOf[o.contractOf[i]!]!)) testRows.push(i);
if (fs.existsSync(saved)) nn.set(new Float32Array(new Uint8Array(fs.readFileSync(saved)).buffer));
else {
  let t = performance.now();
  const data = buildDataset(contracts, DEFAULT_EXPERIMENT.hashBits, { sections: experiment.sections });
  log(`dataset ${((performance.now() - t) / 1000).toFixed(0)} s`);
  for (const f of folds) {
    t = performance.now();
    const train = Int32Array.from({ length: o.size }, (_, i) => i).filter((i) => foldOf[o.contractOf[i]!] !== f);
    const test = Int32Array.from({ length: o.size }, (_, i) => i).filter((i) => foldOf[o.contractOf[i]!] === f);
    const w = trainBagNetwork(data, train, { ...opts, seed: opts.seed + f });
    const z = bagNetworkScores(data, test, w);
    test.forEach((r, p) => nn.set(z.subarray(p * C, (p + 1) * C), r * C));
    log(`fold ${f}: ${((performance.now() - t) / 1000).toFixed(0)} s`);
  }
  fs.writeFileSync(saved, new Uint8Array(nn.buffer));
}
const rows = Int32Array.from(testRows);
const sub = (a: Float32Array) => {
  const out = new Float32Array(rows.length * C);
  rows.forEach((r, p) => out.set(a.subarray(r * C, (r + 1) * C), p * C));
  return out;
};
const labels = new Uint8Array(rows.length * C);
rows.forEach((r, p) => labels.set(o.labels.subarray(r * C, (r + 1) * C), p * C));
const expand = (p: Float32Array) => {
  const out = new Float32Array(o.size * C);
  rows.forEach((r, k) => out.set(p.subarray(k * C, (k + 1) * C), r * C));
  return out;
};
const line = (name: string, p: Float32Array) => {
  const m = clauseMetrics(o, expand(p), rows, CLAUSE_CATEGORY_INDICES, 0.3);
  log(`${name}: macro F1 ${(100 * m.macroF1).toFixed(1)}, micro F1 ${(100 * (m.micro.f1 ?? 0)).toFixed(1)}, P@80%R ${(100 * (m.micro.precisionAt80Recall ?? 0)).toFixed(1)}`);
};
const lin = sub(o.logits);
const net = sub(nn);
line("linear (Platt)", plattCalibration(lin, labels, C).probabilities);
line("bag network (Platt)", plattCalibration(net, labels, C).probabilities);
const blend = fitBlend(lin, net, labels, C);
line("blend (fitted on these folds)", Float32Array.from(applyBlend(blend, lin, net, C), (v) => 1 / (1 + Math.exp(-v))));
