// The network reader with two buckets per feature (`bucketHashes: 2`, hash embeddings): a feature's
// vector is the sum of two table rows, so features that share a row (the table has 2^16 rows for far
// more features) are still told apart by their other row — in training, at run time and through the file.
import { describe, expect, it } from "@jest/globals";
import fc from "fast-check";
import { ClauseModel, CUAD_CATEGORIES } from "../src/index";
import { bagNetworkLogits, quantiseBagNetwork, secondBucket, type BagNetworkWeights } from "../src/classification/clause-model/bag-network";
import { sentenceFeatures } from "../src/classification/clause-model/sentence-features";
import { bagNetworkScores, DEFAULT_BAG_NETWORK, trainBagNetwork } from "../train/bag-network-trainer";
import { mergeBagNetworks } from "../train/network-ensemble";
import type { SentenceDataset } from "../train/sentence-dataset";
import { TrainingError } from "../train/training-options";
import { randomBagNetwork } from "./random-bag-network";

const C = CUAD_CATEGORIES.length;
const BITS = 4;
const MASK = (1 << BITS) - 1;

/** Hashed feature indices (of a 2^12 space) whose first buckets are the same and whose second buckets differ. */
function collidingPair(): [number, number] {
  for (let a = 1; a < 4096; a++) {
    for (let b = a + (1 << BITS); b < 4096; b += 1 << BITS) if (secondBucket(a, BITS) !== secondBucket(b, BITS)) return [a, b];
  }
  throw new Error("no colliding pair");
}

/**
 * Sentences of one feature each (plus a shared one): those with feature `a` belong to Governing Law,
 * those with `b` — the same first bucket — do not. Only what the network reads is filled in.
 */
function collidingDataset(a: number, b: number, shared: number): SentenceDataset {
  const n = 40;
  const indices = new Int32Array(2 * n);
  const labels = new Uint8Array(n * C);
  const law = CUAD_CATEGORIES.indexOf("Governing Law");
  for (let i = 0; i < n; i++) {
    const own = i % 2 === 0 ? a : b;
    indices.set(own < shared ? [own, shared] : [shared, own], 2 * i);
    if (own === a) labels[i * C + law] = 1;
  }
  return {
    hashBits: 12,
    categories: CUAD_CATEGORIES,
    size: n,
    offsets: Int32Array.from({ length: n + 1 }, (_, i) => 2 * i),
    indices,
    values: new Float32Array(n).fill(1 / Math.SQRT2),
    rules: new Float32Array(n * C),
    labels,
    contractOf: new Int32Array(n),
    clauseOf: Int32Array.from({ length: n }, (_, i) => i),
    spans: Array.from({ length: n }, (_, i) => ({ start: 10 * i, end: 10 * i + 9 })),
    contracts: [],
    goldSpans: [],
  };
}

const opts = { ...DEFAULT_BAG_NETWORK, bucketBits: BITS, hidden: 8, epochs: 20, learningRate: 0.1, dropout: 0 };
const lawIndex = CUAD_CATEGORIES.indexOf("Governing Law");

describe("a network reader with two buckets per feature", () => {
  const [a, b] = collidingPair();
  const shared = 5 + (secondBucket(5, BITS) === (a & MASK) ? 1 : 0);
  const data = collidingDataset(a, b, shared);
  const rows = Int32Array.from({ length: data.size }, (_, i) => i);
  const score = (w: BagNetworkWeights, i: number) => bagNetworkScores(data, Int32Array.of(i), w)[lawIndex]!;

  it("cannot tell two features of one bucket apart with one bucket per feature", () => {
    const w = trainBagNetwork(data, rows, opts);
    expect(score(w, 0)).toBe(score(w, 1));
  });

  it("learns them apart with two: the feature of the category's sentences scores far above its bucket-mate", () => {
    const w = trainBagNetwork(data, rows, { ...opts, bucketHashes: 2 });
    expect(w.bucketHashes).toBe(2);
    const positive = 1 / (1 + Math.exp(-score(w, 0)));
    const negative = 1 / (1 + Math.exp(-score(w, 1)));
    expect(positive).toBeGreaterThan(0.8);
    expect(negative).toBeLessThan(0.2);
  });

  it("trains exactly the one-bucket network when bucketHashes is 1 or absent, and refuses other counts", () => {
    const without = trainBagNetwork(data, rows, opts);
    const one = trainBagNetwork(data, rows, { ...opts, bucketHashes: 1 });
    expect(Buffer.from(one.embeddings.buffer).equals(Buffer.from(without.embeddings.buffer))).toBe(true);
    expect(Array.from(one.w2)).toEqual(Array.from(without.w2));
    expect(() => trainBagNetwork(data, rows, { ...opts, bucketHashes: 3 as never })).toThrow(TrainingError);
  });

  it("spreads the indices that share a first bucket over the table again", () => {
    // 2^12 indices over 16 buckets: each first bucket holds 256 of them; their second buckets cover the table.
    for (let first = 0; first < 16; first++) {
      const seen = new Set<number>();
      for (let k = first; k < 4096; k += 16) seen.add(secondBucket(k, BITS));
      expect(seen.size).toBe(16);
    }
    fc.assert(fc.property(fc.integer({ min: 0, max: (1 << 18) - 1 }), fc.integer({ min: 8, max: 18 }), (index, bits) => {
      const bucket = secondBucket(index, bits);
      expect(Number.isInteger(bucket) && bucket >= 0 && bucket < 1 << bits).toBe(true);
    }));
  });
});

function network(seed: number, bucketBits: number, hidden: number): BagNetworkWeights {
  let s = seed;
  return { ...randomBagNetwork(() => ((s = (Math.imul(s, 1103515245) + 12345) >>> 0) / 2 ** 32) * 2 - 1, bucketBits, hidden), bucketHashes: 2 };
}

const features = (text: string) => sentenceFeatures({ sentence: text, position: 0.5, ruleScores: new Map([["Governing Law", 0.7]]) }, 12);

/** The float network's logits, each feature read through its two rows. */
function floatLogits(w: BagNetworkWeights, x: ReturnType<typeof features>): number[] {
  const H = w.hidden;
  const h = Float32Array.from(w.b1);
  for (const index of x.indices) {
    for (const row of [index & ((1 << w.bucketBits) - 1), secondBucket(index, w.bucketBits)]) for (let j = 0; j < H; j++) h[j]! += w.embeddings[row * H + j]! * x.value;
  }
  x.rules.forEach((v, k) => {
    for (let j = 0; j < H; j++) h[j]! += w.ruleWeights[k * H + j]! * v;
  });
  return Array.from({ length: C }, (_, c) => h.reduce((z, v, j) => z + w.w2[c * H + j]! * Math.max(0, v), w.b2[c]!));
}

describe("two buckets per feature at run time and in the model file", () => {
  it("the run-time network reads both rows of every feature (int8 weights within 2% of the float network)", () => {
    const w = network(3, 8, 8);
    const q = quantiseBagNetwork(w);
    const oneRow = quantiseBagNetwork({ ...w, bucketHashes: 1 });
    fc.assert(
      fc.property(fc.string({ minLength: 1, maxLength: 160 }), (text) => {
        const x = features(text);
        const got = bagNetworkLogits(q, x, new Float32Array(C));
        const want = floatLogits(w, x);
        const scale = Math.max(1, ...want.map(Math.abs));
        want.forEach((z, c) => expect(Math.abs(got[c]! - z)).toBeLessThan(0.02 * scale));
      }),
      { numRuns: 60 },
    );
    const x = features("This Agreement is governed by the laws of the State of New York.");
    expect(Array.from(bagNetworkLogits(oneRow, x, new Float32Array(C)))).not.toEqual(Array.from(bagNetworkLogits(q, x, new Float32Array(C))));
  });

  it("an ensemble of two-bucket members stays two-bucket, and members that differ are refused", () => {
    expect(mergeBagNetworks([network(1, 8, 4), network(2, 8, 4)]).bucketHashes).toBe(2);
    expect(() => mergeBagNetworks([network(1, 8, 4), { ...network(2, 8, 4), bucketHashes: 1 }])).toThrow(/differ/);
  });

  it("is written to and read from the model file, and a file claiming another count is refused", () => {
    const weights = {
      hashBits: 12,
      categories: CUAD_CATEGORIES,
      bias: new Float32Array(C),
      hashed: new Float32Array((1 << 12) * C),
      rules: new Float32Array(C * C),
      calibrationA: new Float32Array(C).fill(1),
      calibrationB: new Float32Array(C),
      meta: {},
      network: { weights: network(9, 8, 8), blend: { linear: new Float32Array(C).fill(1), network: new Float32Array(C).fill(1), bias: new Float32Array(C) } },
    };
    const model = ClauseModel.fromWeights(weights);
    const bytes = model.toBytes();
    const copy = ClauseModel.fromBytes(bytes);
    const x = features("Licensee shall pay the royalties within thirty days.");
    expect(Array.from(copy.logits(x))).toEqual(Array.from(model.logits(x)));
    const oneRow = ClauseModel.fromWeights({ ...weights, network: { ...weights.network, weights: { ...weights.network.weights, bucketHashes: 1 } } });
    expect(Array.from(oneRow.logits(x))).not.toEqual(Array.from(copy.logits(x)));
    const headerLength = new DataView(bytes.buffer).getUint32(8, true);
    const text = new TextDecoder().decode(bytes.subarray(12, 12 + headerLength));
    const wrong = text.replace(/"bucketHashes":2/, `"bucketHashes":3`);
    expect(wrong).not.toBe(text);
    const bad = Uint8Array.from(bytes);
    bad.set(new TextEncoder().encode(wrong), 12);
    expect(() => ClauseModel.fromBytes(bad, "h.bin")).toThrow(/buckets per feature/);
  });
});
