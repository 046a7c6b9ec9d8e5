// The first stage's out-of-fold scores, from the cache when the key matches, else computed (minutes) and cached.
import { cacheKey, outOfFold, readCache, writeCache, type OutOfFold } from "./out-of-fold";
import { applyBlend, fitBlend, type Blend } from "./blend";
import { crossValidate } from "./cross-validate";
import { loadCuad, type CuadContract } from "./cuad-data";
import type { ExperimentOptions } from "./clause-model-experiment";
import { linearView } from "./linear-bits";
import { networkOutOfFold } from "./network-oof-cache";
import { buildDataset, type SentenceDataset } from "./sentence-dataset";

// linearBits joins the key only when it differs from hashBits, sections and typed cues only when read (older caches stay valid).
const readerOptions = (o: ExperimentOptions) => ({ ...(o.sections ? { sections: true } : {}), ...(o.typed ? { typed: true } : {}) });
/** What the readers are given of each sentence (sentence-contexts.ts), as `buildDataset` takes it. */
export const contextOptions = (o: ExperimentOptions) => ({ sections: o.sections, typed: o.typed === true });
const stage1Options = (o: ExperimentOptions) => ({ hashBits: o.hashBits, ...(o.linearBits === o.hashBits ? {} : { linearBits: o.linearBits }), ...readerOptions(o), folds: o.folds, epochs: o.epochs, learningRate: o.learningRate, l2: o.l2, seed: o.seed });

/** The linear model's out-of-fold scores. `dataset` builds (or returns) the sentence matrix when the cache misses; by default from `contracts`. */
export function stage1OutOfFold(opts: ExperimentOptions, log: (line: string) => void, contracts = loadCuad(), dataset: () => SentenceDataset = () => buildDataset(contracts, opts.hashBits, contextOptions(opts))): OutOfFold {
  const key = cacheKey(stage1Options(opts), contracts);
  const cached = readCache(key);
  if (cached) {
    log(`first stage: out-of-fold scores read from the cache (${key})`);
    return cached;
  }
  const data = dataset();
  const cv = crossValidate(linearView(data, opts.linearBits), opts.folds, opts, log);
  const oof = outOfFold(data, cv);
  log(`first stage: out-of-fold scores cached in ${writeCache(key, oof)}`);
  return oof;
}

/** The options (and so the cache key) of network reader k (its seed: network.seed + k; its width memberHidden[k], else network.hidden). */
export const networkMemberOptions = (o: ExperimentOptions, k: number) => ({ ...o.network, hidden: o.memberHidden?.[k] ?? o.network.hidden, seed: o.network.seed + k, hashBits: o.hashBits, folds: o.folds, ...readerOptions(o) });

export interface BlendedOutOfFold {
  /** The first stage as shipped: `logits` are the blend of the two readers. */
  readonly oof: OutOfFold;
  readonly linear: Float32Array;
  readonly network: Float32Array;
  readonly blend: Blend;
}

/** Both first-stage readers out of fold, and their per-category blend fitted on the pooled out-of-fold scores. */
export function blendedOutOfFold(opts: ExperimentOptions, log: (line: string) => void, contracts: readonly CuadContract[] = loadCuad(), dataset?: () => SentenceDataset): BlendedOutOfFold {
  let built: SentenceDataset | undefined;
  const data = () => (built ??= dataset ? dataset() : buildDataset(contracts, opts.hashBits, contextOptions(opts)));
  const linear = stage1OutOfFold(opts, log, [...contracts], data);
  // Each network reader (its own seed) is cached on its own; their mean is the ensemble's logit.
  const members = Array.from({ length: opts.networkMembers }, (_, k) => networkOutOfFold(networkMemberOptions(opts, k), contracts, data, log));
  const network = members.length === 1 ? members[0]! : members[0]!.map((_, i) => members.reduce((s, m) => s + m[i]!, 0) / members.length);
  const C = linear.categories.length;
  const blend = fitBlend(linear.logits, network, linear.labels, C);
  return { oof: { ...linear, logits: applyBlend(blend, linear.logits, network, C) }, linear: linear.logits, network, blend };
}
