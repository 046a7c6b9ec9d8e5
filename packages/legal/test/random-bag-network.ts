// Random network-reader weights for specs of the clause model's network (a fixed draw order, so a seed gives one network).
import { CUAD_CATEGORIES } from "../src/classification/cuad-categories";
import type { BagNetworkWeights } from "../src/classification/clause-model/bag-network";

/** A bag network of `hidden` units over 2^bucketBits buckets, every weight drawn from `r`. */
export function randomBagNetwork(r: () => number, bucketBits: number, hidden: number): BagNetworkWeights {
  const C = CUAD_CATEGORIES.length;
  return {
    bucketBits,
    hidden,
    embeddings: Float32Array.from({ length: (1 << bucketBits) * hidden }, r),
    ruleWeights: Float32Array.from({ length: C * hidden }, r),
    b1: Float32Array.from({ length: hidden }, r),
    w2: Float32Array.from({ length: C * hidden }, r),
    b2: Float32Array.from({ length: C }, r),
  };
}
