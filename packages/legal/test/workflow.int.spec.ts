// The contract_review workflow on the real workflow engine, with handlers that do what @bear/agents
// does: call runLegalStep for each legal.* step type.
import { describe, expect, it } from "@jest/globals";
import { StepHandlerRegistry, WorkflowEngine, type StepHandler } from "@bear/workflow-engine";
import { CONTRACT_REVIEW_WORKFLOW_YAML } from "../src/workflow/contract-review-workflow";
import { LEGAL_STEP_TYPES, legalStepParameters, runLegalStep } from "../src/workflow/legal-steps";
import { allCitations, servicesAgreement } from "./fixtures";

function legalHandlers(): StepHandler[] {
  return LEGAL_STEP_TYPES.map((type) => ({
    type,
    parameters: legalStepParameters[type] as never,
    execute: async (ctx) => (await runLegalStep(type, ctx.parameters, { signal: ctx.signal })) as never,
  }));
}

describe("contract_review workflow", () => {
  it("validates against the engine with the legal step types registered", () => {
    const engine = WorkflowEngine.inMemory({ registry: new StepHandlerRegistry(legalHandlers() as never) });
    const definition = engine.load(CONTRACT_REVIEW_WORKFLOW_YAML);
    expect(definition.steps.map((s) => s.type)).toEqual([...LEGAL_STEP_TYPES]);
  });

  it("runs end to end with no model and returns a cited report", async () => {
    const engine = WorkflowEngine.inMemory({ registry: new StepHandlerRegistry(legalHandlers() as never) });
    const text = servicesAgreement();
    try {
      const run = engine.start(CONTRACT_REVIEW_WORKFLOW_YAML, { text, format: "markdown" });
      const result = await run.result;
      expect(result.status).toBe("completed");
      const outputs = result.outputs as Record<string, { format: string; content: string; report: { citations: { valid: boolean; checked: number } } } & Record<string, unknown>>;
      const report = outputs["report"]!;
      expect(report.format).toBe("markdown");
      expect(report.content).toContain("Northwind Analytics, Inc.");
      expect(report.report.citations.valid).toBe(true);
      for (const c of allCitations(outputs)) expect(text.slice(c.start, c.end)).toBe(c.quote);
      expect(outputs["validate"]).toMatchObject({ valid: true });
    } finally {
      await engine.dispose();
    }
  });

  it("fails the validate step when a citation does not match the text", async () => {
    await expect(runLegalStep("legal.validate_citations", { text: "abc", outputs: { x: { start: 0, end: 2, quote: "zz" } } })).rejects.toMatchObject({ code: "CITATION_INVALID" });
    await expect(runLegalStep("legal.extract_terms", { text: 5 })).rejects.toMatchObject({ code: "INPUT_INVALID" });
  });
});
