import { ClauseModelError } from "../../errors";
import { newModelFile, readModelFile } from "../../model-file";
import { CUAD_CATEGORIES, cuadCategory, type CuadCategory } from "../cuad-categories";
import { contextFeatureCount, contextFeatures, documentMaxima, isStackCandidate, type ScoredDocument } from "./context-features";
import { bagNetworkLogits, blendLogit, quantiseBagNetwork, type BagNetworkWeights, type FirstStageBlend, type QuantisedBagNetwork } from "./bag-network";
import type { SentenceFeatures } from "./sentence-features";
import { clauseReaderLogits, type ClauseReaderWeights } from "./clause-reader";
import type { Clause } from "../../text/segment-clauses";

const MAGIC = "BEARCLM1";

/** What a trained clause model is made of (float weights; the file stores the hashed ones as int8). */
export interface ClauseModelWeights {
  readonly hashBits: number;
  /**
   * The linear reader's table has 2^linearBits rows (≤ hashBits): it reads feature b as row
   * b & (2^linearBits − 1), duplicates summed, as in training. Absent: hashBits.
   */
  readonly linearBits?: number;
  /** The readers were trained on sentences with their section titles (`ContextOptions.sections`). Absent: false. */
  readonly sections?: boolean;
  /** The readers were trained with typed cues (`ContextOptions.typed`, typed-cues.ts). Absent: false. */
  readonly typed?: boolean;
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
  /** The first stage's network reader and how its logits blend with the linear model's (file version 3). */
  readonly network?: { readonly weights: BagNetworkWeights; readonly blend: FirstStageBlend };
  /** The clause reader (clause-reader.ts), whose clause scores the second stage also reads. Absent: files before it. */
  readonly clauseReader?: ClauseReaderWeights;
}

/** The clause reader as the file stores it: int8 hashed weights with a per-category scale. */
interface QuantisedClauseReader {
  readonly bits: number;
  readonly bias: Float32Array;
  readonly scale: Float32Array;
  readonly rules: Float32Array;
  readonly hashed: Int8Array;
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
  /**
   * Weight of the second stage's logit in the score of a pair it reads; the rest is the first
   * stage's calibrated logit (chosen on out-of-fold scores: the mean ranks the contract's sentences
   * better across categories than either stage alone). Absent (files before it): 1, the second stage alone.
   */
  readonly mix?: number;
}

interface FileHeader {
  readonly version: 1 | 2 | 3;
  /** Version 2 and 3: the second stage's width (its weights follow the rule weights). */
  readonly stack?: { readonly features: number; readonly mix?: number };
  /** Version 3: the first stage's network reader (its arrays follow the second stage's; its int8 vectors close the file). */
  readonly network?: { readonly bucketBits: number; readonly hidden: number; /** Absent: 1. */ readonly bucketHashes?: 1 | 2 };
  /** The clause reader: 2^bits hash rows (its floats follow the network's; its int8 table closes the file). Absent: none. */
  readonly clauseReader?: { readonly bits: number };
  readonly hashBits: number;
  /** The linear table's rows are 2^linearBits (absent: hashBits). */
  readonly linearBits?: number;
  /** The readers read section titles (absent: files before them, which do not). */
  readonly sections?: boolean;
  /** The readers read typed cues (absent: files before them, which do not). */
  readonly typed?: boolean;
  readonly categories: readonly string[];
  readonly ruleCategories: readonly string[];
  readonly meta: Record<string, unknown>;
}

const sigmoid = (z: number) => 1 / (1 + Math.exp(-z));

/** The clause reader's table as int8 with a per-category scale (as the linear reader's). */
function quantiseClauseReader(w: ClauseReaderWeights, C: number): QuantisedClauseReader {
  const scale = new Float32Array(C);
  for (let i = 0; i < w.hashed.length; i++) scale[i % C] = Math.max(scale[i % C]!, Math.abs(w.hashed[i]! * (w.scale?.[i % C] ?? 1)));
  for (let c = 0; c < C; c++) scale[c] = scale[c]! > 0 ? scale[c]! / 127 : 1;
  const hashed = new Int8Array(w.hashed.length);
  for (let i = 0; i < w.hashed.length; i++) hashed[i] = Math.round((w.hashed[i]! * (w.scale?.[i % C] ?? 1)) / scale[i % C]!);
  return { bits: w.bits, bias: w.bias, scale, rules: w.rules, hashed };
}

/**
 * A linear clause classifier over hashed word n-grams and the rule scores, one calibrated logistic
 * output per CUAD category. Scores read as probabilities that the sentence belongs to the category.
 */
export class ClauseModel {
  readonly hashBits: number;
  readonly linearBits: number;
  /** Whether its readers read the section titles a sentence sits under: features must be built the same way. */
  readonly sections: boolean;
  /** Whether its readers read typed cues (typed-cues.ts): features must be built the same way. */
  readonly typed: boolean;
  readonly categories: readonly CuadCategory[];
  readonly meta: Readonly<Record<string, unknown>>;
  private readonly bias: Float32Array;
  private readonly scale: Float32Array;
  private readonly hashed: Int8Array;
  private readonly rules: Float32Array;
  private readonly calA: Float32Array;
  private readonly calB: Float32Array;
  private readonly stack: StackWeights | undefined;
  private readonly network: { readonly weights: QuantisedBagNetwork; readonly blend: FirstStageBlend } | undefined;
  private readonly clauseReader: QuantisedClauseReader | undefined;

  private constructor(parts: { hashBits: number; linearBits: number; sections: boolean; typed: boolean; categories: readonly CuadCategory[]; meta: Record<string, unknown>; bias: Float32Array; scale: Float32Array; hashed: Int8Array; rules: Float32Array; calA: Float32Array; calB: Float32Array; stack?: StackWeights | undefined; network?: { weights: QuantisedBagNetwork; blend: FirstStageBlend } | undefined; clauseReader?: QuantisedClauseReader | undefined }) {
    this.hashBits = parts.hashBits;
    this.linearBits = parts.linearBits;
    this.sections = parts.sections;
    this.typed = parts.typed;
    this.categories = parts.categories;
    this.meta = parts.meta;
    this.bias = parts.bias;
    this.scale = parts.scale;
    this.hashed = parts.hashed;
    this.rules = parts.rules;
    this.calA = parts.calA;
    this.calB = parts.calB;
    this.stack = parts.stack;
    this.network = parts.network;
    this.clauseReader = parts.clauseReader;
  }

  /** Whether the second stage also reads the clause reader's scores of each sentence's clause. */
  get hasClauseReader(): boolean {
    return this.clauseReader !== undefined;
  }

  /**
   * The clause reader's logits of every sentence's clause, [sentence * C + c] (the sentences of `clauses`
   * in order); `rules` holds each sentence's rule scores, [sentence * R + r]. Undefined without a clause reader.
   */
  clauseLogits(clauses: readonly Clause[], rules: Float32Array): Float32Array | undefined {
    const q = this.clauseReader;
    if (!q) return undefined;
    const R = q.rules.length / this.categories.length;
    const best = new Map<number, Float32Array>();
    let i = 0;
    for (const clause of clauses) {
      const b = new Float32Array(R);
      for (let s = 0; s < clause.sentences.length; s++, i++) for (let r = 0; r < R; r++) b[r] = Math.max(b[r]!, rules[i * R + r]!);
      best.set(clause.index, b);
    }
    return clauseReaderLogits(clauses, { bits: q.bits, bias: q.bias, rules: q.rules, hashed: q.hashed, scale: q.scale }, (k) => best.get(k) ?? new Float32Array(R));
  }

  /** Whether the first stage has its network reader (blended with the linear model). */
  get hasNetwork(): boolean {
    return this.network !== undefined;
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
    const linearBits = w.linearBits ?? w.hashBits;
    // the range fromBytes enforces: a model made here must read back
    if (!Number.isInteger(linearBits) || linearBits < 8 || linearBits > w.hashBits) throw new ClauseModelError("(weights)", `linearBits ${linearBits} is out of range 8–${w.hashBits}`);
    if (w.hashed.length !== (1 << linearBits) * C) throw new ClauseModelError("(weights)", `the linear table has ${w.hashed.length} weights, expected 2^${linearBits} × ${C}`);
    if (w.clauseReader && w.clauseReader.hashed.length !== (1 << w.clauseReader.bits) * C) throw new ClauseModelError("(weights)", `the clause reader's table has ${w.clauseReader.hashed.length} weights, expected 2^${w.clauseReader.bits} × ${C}`);
    if (w.clauseReader && !w.stack) throw new ClauseModelError("(weights)", "a clause reader is read only by a second stage, and the weights have none");
    // the file keeps a clause reader only in version 3 (beside a network reader): a model made here must read back
    if (w.clauseReader && !w.network) throw new ClauseModelError("(weights)", "a clause reader is stored only beside a network reader (file version 3), and the weights have none");
    return new ClauseModel({ hashBits: w.hashBits, linearBits, sections: w.sections ?? false, typed: w.typed ?? false, categories: w.categories, meta: { ...w.meta }, bias: w.bias, scale, hashed, rules: w.rules, calA: w.calibrationA, calB: w.calibrationB, stack: w.stack, network: w.network ? { weights: quantiseBagNetwork(w.network.weights), blend: w.network.blend } : undefined, clauseReader: w.clauseReader ? quantiseClauseReader(w.clauseReader, C) : undefined });
  }

  /** Reads the binary model file (as written by `toBytes`). */
  static fromBytes(bytes: Uint8Array, source = "(bytes)"): ClauseModel {
    const fail = (reason: string, cause?: unknown): never => {
      throw new ClauseModelError(source, reason, cause);
    };
    const { header, bodyStart: offset } = readModelFile<FileHeader>(bytes, MAGIC, "clause model", fail);
    if (header.version !== 1 && header.version !== 2 && header.version !== 3) fail(`version ${String(header.version)} is not supported (expected 1, 2 or 3)`);
    if (!Number.isInteger(header.hashBits) || header.hashBits < 8 || header.hashBits > 24) fail(`hashBits ${String(header.hashBits)} is out of range 8–24`);
    const categories = header.categories.map((c) => cuadCategory(c) ?? fail(`unknown category '${c}'`));
    if (header.ruleCategories.join("|") !== CUAD_CATEGORIES.join("|")) fail("its rule features do not match this version's CUAD categories");
    const C = categories.length;
    const R = header.ruleCategories.length;
    const linearBits = header.linearBits ?? header.hashBits;
    if (!Number.isInteger(linearBits) || linearBits < 8 || linearBits > header.hashBits) fail(`linearBits ${String(header.linearBits)} is out of range 8–${header.hashBits}`);
    const H = 1 << linearBits;
    const S = header.version >= 2 ? (header.stack?.features ?? 0) : 0;
    const cr = header.version === 3 ? header.clauseReader : undefined;
    if (cr !== undefined && (!Number.isInteger(cr.bits) || cr.bits < 8 || cr.bits > 20)) fail(`its clause reader's bits ${String(cr.bits)} are out of range 8–20`);
    if (cr !== undefined && S === 0) fail("it has a clause reader but no second stage to read it");
    const width = contextFeatureCount(R, { clauseReader: cr !== undefined });
    if (S > 0 && S !== width) fail(`its second stage reads ${S} context features, this version builds ${width}`);
    const net = header.version === 3 ? header.network : undefined;
    if (header.version === 3 && (net === undefined || !Number.isInteger(net.bucketBits) || net.bucketBits < 8 || net.bucketBits > header.hashBits || !Number.isInteger(net.hidden) || net.hidden < 1 || net.hidden > 1024)) fail("its network reader's shape is missing or out of range");
    if (net?.bucketHashes !== undefined && net.bucketHashes !== 1 && net.bucketHashes !== 2) fail(`its network reader's buckets per feature ${String(net.bucketHashes)} is not 1 or 2`);
    const NB = net ? 1 << net.bucketBits : 0;
    const NH = net?.hidden ?? 0;
    const netFloats = net ? 3 * C + R * NH + NH + C * NH + C + NB : 0;
    const CB = cr ? 1 << cr.bits : 0;
    const readerFloats = cr ? 2 * C + R * C : 0;
    const floats = 4 * C + R * C + (S > 0 ? S * C + C : 0) + netFloats + readerFloats;
    const expected = offset + 4 * floats + H * C + NB * NH + CB * C;
    if (bytes.length !== expected) fail(`size is ${bytes.length} bytes, expected ${expected} (truncated or corrupt)`);
    // Copy into arrays of their own: the input may be a view (a Node Buffer) starting anywhere in a larger buffer.
    const f = new Float32Array(new Uint8Array(bytes.subarray(offset, offset + 4 * floats)).buffer);
    const hashed = new Int8Array(new Uint8Array(bytes.subarray(offset + 4 * floats, offset + 4 * floats + H * C)).buffer);
    let at = 4 * C + R * C;
    const take = (n: number) => f.subarray(at, (at += n));
    const mix = header.stack?.mix;
    if (mix !== undefined && !(typeof mix === "number" && mix >= 0 && mix <= 1)) fail(`its second stage's mix weight ${String(mix)} is not a number in 0–1`);
    const stack = S > 0 ? { features: S, weights: take(S * C), bias: take(C), ...(mix === undefined ? {} : { mix }) } : undefined;
    let network: { weights: QuantisedBagNetwork; blend: FirstStageBlend } | undefined;
    if (net) {
      const blend = { linear: take(C), network: take(C), bias: take(C) };
      const ruleWeights = take(R * NH);
      const b1 = take(NH);
      const w2 = take(C * NH);
      const b2 = take(C);
      const embeddingScale = take(NB);
      const from = offset + 4 * floats + H * C;
      const embeddings = new Int8Array(new Uint8Array(bytes.subarray(from, from + NB * NH)).buffer);
      network = { blend, weights: { bucketBits: net.bucketBits, ...(net.bucketHashes === 2 ? { bucketHashes: 2 as const } : {}), hidden: NH, ruleWeights, b1, w2, b2, embeddingScale, embeddings } };
    }
    let clauseReader: QuantisedClauseReader | undefined;
    if (cr) {
      const bias = take(C);
      const scale = take(C);
      const rules = take(R * C);
      const hashedReader = new Int8Array(new Uint8Array(bytes.subarray(expected - CB * C, expected)).buffer);
      clauseReader = { bits: cr.bits, bias, scale, rules, hashed: hashedReader };
    }
    if (header.sections !== undefined && typeof header.sections !== "boolean") fail(`its 'sections' flag ${String(header.sections)} is not a boolean`);
    if (header.typed !== undefined && typeof header.typed !== "boolean") fail(`its 'typed' flag ${String(header.typed)} is not a boolean`);
    return new ClauseModel({
      hashBits: header.hashBits,
      linearBits,
      sections: header.sections ?? false,
      typed: header.typed ?? false,
      categories,
      meta: header.meta ?? {},
      bias: f.subarray(0, C),
      scale: f.subarray(C, 2 * C),
      calA: f.subarray(2 * C, 3 * C),
      calB: f.subarray(3 * C, 4 * C),
      rules: f.subarray(4 * C, 4 * C + R * C),
      hashed,
      stack,
      network,
      clauseReader,
    });
  }

  /** The binary file: signature, JSON header, float32 arrays, int8 hashed weights. */
  toBytes(): Uint8Array {
    const n = this.network;
    const cr = this.clauseReader;
    if (cr && !n) throw new ClauseModelError("(weights)", "a clause reader is stored only in version 3 files, beside a network reader");
    const header: FileHeader = {
      version: n ? 3 : this.stack ? 2 : 1,
      ...(this.stack ? { stack: { features: this.stack.features, ...(this.stack.mix === undefined ? {} : { mix: this.stack.mix }) } } : {}),
      ...(n ? { network: { bucketBits: n.weights.bucketBits, hidden: n.weights.hidden, ...(n.weights.bucketHashes === 2 ? { bucketHashes: 2 as const } : {}) } } : {}),
      ...(cr ? { clauseReader: { bits: cr.bits } } : {}),
      hashBits: this.hashBits,
      ...(this.linearBits === this.hashBits ? {} : { linearBits: this.linearBits }),
      ...(this.sections ? { sections: true } : {}),
      ...(this.typed ? { typed: true } : {}),
      categories: this.categories,
      ruleCategories: CUAD_CATEGORIES,
      meta: { ...this.meta },
    };
    const floats = [
      this.bias, this.scale, this.calA, this.calB, this.rules,
      ...(this.stack ? [this.stack.weights, this.stack.bias] : []),
      ...(n ? [n.blend.linear, n.blend.network, n.blend.bias, n.weights.ruleWeights, n.weights.b1, n.weights.w2, n.weights.b2, n.weights.embeddingScale] : []),
      ...(cr ? [cr.bias, cr.scale, cr.rules] : []),
    ];
    const floatCount = floats.reduce((k, a) => k + a.length, 0);
    const int8 = [this.hashed, ...(n ? [n.weights.embeddings] : []), ...(cr ? [cr.hashed] : [])];
    const { bytes: out, bodyStart: offset } = newModelFile(MAGIC, header, 4 * floatCount + int8.reduce((k, a) => k + a.length, 0));
    const f = new Float32Array(floatCount);
    let at = 0;
    for (const a of floats) {
      f.set(a, at);
      at += a.length;
    }
    out.set(new Uint8Array(f.buffer), offset);
    let byte = offset + 4 * floatCount;
    for (const a of int8) {
      out.set(new Uint8Array(a.buffer, a.byteOffset, a.byteLength), byte);
      byte += a.byteLength;
    }
    return out;
  }

  /**
   * The first stage's raw scores (before calibration), one per category: the linear model's, blended
   * with the network reader's when the model has one.
   */
  logits(x: SentenceFeatures): Float32Array {
    const z = this.linearLogits(x);
    const n = this.network;
    if (!n) return z;
    const zn = bagNetworkLogits(n.weights, x, new Float32Array(z.length));
    for (let c = 0; c < z.length; c++) z[c] = blendLogit(n.blend, c, z[c]!, zn[c]!);
    return z;
  }

  /** The linear model's raw scores alone. */
  private linearLogits(x: SentenceFeatures): Float32Array {
    const C = this.categories.length;
    const z = Float32Array.from(this.bias);
    const tmp = new Float32Array(C);
    const mask = (1 << this.linearBits) - 1;
    for (let k = 0; k < x.indices.length; k++) {
      const base = (x.indices[k]! & mask) * C;
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
    if (this.clauseReader && !doc.clauseLogits) throw new ClauseModelError("(document)", "this model's second stage reads the clause reader's scores: pass clauseLogits (ClauseModel.clauseLogits)");
    const mix = this.stack.mix ?? 1;
    const maxima = documentMaxima(doc);
    const features = new Float32Array(n * F); // one buffer for every category (contextFeatures zeroes it)
    for (let c = 0; c < C; c++) {
      if (Number.isNaN(this.stack.bias[c]!)) {
        for (let i = 0; i < n; i++) out[i * C + c] = sigmoid(this.calA[c]! * doc.logits[i * C + c]! + this.calB[c]!);
        continue;
      }
      const x = contextFeatures(doc, c, maxima, {}, features);
      const w = this.stack.weights.subarray(c * F, (c + 1) * F);
      for (let i = 0; i < n; i++) {
        const z1 = doc.logits[i * C + c]!;
        if (!isStackCandidate(z1, doc.rules[i * C + c]!)) {
          out[i * C + c] = sigmoid(this.calA[c]! * z1 + this.calB[c]!);
          continue;
        }
        let z = this.stack.bias[c]!;
        for (let f = 0; f < F; f++) z += w[f]! * x[i * F + f]!;
        out[i * C + c] = sigmoid(mix * z + (1 - mix) * (this.calA[c]! * z1 + this.calB[c]!));
      }
    }
    return out;
  }
}

