import type { SentenceFeatures } from "./sentence-features";

/**
 * The weights of the first stage's network reader: a learnt vector per hashed feature (word, bigram,
 * heading word, neighbour word, rule band …), summed over the sentence and joined by the rule scores,
 * one hidden ReLU layer, one logit per category.
 */
export interface BagNetworkWeights {
  /** The network reads hashed feature b as bucket b & (2^bucketBits − 1). */
  readonly bucketBits: number;
  /**
   * Buckets per feature: 1 (absent), or 2 — a feature's vector is the sum of its bucket's and of a
   * second bucket (`secondBucket`), so two features that share one bucket still differ by the other
   * (hash embeddings: the table's 2^bucketBits rows serve many more features than rows).
   */
  readonly bucketHashes?: 1 | 2;
  readonly hidden: number;
  /** [bucket * hidden + h] (float; the file stores them as int8 with a scale per bucket). */
  readonly embeddings: Float32Array;
  /** [ruleCategory * hidden + h]. */
  readonly ruleWeights: Float32Array;
  readonly b1: Float32Array;
  /** [category * hidden + h]. */
  readonly w2: Float32Array;
  readonly b2: Float32Array;
}

/** The quantised form the model file holds and run time reads. */
export interface QuantisedBagNetwork extends Omit<BagNetworkWeights, "embeddings"> {
  readonly embeddings: Int8Array;
  /** Per bucket. */
  readonly embeddingScale: Float32Array;
}

export function quantiseBagNetwork(w: BagNetworkWeights): QuantisedBagNetwork {
  const H = w.hidden;
  const B = w.embeddings.length / H;
  const q = new Int8Array(w.embeddings.length);
  const scale = new Float32Array(B);
  for (let b = 0; b < B; b++) {
    let m = 0;
    for (let j = 0; j < H; j++) m = Math.max(m, Math.abs(w.embeddings[b * H + j]!));
    const s = m > 0 ? m / 127 : 1;
    scale[b] = s;
    for (let j = 0; j < H; j++) q[b * H + j] = Math.round(w.embeddings[b * H + j]! / s);
  }
  return { ...w, embeddings: q, embeddingScale: scale };
}

/**
 * The other bucket of hashed feature `index` in a network with `bucketHashes: 2`: the top bits of a
 * Fibonacci (multiplicative) hash of the whole index, so features sharing their low bits (the first
 * bucket) are spread over the table again. Training and run time both read buckets through here.
 */
export function secondBucket(index: number, bucketBits: number): number {
  return Math.imul(index, 0x9e3779b1) >>> (32 - bucketBits);
}

/** One logit per category for a sentence's features (`out` receives them). */
export function bagNetworkLogits(w: QuantisedBagNetwork, x: SentenceFeatures, out: Float32Array): Float32Array {
  const H = w.hidden;
  const C = w.b2.length;
  const mask = (1 << w.bucketBits) - 1;
  const h = Float32Array.from(w.b1);
  // One inline loop per layout, chosen once: a closure per feature cost the shipped one-row reader ~1.3x.
  if (w.bucketHashes === 2) {
    for (let k = 0; k < x.indices.length; k++) {
      for (const bucket of [x.indices[k]! & mask, secondBucket(x.indices[k]!, w.bucketBits)]) {
        const s = w.embeddingScale[bucket]! * x.value;
        const base = bucket * H;
        for (let j = 0; j < H; j++) h[j]! += w.embeddings[base + j]! * s;
      }
    }
  } else {
    for (let k = 0; k < x.indices.length; k++) {
      const bucket = x.indices[k]! & mask;
      const s = w.embeddingScale[bucket]! * x.value;
      const base = bucket * H;
      for (let j = 0; j < H; j++) h[j]! += w.embeddings[base + j]! * s;
    }
  }
  for (let r = 0; r < x.rules.length; r++) {
    const v = x.rules[r]!;
    if (v === 0) continue;
    for (let j = 0; j < H; j++) h[j]! += w.ruleWeights[r * H + j]! * v;
  }
  for (let j = 0; j < H; j++) if (h[j]! < 0) h[j] = 0;
  for (let c = 0; c < C; c++) {
    let z = w.b2[c]!;
    const base = c * H;
    for (let j = 0; j < H; j++) z += w.w2[base + j]! * h[j]!;
    out[c] = z;
  }
  return out;
}

/** Where the two readers' logits are clipped before they are blended (training does the same). */
export const BLEND_CLIP = 30;

/** Per category z = linear·z_linear + network·z_network + bias, fitted on out-of-fold scores. */
export interface FirstStageBlend {
  readonly linear: Float32Array;
  readonly network: Float32Array;
  readonly bias: Float32Array;
}

const clip = (z: number) => (z < -BLEND_CLIP ? -BLEND_CLIP : z > BLEND_CLIP ? BLEND_CLIP : z);

/** The blended first-stage logit of category c. */
export function blendLogit(b: FirstStageBlend, c: number, linear: number, network: number): number {
  return b.linear[c]! * clip(linear) + b.network[c]! * clip(network) + b.bias[c]!;
}
