// Softmax regression over lists (one list per contract: its expiry candidates and a "none" choice), sparse binary
// features sharing one weight vector, AdaGrad; deterministic for the seed. Used by the key-term trainer's expiry head.
import { adagradStep, seededRandom, shuffleInPlace } from "./logistic-trainer";

export interface ListGroup {
  /** Each item's hashed features (the last item of an expiry list is its "none" choice). */
  readonly items: readonly Int32Array[];
  /** Target distribution over the items (uniform over the right ones). */
  readonly target: Float64Array;
}

export interface ListwiseFit {
  readonly hashBits: number;
  readonly epochs: number;
  readonly learningRate: number;
  readonly l2: number;
}

const raw = (w: Float32Array, indices: Int32Array) => {
  let z = 0;
  for (const f of indices) z += w[f]!;
  return z;
};

/** One fit: the loss is -log of the mass on the right items (several candidates may give the answer's value). */
export function fitListwise(groups: readonly ListGroup[], seed: number, fit: ListwiseFit): Float32Array {
  const size = 1 << fit.hashBits;
  const w = new Float32Array(size);
  const g2 = new Float32Array(size).fill(1e-6);
  const order = groups.map((_, i) => i);
  const random = seededRandom(seed);
  for (let epoch = 0; epoch < fit.epochs; epoch++) {
    shuffleInPlace(order, random);
    for (const k of order) {
      const { items, target } = groups[k]!;
      const z = items.map((ix) => raw(w, ix));
      const max = Math.max(...z);
      const e = z.map((v) => Math.exp(v - max));
      const sum = e.reduce((a, b) => a + b, 0);
      // Each right item's target is its share of the mass on the right items.
      let right = 0;
      items.forEach((_, i) => (right += target[i]! > 0 ? e[i]! : 0));
      const grads = new Map<number, number>();
      items.forEach((ix, i) => {
        const g = e[i]! / sum - (target[i]! > 0 ? e[i]! / right : 0);
        if (Math.abs(g) < 1e-4) return;
        for (const f of ix) grads.set(f, (grads.get(f) ?? 0) + g);
      });
      for (const [f, g] of grads) adagradStep(w, g2, f, g, fit.l2, fit.learningRate);
    }
  }
  return w;
}
