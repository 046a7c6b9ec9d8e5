// The mix weight per category (train/category-mix.ts): on made-up scores where one category is read
// well only by the second stage and another only by the first, each gets the weight that trusts the
// stage that reads it, and the nested choice never looks at the fold it scores.
import { describe, expect, it } from "@jest/globals";
import { choosePerCategoryMix, nestedPerCategoryMix } from "../train/category-mix";
import { contractFold } from "../train/cuad-data";
import type { OutOfFold } from "../train/out-of-fold";
import { chooseMix } from "../train/second-stage";

const CATEGORIES = ["Governing Law", "Exclusivity", "Insurance"] as const;
const C = CATEGORIES.length;
const CONTRACTS = 60;
const SENTENCES = 40;

/**
 * Each contract has one gold sentence per category. Category 0: the second stage's logit separates it,
 * the first stage's is noise; category 1 the other way round; category 2: both read it.
 */
function synthetic(seed: number): { o: OutOfFold; stack: Float32Array } {
  let s = seed;
  const r = () => (s = (Math.imul(s, 1103515245) + 12345) >>> 0) / 2 ** 32;
  const size = CONTRACTS * SENTENCES;
  const logits = new Float32Array(size * C);
  const stack = new Float32Array(size * C);
  const labels = new Uint8Array(size * C);
  const contractOf = Int32Array.from({ length: size }, (_, i) => Math.floor(i / SENTENCES));
  const goldSpans: { contract: number; category: number; sentences: Int32Array }[] = [];
  for (let k = 0; k < CONTRACTS; k++) {
    for (let c = 0; c < C; c++) {
      const gold = k * SENTENCES + Math.floor(r() * SENTENCES);
      labels[gold * C + c] = 1;
      goldSpans.push({ contract: k, category: c, sentences: Int32Array.of(gold) });
    }
  }
  for (let i = 0; i < size; i++)
    for (let c = 0; c < C; c++) {
      const y = labels[i * C + c]!;
      const noise = () => 6 * r() - 5;
      const signal = () => (y ? 2 + 2 * r() : -4 + 2 * r());
      logits[i * C + c] = c === 0 ? noise() : signal();
      stack[i * C + c] = c === 1 ? noise() : signal();
    }
  const o: OutOfFold = {
    categories: CATEGORIES,
    size,
    logits,
    rules: new Float32Array(size * C),
    labels,
    contractOf,
    clauseOf: Int32Array.from({ length: size }, (_, i) => Math.floor(i / 4)),
    starts: Int32Array.from({ length: size }, (_, i) => 100 * (i % SENTENCES)),
    ends: Int32Array.from({ length: size }, (_, i) => 100 * (i % SENTENCES) + 90),
    contracts: Array.from({ length: CONTRACTS }, (_, k) => ({ file: `contract-${k}.txt`, textLength: 100 * SENTENCES, type: "other" as const })),
    goldSpans,
    folds: 5,
  };
  return { o, stack };
}

const identity = { a: new Float32Array(C).fill(1), b: new Float32Array(C) };
const all = Int32Array.from({ length: CONTRACTS * SENTENCES }, (_, i) => i);

describe("choosePerCategoryMix", () => {
  it("trusts, per category, the stage that reads it", () => {
    const { o, stack } = synthetic(7);
    const shared = chooseMix(o, stack, identity, all, [0, 1, 2], 0.3);
    const mix = choosePerCategoryMix(o, stack, identity, all, [0, 1, 2], 0.3);
    expect(mix).toHaveLength(C);
    expect(mix[0]).toBeGreaterThanOrEqual(0.75);
    expect(mix[1]).toBeLessThanOrEqual(0.25);
    // One weight cannot serve both: the shared choice is wrong for at least one of them.
    expect(shared > 0.25 || shared < 0.75).toBe(true);
    // Deterministic.
    expect(choosePerCategoryMix(o, stack, identity, all, [0, 1, 2], 0.3)).toEqual(mix);
  });

  it("gives categories it does not choose for the shared weight", () => {
    const { o, stack } = synthetic(11);
    const shared = chooseMix(o, stack, identity, all, [0, 2], 0.3);
    expect(choosePerCategoryMix(o, stack, identity, all, [0, 2], 0.3)[1]).toBe(shared);
  });

  it("nested: a fold's weights do not change when that fold's own labels do", () => {
    const { o, stack } = synthetic(5);
    const before = nestedPerCategoryMix(o, stack, identity, [0, 1, 2], 0.3);
    expect(before.weights).toHaveLength(5);
    // Scramble fold 0's labels: only fold 0's scores are measured on them, so weights chosen for folds 1–4 move, fold 0's stay.
    const fold0 = new Set(o.contracts.map((c, k) => (contractFold(c.file, 5) === 0 ? k : -1)).filter((k) => k >= 0));
    expect(fold0.size).toBeGreaterThan(0);
    const labels = Uint8Array.from(o.labels);
    for (let i = 0; i < o.size; i++) if (fold0.has(o.contractOf[i]!)) for (let c = 0; c < C; c++) labels[i * C + c] = 0;
    const goldSpans = o.goldSpans.filter((g) => !fold0.has(g.contract));
    const after = nestedPerCategoryMix({ ...o, labels, goldSpans }, stack, identity, [0, 1, 2], 0.3);
    const foldOf = (k: number) => contractFold(o.contracts[k]!.file, 5);
    expect(after.weights[0]).toEqual(before.weights[0]);
    // And fold 0's scores are the same numbers.
    for (let i = 0; i < o.size; i++) if (foldOf(o.contractOf[i]!) === 0) for (let c = 0; c < C; c++) expect(after.probabilities[i * C + c]).toBe(before.probabilities[i * C + c]);
  });
});
