// One-vs-rest logistic regression for every category at once, trained with AdaGrad on the sparse
// sentence matrix (each feature's weights for all categories sit side by side, so one pass over a
// sentence's features updates every category). Deterministic for a given seed.
import type { SentenceDataset } from "./sentence-dataset";

export interface TrainOptions {
  readonly epochs: number;
  readonly learningRate: number;
  /** L2 penalty applied to the weights a sentence touches. */
  readonly l2: number;
  readonly seed: number;
}

export interface LinearWeights {
  readonly bias: Float32Array;
  readonly hashed: Float32Array;
  readonly rules: Float32Array;
}

/** Fisher–Yates shuffle of `order` in place, drawing from `random` (a seededRandom, so training stays deterministic). */
export function shuffleInPlace(order: Int32Array | number[], random: () => number): void {
  for (let i = order.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    const t = order[i]!;
    order[i] = order[j]!;
    order[j] = t;
  }
}

/**
 * One AdaGrad step on weight `f`: the loss gradient `g` plus the L2 pull, scaled by the square root
 * of that weight's accumulated squared gradients (`g2`, started above zero). Every trainer here uses it.
 */
export function adagradStep(w: Float32Array, g2: Float32Array, f: number, g: number, l2: number, lr: number): void {
  const grad = g + l2 * w[f]!;
  g2[f]! += grad * grad;
  w[f]! -= (lr * grad) / Math.sqrt(g2[f]!);
}

/** mulberry32: a small seeded PRNG (shuffles must not depend on Math.random). */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const sigmoid = (z: number) => 1 / (1 + Math.exp(-z));
const SKIP_GRADIENT = 2e-3;

export function trainLogistic(data: SentenceDataset, rows: Int32Array, opts: TrainOptions): LinearWeights {
  const C = data.categories.length;
  const R = data.rules.length / data.size;
  const H = 1 << data.hashBits;
  const bias = new Float32Array(C);
  const hashed = new Float32Array(H * C);
  const rules = new Float32Array(R * C);
  const gBias = new Float32Array(C).fill(1e-6);
  const gHashed = new Float32Array(H * C).fill(1e-6);
  const gRules = new Float32Array(R * C).fill(1e-6);
  const random = seededRandom(opts.seed);
  const order = Int32Array.from(rows);
  const g = new Float32Array(C);
  const z = new Float32Array(C);
  const active = new Int32Array(C);
  const lr = opts.learningRate;
  for (let epoch = 0; epoch < opts.epochs; epoch++) {
    shuffleInPlace(order, random);
    for (const row of order) {
      const from = data.offsets[row]!;
      const to = data.offsets[row + 1]!;
      const v = data.values[row]!;
      z.set(bias);
      for (let k = from; k < to; k++) {
        const base = data.indices[k]! * C;
        for (let c = 0; c < C; c++) z[c]! += hashed[base + c]! * v;
      }
      const rBase = row * R;
      for (let r = 0; r < R; r++) {
        const x = data.rules[rBase + r]!;
        if (x === 0) continue;
        for (let c = 0; c < C; c++) z[c]! += rules[r * C + c]! * x;
      }
      const lBase = row * C;
      // Categories the sentence is already scored right for (|gradient| < skip) are not updated:
      // most sentences are confident negatives, and this makes later epochs several times faster.
      let n = 0;
      for (let c = 0; c < C; c++) {
        g[c] = sigmoid(z[c]!) - data.labels[lBase + c]!;
        if (Math.abs(g[c]!) >= SKIP_GRADIENT) active[n++] = c;
      }
      if (n === 0) continue;
      for (let c = 0; c < C; c++) {
        gBias[c]! += g[c]! * g[c]!;
        bias[c]! -= (lr * g[c]!) / Math.sqrt(gBias[c]!);
      }
      for (let k = from; k < to; k++) {
        const base = data.indices[k]! * C;
        for (let a = 0; a < n; a++) {
          const c = active[a]!;
          adagradStep(hashed, gHashed, base + c, g[c]! * v, opts.l2, lr);
        }
      }
      for (let r = 0; r < R; r++) {
        const x = data.rules[rBase + r]!;
        if (x === 0) continue;
        for (let a = 0; a < n; a++) {
          const c = active[a]!;
          adagradStep(rules, gRules, r * C + c, g[c]! * x, opts.l2, lr);
        }
      }
    }
  }
  return { bias, hashed, rules };
}

/** Raw scores z (before calibration) of the given rows, [row-position * C + c]. */
export function linearScores(data: SentenceDataset, rows: Int32Array, w: LinearWeights): Float32Array {
  const C = data.categories.length;
  const R = data.rules.length / data.size;
  const out = new Float32Array(rows.length * C);
  rows.forEach((row, p) => {
    const z = out.subarray(p * C, (p + 1) * C);
    z.set(w.bias);
    const v = data.values[row]!;
    for (let k = data.offsets[row]!; k < data.offsets[row + 1]!; k++) {
      const base = data.indices[k]! * C;
      for (let c = 0; c < C; c++) z[c]! += w.hashed[base + c]! * v;
    }
    for (let r = 0; r < R; r++) {
      const x = data.rules[row * R + r]!;
      if (x === 0) continue;
      for (let c = 0; c < C; c++) z[c]! += w.rules[r * C + c]! * x;
    }
  });
  return out;
}

/** Platt scaling: a, b minimising the log loss of sigmoid(a·z + b) (Newton's method, Platt's target smoothing). */
export function fitPlatt(z: ArrayLike<number>, y: ArrayLike<number>): { a: number; b: number } {
  const n = z.length;
  let pos = 0;
  for (let i = 0; i < n; i++) pos += y[i]!;
  const hi = (pos + 1) / (pos + 2);
  const lo = 1 / (n - pos + 2);
  let a = 1;
  let b = 0;
  for (let iter = 0; iter < 50; iter++) {
    let ga = 0, gb = 0, haa = 0, hab = 0, hbb = 0;
    for (let i = 0; i < n; i++) {
      const p = sigmoid(a * z[i]! + b);
      const t = y[i]! ? hi : lo;
      const d = p - t;
      const w = Math.max(p * (1 - p), 1e-12);
      ga += d * z[i]!;
      gb += d;
      haa += w * z[i]! * z[i]!;
      hab += w * z[i]!;
      hbb += w;
    }
    haa += 1e-9;
    hbb += 1e-9;
    const det = haa * hbb - hab * hab;
    if (!(Math.abs(det) > 0)) break;
    const da = (hbb * ga - hab * gb) / det;
    const db = (haa * gb - hab * ga) / det;
    a -= da;
    b -= db;
    if (Math.abs(da) < 1e-7 && Math.abs(db) < 1e-7) break;
  }
  return { a, b };
}
