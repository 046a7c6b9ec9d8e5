import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { ModelManager } from "@bear/model-manager";
import { CUAD_CATEGORIES, classifyClauses, renderReport, reviewContract } from "../src/index";

// The LLM-assisted mode through a real GGUF model (stories260K, through @bear/model-manager, 1 thread
// on this 2-vCPU machine). The model is a fixture, not a lawyer: these tests check the machinery
// (the prompt fits the context, grammar-constrained JSON parses, citations stay exact), not its labels.
const modelDir = path.resolve(import.meta.dirname, "../../../../shared/models/stories260K");
const contract = fs.readFileSync(path.join(import.meta.dirname, "fixtures/services-agreement.txt"), "utf8");

describe("clause labelling with a real GGUF model (stories260K)", () => {
  let manager: ModelManager;
  let small: ModelManager;
  beforeAll(async () => {
    manager = await ModelManager.open({ modelDirs: [modelDir], threads: 1, maxConcurrentRequests: 1 });
    small = await ModelManager.open({ modelDirs: [modelDir], threads: 1, maxConcurrentRequests: 1, maxContextSize: 512 });
  });
  afterAll(async () => {
    await manager?.dispose();
    await small?.dispose();
  });

  it("fits the instructions to the model's context, gets schema-valid JSON answers, and keeps every citation exact", async () => {
    const llm = manager.llm("stories260K");
    expect(llm.contextSize).toBe(2048); // too small for the category descriptions: the names-only instructions are used
    const asked = 4;
    const result = await classifyClauses(contract, { llm, maxClauses: asked, model: false });
    expect(manager.metrics.snapshot().find((m) => m.modelId === "stories260K")).toMatchObject({ generations: asked, errors: 0 });
    expect(result).toMatchObject({ method: "llm-assisted", modelId: "stories260K" });
    expect(result.llmSkipped).toBeUndefined();
    // Greedy, grammar-constrained: the answers parse (a clause whose answer did not is listed, rule labels kept).
    expect(result.llmFailures ?? []).toEqual([]);
    const rulesOnly = await classifyClauses(contract, { model: false });
    expect(result.clauses.map((c) => c.span)).toEqual(rulesOnly.clauses.map((c) => c.span));
    for (const clause of result.clauses) {
      expect(contract.slice(clause.span.start, clause.span.end)).toBe(clause.span.quote);
      for (const label of clause.labels) {
        expect(CUAD_CATEGORIES).toContain(label.category);
        expect(label.score).toBeGreaterThanOrEqual(0.5);
        for (const evidence of label.evidence) expect(contract.slice(evidence.span.start, evidence.span.end)).toBe(evidence.span.quote);
      }
    }
  }, 60_000);

  it("says why it did not ask a model whose context cannot hold the instructions, and the rules decide", async () => {
    const llm = small.llm("stories260K");
    expect(llm.contextSize).toBe(512);
    const result = await classifyClauses(contract, { llm, model: false });
    const generations = small.metrics.snapshot().reduce((n, m) => n + m.generations + m.errors, 0);
    expect(generations).toBe(0); // the model was never asked
    expect(result.method).toBe("rules");
    expect(result.llmSkipped).toMatch(/^the model's context \(512 tokens\) cannot hold the labelling instructions \(\d+ tokens\), a clause and the answer$/);
    expect(result.clauses).toEqual((await classifyClauses(contract, { model: false })).clauses);
    // The report says so too.
    const report = await reviewContract(contract, { llm, model: false, now: new Date("2026-01-01T00:00:00Z") });
    expect(report).toMatchObject({ method: "rules", modelId: "stories260K", llmSkipped: result.llmSkipped });
    expect(renderReport(report, "markdown")).toContain("rules (stories260K not asked: the model's context (512 tokens)");
  }, 60_000);
});
