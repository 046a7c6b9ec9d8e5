// A small network over the first stage's own hashed features: each feature (word, bigram, heading
// word, neighbour word, rule band …) has a learnt dense vector; a sentence's vectors are summed
// (scaled like the linear model's bag), joined by its rule scores, and read by one hidden ReLU layer,
// one logistic output per category. Sparse AdaGrad, deterministic for a seed. Feature dropout: in
// training each sentence reads a random share of its features (the rest scaled up to match), so the
// network cannot lean on one phrase and learns the other words that go with a category.
import { secondBucket, type BagNetworkWeights } from "../src/classification/clause-model/bag-network";
import { adagradStep, seededRandom, shuffleInPlace } from "./logistic-trainer";
import type { SentenceDataset } from "./sentence-dataset";
import { checkDropout, TrainingError } from "./training-options";

export interface BagNetworkOptions {
  readonly bucketBits: number;
  /** Buckets per feature (`BagNetworkWeights.bucketHashes`; absent: 1). */
  readonly bucketHashes?: 1 | 2;
  readonly hidden: number;
  readonly epochs: number;
  readonly learningRate: number;
  readonly l2: number;
  readonly seed: number;
  /** Share of a sentence's hashed features left out at each training step (0: none). */
  readonly dropout: number;
  /** Share of the hidden units silenced at each training step (the rest scaled up to match; 0 or absent: none). */
  readonly hiddenDropout?: number;
  /**
   * Rare categories' positives weigh more in the loss: a positive of category c counts
   * min(cap, max(1, √(median / count_c))) times, count_c its positives among the training rows and
   * median the median count over the categories that have any (0 or absent: every positive counts once).
   */
  readonly positiveWeightCap?: number;
  /**
   * Rare categories' positive sentences are shown more often instead: a sentence positive for category c is
   * visited round(min(cap, max(1, √(median / count_c)))) times per epoch (the most any of its categories asks),
   * the same weights as `positiveWeightCap`. AdaGrad divides each weight's step by the root of its summed squared
   * gradients, so a gradient scaled by w moves a weight that mostly sees those sentences hardly more than
   * before, while w visits move it about √w times as far (0 or absent: every sentence once per epoch).
   */
  readonly positiveRepeatCap?: number;
}

export const DEFAULT_BAG_NETWORK: BagNetworkOptions = { bucketBits: 16, hidden: 64, epochs: 5, learningRate: 0.05, l2: 1e-7, seed: 16, dropout: 0.2 };


const sigmoid = (z: number) => 1 / (1 + Math.exp(-z));

export function trainBagNetwork(data: SentenceDataset, rows: Int32Array, opts: BagNetworkOptions): BagNetworkWeights {
  const C = data.categories.length;
  const R = data.rules.length / data.size;
  const H = opts.hidden;
  const B = 1 << opts.bucketBits;
  const mask = B - 1;
  const random = seededRandom(opts.seed);
  const embeddings = new Float32Array(B * H);
  const a0 = 0.1;
  for (let i = 0; i < embeddings.length; i++) embeddings[i] = (2 * random() - 1) * a0;
  const ruleWeights = new Float32Array(R * H);
  for (let i = 0; i < ruleWeights.length; i++) ruleWeights[i] = (2 * random() - 1) * 0.1;
  const b1 = new Float32Array(H).fill(0.01);
  const w2 = new Float32Array(C * H);
  const a2 = Math.sqrt(6 / H);
  for (let i = 0; i < w2.length; i++) w2[i] = (2 * random() - 1) * a2 * 0.3;
  const b2 = new Float32Array(C);
  for (let c = 0; c < C; c++) {
    let pos = 0;
    for (const r of rows) pos += data.labels[r * C + c]!;
    const p = (pos + 1) / (rows.length + 2);
    b2[c] = Math.log(p / (1 - p));
  }
  const gE = new Float32Array(B * H).fill(1e-6);
  const gR = new Float32Array(R * H).fill(1e-6);
  const gB1 = new Float32Array(H).fill(1e-6);
  const gW2 = new Float32Array(C * H).fill(1e-6);
  const gB2 = new Float32Array(C).fill(1e-6);
  const positiveWeight = positiveWeights(data, rows, opts.positiveWeightCap ?? 0);
  const lr = opts.learningRate;
  const hiddenDropout = checkDropout("hiddenDropout", opts.hiddenDropout ?? 0);
  const hiddenScale = 1 / (1 - hiddenDropout);
  const pre = new Float32Array(H);
  const h = new Float32Array(H);
  const dh = new Float32Array(H);
  const order = repeatRarePositives(data, rows, opts.positiveRepeatCap ?? 0);
  const two = opts.bucketHashes === 2;
  if (opts.bucketHashes !== undefined && opts.bucketHashes !== 1 && !two) throw new TrainingError(`bucketHashes must be 1 or 2, not ${String(opts.bucketHashes)}`, "Pass 2 to read each feature through two buckets, or leave it out.", { bucketHashes: opts.bucketHashes });
  // The table rows a training step reads: those of all its features, or of those the dropout draw keeps.
  let kept = new Int32Array(2048);
  for (let epoch = 0; epoch < opts.epochs; epoch++) {
    shuffleInPlace(order, random);
    for (const r of order) {
      const from = data.offsets[r]!;
      const to = data.offsets[r + 1]!;
      if (kept.length < 2 * (to - from)) kept = new Int32Array(2 * (to - from));
      let nk = 0;
      for (let k = from; k < to; k++) {
        if (opts.dropout > 0 && random() < opts.dropout) continue;
        const index = data.indices[k]!;
        kept[nk++] = (index & mask) * H;
        if (two) kept[nk++] = secondBucket(index, opts.bucketBits) * H;
      }
      const v = data.values[r]! / (1 - opts.dropout);
      pre.set(b1);
      for (let q = 0; q < nk; q++) {
        const base = kept[q]!;
        for (let j = 0; j < H; j++) pre[j]! += embeddings[base + j]! * v;
      }
      const rBase = r * R;
      for (let q = 0; q < R; q++) {
        const x = data.rules[rBase + q]!;
        if (x === 0) continue;
        for (let j = 0; j < H; j++) pre[j]! += ruleWeights[q * H + j]! * x;
      }
      for (let j = 0; j < H; j++) h[j] = pre[j]! > 0 ? pre[j]! : 0;
      // Hidden dropout: a silenced unit passes no signal forward and no gradient back (pre set to 0).
      if (hiddenDropout > 0) for (let j = 0; j < H; j++) {
        if (random() < hiddenDropout) h[j] = pre[j] = 0;
        else h[j]! *= hiddenScale;
      }
      dh.fill(0);
      let any = false;
      for (let c = 0; c < C; c++) {
        let z = b2[c]!;
        const base = c * H;
        for (let j = 0; j < H; j++) z += w2[base + j]! * h[j]!;
        const g = data.labels[r * C + c] ? positiveWeight[c]! * (sigmoid(z) - 1) : sigmoid(z);
        if (Math.abs(g) < 2e-3) continue;
        any = true;
        gB2[c]! += g * g;
        b2[c]! -= (lr * g) / Math.sqrt(gB2[c]!);
        for (let j = 0; j < H; j++) {
          if (h[j] === 0) continue;
          dh[j]! += g * w2[base + j]!;
          adagradStep(w2, gW2, base + j, g * h[j]!, opts.l2, lr);
        }
      }
      if (!any) continue;
      for (let j = 0; j < H; j++) {
        if (pre[j]! <= 0) dh[j] = 0;
        else {
          if (hiddenDropout > 0) dh[j]! *= hiddenScale;
          gB1[j]! += dh[j]! * dh[j]!;
          b1[j]! -= (lr * dh[j]!) / Math.sqrt(gB1[j]!);
        }
      }
      for (let q = 0; q < nk; q++) {
        const base = kept[q]!;
        for (let j = 0; j < H; j++) {
          const d = dh[j]!;
          if (d === 0) continue;
          adagradStep(embeddings, gE, base + j, d * v, opts.l2, lr);
        }
      }
      for (let q = 0; q < R; q++) {
        const x = data.rules[rBase + q]!;
        if (x === 0) continue;
        for (let j = 0; j < H; j++) {
          const d = dh[j]!;
          if (d === 0) continue;
          const w = q * H + j;
          const g = d * x;
          gR[w]! += g * g;
          ruleWeights[w]! -= (lr * g) / Math.sqrt(gR[w]!);
        }
      }
    }
  }
  return { bucketBits: opts.bucketBits, ...(two ? { bucketHashes: 2 as const } : {}), hidden: H, embeddings, ruleWeights, b1, w2, b2 };
}

/**
 * The weight of a positive of each category in the loss (see `positiveWeightCap`): 1 everywhere when the
 * cap is 0, else √(median / count) between 1 and the cap, so only categories rarer than the median gain.
 */
export function positiveWeights(data: Pick<SentenceDataset, "categories" | "labels">, rows: Int32Array, cap: number): Float32Array {
  const C = data.categories.length;
  const weights = new Float32Array(C).fill(1);
  if (!(Number.isFinite(cap) && cap >= 0)) throw new TrainingError(`positiveWeightCap must be a number of at least 0, not ${cap}`, "Pass 4 (a rare category's positives count at most four times), or 0 for none.", { positiveWeightCap: cap });
  if (cap <= 1) return weights;
  const counts = new Array<number>(C).fill(0);
  for (const r of rows) for (let c = 0; c < C; c++) counts[c]! += data.labels[r * C + c]!;
  const present = counts.filter((n) => n > 0).sort((a, b) => a - b);
  if (present.length === 0) return weights;
  const mid = present.length >> 1;
  const median = present.length % 2 === 1 ? present[mid]! : (present[mid - 1]! + present[mid]!) / 2;
  counts.forEach((n, c) => {
    if (n > 0) weights[c] = Math.min(cap, Math.max(1, Math.sqrt(median / n)));
  });
  return weights;
}

/** The rows one epoch visits: each once, but a sentence positive for a rare category as often as its weight (rounded). */
export function repeatRarePositives(data: Pick<SentenceDataset, "categories" | "labels">, rows: Int32Array, cap: number): Int32Array {
  const weights = positiveWeights(data, rows, cap);
  if (weights.every((w) => w === 1)) return Int32Array.from(rows);
  const C = data.categories.length;
  const order: number[] = [];
  for (const r of rows) {
    let visits = 1;
    for (let c = 0; c < C; c++) if (data.labels[r * C + c]) visits = Math.max(visits, Math.round(weights[c]!));
    for (let k = 0; k < visits; k++) order.push(r);
  }
  return Int32Array.from(order);
}

/** Logits of the given rows, [position * C + c]. */
export function bagNetworkScores(data: SentenceDataset, rows: Int32Array, w: BagNetworkWeights): Float32Array {
  const C = data.categories.length;
  const R = data.rules.length / data.size;
  const H = w.hidden;
  const mask = (1 << w.bucketBits) - 1;
  const two = w.bucketHashes === 2;
  const out = new Float32Array(rows.length * C);
  const pre = new Float32Array(H);
  rows.forEach((r, p) => {
    const v = data.values[r]!;
    pre.set(w.b1);
    for (let k = data.offsets[r]!; k < data.offsets[r + 1]!; k++) {
      const base = (data.indices[k]! & mask) * H;
      for (let j = 0; j < H; j++) pre[j]! += w.embeddings[base + j]! * v;
      if (!two) continue;
      const base2 = secondBucket(data.indices[k]!, w.bucketBits) * H;
      for (let j = 0; j < H; j++) pre[j]! += w.embeddings[base2 + j]! * v;
    }
    for (let q = 0; q < R; q++) {
      const x = data.rules[r * R + q]!;
      if (x === 0) continue;
      for (let j = 0; j < H; j++) pre[j]! += w.ruleWeights[q * H + j]! * x;
    }
    for (let j = 0; j < H; j++) if (pre[j]! < 0) pre[j] = 0;
    for (let c = 0; c < C; c++) {
      let z = w.b2[c]!;
      for (let j = 0; j < H; j++) z += w.w2[c * H + j]! * pre[j]!;
      out[p * C + c] = z;
    }
  });
  return out;
}
