// The network reader's trainer (train/bag-network-trainer.ts): hidden-unit dropout and rare categories'
// positive weights and repeats are options that leave the default training untouched (the cached
// out-of-fold scores and the shipped file stay valid), and a network trained with them still learns.
import { describe, expect, it } from "@jest/globals";
import { bagNetworkScores, DEFAULT_BAG_NETWORK, positiveWeights, repeatRarePositives, trainBagNetwork } from "../train/bag-network-trainer";
import { buildDataset } from "../train/sentence-dataset";
import { TrainingError } from "../train/training-options";
import { toyContract } from "./toy-contracts";

const data = buildDataset(Array.from({ length: 24 }, (_, k) => toyContract(k)), 12);
const C = data.categories.length;
const law = data.categories.indexOf("Governing Law");
const opts = { ...DEFAULT_BAG_NETWORK, bucketBits: 12, hidden: 8, epochs: 6, learningRate: 0.1 };
const train = Int32Array.from({ length: data.size }, (_, i) => i).filter((i) => data.contractOf[i]! < 20);
const test = Int32Array.from({ length: data.size }, (_, i) => i).filter((i) => data.contractOf[i]! >= 20);

describe("trainBagNetwork hidden dropout", () => {
  it("is off by default: hiddenDropout 0 trains exactly the network the options without it train", () => {
    const without = trainBagNetwork(data, train, opts);
    const zero = trainBagNetwork(data, train, { ...opts, hiddenDropout: 0 });
    expect(Buffer.from(zero.embeddings.buffer).equals(Buffer.from(without.embeddings.buffer))).toBe(true);
    expect(Array.from(zero.w2)).toEqual(Array.from(without.w2));
    expect(Array.from(zero.b1)).toEqual(Array.from(without.b1));
  });

  it("refuses a share that silences every unit (1) or is not one, before training", () => {
    for (const hiddenDropout of [1, 2, -0.5, Number.NaN]) expect(() => trainBagNetwork(data, train, { ...opts, hiddenDropout })).toThrow(TrainingError);
  });

  it("changes training when on, and the network still ranks the category's sentences first on unseen contracts", () => {
    const plain = trainBagNetwork(data, train, opts);
    const dropped = trainBagNetwork(data, train, { ...opts, hiddenDropout: 0.25 });
    expect(Array.from(dropped.w2)).not.toEqual(Array.from(plain.w2));
    const z = bagNetworkScores(data, test, dropped);
    const positives: number[] = [];
    const negatives: number[] = [];
    test.forEach((row, p) => (data.labels[row * C + law] ? positives : negatives).push(z[p * C + law]!));
    expect(positives.length).toBeGreaterThan(0);
    expect(Math.min(...positives)).toBeGreaterThan(Math.max(...negatives));
  });
});

// A rare category beside a frequent one: every toy contract has a governing-law sentence, and only a few
// carry an invented most-favoured-pricing sentence.
const PRICING = ["Prices charged to the Buyer shall never exceed the lowest prices the Seller charges any other buyer.", "The Seller shall extend to the Buyer any lower price it later grants to another buyer of like goods."];
function withPricing(k: number) {
  const base = toyContract(k);
  if (k % 6 !== 3) return base;
  const sentence = PRICING[(k / 6) % 2 | 0]!;
  const text = `${base.text}\n\n9. ${sentence}`;
  const start = text.indexOf(sentence);
  return { ...base, text, gold: new Map([...base.gold, ["Most Favored Nation" as const, [[{ start, end: start + sentence.length }]]]]) };
}

describe("trainBagNetwork positive weights (rare categories)", () => {
  const rare = buildDataset(Array.from({ length: 24 }, (_, k) => withPricing(k)), 12);
  const mfn = rare.categories.indexOf("Most Favored Nation");
  const rows = Int32Array.from({ length: rare.size }, (_, i) => i).filter((i) => rare.contractOf[i]! < 20);
  const held = Int32Array.from({ length: rare.size }, (_, i) => i).filter((i) => rare.contractOf[i]! >= 20);

  it("weighs a category's positives √(median / count), between 1 and the cap; absent or 0: all 1", () => {
    const toy = { categories: ["A", "B", "C", "D"] as never, labels: Uint8Array.from([1, 1, 1, 0, 1, 1, 0, 0, 1, 1, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0]) };
    // Positives per category over the six rows: A 6, B 3, C 1, D 0; median of those present 3.
    const all = Int32Array.from([0, 1, 2, 3, 4, 5]);
    expect(Array.from(positiveWeights(toy, all, 4))).toEqual([1, 1, Math.fround(Math.sqrt(3)), 1]);
    expect(Array.from(positiveWeights(toy, all, 1.5))).toEqual([1, 1, 1.5, 1]);
    expect(Array.from(positiveWeights(toy, all, 0))).toEqual([1, 1, 1, 1]);
    // Counted over the given rows only: in rows 1–2 A and B have 2, C none.
    expect(Array.from(positiveWeights(toy, Int32Array.from([1, 2]), 4))).toEqual([1, 1, 1, 1]);
    for (const cap of [-1, Number.NaN, Number.POSITIVE_INFINITY]) expect(() => positiveWeights(toy, all, cap)).toThrow(TrainingError);
  });

  it("is off by default: positiveWeightCap 0 trains exactly the network the options without it train", () => {
    const without = trainBagNetwork(rare, rows, opts);
    const zero = trainBagNetwork(rare, rows, { ...opts, positiveWeightCap: 0 });
    expect(Buffer.from(zero.embeddings.buffer).equals(Buffer.from(without.embeddings.buffer))).toBe(true);
    expect(Array.from(zero.w2)).toEqual(Array.from(without.w2));
  });

  it("repeats a sentence positive for a rare category round(weight) times per epoch, every other sentence once; cap 0: the rows as given", () => {
    const weights = positiveWeights(rare, rows, 4);
    expect(weights[mfn]!).toBeGreaterThan(1.5);
    const order = repeatRarePositives(rare, rows, 4);
    const visits = new Map<number, number>();
    for (const r of order) visits.set(r, (visits.get(r) ?? 0) + 1);
    for (const r of rows) expect(visits.get(r)).toBe(rare.labels[r * C + mfn] ? Math.round(weights[mfn]!) : 1);
    expect(Array.from(repeatRarePositives(rare, rows, 0))).toEqual(Array.from(rows));
  });

  it("is off by default: positiveRepeatCap 0 trains exactly the network the options without it train", () => {
    const without = trainBagNetwork(rare, rows, opts);
    const zero = trainBagNetwork(rare, rows, { ...opts, positiveRepeatCap: 0 });
    expect(Buffer.from(zero.embeddings.buffer).equals(Buffer.from(without.embeddings.buffer))).toBe(true);
    expect(Array.from(zero.w2)).toEqual(Array.from(without.w2));
  });

  // Under AdaGrad a weighted gradient hardly moves a weight that mostly sees the rare sentences (its step is
  // divided by the root of its own summed squares); repeated visits do move it. Three seeds, same toy.
  it("repeats raise the rare category's score of its unseen positive sentence, and further than weights do", () => {
    const positive = Array.from(held, (_, p) => p).filter((p) => rare.labels[held[p]! * C + mfn] === 1);
    const negatives = Array.from(held, (_, p) => p).filter((p) => rare.labels[held[p]! * C + mfn] === 0);
    expect(positive).toHaveLength(1);
    const at = (z: Float32Array, p: number) => z[p * C + mfn]!;
    for (const seed of [1, 2, 3]) {
      const plain = bagNetworkScores(rare, held, trainBagNetwork(rare, rows, { ...opts, seed }));
      const weighted = bagNetworkScores(rare, held, trainBagNetwork(rare, rows, { ...opts, seed, positiveWeightCap: 4 }));
      const repeated = bagNetworkScores(rare, held, trainBagNetwork(rare, rows, { ...opts, seed, positiveRepeatCap: 4 }));
      const p = positive[0]!;
      expect(at(weighted, p)).toBeGreaterThan(at(plain, p));
      expect(at(repeated, p)).toBeGreaterThan(at(plain, p) + 0.3);
      expect(at(repeated, p)).toBeGreaterThan(at(weighted, p) + 0.3);
      expect(at(repeated, p)).toBeGreaterThan(Math.max(...negatives.map((q) => at(repeated, q))));
    }
  });
});
