import { ClauseModelError } from "../../errors";
import { ContractDocument } from "../../text/contract-document";
import { CUAD_CATEGORIES } from "../cuad-categories";
import { randomBagNetwork } from "../../../test/random-bag-network";
import { ClauseModel } from "./clause-model";
import { clauseFeatures, clauseFeatureStrings, clauseReaderLogits, type ClauseReaderWeights } from "./clause-reader";
import { CLAUSE_READER_FEATURES, contextFeatureCount, contextFeatures, type ScoredDocument } from "./context-features";
import { fnv1a } from "./sentence-features";

const C = CUAD_CATEGORIES.length;
const MINIMUM = CUAD_CATEGORIES.indexOf("Minimum Commitment");

// An invented supply clause: the shortfall sentence names no minimum; only the clause's third sentence says what it is.
const CONTRACT = [
  "1. Definitions. Words have the meanings given here.",
  "",
  "2. Orders. Each quarter the Reseller shall submit a forecast. The forecast binds neither party. The Reseller shall buy no fewer than four hundred units per quarter. Any shortfall is invoiced at the end of the year.",
  "",
  "3. Notices. Notices are given in writing.",
].join("\n");

/** A clause reader that knows one word: "fewer" raises Minimum Commitment. */
function oneWordReader(bits = 10): ClauseReaderWeights {
  const hashed = new Float32Array((1 << bits) * C);
  hashed[(fnv1a("clause|w:fewer") & ((1 << bits) - 1)) * C + MINIMUM] = 40;
  return { bits, hashed, bias: new Float32Array(C).fill(-4), rules: new Float32Array(C * C) };
}

describe("the clause reader", () => {
  it("reads the whole clause: heading, opening line, every sentence's words, and its length", () => {
    const f = clauseFeatureStrings("Minimum Purchases", ["The Reseller shall submit a forecast.", "It shall buy no fewer than 400 units."]);
    expect(f).toEqual(expect.arrayContaining(["h:minimum", "hb:minimum purchases", "o:forecast", "w:fewer", "b:no fewer", "w:#3", "n:2"]));
    expect(clauseFeatureStrings(undefined, ["One sentence."])).toEqual(expect.arrayContaining(["h:none", "n:1"]));
    const { indices, value } = clauseFeatures("Minimum Purchases", ["a b c"], 12);
    expect([...indices]).toEqual([...new Set(indices)].sort((a, b) => a - b));
    expect(indices.every((k) => k >= 0 && k < 4096)).toBe(true);
    expect(value).toBeCloseTo(1 / Math.sqrt(indices.length), 6);
  });

  it("gives every sentence its clause's score, so a sentence is raised by a word two sentences away", () => {
    const doc = new ContractDocument(CONTRACT);
    const z = clauseReaderLogits(doc.clauses, oneWordReader(), () => new Float32Array(C));
    const sentences = doc.clauses.flatMap((c) => c.sentences.map((s) => ({ clause: c.index, quote: s.quote })));
    expect(z.length).toBe(sentences.length * C);
    const orders = sentences.map((s, i) => ({ ...s, i })).filter((s) => s.quote.includes("forecast") || s.quote.includes("shortfall"));
    expect(orders.length).toBeGreaterThanOrEqual(2);
    const other = sentences.findIndex((s) => s.quote.includes("Notices are given"));
    // The shortfall and forecast sentences never say "fewer"; their clause does.
    for (const s of orders) expect(z[s.i * C + MINIMUM]!).toBeGreaterThan(z[other * C + MINIMUM]! + 1);
    expect(new Set(orders.map((s) => z[s.i * C + MINIMUM]))).toEqual(new Set([z[orders[0]!.i * C + MINIMUM]]));
  });

  it("adds its features to the second stage's context features only when the document carries its scores", () => {
    const n = 4;
    const doc: ScoredDocument = { categories: C, logits: new Float32Array(n * C).fill(1), rules: new Float32Array(n * C), clauseOf: Int32Array.from([0, 0, 1, 2]), starts: Int32Array.from([0, 10, 20, 30]), textLength: 40, type: "other" };
    const clauseLogits = new Float32Array(n * C);
    [2, 2, -3, 5].forEach((z, i) => (clauseLogits[i * C + MINIMUM] = z));
    const base = contextFeatureCount(C);
    const wide = contextFeatureCount(C, { clauseReader: true });
    expect(wide).toBe(base + CLAUSE_READER_FEATURES);
    const plain = contextFeatures(doc, MINIMUM);
    const withReader = contextFeatures({ ...doc, clauseLogits }, MINIMUM);
    expect(plain.length).toBe(n * base);
    expect(withReader.length).toBe(n * wide);
    // Sentence 2 (clause 1): its clause's logit, the hinge, the gap to the contract's best clause (5), the best neighbouring clause (5).
    const row = withReader.subarray(2 * wide + base, 3 * wide);
    expect(row[0]).toBeCloseTo(-3);
    expect(row[1]).toBe(0);
    expect(row[3]).toBeCloseTo(8);
    expect(row[4]).toBeCloseTo(5);
    // The shipped features are unchanged by the reader's.
    for (let i = 0; i < n; i++) expect([...withReader.subarray(i * wide, i * wide + base)]).toEqual([...plain.subarray(i * base, (i + 1) * base)]);
  });
});

describe("ClauseModel with a clause reader", () => {
  let s = 7;
  const r = () => ((s = (Math.imul(s, 1103515245) + 12345) >>> 0) / 2 ** 32) * 2 - 1;
  const F = contextFeatureCount(C, { clauseReader: true });
  const weights = {
    hashBits: 10,
    categories: CUAD_CATEGORIES,
    bias: Float32Array.from({ length: C }, r),
    hashed: Float32Array.from({ length: (1 << 10) * C }, () => 3 * r()),
    rules: Float32Array.from({ length: C * C }, r),
    calibrationA: new Float32Array(C).fill(1),
    calibrationB: new Float32Array(C),
    meta: {},
    stack: { features: F, weights: Float32Array.from({ length: C * F }, () => r() / 4), bias: Float32Array.from({ length: C }, r), mix: 0.5 },
    network: { weights: randomBagNetwork(r, 8, 4), blend: { linear: new Float32Array(C).fill(1), network: new Float32Array(C).fill(1), bias: new Float32Array(C) } },
    clauseReader: oneWordReader(),
  };

  it("reads back exactly the document predictions it wrote, and its clause scores move them", () => {
    const model = ClauseModel.fromWeights(weights);
    const again = ClauseModel.fromBytes(model.toBytes());
    expect(again.hasClauseReader).toBe(true);
    const doc = new ContractDocument(CONTRACT);
    const n = doc.sentences.length;
    const rules = new Float32Array(n * C);
    const clauseLogits = model.clauseLogits(doc.clauses, rules)!;
    expect([...again.clauseLogits(doc.clauses, rules)!]).toEqual([...clauseLogits]);
    const scored: ScoredDocument = { categories: C, logits: new Float32Array(n * C), rules, clauseOf: Int32Array.from(doc.clauses.flatMap((c) => c.sentences.map(() => c.index))), starts: Int32Array.from(doc.sentences, (x) => x.start), textLength: CONTRACT.length, type: "other" };
    const p = again.predictDocument({ ...scored, clauseLogits });
    expect([...p]).toEqual([...model.predictDocument({ ...scored, clauseLogits })]);
    expect([...p]).not.toEqual([...model.predictDocument({ ...scored, clauseLogits: new Float32Array(n * C) })]);
    expect(() => model.predictDocument(scored)).toThrow(ClauseModelError);
  });

  it("keeps its int8 clause scores within 2% of the float reader's", () => {
    const doc = new ContractDocument(CONTRACT);
    const rules = new Float32Array(doc.sentences.length * C);
    const float = clauseReaderLogits(doc.clauses, weights.clauseReader, () => new Float32Array(C));
    const stored = ClauseModel.fromWeights(weights).clauseLogits(doc.clauses, rules)!;
    for (let k = 0; k < float.length; k++) expect(Math.abs(stored[k]! - float[k]!)).toBeLessThanOrEqual(0.02 * Math.max(1, Math.abs(float[k]!)));
  });

  it("refuses a file cut short, a clause reader without a second stage, or a second stage of the wrong width", () => {
    const bytes = ClauseModel.fromWeights(weights).toBytes();
    expect(() => ClauseModel.fromBytes(bytes.subarray(0, bytes.length - 1))).toThrow(ClauseModelError);
    expect(() => ClauseModel.fromWeights({ ...weights, stack: undefined as never })).toThrow(ClauseModelError);
    expect(() => ClauseModel.fromWeights({ ...weights, network: undefined as never })).toThrow(/network reader/);
    expect(() => ClauseModel.fromBytes(ClauseModel.fromWeights({ ...weights, stack: { ...weights.stack, features: contextFeatureCount(C), weights: new Float32Array(C * contextFeatureCount(C)) } }).toBytes())).toThrow(/context features/);
  });
});
