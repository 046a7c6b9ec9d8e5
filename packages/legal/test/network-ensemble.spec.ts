// Network readers trained with other seeds are shipped as one wider network (train/network-ensemble.ts):
// its logits must be the members' mean, for any sentence, so CV (which averages member logits) and
// the shipped file agree.
import { describe, expect, it } from "@jest/globals";
import fc from "fast-check";
import { CUAD_CATEGORIES } from "../src/index";
import { bagNetworkLogits, quantiseBagNetwork, type BagNetworkWeights } from "../src/classification/clause-model/bag-network";
import { sentenceFeatures } from "../src/classification/clause-model/sentence-features";
import { mergeBagNetworks } from "../train/network-ensemble";
import { randomBagNetwork } from "./random-bag-network";

const C = CUAD_CATEGORIES.length;

function network(seed: number, bucketBits: number, hidden: number): BagNetworkWeights {
  let s = seed;
  return randomBagNetwork(() => ((s = (Math.imul(s, 1103515245) + 12345) >>> 0) / 2 ** 32) * 2 - 1, bucketBits, hidden);
}

const features = (text: string) => sentenceFeatures({ sentence: text, position: 0.5, ruleScores: new Map([["Governing Law", 0.7]]) }, 10);

/** The float network's logits (before the file's int8 rounding). */
function floatLogits(w: BagNetworkWeights, x: ReturnType<typeof features>): number[] {
  const H = w.hidden;
  const mask = (1 << w.bucketBits) - 1;
  const h = Float32Array.from(w.b1);
  for (const b of x.indices) for (let j = 0; j < H; j++) h[j]! += w.embeddings[(b & mask) * H + j]! * x.value;
  x.rules.forEach((v, k) => {
    for (let j = 0; j < H; j++) h[j]! += w.ruleWeights[k * H + j]! * v;
  });
  return Array.from({ length: C }, (_, c) => h.reduce((z, v, j) => z + w.w2[c * H + j]! * Math.max(0, v), w.b2[c]!));
}

describe("mergeBagNetworks", () => {
  it("gives, for any sentence, the mean of its members' logits", () => {
    const members = [network(1, 8, 6), network(2, 8, 6), network(3, 8, 4)];
    const merged = mergeBagNetworks(members);
    expect(merged.hidden).toBe(16);
    fc.assert(
      fc.property(fc.string({ maxLength: 120 }), (text) => {
        const x = features(text);
        const want = members.map((m) => floatLogits(m, x));
        const got = floatLogits(merged, x);
        got.forEach((z, c) => expect(z).toBeCloseTo(want.reduce((s, l) => s + l[c]!, 0) / members.length, 4));
      }),
      { numRuns: 50 },
    );
  });

  it("is read by the run-time network code like any network (quantised, within 2%)", () => {
    const merged = mergeBagNetworks([network(4, 8, 8), network(5, 8, 8)]);
    const x = features("This Agreement shall be governed by the laws of Delaware.");
    const got = bagNetworkLogits(quantiseBagNetwork(merged), x, new Float32Array(C));
    const want = floatLogits(merged, x);
    const scale = Math.max(1, ...want.map(Math.abs));
    want.forEach((z, c) => expect(Math.abs(got[c]! - z)).toBeLessThan(0.02 * scale));
  });

  it("refuses members of different shapes, and returns a lone member unchanged", () => {
    expect(() => mergeBagNetworks([network(1, 8, 4), network(2, 9, 4)])).toThrow(/differ/);
    const one = network(7, 8, 4);
    expect(mergeBagNetworks([one])).toBe(one);
  });
});
