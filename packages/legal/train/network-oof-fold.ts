// One fold of one network reader's cross-validation, on its own, so that the folds of a reader can run
// in parallel processes: the fold's held-out logits go to tmp/clause-cv-cache/<reader key>-fold<f>.bin, and
// once every fold's file is there `networkOutOfFold` (network-oof-cache.ts) assembles the reader's cache
// from them instead of training again. A fold trains exactly as in computeNetworkOutOfFold (seed + fold,
// the same rows), so the assembled scores are the cross-validation's.
//   nice -n 10 npx tsx train/network-oof-fold.ts --member=0 --fold=2 [--typed=1] [--sections=1]
import { bagNetworkScores, trainBagNetwork } from "./bag-network-trainer";
import { DEFAULT_EXPERIMENT } from "./clause-model-experiment";
import { rowsWhere } from "./cross-validate";
import { contractFold, loadCuad } from "./cuad-data";
import { foldCacheFile, networkCacheKey, writeLogitsCache } from "./network-oof-cache";
import { buildDataset } from "./sentence-dataset";
import { contextOptions, networkMemberOptions } from "./stage1-oof";
import { TrainingError } from "./training-options";

const arg = (name: string) => process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
const member = Number(arg("member") ?? "0");
const fold = Number(arg("fold"));
if (!Number.isInteger(member) || member < 0) throw new TrainingError(`--member must be a whole number (0 for the first reader), not '${arg("member")}'`, "Pass --member=1 for the second reader (seed + 1).");
const opts = { ...DEFAULT_EXPERIMENT, sections: arg("sections") === "1", ...(arg("typed") === "1" ? { typed: true } : {}) };
if (!Number.isInteger(fold) || fold < 0 || fold >= opts.folds) throw new TrainingError(`--fold must be a fold number from 0 to ${opts.folds - 1}, not '${arg("fold")}'`, "Pass --fold=0 for the first fold.");
const member0 = networkMemberOptions(opts, member);
const contracts = loadCuad();
const file = foldCacheFile(networkCacheKey(member0, contracts), fold);
const t0 = performance.now();
const data = buildDataset(contracts, opts.hashBits, contextOptions(opts));
const C = data.categories.length;
const foldOf = data.contracts.map((c) => contractFold(c.file, opts.folds));
const train = rowsWhere(data, (c) => foldOf[c] !== fold);
const test = rowsWhere(data, (c) => foldOf[c] === fold);
const w = trainBagNetwork(data, train, { ...member0, seed: member0.seed + fold });
const z = bagNetworkScores(data, test, w);
const logits = new Float32Array(data.size * C).fill(Number.NaN);
test.forEach((row, p) => logits.set(z.subarray(p * C, (p + 1) * C), row * C));
writeLogitsCache(file, logits, data.size, C);
process.stdout.write(`network reader ${member} fold ${fold}: ${train.length} training sentences, ${test.length} held out, ${((performance.now() - t0) / 1000).toFixed(0)} s; ${file}\n`);
