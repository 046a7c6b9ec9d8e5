import { pathToFileURL } from "node:url";
import type * as LegalPackage from "@bear/legal";
import { dataProcessingHandler, StepHandlerRegistry, type JsonValue, type StepHandler } from "@bear/workflow-engine";

// BENCH_LEGAL=<a build's dist/index.js>: this process runs that build of @bear/legal instead of this checkout's, so a
// bench can compare two builds of the review code in its worker processes (bench/worker-ab.ts, a variant's env word)
const legal = (process.env.BENCH_LEGAL ? await import(pathToFileURL(process.env.BENCH_LEGAL).href) : await import("@bear/legal")) as typeof LegalPackage;
const { LEGAL_STEP_TYPES, legalStepParameters, runLegalStep } = legal;

/** The contract_review workflow's legal.* steps as plain handlers, plus a no-op for the overhead figures. */
export function reviewRegistry(): StepHandlerRegistry {
  const steps = LEGAL_STEP_TYPES.map(
    (type) =>
      ({
        type,
        parameters: legalStepParameters[type],
        execute: async (ctx: { parameters: unknown; signal: AbortSignal }) => (await runLegalStep(type, ctx.parameters, { signal: ctx.signal })) as JsonValue,
      }) as unknown as StepHandler<never>,
  );
  const noop: StepHandler = { type: "bench.noop", execute: async () => null };
  return new StepHandlerRegistry([...steps, noop as StepHandler<never>, dataProcessingHandler() as StepHandler<never>]);
}

export const REVIEW_WORKFLOW = legal.CONTRACT_REVIEW_WORKFLOW_YAML;
