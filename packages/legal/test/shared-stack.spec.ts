// The second stage shrunk toward a model shared by all categories (train/shared-stack.ts): on made-up
// first-stage scores where, in every category, the gold sentence is told from look-alikes only by its
// clause's opening line (a heading the first stage reads well), a rare category with two spans learns
// that from the common ones and ranks its held-out gold sentences first; alone it ranks some look-alikes
// above them.
import { describe, expect, it } from "@jest/globals";
import type { OutOfFold } from "../train/out-of-fold";
import { crossValidateStack, DEFAULT_STACK, fitDense, scoredDocuments, type StackOptions } from "../train/second-stage";
import { candidatePool, fitShared } from "../train/shared-stack";

const CATEGORIES = ["Governing Law", "Exclusivity", "Insurance", "Audit Rights", "Price Restrictions"] as const;
const C = CATEGORIES.length;
const RARE = 4;
const CONTRACTS = 80;
const SENTENCES = 40;
const CLAUSE = 4;

function synthetic(seed: number): OutOfFold {
  let s = seed;
  const r = () => (s = (Math.imul(s, 1103515245) + 12345) >>> 0) / 2 ** 32;
  const size = CONTRACTS * SENTENCES;
  const logits = new Float32Array(size * C).map(() => -9 + r());
  const labels = new Uint8Array(size * C);
  const goldSpans: { contract: number; category: number; sentences: Int32Array }[] = [];
  for (let k = 0; k < CONTRACTS; k++) {
    const base = k * SENTENCES;
    for (let c = 0; c < C; c++) {
      // Every category: look-alike sentences the first stage scores like the gold one.
      for (let n = 0; n < 6; n++) logits[(base + Math.floor(r() * SENTENCES)) * C + c] = -2 + 0.6 * r();
      // The rare category has a clause in 2 contracts of 80 (at most one in any 4 training folds); the others in all.
      if (c === RARE && k % 40 !== 3) continue;
      const clause = Math.floor(r() * (SENTENCES / CLAUSE));
      const heading = base + clause * CLAUSE;
      const gold = heading + 1 + Math.floor(r() * (CLAUSE - 1));
      logits[heading * C + c] = 1 + r();
      logits[gold * C + c] = -2 + 0.6 * r();
      labels[gold * C + c] = 1;
      goldSpans.push({ contract: k, category: c, sentences: Int32Array.of(gold) });
    }
  }
  return {
    categories: CATEGORIES,
    size,
    logits,
    rules: new Float32Array(size * C),
    labels,
    contractOf: Int32Array.from({ length: size }, (_, i) => Math.floor(i / SENTENCES)),
    clauseOf: Int32Array.from({ length: size }, (_, i) => Math.floor((i % SENTENCES) / CLAUSE)),
    starts: Int32Array.from({ length: size }, (_, i) => 100 * (i % SENTENCES)),
    ends: Int32Array.from({ length: size }, (_, i) => 100 * (i % SENTENCES) + 90),
    contracts: Array.from({ length: CONTRACTS }, (_, k) => ({ file: `contract-${k}.txt`, textLength: 100 * SENTENCES, type: "other" as const })),
    goldSpans,
    folds: 5,
  };
}

/** Share of (gold, look-alike) pairs of category c the held-out second-stage logits order right (AUC over the pairs it reads). */
function heldOutAuc(o: OutOfFold, logits: Float32Array, c: number): number {
  const pos: number[] = [], neg: number[] = [];
  for (let i = 0; i < o.size; i++) {
    const z = logits[i * C + c]!;
    if (Number.isNaN(z) || o.logits[i * C + c]! > 0) continue; // the headings are no look-alikes
    (o.labels[i * C + c] ? pos : neg).push(z);
  }
  let right = 0;
  for (const p of pos) for (const n of neg) right += p > n ? 1 : p === n ? 0.5 : 0;
  return right / (pos.length * neg.length);
}

const identity = { a: new Float32Array(C).fill(1), b: new Float32Array(C) };
const alone: StackOptions = { epochs: DEFAULT_STACK.epochs, learningRate: DEFAULT_STACK.learningRate, l2: DEFAULT_STACK.l2, seed: 16 };

describe("second stage shrunk toward a shared model", () => {
  const o = synthetic(5);

  it("lets a rare category rank its held-out gold sentences by what the common ones learnt", () => {
    const own = crossValidateStack(o, [0, 1, 2, 3, RARE], alone, identity);
    const shared = crossValidateStack(o, [0, 1, 2, 3, RARE], { ...alone, sharedL2: 0.005 }, identity);
    // The common categories learn it either way.
    for (const c of [0, 1, 2, 3]) expect(heldOutAuc(o, own.logits, c)).toBeGreaterThan(0.95);
    // The rare one ranks its held-out gold sentences above every look-alike only with the shared model, and
    // gives each of them a higher probability.
    expect(heldOutAuc(o, shared.logits, RARE)).toBe(1);
    expect(heldOutAuc(o, own.logits, RARE)).toBeLessThan(0.995);
    const gold = Array.from({ length: o.size }, (_, i) => i).filter((i) => o.labels[i * C + RARE]);
    expect(gold).toHaveLength(2);
    for (const i of gold) expect(shared.logits[i * C + RARE]!).toBeGreaterThan(own.logits[i * C + RARE]! + 0.3);
  });

  it("fits deterministically, and a category model starts from the shared one", () => {
    const docs = scoredDocuments(o);
    const pool = candidatePool(o, docs, [0, 1, 2, 3, RARE]);
    const opts = { ...alone, sharedL2: 0.005 };
    const a = fitShared(pool, C, () => true, opts);
    expect(fitShared(pool, C, () => true, opts)).toEqual(a);
    // The heading's score (the clause's opening line) is what the shared model leans on.
    expect(a.w.every(Number.isFinite)).toBe(true);
    const F = pool.features;
    const x = new Float32Array(2 * F).map((_, i) => (i % F) / F + Math.floor(i / F));
    const fitted = fitDense(x, F, () => 0, Int32Array.of(0, 1), { ...alone, epochs: 0 }, { w: a.w, b: a.b[RARE]! });
    let z0 = fitted.b, z1 = a.b[RARE]!;
    for (let f = 0; f < F; f++) {
      z0 += fitted.w[f]! * x[F + f]!;
      z1 += a.w[f]! * x[F + f]!;
    }
    expect(z0).toBeCloseTo(z1, 3);
  });
});
