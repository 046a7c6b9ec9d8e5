import { afterEach, beforeEach, describe, expect, it } from "@jest/globals";
import { CONTRACT_REVIEW_WORKFLOW_YAML, LEGAL_STEP_TYPES, legalStepParameters, runLegalStep, type LegalStepType } from "@bear/legal";
import type { JsonValue, StepHandler } from "@bear/workflow-engine";
import { AgentSystem, defineSpecialist, type Specialist } from "../src/index";

// How an app plugs @bear/legal in: one specialist whose capabilities are the legal.* step handlers.
// (Shipped agents code never imports @bear/legal; this adapter belongs to the apps.)
const CAPABILITY: Record<LegalStepType, string> = {
  "legal.extract_terms": "term_extraction",
  "legal.classify_clauses": "clause_classification",
  "legal.assess_risk": "risk_assessment",
  "legal.check_compliance": "compliance_check",
  "legal.validate_citations": "citation_validation",
  "legal.report": "report_generation",
};

function legalSpecialist(): Specialist {
  const handler = (type: LegalStepType): StepHandler<never> =>
    ({ type, parameters: legalStepParameters[type], execute: async (ctx: { parameters: unknown; signal: AbortSignal }) => (await runLegalStep(type, ctx.parameters, { signal: ctx.signal })) as JsonValue }) as unknown as StepHandler<never>;
  return defineSpecialist({ id: "legal", name: "Legal analyst (@bear/legal)", capabilities: Object.fromEntries(LEGAL_STEP_TYPES.map((t) => [CAPABILITY[t], handler(t)])) });
}

const CONTRACT = `CONSULTING AGREEMENT

This Consulting Agreement (the "Agreement") is made as of April 1, 2025 by and between Acme Widgets LLC ("Client") and Jordan Lee ("Consultant").

1. Term. This Agreement continues for twelve (12) months and renews automatically for successive one (1) year terms.

2. Fees. Client shall pay Consultant USD 8,500 per month.

3. Governing Law. This Agreement is governed by the laws of the State of Oregon.
`;

describe("@bear/legal plugged in as a specialist", () => {
  let system: AgentSystem;
  beforeEach(async () => {
    system = await AgentSystem.open({ specialists: [legalSpecialist()] });
  });
  afterEach(async () => system.dispose());

  it("runs legal's own contract_review workflow, its legal.* step types registered by the specialist", async () => {
    const result = await system.runWorkflow(CONTRACT_REVIEW_WORKFLOW_YAML, { text: CONTRACT, format: "markdown" });
    const report = result.output as { format: string; content: string };
    expect(report.format).toBe("markdown");
    expect(report.content).toContain("Acme Widgets LLC");
    expect(result.outputs["validate"]).toMatchObject({ valid: true });
  });

  it("delegates a legal_document_analysis to the legal specialist, and every span in the result is checked against the contract", async () => {
    system.coordinator.defineTaskType("legal_document_analysis", {
      requirements: ["term_extraction", "clause_classification", "risk_assessment", "compliance_check"],
      dependencies: { risk_assessment: ["term_extraction", "clause_classification"] },
      validate: { require_citations: true, sources: CONTRACT },
    });
    const result = await system.delegate({
      type: "legal_document_analysis",
      input: { text: CONTRACT },
      subtasks: {
        risk_assessment: { input: { text: "{{ inputs.task.text }}", key_terms: "{{ steps.term_extraction.output }}", classification: "{{ steps.clause_classification.output }}" } },
      },
    });
    expect(result.waves).toEqual([["term_extraction", "clause_classification", "compliance_check"], ["risk_assessment"]]);
    expect(result.validation).toEqual({ valid: true, checked: ["citations"] });
    const terms = result.results["term_extraction"] as { amounts: Array<{ amount: number; currency: string }> };
    expect(terms.amounts[0]).toMatchObject({ amount: 8500, currency: "USD" });
    const risks = result.results["risk_assessment"] as { findings: Array<{ ruleId: string }> };
    expect(risks.findings.map((f) => f.ruleId)).toContain("auto-renewal-without-notice");
    expect(new Set(result.assignments.map((a) => a.agentId))).toEqual(new Set(["legal"]));
  });

  it("the validator catches a tampered legal span", async () => {
    const terms = (await system.dispatcher.dispatch({ id: "t", capability: "term_extraction", input: { text: CONTRACT } })) as { amounts: Array<{ span: { quote: string } }> };
    terms.amounts[0]!.span.quote = "USD 9,999";
    const report = await system.dispatcher.validate({ output: terms as unknown as JsonValue, spec: { sources: CONTRACT } });
    expect(report.valid).toBe(false);
    expect(report.issues).toEqual([expect.objectContaining({ rule: "citations", path: "output.amounts[0].span" })]);
  });
});
