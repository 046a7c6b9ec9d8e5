// The shipped clause model (model/clause-model.bin): it loads from the package, fast, and labels a fixed
// sample of cuad_train better than the rules do. The model was trained on all of cuad_train, so this
// is a regression guard (broken weights, features that drifted from training), not a quality claim:
// the held-out figures come from contract-level cross-validation (bench/cuad-cv.ts, README).
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "@jest/globals";
import { ClauseModel, ContractDocument, ModelClauseClassifier, RuleClauseClassifier, classifyClauses, shippedClauseModel } from "../src/index";
import { shippedClauseModelPath } from "../src/classification/clause-model/shipped-clause-model";
import { sharedData } from "./fixtures";

const dir = path.join(sharedData, "cuad_train");
const SAMPLE = ["Governing Law", "Anti-Assignment", "Cap on Liability", "License Grant", "Audit Rights", "Insurance"] as const;

function sampleF1(score: (doc: ContractDocument) => { category: string; span: { start: number; end: number }; score: number }[], threshold: number): number {
  const rows = fs.readFileSync(path.join(dir, "clauses.jsonl"), "utf8").split("\n").filter(Boolean).map((l) => JSON.parse(l) as { file: string; category: string; spans: { start: number; end: number }[] });
  const files = [...new Set(rows.map((r) => r.file))].sort().filter((_, i) => i % 40 === 0);
  let tp = 0, predicted = 0, gold = 0, found = 0;
  for (const file of files) {
    const scores = score(new ContractDocument(fs.readFileSync(path.join(dir, "full_contract_txt", file), "utf8")));
    for (const category of SAMPLE) {
      const spans = rows.find((r) => r.file === file && r.category === category)?.spans ?? [];
      const preds = scores.filter((s) => s.category === category && s.score >= threshold);
      const hit = (p: { start: number; end: number }) => spans.some((g) => g.start < p.end && p.start < g.end);
      predicted += preds.length;
      tp += preds.filter((p) => hit(p.span)).length;
      gold += spans.length;
      found += spans.filter((g) => preds.some((p) => g.start < p.span.end && p.span.start < g.end)).length;
    }
  }
  const p = tp / Math.max(1, predicted);
  const r = found / Math.max(1, gold);
  return (2 * p * r) / Math.max(1e-9, p + r);
}

describe("the shipped clause model", () => {
  it("is in the package, at most 20 MB, and loads in well under a second", () => {
    const file = shippedClauseModelPath();
    expect(file).toBeDefined();
    expect(fs.statSync(file!).size).toBeLessThanOrEqual(20 * 1024 * 1024);
    const t0 = performance.now();
    const model = ClauseModel.fromBytes(fs.readFileSync(file!), file);
    expect(performance.now() - t0).toBeLessThan(1000);
    expect(model.meta).toMatchObject({ data: "cuad_train", contracts: 405 });
    expect(model.stacked).toBe(true);
  });

  it("labels clauses by default, and the rules label when asked to", async () => {
    const text = "9. Governing Law. This Agreement shall be governed by the laws of the State of New York.";
    const withModel = await classifyClauses(text);
    expect(withModel.method).toBe("model");
    expect(withModel.clauses[0]!.labels[0]).toMatchObject({ category: "Governing Law", source: "model" });
    expect(withModel.clauses[0]!.labels[0]!.score).toBeGreaterThan(0.5);
    expect((await classifyClauses(text, { model: false })).method).toBe("rules");
  });

  it("beats the rules on a fixed sample of six common categories (in-sample regression guard)", () => {
    const rules = new RuleClauseClassifier();
    const model = new ModelClauseClassifier(shippedClauseModel()!, rules);
    const modelF1 = sampleF1((d) => model.scoreDocument(d), 0.3);
    const rulesF1 = sampleF1((d) => rules.scoreDocument(d), 0.5);
    expect(modelF1).toBeGreaterThan(rulesF1);
    expect(modelF1).toBeGreaterThan(0.7);
  }, 120_000);
});
