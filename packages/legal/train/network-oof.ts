// The first stage's network reader, cross-validated on the same contract folds as the linear model:
// its out-of-fold logits. Only the computation lives here: this file is part of the network cache's
// key (network-oof-cache.ts), so editing how the cache is read or written does not invalidate it.
import { bagNetworkScores, trainBagNetwork, type BagNetworkOptions } from "./bag-network-trainer";
import { rowsWhere } from "./cross-validate";
import { contractFold } from "./cuad-data";
import type { SentenceDataset } from "./sentence-dataset";

/** Out-of-fold logits of one network reader, [sentence * C + category]; fold f trains with seed + f. */
export function computeNetworkOutOfFold(opts: BagNetworkOptions & { readonly folds: number }, data: SentenceDataset, log: (line: string) => void): Float32Array {
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
  return logits;
}
