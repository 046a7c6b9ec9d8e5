import fc from "fast-check";
import { ClauseModelError } from "../../errors";
import { CUAD_CATEGORIES } from "../cuad-categories";
import { ClauseModel } from "./clause-model";
import { featureStrings, fnv1a, sentenceFeatures, tokenize } from "./sentence-features";

const C = CUAD_CATEGORIES.length;

function randomModel(seed: number, hashBits = 10): ClauseModel {
  let s = seed;
  const r = () => ((s = (Math.imul(s, 1103515245) + 12345) >>> 0) / 2 ** 32) * 2 - 1;
  return ClauseModel.fromWeights({
    hashBits,
    categories: CUAD_CATEGORIES,
    bias: Float32Array.from({ length: C }, r),
    hashed: Float32Array.from({ length: (1 << hashBits) * C }, () => 3 * r()),
    rules: Float32Array.from({ length: C * C }, r),
    calibrationA: Float32Array.from({ length: C }, () => 1 + r() / 2),
    calibrationB: Float32Array.from({ length: C }, r),
    meta: { seed },
  });
}

const features = (sentence: string, hashBits = 10) => sentenceFeatures({ sentence, heading: "Governing Law", position: 0.9, ruleScores: new Map([["Governing Law", 0.9]]) }, hashBits);

describe("ClauseModel", () => {
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
