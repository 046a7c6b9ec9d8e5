import type { Logger } from "@bear/core";
import type { z } from "zod";
import type { JsonValue } from "../execution/json-value";
import type { StepIssue } from "../definition/validate-workflow";

/** Progress reported by a running step (for progress bars; never document text). */
export interface StepProgress {
  /** 0..1 when known. */
  readonly fraction?: number;
  readonly message?: string;
}

/** What a handler receives for one execution (one attempt, one item of a fan-out). */
export interface StepContext<P = Readonly<Record<string, JsonValue>>> {
  readonly runId: string;
  readonly stepId: string;
  readonly type: string;
  readonly agent: string | undefined;
  /** The matter the run works for, when it has one (per-matter file areas and audit records use it). */
  readonly matter?: string | undefined;
  /**
   * Who started the run (StartRunOptions.actor), when the starter said: a handler's audited acts, and
   * the runs it starts, name them. Undefined: the run acts as itself (`workflow:<runId>`).
   */
  readonly actor?: string | undefined;
  /** Parameters with every `{{ reference }}` resolved, validated by the handler's schema. */
  readonly parameters: P;
  /** 1 for the first attempt. */
  readonly attempt: number;
  /** The current item and its index in a `for_each` fan-out. */
  readonly item: JsonValue | undefined;
  readonly index: number | undefined;
  /** Aborted on cancellation, step timeout or run timeout: handlers must stop promptly. */
  readonly signal: AbortSignal;
  progress(progress: StepProgress): void;
  readonly logger: Logger;
}

/**
 * Executes one step type. Other packages (agents, plugins) register their own. Inputs and the
 * output are JSON so a step can later run on another worker.
 */
export interface StepHandler<P = Readonly<Record<string, JsonValue>>, O extends JsonValue = JsonValue> {
  readonly type: string;
  /** Validates and types the resolved parameters; errors name the parameter path. */
  readonly parameters?: z.ZodType<P>;
  /**
   * Checks the parameters as written, before the run starts (values may still be `{{ references }}`):
   * e.g. that a named tool exists. Paths are relative to the step (`parameters.tool`).
   */
  check?(parameters: Readonly<Record<string, unknown>>): readonly StepIssue[];
  execute(context: StepContext<P>): Promise<O>;
}
