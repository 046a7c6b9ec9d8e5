// Unsupervised word vectors learned from contract text alone (no labels): positive pointwise mutual
// information of words within a window, smoothed context counts (α = 0.75), then a truncated SVD
// (randomized subspace iteration) of that matrix: each word's vector is U·√S, length-normalised.
// Words used alike ("terminate" / "cancel", "licensee" / "sublicensee") get similar vectors, which the
// hashed n-grams cannot give. A sentence's vector is the SIF-weighted mean of its words' vectors.
// Experiment code (train/dense-stack-experiment.ts); deterministic for the seed.
import { seededRandom } from "./logistic-trainer";

export interface WordVectorOptions {
  /** The most frequent words kept (the rest are skipped). */
  readonly vocabulary: number;
  /** A word must occur at least this often. */
  readonly minCount: number;
  /** Co-occurrence window (words either side, weighted 1/distance). */
  readonly window: number;
  /** Dimensions kept. */
  readonly dims: number;
  readonly powerIterations: number;
  readonly seed: number;
}

export const DEFAULT_WORD_VECTORS: WordVectorOptions = { vocabulary: 8000, minCount: 5, window: 5, dims: 48, powerIterations: 3, seed: 16 };

export interface WordVectors {
  readonly index: ReadonlyMap<string, number>;
  readonly dims: number;
  /** [word * dims + d], each row of unit length. */
  readonly vectors: Float32Array;
  /** SIF weight a / (a + p(word)), a = 1e-3: frequent words count less. */
  readonly weights: Float32Array;
}

const WORD = /[a-z]+/g;
/** Lower-cased runs of letters (linear: one pass, no backtracking). */
export const words = (text: string): string[] => text.toLowerCase().match(WORD) ?? [];

/** Learns word vectors from token sequences (each a sentence; windows do not cross them). */
export function learnWordVectors(sentences: readonly (readonly string[])[], opts: WordVectorOptions = DEFAULT_WORD_VECTORS): WordVectors {
  const counts = new Map<string, number>();
  let total = 0;
  for (const s of sentences) for (const w of s) {
    counts.set(w, (counts.get(w) ?? 0) + 1);
    total++;
  }
  const vocab = [...counts.entries()].filter(([, n]) => n >= opts.minCount).sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).slice(0, opts.vocabulary);
  const V = vocab.length;
  const index = new Map(vocab.map(([w], i) => [w, i]));
  // Dense co-occurrence counts (V² floats: 256 MB at 8,000 words), symmetric, weighted 1/distance.
  const co = new Float32Array(V * V);
  const ids = new Int32Array(4096);
  for (const s of sentences) {
    const n = Math.min(s.length, ids.length);
    for (let i = 0; i < n; i++) ids[i] = index.get(s[i]!) ?? -1;
    for (let i = 0; i < n; i++) {
      const a = ids[i]!;
      if (a < 0) continue;
      for (let j = i + 1; j <= i + opts.window && j < n; j++) {
        const b = ids[j]!;
        if (b < 0) continue;
        const w = 1 / (j - i);
        co[a * V + b]! += w;
        co[b * V + a]! += w;
      }
    }
  }
  const rowSum = new Float64Array(V);
  for (let a = 0; a < V; a++) {
    let s = 0;
    for (let b = 0; b < V; b++) s += co[a * V + b]!;
    rowSum[a] = s;
  }
  const ctx = Float64Array.from(rowSum, (r) => Math.pow(r, 0.75));
  const ctxTotal = ctx.reduce((s, v) => s + v, 0);
  // Positive PMI as CSR.
  const offsets = new Int32Array(V + 1);
  const cols: number[] = [];
  const vals: number[] = [];
  for (let a = 0; a < V; a++) {
    for (let b = 0; b < V; b++) {
      const c = co[a * V + b]!;
      if (c <= 0 || rowSum[a]! <= 0) continue;
      const pmi = Math.log((c * ctxTotal) / (rowSum[a]! * ctx[b]!));
      if (pmi > 0) {
        cols.push(b);
        vals.push(pmi);
      }
    }
    offsets[a + 1] = cols.length;
  }
  const M = { offsets, cols: Int32Array.from(cols), vals: Float32Array.from(vals) };
  const { U, S } = randomizedSvd(M, V, opts.dims, opts.powerIterations, opts.seed);
  const K = opts.dims;
  const vectors = new Float32Array(V * K);
  for (let a = 0; a < V; a++) {
    let norm = 0;
    for (let d = 0; d < K; d++) {
      const v = U[a * K + d]! * Math.sqrt(S[d]!);
      vectors[a * K + d] = v;
      norm += v * v;
    }
    norm = Math.sqrt(norm);
    if (norm > 0) for (let d = 0; d < K; d++) vectors[a * K + d]! /= norm;
  }
  const weights = Float32Array.from(vocab, ([, n]) => 1e-3 / (1e-3 + n / total));
  return { index, dims: K, vectors, weights };
}

/** The SIF-weighted mean of a sentence's word vectors, unit length (all zero when no word is known). */
export function sentenceVector(tokens: readonly string[], wv: WordVectors, out: Float32Array = new Float32Array(wv.dims)): Float32Array {
  out.fill(0);
  const K = wv.dims;
  for (const t of tokens) {
    const i = wv.index.get(t);
    if (i === undefined) continue;
    const w = wv.weights[i]!;
    for (let d = 0; d < K; d++) out[d]! += w * wv.vectors[i * K + d]!;
  }
  let norm = 0;
  for (let d = 0; d < K; d++) norm += out[d]! * out[d]!;
  norm = Math.sqrt(norm);
  if (norm > 0) for (let d = 0; d < K; d++) out[d]! /= norm;
  return out;
}

interface Csr {
  readonly offsets: Int32Array;
  readonly cols: Int32Array;
  readonly vals: Float32Array;
}

/** Y = M·X (X: V×L row-major). */
function multiply(M: Csr, X: Float64Array, V: number, L: number): Float64Array {
  const Y = new Float64Array(V * L);
  for (let a = 0; a < V; a++) for (let p = M.offsets[a]!; p < M.offsets[a + 1]!; p++) {
    const b = M.cols[p]!;
    const v = M.vals[p]!;
    for (let l = 0; l < L; l++) Y[a * L + l]! += v * X[b * L + l]!;
  }
  return Y;
}

/** Y = Mᵀ·X. */
function multiplyTransposed(M: Csr, X: Float64Array, V: number, L: number): Float64Array {
  const Y = new Float64Array(V * L);
  for (let a = 0; a < V; a++) for (let p = M.offsets[a]!; p < M.offsets[a + 1]!; p++) {
    const b = M.cols[p]!;
    const v = M.vals[p]!;
    for (let l = 0; l < L; l++) Y[b * L + l]! += v * X[a * L + l]!;
  }
  return Y;
}

/** Orthonormal columns in place (modified Gram–Schmidt over the L columns of a V×L matrix). */
function orthonormalize(Y: Float64Array, V: number, L: number): void {
  for (let l = 0; l < L; l++) {
    for (let k = 0; k < l; k++) {
      let dot = 0;
      for (let a = 0; a < V; a++) dot += Y[a * L + l]! * Y[a * L + k]!;
      for (let a = 0; a < V; a++) Y[a * L + l]! -= dot * Y[a * L + k]!;
    }
    let norm = 0;
    for (let a = 0; a < V; a++) norm += Y[a * L + l]! ** 2;
    norm = Math.sqrt(norm) || 1;
    for (let a = 0; a < V; a++) Y[a * L + l]! /= norm;
  }
}

/** Eigen-decomposition of a symmetric L×L matrix (cyclic Jacobi): values and column eigenvectors. */
function symmetricEigen(A: Float64Array, L: number): { values: Float64Array; vectors: Float64Array } {
  const a = Float64Array.from(A);
  const v = new Float64Array(L * L);
  for (let i = 0; i < L; i++) v[i * L + i] = 1;
  for (let sweep = 0; sweep < 60; sweep++) {
    let off = 0;
    for (let p = 0; p < L; p++) for (let q = p + 1; q < L; q++) off += a[p * L + q]! ** 2;
    if (off < 1e-20) break;
    for (let p = 0; p < L; p++) for (let q = p + 1; q < L; q++) {
      const apq = a[p * L + q]!;
      if (Math.abs(apq) < 1e-300) continue;
      const theta = (a[q * L + q]! - a[p * L + p]!) / (2 * apq);
      const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
      const c = 1 / Math.sqrt(t * t + 1);
      const s = t * c;
      for (let k = 0; k < L; k++) {
        const akp = a[k * L + p]!;
        const akq = a[k * L + q]!;
        a[k * L + p] = c * akp - s * akq;
        a[k * L + q] = s * akp + c * akq;
      }
      for (let k = 0; k < L; k++) {
        const apk = a[p * L + k]!;
        const aqk = a[q * L + k]!;
        a[p * L + k] = c * apk - s * aqk;
        a[q * L + k] = s * apk + c * aqk;
      }
      for (let k = 0; k < L; k++) {
        const vkp = v[k * L + p]!;
        const vkq = v[k * L + q]!;
        v[k * L + p] = c * vkp - s * vkq;
        v[k * L + q] = s * vkp + c * vkq;
      }
    }
  }
  return { values: Float64Array.from({ length: L }, (_, i) => a[i * L + i]!), vectors: v };
}

/** The K leading left singular vectors (V×K) and values of M, by randomized subspace iteration. */
export function randomizedSvd(M: Csr, V: number, K: number, powerIterations: number, seed: number): { U: Float64Array; S: Float64Array } {
  const L = K + 12;
  const random = seededRandom(seed);
  const gauss = () => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
  let Y = multiply(M, Float64Array.from({ length: V * L }, gauss), V, L);
  orthonormalize(Y, V, L);
  for (let it = 0; it < powerIterations; it++) {
    const Z = multiplyTransposed(M, Y, V, L);
    orthonormalize(Z, V, L);
    Y = multiply(M, Z, V, L);
    orthonormalize(Y, V, L);
  }
  // B = Qᵀ M, so B·Bᵀ = Qᵀ M Mᵀ Q (L×L); its eigenvectors W give U = Q·W, singular values √λ.
  const Bt = multiplyTransposed(M, Y, V, L); // Mᵀ Q: V×L
  const G = new Float64Array(L * L);
  for (let a = 0; a < V; a++) for (let i = 0; i < L; i++) {
    const x = Bt[a * L + i]!;
    if (x === 0) continue;
    for (let j = 0; j < L; j++) G[i * L + j]! += x * Bt[a * L + j]!;
  }
  const { values, vectors: W } = symmetricEigen(G, L);
  const order = Array.from({ length: L }, (_, i) => i).sort((i, j) => values[j]! - values[i]!).slice(0, K);
  const U = new Float64Array(V * K);
  for (let a = 0; a < V; a++) for (let k = 0; k < K; k++) {
    const col = order[k]!;
    let s = 0;
    for (let i = 0; i < L; i++) s += Y[a * L + i]! * W[i * L + col]!;
    U[a * K + k] = s;
  }
  return { U, S: Float64Array.from(order, (i) => Math.sqrt(Math.max(0, values[i]!))) };
}
