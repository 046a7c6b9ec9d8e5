import fc from "fast-check";
import { ClauseModelError } from "../../errors";
import { CUAD_CATEGORIES } from "../cuad-categories";
import { bagNetworkLogits, quantiseBagNetwork, type BagNetworkWeights, type FirstStageBlend } from "./bag-network";
import { randomBagNetwork } from "../../../test/random-bag-network";
import { ClauseModel } from "./clause-model";
import { contextFeatureCount, contextFeatures, isStackCandidate, type ScoredDocument } from "./context-features";
import { featureStrings, fnv1a, sentenceFeatures, tokenize } from "./sentence-features";

const C = CUAD_CATEGORIES.length;

function randomModel(seed: number, hashBits = 10, stacked = false, network = false): ClauseModel {
  let s = seed;
  const r = () => ((s = (Math.imul(s, 1103515245) + 12345) >>> 0) / 2 ** 32) * 2 - 1;
  const F = contextFeatureCount(C);
  return ClauseModel.fromWeights({
    hashBits,
    categories: CUAD_CATEGORIES,
    bias: Float32Array.from({ length: C }, r),
    hashed: Float32Array.from({ length: (1 << hashBits) * C }, () => 3 * r()),
    rules: Float32Array.from({ length: C * C }, r),
    calibrationA: Float32Array.from({ length: C }, () => 1 + r() / 2),
    calibrationB: Float32Array.from({ length: C }, r),
    meta: { seed },
    // Drawn last, so a stacked and a plain model of one seed share their first stage.
    ...(stacked ? { stack: { features: F, weights: Float32Array.from({ length: C * F }, () => r() / 4), bias: Float32Array.from({ length: C }, r) } } : {}),
    ...(network ? { network: randomNetwork(r, hashBits - 2) } : {}),
  });
}

/** A zero first stage (calibrated logit = raw logit) under a constant second stage of `stackBias`, through the file format. */
function constantStackBytes(stackBias: Float32Array, mix?: number): Uint8Array {
  const F = contextFeatureCount(C);
  return ClauseModel.fromWeights({
    hashBits: 10,
    categories: CUAD_CATEGORIES,
    bias: new Float32Array(C),
    hashed: new Float32Array((1 << 10) * C),
    rules: new Float32Array(C * C),
    calibrationA: new Float32Array(C).fill(1),
    calibrationB: new Float32Array(C),
    meta: {},
    stack: { features: F, weights: new Float32Array(C * F), bias: stackBias, ...(mix === undefined ? {} : { mix }) },
  }).toBytes();
}

function randomNetwork(r: () => number, bucketBits: number, hidden = 8): { weights: BagNetworkWeights; blend: FirstStageBlend } {
  return {
    weights: randomBagNetwork(r, bucketBits, hidden),
    blend: { linear: Float32Array.from({ length: C }, () => 1 + r() / 2), network: Float32Array.from({ length: C }, () => 1 + r() / 2), bias: Float32Array.from({ length: C }, r) },
  };
}

const features = (sentence: string, hashBits = 10) => sentenceFeatures({ sentence, heading: "Governing Law", position: 0.9, ruleScores: new Map([["Governing Law", 0.9]]) }, hashBits);

describe("ClauseModel", () => {
  it("records whether its readers read section titles (files before the flag: no)", () => {
    const weights = { hashBits: 8, categories: CUAD_CATEGORIES, bias: new Float32Array(C), hashed: new Float32Array((1 << 8) * C), rules: new Float32Array(C * C), calibrationA: new Float32Array(C).fill(1), calibrationB: new Float32Array(C), meta: {} };
    const plain = ClauseModel.fromWeights(weights);
    expect(plain.sections).toBe(false);
    expect(ClauseModel.fromBytes(plain.toBytes()).sections).toBe(false);
    expect(ClauseModel.fromBytes(ClauseModel.fromWeights({ ...weights, sections: true }).toBytes()).sections).toBe(true);
  });

  it("reads back exactly the predictions it wrote", () => {
    const model = randomModel(7);
    const copy = ClauseModel.fromBytes(model.toBytes());
    const x = features("This Agreement is governed by the laws of the State of New York.");
    expect(Array.from(copy.predict(x))).toEqual(Array.from(model.predict(x)));
    expect(copy.meta).toEqual({ seed: 7 });
  });

  it("reads a model from a Buffer view that starts inside a larger buffer (as readFileSync may give)", () => {
    const model = randomModel(11);
    const bytes = model.toBytes();
    const big = Buffer.alloc(bytes.length + 13);
    big.set(bytes, 13);
    const copy = ClauseModel.fromBytes(big.subarray(13));
    const x = features("Either party may terminate this Agreement for convenience on thirty days' notice.");
    expect(Array.from(copy.predict(x))).toEqual(Array.from(model.predict(x)));
  });

  it("gives probabilities in [0, 1] for any sentence", () => {
    const model = randomModel(3);
    fc.assert(
      fc.property(fc.string({ maxLength: 300 }), (s) => {
        for (const p of model.predict(features(s))) expect(p >= 0 && p <= 1).toBe(true);
      }),
      { numRuns: 200 },
    );
  });

  it("refuses a file that is not a model, or is cut short, naming the problem", () => {
    const bytes = randomModel(1).toBytes();
    expect(() => ClauseModel.fromBytes(new TextEncoder().encode("hello world, not a model"), "x.bin")).toThrow(/clause model x\.bin cannot be read: not a BEAR clause model/);
    expect(() => ClauseModel.fromBytes(bytes.subarray(0, bytes.length - 5), "y.bin")).toThrow(ClauseModelError);
    expect(() => ClauseModel.fromBytes(bytes.subarray(0, bytes.length - 5), "y.bin")).toThrow(/truncated or corrupt/);
  });

  it("reads a linear table smaller than the hash range as that table repeated (row = bucket mod 2^linearBits)", () => {
    let seed = 5;
    const r = () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32) * 2 - 1;
    const small = Float32Array.from({ length: (1 << 8) * C }, () => 3 * r());
    const common = { hashBits: 10, categories: CUAD_CATEGORIES, bias: Float32Array.from({ length: C }, r), rules: Float32Array.from({ length: C * C }, r), calibrationA: new Float32Array(C).fill(1), calibrationB: new Float32Array(C), meta: {} };
    const compact = ClauseModel.fromBytes(ClauseModel.fromWeights({ ...common, linearBits: 8, hashed: small }).toBytes());
    const tiled = ClauseModel.fromWeights({ ...common, hashed: Float32Array.from({ length: (1 << 10) * C }, (_, i) => small[i % ((1 << 8) * C)]!) });
    expect(compact.linearBits).toBe(8);
    // a table the file format could not read back is refused where it is made
    expect(() => ClauseModel.fromWeights({ ...common, hashBits: 6, linearBits: 6, hashed: Float32Array.from({ length: (1 << 6) * C }) })).toThrow(/out of range 8–6/);
    fc.assert(
      fc.property(fc.string({ maxLength: 300 }), (text) => {
        const x = features(text);
        const a = compact.predict(x);
        const b = tiled.predict(x);
        for (let c = 0; c < C; c++) expect(a[c]).toBeCloseTo(b[c]!, 6);
      }),
      { numRuns: 100 },
    );
    expect(() => ClauseModel.fromWeights({ ...common, linearBits: 8, hashed: new Float32Array((1 << 9) * C) })).toThrow(/expected 2\^8/);
  });
});

/** A contract of `n` sentences in `clauses` clauses with random first-stage scores. */
function scoredDocument(n: number, seed: number): ScoredDocument {
  let s = seed;
  const r = () => (s = (Math.imul(s, 1103515245) + 12345) >>> 0) / 2 ** 32;
  return {
    categories: C,
    logits: Float32Array.from({ length: n * C }, () => 30 * r() - 20),
    rules: Float32Array.from({ length: n * C }, () => (r() < 0.9 ? 0 : r())),
    clauseOf: Int32Array.from({ length: n }, (_, i) => Math.floor(i / 3)),
    starts: Int32Array.from({ length: n }, (_, i) => 100 * i),
    textLength: 100 * n + 50,
    type: "licence",
  };
}

describe("ClauseModel with a network reader in its first stage (file version 3)", () => {
  it("reads back exactly the predictions it wrote, sentence and document", () => {
    const model = randomModel(13, 10, true, true);
    expect(model.hasNetwork).toBe(true);
    const copy = ClauseModel.fromBytes(model.toBytes());
    expect(copy.hasNetwork).toBe(true);
    expect(copy.stacked).toBe(true);
    const x = features("The Distributor shall purchase a minimum of 10,000 units in each Contract Year.");
    expect(Array.from(copy.predict(x))).toEqual(Array.from(model.predict(x)));
    const doc = scoredDocument(9, 3);
    expect(Array.from(copy.predictDocument(doc))).toEqual(Array.from(model.predictDocument(doc)));
  });

  it("blends the network's logits into the first stage's (a model without it scores differently)", () => {
    const plain = randomModel(13, 10, false, false);
    const withNetwork = randomModel(13, 10, false, true);
    const x = features("Either party may terminate this Agreement for convenience.");
    expect(Array.from(withNetwork.logits(x))).not.toEqual(Array.from(plain.logits(x)));
  });

  it("refuses a version 3 file cut short or with a network shape out of range", () => {
    const bytes = randomModel(17, 10, true, true).toBytes();
    expect(() => ClauseModel.fromBytes(bytes.subarray(0, bytes.length - 1), "n.bin")).toThrow(/truncated or corrupt/);
    const headerLength = new DataView(bytes.buffer).getUint32(8, true);
    const text = new TextDecoder().decode(bytes.subarray(12, 12 + headerLength));
    const wrong = text.replace(/"hidden":8/, `"hidden":0`);
    expect(wrong).not.toBe(text);
    const copy = Uint8Array.from(bytes);
    copy.set(new TextEncoder().encode(wrong), 12);
    expect(() => ClauseModel.fromBytes(copy, "n.bin")).toThrow(/network reader's shape/);
  });
});

describe("the network reader's int8 weights", () => {
  it("give logits within 2% of the float network's for any sentence", () => {
    let s = 99;
    const r = () => ((s = (Math.imul(s, 1103515245) + 12345) >>> 0) / 2 ** 32) * 2 - 1;
    const { weights } = randomNetwork(r, 8, 16);
    const q = quantiseBagNetwork(weights);
    const floatLogits = (x: ReturnType<typeof features>) => {
      const mask = (1 << weights.bucketBits) - 1;
      const h = Float32Array.from(weights.b1);
      for (const b of x.indices) for (let j = 0; j < 16; j++) h[j]! += weights.embeddings[(b & mask) * 16 + j]! * x.value;
      x.rules.forEach((v, k) => { for (let j = 0; j < 16; j++) h[j]! += weights.ruleWeights[k * 16 + j]! * v; });
      return Array.from({ length: C }, (_, c) => h.reduce((z, v, j) => z + weights.w2[c * 16 + j]! * Math.max(0, v), weights.b2[c]!));
    };
    fc.assert(
      fc.property(fc.string({ maxLength: 200 }), (text) => {
        const x = features(text);
        const got = bagNetworkLogits(q, x, new Float32Array(C));
        const want = floatLogits(x);
        const scale = Math.max(1, ...want.map(Math.abs));
        want.forEach((z, c) => expect(Math.abs(got[c]! - z)).toBeLessThan(0.02 * scale));
      }),
      { numRuns: 100 },
    );
  });
});

describe("ClauseModel with a second stage", () => {
  it("reads back exactly the document predictions it wrote (file version 2)", () => {
    const model = randomModel(5, 10, true);
    expect(model.stacked).toBe(true);
    const copy = ClauseModel.fromBytes(model.toBytes());
    expect(copy.stacked).toBe(true);
    const doc = scoredDocument(17, 9);
    expect(Array.from(copy.predictDocument(doc))).toEqual(Array.from(model.predictDocument(doc)));
  });

  it("reads each sentence in its contract: the same sentence scores differently beside other sentences", () => {
    const model = randomModel(5, 10, true);
    const a = scoredDocument(12, 1);
    const b = { ...a, logits: Float32Array.from(a.logits, (z, k) => (k < C ? z : z - 3)) };
    expect(Array.from(model.predictDocument(a).subarray(0, C))).not.toEqual(Array.from(model.predictDocument(b).subarray(0, C)));
  });

  it("keeps the first stage's calibrated probability where the first stage rules a category out", () => {
    const plain = randomModel(5, 10, false);
    const stacked = randomModel(5, 10, true);
    const doc = scoredDocument(20, 4);
    const p = plain.predictDocument(doc);
    const q = stacked.predictDocument(doc);
    for (let k = 0; k < doc.logits.length; k++) if (!isStackCandidate(doc.logits[k]!, doc.rules[k]!)) expect(q[k]).toBe(p[k]);
  });

  it("leaves a category whose second-stage bias is NaN to the first stage (the document-level ones)", () => {
    // A zero first stage and a constant second stage, category 0's switched off, through the file format.
    const doc = scoredDocument(15, 8);
    const stackBias = new Float32Array(C).fill(0.1);
    stackBias[0] = Number.NaN;
    const model = ClauseModel.fromBytes(constantStackBytes(stackBias));
    const p = model.predictDocument(doc);
    for (let i = 0; i < 15; i++) {
      expect(p[i * C]).toBeCloseTo(1 / (1 + Math.exp(-doc.logits[i * C]!)), 6);
      if (isStackCandidate(doc.logits[i * C + 1]!, doc.rules[i * C + 1]!)) expect(p[i * C + 1]).toBeCloseTo(1 / (1 + Math.exp(-0.1)), 6);
    }
  });

  it("mixes the second stage's logit with the first stage's calibrated one by the file's weight (absent: the second stage alone)", () => {
    // A constant second stage (logit 0.8) over a first stage whose calibrated logit is the raw one.
    const doc = scoredDocument(15, 6);
    const withMix = (mix: number | undefined) => ClauseModel.fromBytes(constantStackBytes(new Float32Array(C).fill(0.8), mix)).predictDocument(doc);
    const alone = withMix(undefined);
    expect(Array.from(withMix(1))).toEqual(Array.from(alone));
    const half = withMix(0.5);
    let read = 0;
    for (let k = 0; k < doc.logits.length; k++) {
      const z1 = doc.logits[k]!;
      if (!isStackCandidate(z1, doc.rules[k]!)) {
        expect(half[k]).toBe(alone[k]);
        continue;
      }
      read++;
      expect(alone[k]).toBeCloseTo(1 / (1 + Math.exp(-0.8)), 6);
      expect(half[k]).toBeCloseTo(1 / (1 + Math.exp(-(0.5 * 0.8 + 0.5 * z1))), 6);
    }
    expect(read).toBeGreaterThan(0);
  });

  it("refuses a mix weight outside 0–1", () => {
    const bytes = constantStackBytes(new Float32Array(C), 0.5);
    const text = new TextDecoder().decode(bytes.subarray(12, 12 + new DataView(bytes.buffer).getUint32(8, true)));
    const wrong = text.replace(/"mix":0\.5/, `"mix":7.5`);
    expect(wrong).not.toBe(text);
    const copy = Uint8Array.from(bytes);
    copy.set(new TextEncoder().encode(wrong), 12);
    expect(() => ClauseModel.fromBytes(copy, "m.bin")).toThrow(/mix weight 7\.5/);
  });

  it("without a second stage scores each sentence alone, as predict does", () => {
    const model = randomModel(2);
    const x = features("The Licensee shall not assign this Agreement without consent.");
    const logits = model.logits(x);
    const doc: ScoredDocument = { categories: C, logits, rules: x.rules, clauseOf: Int32Array.of(0), starts: Int32Array.of(0), textLength: 60, type: "other" };
    expect(Array.from(model.predictDocument(doc))).toEqual(Array.from(model.predict(x)));
  });

  it("refuses a second stage whose width is not this version's", () => {
    const bytes = randomModel(5, 10, true).toBytes();
    const text = new TextDecoder().decode(bytes.subarray(12, 12 + new DataView(bytes.buffer).getUint32(8, true)));
    const wrong = text.replace(/"features":\d+/, `"features":${String(contextFeatureCount(C) + 1).padStart(String(contextFeatureCount(C)).length, "0")}`);
    const copy = Uint8Array.from(bytes);
    copy.set(new TextEncoder().encode(wrong), 12);
    expect(() => ClauseModel.fromBytes(copy, "z.bin")).toThrow(/second stage reads \d+ context features/);
  });
});

describe("context features", () => {
  it("are finite, of the declared width, zero for pairs the second stage does not read, and name at most one best sentence", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 40 }), fc.integer({ min: 0, max: 2 ** 31 }), fc.integer({ min: 0, max: C - 1 }), (n, seed, c) => {
        const doc = scoredDocument(n, seed);
        const F = contextFeatureCount(C);
        const x = contextFeatures(doc, c);
        expect(x.length).toBe(n * F);
        expect(x.every(Number.isFinite)).toBe(true);
        // Feature 18 is "this sentence ranks first in the contract for the category".
        let firsts = 0;
        for (let i = 0; i < n; i++) {
          firsts += x[i * F + 18]!;
          if (!isStackCandidate(doc.logits[i * C + c]!, doc.rules[i * C + c]!)) expect(x.subarray(i * F, (i + 1) * F).every((v) => v === 0)).toBe(true);
        }
        expect(firsts).toBeLessThanOrEqual(1);
      }),
      { numRuns: 60 },
    );
  });
});

describe("sentence features", () => {
  it("hash the same way on every run (FNV-1a reference values)", () => {
    expect(fnv1a("")).toBe(0x811c9dc5);
    expect(fnv1a("a")).toBe(0xe40c292c);
    expect(fnv1a("foobar")).toBe(0xbf9cf968);
  });

  it("read words, numbers as their digit count, the heading and the rule bands", () => {
    expect(tokenize("Within thirty (30) days, Licensee's 2024 fee")).toEqual(["within", "thirty", "#2", "days", "licensee's", "#4", "fee"]);
    const f = featureStrings({ sentence: "Terminate for convenience.", heading: "Termination", position: 0.5, ruleScores: new Map([["Termination for Convenience", 0.9]]) });
    expect(f).toEqual(expect.arrayContaining(["w:terminate", "b:terminate for", "h:termination", "pos:5", "r:Termination for Convenience:3"]));
  });

  it("are sorted unique buckets inside the hash range", () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 500 }), fc.integer({ min: 8, max: 20 }), (s, bits) => {
        const x = features(s, bits);
        for (let i = 0; i < x.indices.length; i++) {
          expect(x.indices[i]! >= 0 && x.indices[i]! < 1 << bits).toBe(true);
          if (i > 0) expect(x.indices[i]! > x.indices[i - 1]!).toBe(true);
        }
      }),
      { numRuns: 100 },
    );
  });
});
