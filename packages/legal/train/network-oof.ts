// The first stage's network reader, cross-validated on the same contract folds as the linear model:
// its out-of-fold logits, cached in tmp/ like the linear model's (keyed by the options, the data
// and the code that builds them).
import fs from "node:fs";
import path from "node:path";
import { bagNetworkScores, trainBagNetwork, type BagNetworkOptions } from "./bag-network-trainer";
import { rowsWhere } from "./cross-validate";
import { contractFold, type CuadContract } from "./cuad-data";
import { cacheFile, cacheKey } from "./out-of-fold";
import type { SentenceDataset } from "./sentence-dataset";

const NETWORK_SOURCES = ["train/bag-network-trainer.ts", "train/network-oof.ts"];

export function networkOutOfFold(opts: BagNetworkOptions & { readonly hashBits: number; readonly folds: number; readonly sections?: boolean }, contracts: readonly CuadContract[], dataset: () => SentenceDataset, log: (line: string) => void): Float32Array {
  const key = `network-${cacheKey(opts, contracts, NETWORK_SOURCES)}`;
  const file = cacheFile(key);
  if (fs.existsSync(file)) {
    log(`first stage network: out-of-fold scores read from the cache (${key})`);
    return new Float32Array(new Uint8Array(fs.readFileSync(file)).buffer);
  }
  const data = dataset();
  const C = data.categories.length;
  const foldOf = data.contracts.map((c) => contractFold(c.file, opts.folds));
  const logits = new Float32Array(data.size * C);
  for (let f = 0; f < opts.folds; f++) {
    const t0 = performance.now();
    const train = rowsWhere(data, (c) => foldOf[c] !== f);
    const test = rowsWhere(data, (c) => foldOf[c] === f);
    const w = trainBagNetwork(data, train, { ...opts, seed: opts.seed + f });
    const z = bagNetworkScores(data, test, w);
    test.forEach((row, p) => logits.set(z.subarray(p * C, (p + 1) * C), row * C));
    log(`network fold ${f + 1}/${opts.folds}: ${train.length} training sentences, ${test.length} held out, ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  }
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, new Uint8Array(logits.buffer));
  log(`first stage network: out-of-fold scores cached in ${file}`);
  return logits;
}
