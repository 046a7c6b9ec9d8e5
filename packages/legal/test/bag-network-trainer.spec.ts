// The network reader's trainer (train/bag-network-trainer.ts): hidden-unit dropout is an option that
// leaves the default training untouched (the cached out-of-fold scores and the shipped file stay
// valid), and a network trained with it still learns a category from its wording.
import { describe, expect, it } from "@jest/globals";
import { bagNetworkScores, DEFAULT_BAG_NETWORK, trainBagNetwork } from "../train/bag-network-trainer";
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
