import { CONTRACT_REVIEW_WORKFLOW_YAML, LEGAL_STEP_TYPES, legalStepParameters, runLegalStep, type LegalStepType } from "@bear/legal";
import { dataProcessingHandler, StepHandlerRegistry, type JsonValue, type StepHandler } from "@bear/workflow-engine";

/** The contract_review workflow's legal.* steps as plain handlers, plus a no-op for the overhead figures. */
export function reviewRegistry(): StepHandlerRegistry {
  const legal = LEGAL_STEP_TYPES.map(
    (type: LegalStepType) =>
      ({
        type,
        parameters: legalStepParameters[type],
        execute: async (ctx: { parameters: unknown; signal: AbortSignal }) => (await runLegalStep(type, ctx.parameters, { signal: ctx.signal })) as JsonValue,
      }) as unknown as StepHandler<never>,
  );
  const noop: StepHandler = { type: "bench.noop", execute: async () => null };
  return new StepHandlerRegistry([...legal, noop as StepHandler<never>, dataProcessingHandler() as StepHandler<never>]);
}

export const REVIEW_WORKFLOW = CONTRACT_REVIEW_WORKFLOW_YAML;
