// Unsupervised word vectors (train/dense-vectors.ts, PPMI + truncated SVD): on a made-up corpus in which
// "cancel" and "terminate" never share a sentence but are used in the same places, their vectors are close and
// far from a word of other places; the SVD recovers a known spectrum; the same seed gives the same bytes.
import { describe, expect, it } from "@jest/globals";
import { learnWordVectors, randomizedSvd, sentenceVector, words } from "../train/dense-vectors";

const cosine = (a: Float32Array, i: number, j: number, K: number) => {
  let s = 0;
  for (let d = 0; d < K; d++) s += a[i * K + d]! * a[j * K + d]!;
  return s;
};

function corpus(): string[][] {
  let s = 7;
  const r = () => (s = (Math.imul(s, 1103515245) + 12345) >>> 0) / 2 ** 32;
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(r() * xs.length)]!;
  const ending = ["either party may", "the buyer may", "the supplier may", "licensor may"];
  const endObjects = ["this agreement upon notice", "the order upon written notice", "the term for convenience", "this contract upon breach"];
  const paying = ["the buyer shall", "licensee shall", "the customer shall", "distributor shall"];
  const payObjects = ["the fees within thirty days", "all invoices in dollars", "the royalty each quarter", "the price stated in the order"];
  const out: string[][] = [];
  for (let n = 0; n < 3000; n++) {
    const kind = r();
    if (kind < 0.33) out.push(words(`${pick(ending)} terminate ${pick(endObjects)}`));
    else if (kind < 0.66) out.push(words(`${pick(ending)} cancel ${pick(endObjects)}`));
    else out.push(words(`${pick(paying)} pay ${pick(payObjects)}`));
  }
  return out;
}

describe("word vectors from co-occurrence (PPMI + truncated SVD)", () => {
  const sentences = corpus();
  const opts = { vocabulary: 200, minCount: 3, window: 4, dims: 8, powerIterations: 3, seed: 16 };

  it("gives words used in the same places close vectors though they never co-occur", () => {
    const wv = learnWordVectors(sentences, opts);
    const id = (w: string) => wv.index.get(w)!;
    expect(sentences.some((s) => s.includes("cancel") && s.includes("terminate"))).toBe(false);
    const synonyms = cosine(wv.vectors, id("cancel"), id("terminate"), wv.dims);
    const unrelated = cosine(wv.vectors, id("cancel"), id("pay"), wv.dims);
    expect(synonyms).toBeGreaterThan(0.8);
    expect(unrelated).toBeLessThan(synonyms - 0.5);
    // Two sentences that differ only by the synonym are nearer each other than a payment sentence.
    const a = sentenceVector(words("the supplier may cancel this agreement upon notice"), wv);
    const b = Array.from(sentenceVector(words("the supplier may terminate this agreement upon notice"), wv));
    const c = Array.from(sentenceVector(words("the buyer shall pay the fees within thirty days"), wv));
    const dot = (x: ArrayLike<number>, y: ArrayLike<number>) => Array.from(x).reduce((s, v, i) => s + v * y[i]!, 0);
    expect(dot(a, a)).toBeCloseTo(1, 5);
    expect(dot(a, b)).toBeGreaterThan(dot(a, c) + 0.3);
  });

  it("is deterministic for the seed", () => {
    const x = learnWordVectors(sentences, opts);
    const y = learnWordVectors(sentences, opts);
    expect(Buffer.from(x.vectors.buffer).equals(Buffer.from(y.vectors.buffer))).toBe(true);
  });

  it("recovers the leading singular values of a known matrix", () => {
    // A diagonal 40×40 matrix (CSR) with values 40, 39, …, 1: the top 5 singular values are 40…36.
    const V = 40;
    const M = { offsets: Int32Array.from({ length: V + 1 }, (_, i) => i), cols: Int32Array.from({ length: V }, (_, i) => i), vals: Float32Array.from({ length: V }, (_, i) => V - i) };
    const { U, S } = randomizedSvd(M, V, 5, 4, 3);
    [40, 39, 38, 37, 36].forEach((v, k) => expect(Math.abs(S[k]! - v)).toBeLessThan(0.01));
    for (let k = 0; k < 5; k++) expect(Math.abs(U[k * 5 + k]!)).toBeGreaterThan(0.99);
  });
});
