import type { JsonObject } from "../execution/json-value";
import type { ErrorInfo, RunStatus } from "../store/run-records";

interface EventBase {
  readonly runId: string;
  /** Order of the event within its run (persisted). */
  readonly seq: number;
  /** Milliseconds since the epoch. */
  readonly at: number;
}

interface StepEventBase extends EventBase {
  readonly stepId: string;
  /** Set for one item of a `for_each` step. */
  readonly index?: number;
}

/** Everything a run reports; ids, counts and error codes only, never document text. */
export type WorkflowEvent =
  | (EventBase & { readonly type: "run.started"; readonly workflow: string; readonly resumed: boolean })
  | (StepEventBase & { readonly type: "step.started"; readonly attempt: number })
  | (StepEventBase & { readonly type: "step.progress"; readonly fraction?: number; readonly message?: string })
  /** Who executed an attempt and the verdict on it, as the executor reported (see ExecuteOptions.onAssignment). */
  | (StepEventBase & { readonly type: "step.assigned"; readonly attempt: number; readonly assignment: JsonObject })
  | (StepEventBase & { readonly type: "step.completed"; readonly attempt: number; readonly durationMs: number })
  | (StepEventBase & { readonly type: "step.failed"; readonly attempt: number; readonly error: ErrorInfo })
  | (StepEventBase & { readonly type: "step.retried"; readonly attempt: number; readonly delayMs: number; readonly error: ErrorInfo })
  | (StepEventBase & { readonly type: "step.skipped"; readonly reason: string })
  | (StepEventBase & { readonly type: "step.cancelled" })
  | (EventBase & {
      readonly type: "run.completed";
      readonly status: Extract<RunStatus, "completed" | "failed" | "cancelled">;
      readonly error?: ErrorInfo;
      readonly durationMs: number;
    });

export type WorkflowEventType = WorkflowEvent["type"];

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;
/** An event before the engine stamps it with seq and time. */
export type WorkflowEventDraft = DistributiveOmit<WorkflowEvent, "seq" | "at">;
