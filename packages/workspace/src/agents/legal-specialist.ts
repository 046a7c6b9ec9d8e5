import { defineSpecialist, type Specialist } from "@bear/agents";
import { LEGAL_STEP_TYPES, legalStepParameters, runLegalStep, type LegalStepType } from "@bear/legal";
import type { JsonValue, StepHandler } from "@bear/workflow-engine";

/** The capability (for the balancer) of each legal.* step type. */
const CAPABILITY: Record<LegalStepType, string> = {
  "legal.extract_terms": "term_extraction",
  "legal.classify_clauses": "clause_classification",
  "legal.assess_risk": "risk_assessment",
  "legal.check_compliance": "compliance_check",
  "legal.validate_citations": "citation_validation",
  "legal.report": "report_generation",
};

/**
 * @bear/legal plugged into the agents as one specialist: its legal.* step handlers join the
 * engine, so the built-in `contract_review` workflow runs (in-process, or on `bear worker`s).
 */
export function legalSpecialist(): Specialist {
  const handler = (type: LegalStepType): StepHandler<never> =>
    ({
      type,
      parameters: legalStepParameters[type],
      execute: async (ctx: { parameters: unknown; signal: AbortSignal }) => (await runLegalStep(type, ctx.parameters, { signal: ctx.signal })) as JsonValue,
    }) as unknown as StepHandler<never>;
  return defineSpecialist({ id: "legal", name: "Legal analyst (@bear/legal)", capabilities: Object.fromEntries(LEGAL_STEP_TYPES.map((t) => [CAPABILITY[t], handler(t)])) });
}
