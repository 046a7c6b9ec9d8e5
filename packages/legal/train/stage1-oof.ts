// The first stage's out-of-fold scores, from the cache when the key matches, else computed (minutes) and cached.
import { cacheKey, outOfFold, readCache, writeCache, type OutOfFold } from "./out-of-fold";
import { crossValidate } from "./cross-validate";
import { loadCuad } from "./cuad-data";
import type { ExperimentOptions } from "./clause-model-experiment";
import { buildDataset, type SentenceDataset } from "./sentence-dataset";

const stage1Options = (o: ExperimentOptions) => ({ hashBits: o.hashBits, folds: o.folds, epochs: o.epochs, learningRate: o.learningRate, l2: o.l2, seed: o.seed });

/** `dataset` builds (or returns) the sentence matrix when the cache misses; by default from `contracts`. */
export function stage1OutOfFold(opts: ExperimentOptions, log: (line: string) => void, contracts = loadCuad(), dataset: () => SentenceDataset = () => buildDataset(contracts, opts.hashBits)): OutOfFold {
  const key = cacheKey(stage1Options(opts), contracts);
  const cached = readCache(key);
  if (cached) {
    log(`first stage: out-of-fold scores read from the cache (${key})`);
    return cached;
  }
  const data = dataset();
  const cv = crossValidate(data, opts.folds, opts, log);
  const oof = outOfFold(data, cv);
  log(`first stage: out-of-fold scores cached in ${writeCache(key, oof)}`);
  return oof;
}
