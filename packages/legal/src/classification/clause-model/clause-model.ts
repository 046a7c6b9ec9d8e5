import { ClauseModelError } from "../../errors";
import { newModelFile, readModelFile } from "../../model-file";
import { CUAD_CATEGORIES, cuadCategory, type CuadCategory } from "../cuad-categories";
import { contextFeatureCount, contextFeatures, documentMaxima, isStackCandidate, type ScoredDocument } from "./context-features";
import type { SentenceFeatures } from "./sentence-features";

const MAGIC = "BEARCLM1";

/** What a trained clause model is made of (float weights; the file stores the hashed ones as int8). */
export interface ClauseModelWeights {
  readonly hashBits: number;
  readonly categories: readonly CuadCategory[];
  /** Per category. */
  readonly bias: Float32Array;
  /** [bucket * categories + category]. */
  readonly hashed: Float32Array;
  /** [ruleCategory * categories + category], rule categories in CUAD_CATEGORIES order. */
  readonly rules: Float32Array;
  /** Platt scaling per category: p = sigmoid(a·z + b). */
  readonly calibrationA: Float32Array;
  readonly calibrationB: Float32Array;
  /** Free-form provenance (seed, data, date of training). */
  readonly meta: Readonly<Record<string, unknown>>;
  /** The second stage, when trained: per category a logistic model over the context features. */
  readonly stack?: StackWeights;
}

/**
 * Second-stage weights: [category * features + feature] and a bias per category (NaN: none for that
 * category). Its sigmoid is its probability: trained with a strong L2 penalty on out-of-fold
 * first-stage scores, it comes out calibrated (see the README's reliability table).
 */
export interface StackWeights {
  readonly features: number;
  readonly weights: Float32Array;
  readonly bias: Float32Array;
}

interface FileHeader {
  readonly version: 1 | 2;
  /** Version 2: the second stage's width (its weights follow the rule weights). */
  readonly stack?: { readonly features: number };
  readonly hashBits: number;
  readonly categories: readonly string[];
  readonly ruleCategories: readonly string[];
  readonly meta: Record<string, unknown>;
}

const sigmoid = (z: number) => 1 / (1 + Math.exp(-z));

/**
 * A linear clause classifier over hashed word n-grams and the rule scores, one calibrated logistic
 * output per CUAD category. Scores read as probabilities that the sentence belongs to the category.
 */
export class ClauseModel {
  readonly hashBits: number;
  readonly categories: readonly CuadCategory[];
  readonly meta: Readonly<Record<string, unknown>>;
  private readonly bias: Float32Array;
  private readonly scale: Float32Array;
  private readonly hashed: Int8Array;
  private readonly rules: Float32Array;
  private readonly calA: Float32Array;
  private readonly calB: Float32Array;
  private readonly stack: StackWeights | undefined;

  private constructor(parts: { hashBits: number; categories: readonly CuadCategory[]; meta: Record<string, unknown>; bias: Float32Array; scale: Float32Array; hashed: Int8Array; rules: Float32Array; calA: Float32Array; calB: Float32Array; stack?: StackWeights | undefined }) {
    this.hashBits = parts.hashBits;
    this.categories = parts.categories;
    this.meta = parts.meta;
    this.bias = parts.bias;
    this.scale = parts.scale;
    this.hashed = parts.hashed;
    this.rules = parts.rules;
    this.calA = parts.calA;
    this.calB = parts.calB;
    this.stack = parts.stack;
  }

  /** Whether the model has a second stage (which reads each sentence in its contract). */
  get stacked(): boolean {
    return this.stack !== undefined;
  }

  /** Quantises float weights (int8 per category scale) into a model. */
  static fromWeights(w: ClauseModelWeights): ClauseModel {
    const C = w.categories.length;
    const scale = new Float32Array(C);
    for (let i = 0; i < w.hashed.length; i++) scale[i % C] = Math.max(scale[i % C]!, Math.abs(w.hashed[i]!));
    for (let c = 0; c < C; c++) scale[c] = scale[c]! > 0 ? scale[c]! / 127 : 1;
    const hashed = new Int8Array(w.hashed.length);
    for (let i = 0; i < w.hashed.length; i++) hashed[i] = Math.round(w.hashed[i]! / scale[i % C]!);
    return new ClauseModel({ hashBits: w.hashBits, categories: w.categories, meta: { ...w.meta }, bias: w.bias, scale, hashed, rules: w.rules, calA: w.calibrationA, calB: w.calibrationB, stack: w.stack });
  }

  /** Reads the binary model file (as written by `toBytes`). */
  static fromBytes(bytes: Uint8Array, source = "(bytes)"): ClauseModel {
    const fail = (reason: string, cause?: unknown): never => {
      throw new ClauseModelError(source, reason, cause);
    };
    const { header, bodyStart: offset } = readModelFile<FileHeader>(bytes, MAGIC, "clause model", fail);
    if (header.version !== 1 && header.version !== 2) fail(`version ${String(header.version)} is not supported (expected 1 or 2)`);
    if (!Number.isInteger(header.hashBits) || header.hashBits < 8 || header.hashBits > 24) fail(`hashBits ${String(header.hashBits)} is out of range 8–24`);
    const categories = header.categories.map((c) => cuadCategory(c) ?? fail(`unknown category '${c}'`));
    if (header.ruleCategories.join("|") !== CUAD_CATEGORIES.join("|")) fail("its rule features do not match this version's CUAD categories");
    const C = categories.length;
    const R = header.ruleCategories.length;
    const H = 1 << header.hashBits;
    const S = header.version === 2 ? (header.stack?.features ?? 0) : 0;
    if (header.version === 2 && S !== contextFeatureCount(R)) fail(`its second stage reads ${S} context features, this version builds ${contextFeatureCount(R)}`);
    const floats = 4 * C + R * C + (S > 0 ? S * C + C : 0);
    const expected = offset + 4 * floats + H * C;
    if (bytes.length !== expected) fail(`size is ${bytes.length} bytes, expected ${expected} (truncated or corrupt)`);
    // Copy into arrays of their own: the input may be a view (a Node Buffer) starting anywhere in a larger buffer.
    const f = new Float32Array(new Uint8Array(bytes.subarray(offset, offset + 4 * floats)).buffer);
    const hashed = new Int8Array(new Uint8Array(bytes.subarray(offset + 4 * floats)).buffer);
    return new ClauseModel({
      hashBits: header.hashBits,
      categories,
      meta: header.meta ?? {},
      bias: f.subarray(0, C),
      scale: f.subarray(C, 2 * C),
      calA: f.subarray(2 * C, 3 * C),
      calB: f.subarray(3 * C, 4 * C),
      rules: f.subarray(4 * C, 4 * C + R * C),
      hashed,
      stack: S > 0 ? { features: S, weights: f.subarray(4 * C + R * C, 4 * C + R * C + S * C), bias: f.subarray(4 * C + R * C + S * C, floats) } : undefined,
    });
  }

  /** The binary file: signature, JSON header, float32 arrays, int8 hashed weights. */
  toBytes(): Uint8Array {
    const header: FileHeader = { version: this.stack ? 2 : 1, ...(this.stack ? { stack: { features: this.stack.features } } : {}), hashBits: this.hashBits, categories: this.categories, ruleCategories: CUAD_CATEGORIES, meta: { ...this.meta } };
    const floats = [this.bias, this.scale, this.calA, this.calB, this.rules, ...(this.stack ? [this.stack.weights, this.stack.bias] : [])];
    const floatCount = floats.reduce((n, a) => n + a.length, 0);
    const { bytes: out, bodyStart: offset } = newModelFile(MAGIC, header, 4 * floatCount + this.hashed.length);
    const f = new Float32Array(floatCount);
    let at = 0;
    for (const a of floats) {
      f.set(a, at);
      at += a.length;
    }
    out.set(new Uint8Array(f.buffer), offset);
    out.set(new Uint8Array(this.hashed.buffer, this.hashed.byteOffset, this.hashed.byteLength), offset + 4 * floatCount);
    return out;
  }

  /** Raw linear scores (before calibration), one per category. */
  logits(x: SentenceFeatures): Float32Array {
    const C = this.categories.length;
    const z = Float32Array.from(this.bias);
    const tmp = new Float32Array(C);
    for (let k = 0; k < x.indices.length; k++) {
      const base = x.indices[k]! * C;
      for (let c = 0; c < C; c++) tmp[c]! += this.hashed[base + c]!;
    }
    for (let c = 0; c < C; c++) z[c]! += tmp[c]! * this.scale[c]! * x.value;
    for (let r = 0; r < x.rules.length; r++) {
      const v = x.rules[r]!;
      if (v === 0) continue;
      const base = r * C;
      for (let c = 0; c < C; c++) z[c]! += this.rules[base + c]! * v;
    }
    return z;
  }

  /** Calibrated probabilities, one per category (in `categories` order). */
  predict(x: SentenceFeatures): Float32Array {
    const z = this.logits(x);
    for (let c = 0; c < z.length; c++) z[c] = sigmoid(this.calA[c]! * z[c]! + this.calB[c]!);
    return z;
  }

  /**
   * Calibrated probabilities of every sentence of a contract, [sentence * C + category]. With a second
   * stage each sentence is read in its contract (neighbours, clause, rank, kind of agreement), else
   * each alone (`predict`).
   */
  predictDocument(doc: ScoredDocument): Float32Array {
    const C = this.categories.length;
    const n = doc.clauseOf.length;
    const out = new Float32Array(n * C);
    if (!this.stack) {
      for (let i = 0; i < n; i++) for (let c = 0; c < C; c++) out[i * C + c] = sigmoid(this.calA[c]! * doc.logits[i * C + c]! + this.calB[c]!);
      return out;
    }
    const F = this.stack.features;
    const maxima = documentMaxima(doc);
    for (let c = 0; c < C; c++) {
      if (Number.isNaN(this.stack.bias[c]!)) {
        for (let i = 0; i < n; i++) out[i * C + c] = sigmoid(this.calA[c]! * doc.logits[i * C + c]! + this.calB[c]!);
        continue;
      }
      const x = contextFeatures(doc, c, maxima);
      const w = this.stack.weights.subarray(c * F, (c + 1) * F);
      for (let i = 0; i < n; i++) {
        const z1 = doc.logits[i * C + c]!;
        if (!isStackCandidate(z1, doc.rules[i * C + c]!)) {
          out[i * C + c] = sigmoid(this.calA[c]! * z1 + this.calB[c]!);
          continue;
        }
        let z = this.stack.bias[c]!;
        for (let f = 0; f < F; f++) z += w[f]! * x[i * F + f]!;
        out[i * C + c] = sigmoid(z);
      }
    }
    return out;
  }
}

