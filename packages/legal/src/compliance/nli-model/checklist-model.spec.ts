import { describe, expect, it } from "@jest/globals";
import { ChecklistModelError } from "../../errors";
import { ContractDocument } from "../../text/contract-document";
import { ndaChecklist } from "../built-in-checklists";
import { checkRequirement, requirementCueHits } from "../check-compliance";
import { fnv1a } from "../../classification/clause-model/sentence-features";
import { AGGREGATE_FEATURES, ChecklistModel, requirementFingerprint, type ChecklistHead } from "./checklist-model";
import { bucket } from "./nli-features";

const BITS = 10;
const requirement = ndaChecklist().requirements.find((r) => r.id === "nda-11")!;
const NDA = `MUTUAL NONDISCLOSURE AGREEMENT

1. Confidential Information. Each party may disclose technical and business information to the other party.

2. Restrictions. The Recipient shall not reverse engineer, decompile or disassemble any prototype or software provided by the Discloser.

3. Term. This Agreement remains in force for two (2) years.
`;

/** A hand-built model: its aggregator answers "met" exactly when the best unit's evidence probability is high. */
function handModel(fingerprint = requirementFingerprint(requirement)): ChecklistModel {
  const span = new Float32Array(1 << BITS);
  const polarity = new Float32Array(1 << BITS);
  const aggregator = new Array<number>(3 * AGGREGATE_FEATURES).fill(0);
  aggregator[0 * AGGREGATE_FEATURES + 2] = 8; // met ← p1
  aggregator[2 * AGGREGATE_FEATURES + 0] = 4; // absent ← bias
  const head: ChecklistHead = { spanBias: -3, polarityBias: -2, aggregator, citeThreshold: 0.5, fingerprint };
  // The cue feature "rule:evidence" is the only span weight: a unit the requirement's cues match becomes evidence.
  span[bucket(fnv1a("rule:evidence"), 1, BITS)] = 8;
  return ChecklistModel.fromWeights(BITS, span, polarity, { [requirement.id]: head }, { note: "test" });
}

describe("ChecklistModel", () => {
  it("round-trips through its weights file", () => {
    const model = handModel();
    const back = ChecklistModel.fromBytes(model.toBytes(), "test.bin");
    expect(back.requirementIds).toEqual(["nda-11"]);
    expect(back.meta).toEqual({ note: "test" });
    const doc = new ContractDocument(NDA);
    const hits = requirementCueHits(doc, requirement);
    expect(back.assess(doc, "nda-11", hits, "met")).toEqual(model.assess(doc, "nda-11", hits, "met"));
  });

  it("reads only requirements whose cues it was trained with", () => {
    expect(handModel().appliesTo(requirement)).toBe(true);
    expect(handModel().appliesTo({ ...requirement, evidence: ["reverse engineer"] })).toBe(false);
    expect(handModel(12345).appliesTo(requirement)).toBe(false);
    const other = ndaChecklist().requirements.find((r) => r.id === "nda-1")!;
    expect(handModel().appliesTo(other)).toBe(false);
  });

  it("decides by its aggregator and cites exact sentences", () => {
    const doc = new ContractDocument(NDA);
    const result = checkRequirement(doc, requirement, { model: handModel() });
    expect(result.status).toBe("met");
    expect(result.confidence).toBeGreaterThan(0.9);
    expect(result.citations.map((c) => c.quote)).toEqual([expect.stringContaining("shall not reverse engineer")]);
    for (const c of result.citations) expect(NDA.slice(c.start, c.end)).toBe(c.quote);
    const without = new ContractDocument(NDA.replace(/reverse engineer, decompile or disassemble/, "copy"));
    expect(checkRequirement(without, requirement, { model: handModel() })).toMatchObject({ status: "missing", citations: [] });
    // A requirement the model has no head for is decided by its cues.
    const nda1 = ndaChecklist().requirements.find((r) => r.id === "nda-1")!;
    expect(checkRequirement(doc, nda1, { model: handModel() })).toEqual(checkRequirement(doc, nda1, { model: false }));
  });

  it("decides with its decision offsets but reports the model's own probability of the label decided", () => {
    // Biases only: met ~0, contradicted 0.45, absent 0.55; the file's offset +1.5 on contradicted is folded into its bias.
    const aggregator = new Array<number>(3 * AGGREGATE_FEATURES).fill(0);
    aggregator[0] = -20;
    aggregator[AGGREGATE_FEATURES] = Math.log(0.45) + 1.5;
    aggregator[2 * AGGREGATE_FEATURES] = Math.log(0.55);
    const head: ChecklistHead = { spanBias: -3, polarityBias: -2, aggregator, citeThreshold: 0.5, fingerprint: requirementFingerprint(requirement) };
    const meta = { decisionOffsets: { mode: "shared", chosen: { [requirement.id]: [0, 1.5] } } };
    const model = ChecklistModel.fromBytes(ChecklistModel.fromWeights(BITS, new Float32Array(1 << BITS), new Float32Array(1 << BITS), { [requirement.id]: head }, meta).toBytes());
    const doc = new ContractDocument(NDA);
    const assessment = model.assess(doc, requirement.id, requirementCueHits(doc, requirement), "met");
    expect(assessment.label).toBe("contradicted");
    expect(assessment.probabilities[1]).toBeCloseTo(0.45, 6);
    expect(assessment.probabilities[2]).toBeCloseTo(0.55, 6);
    const result = checkRequirement(doc, requirement, { model });
    expect(result.status).toBe("contradicted");
    expect(result.confidence).toBeCloseTo(0.45, 6); // the folded softmax said 0.79
    // A file with no recorded offsets reports the aggregator's softmax as it is.
    const plain = ChecklistModel.fromWeights(BITS, new Float32Array(1 << BITS), new Float32Array(1 << BITS), { [requirement.id]: head });
    expect(checkRequirement(doc, requirement, { model: plain }).confidence).toBeCloseTo((0.45 * Math.exp(1.5)) / (0.45 * Math.exp(1.5) + 0.55), 4);
  });

  it("a model whose unit scorers do not read cue hits keeps that through its file and ignores the hits", () => {
    const plain = handModel();
    const blind = ChecklistModel.fromWeights(BITS, new Float32Array(1 << BITS), new Float32Array(1 << BITS), { [requirement.id]: { spanBias: -3, polarityBias: -2, aggregator: new Array<number>(3 * AGGREGATE_FEATURES).fill(0), citeThreshold: 0.5, fingerprint: requirementFingerprint(requirement) } }, {}, false);
    expect(plain.unitCues).toBe(true);
    expect(ChecklistModel.fromBytes(blind.toBytes()).unitCues).toBe(false);
    const doc = new ContractDocument(NDA);
    const hits = requirementCueHits(doc, requirement);
    const none = hits.map(() => ({ evidence: false, contradicted: false, weak: false }));
    expect(blind.assess(doc, "nda-11", hits, "met")).toEqual(blind.assess(doc, "nda-11", none, "met"));
    expect(plain.assess(doc, "nda-11", hits, "met").units[0]!.p).toBeGreaterThan(plain.assess(doc, "nda-11", none, "met").units[0]!.p);
  });

  it("refuses files that are not models or are cut short", () => {
    const bytes = handModel().toBytes();
    expect(() => ChecklistModel.fromBytes(new Uint8Array(40), "zeros.bin")).toThrow(ChecklistModelError);
    expect(() => ChecklistModel.fromBytes(bytes.subarray(0, bytes.length - 4), "cut.bin")).toThrow(/expected \d+ bytes/);
  });

  it("the shipped model reads the NDA checklist: the no-reverse-engineering sentence is met and cited", () => {
    const doc = new ContractDocument(NDA);
    const result = checkRequirement(doc, requirement);
    expect(result.status).toBe("met");
    expect(result.citations.some((c) => c.quote.includes("reverse engineer"))).toBe(true);
    expect(result.confidence).toBeGreaterThan(0.5);
  });
});
