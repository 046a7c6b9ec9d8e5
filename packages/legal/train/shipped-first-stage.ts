// The shipped file's first stage: the linear reader and each network reader fitted on every contract
// but the CI hold-out (shippedTrainingRows), each cached in tmp/clause-cv-cache/ under a key over its
// options, the contracts and the code that fits it, so `npm run train` refits only the readers whose
// inputs changed (a second-stage change, or one more network member, costs minutes instead of ~16).
import fs from "node:fs";
import type { BagNetworkWeights } from "../src/classification/clause-model/bag-network";
import { readArrayBundle, writeArrayBundle } from "./array-bundle";
import { trainBagNetwork } from "./bag-network-trainer";
import { shippedTrainingRows } from "./clause-ci-holdout";
import type { ExperimentOptions } from "./clause-model-experiment";
import type { CuadContract } from "./cuad-data";
import { linearView } from "./linear-bits";
import { trainLogistic, type LinearWeights } from "./logistic-trainer";
import { CACHE_DIR, cacheFile, cacheKey } from "./out-of-fold";
import type { SentenceDataset } from "./sentence-dataset";
import { networkMemberOptions } from "./stage1-oof";

/** What a reader's fit depends on beyond the first stage's features (out-of-fold.ts SOURCES). */
const LINEAR_SOURCES = ["train/clause-ci-holdout.ts"];
const NETWORK_SOURCES = ["train/bag-network-trainer.ts", "train/clause-ci-holdout.ts"];

export interface ShippedReaders {
  readonly linear: LinearWeights;
  /** One per network member, in member order (mergeBagNetworks makes them one network). */
  readonly networks: readonly BagNetworkWeights[];
  /** Sentences the readers learnt from. */
  readonly sentences: number;
}

type Header = { sentences: number; hidden?: number; bucketBits?: number; bucketHashes?: 1 | 2 };

function cached<T>(dir: string, key: string, log: (line: string) => void, what: string, read: (h: Header, a: Record<string, Float32Array>) => T, fit: () => { value: T; sentences: number; header?: object; arrays: Record<string, Float32Array> }): { value: T; sentences: number } {
  const file = cacheFile(key, dir);
  if (fs.existsSync(file)) {
    const { header, arrays } = readArrayBundle<Header>(file);
    log(`shipped first stage: ${what} read from the cache (${key})`);
    return { value: read(header, arrays as Record<string, Float32Array>), sentences: header.sentences };
  }
  const t0 = performance.now();
  const { value, sentences, header, arrays } = fit();
  writeArrayBundle(file, { ...header, sentences }, arrays);
  log(`shipped first stage: ${what} fitted on ${sentences} sentences in ${((performance.now() - t0) / 1000).toFixed(0)} s, cached (${key})`);
  return { value, sentences };
}

/** The shipped readers, each from the cache in `dir` when its key matches, else fitted (the dataset is built only then) and cached. */
export function shippedReaders(opts: ExperimentOptions, contracts: readonly CuadContract[], build: () => SentenceDataset, log: (line: string) => void, dir = CACHE_DIR): ShippedReaders {
  let built: SentenceDataset | undefined;
  const dataset = () => (built ??= build());
  const linearOptions = { reader: "linear", hashBits: opts.hashBits, linearBits: opts.linearBits, sections: opts.sections, ...(opts.typed ? { typed: true } : {}), epochs: opts.epochs, learningRate: opts.learningRate, l2: opts.l2, seed: opts.seed };
  const linear = cached(
    dir,
    `shipped-linear-${cacheKey(linearOptions, contracts, LINEAR_SOURCES)}`,
    log,
    "linear reader",
    (_, a) => ({ bias: a["bias"]!, hashed: a["hashed"]!, rules: a["rules"]! }),
    () => {
      const data = dataset();
      const rows = shippedTrainingRows(data);
      const w = trainLogistic(linearView(data, opts.linearBits), rows, opts);
      return { value: w, sentences: rows.length, arrays: { bias: w.bias, hashed: w.hashed, rules: w.rules } };
    },
  );
  const networks = Array.from({ length: opts.networkMembers }, (_, k) => {
    const { folds: _folds, ...memberOptions } = networkMemberOptions(opts, k);
    return cached(
      dir,
      `shipped-network-${cacheKey({ reader: "network", ...memberOptions }, contracts, NETWORK_SOURCES)}`,
      log,
      `network reader ${k} (${memberOptions.hidden} hidden, seed ${memberOptions.seed})`,
      (h, a): BagNetworkWeights => ({ bucketBits: h.bucketBits!, ...(h.bucketHashes === 2 ? { bucketHashes: 2 as const } : {}), hidden: h.hidden!, embeddings: a["embeddings"]!, ruleWeights: a["ruleWeights"]!, b1: a["b1"]!, w2: a["w2"]!, b2: a["b2"]! }),
      () => {
        const data = dataset();
        const rows = shippedTrainingRows(data);
        const w = trainBagNetwork(data, rows, memberOptions);
        return { value: w, sentences: rows.length, header: { hidden: w.hidden, bucketBits: w.bucketBits, ...(w.bucketHashes === 2 ? { bucketHashes: 2 } : {}) }, arrays: { embeddings: w.embeddings, ruleWeights: w.ruleWeights, b1: w.b1, w2: w.w2, b2: w.b2 } };
      },
    ).value;
  });
  return { linear: linear.value, networks, sentences: linear.sentences };
}
