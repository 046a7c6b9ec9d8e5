import { BearError, type BearErrorOptions, formatValue } from "@bear/core";

export type WorkflowErrorCode =
  | "WORKFLOW_PARSE_FAILED"
  | "WORKFLOW_INVALID"
  | "WORKFLOW_INPUTS_INVALID"
  | "REFERENCE_INVALID"
  | "REFERENCE_UNRESOLVED"
  | "CONDITION_INVALID"
  | "STEP_HANDLER_DUPLICATE"
  | "STEP_HANDLER_MISSING"
  | "STEP_PARAMETERS_INVALID"
  | "STEP_FAILED"
  | "STEP_TIMEOUT"
  | "RUN_TIMEOUT"
  | "RUN_CANCELLED"
  | "RUN_NOT_FOUND"
  | "RUN_ID_RESERVED"
  | "RUN_NOT_RESUMABLE"
  | "VALUE_NOT_JSON"
  | "STORE_FAILED"
  | "STORE_IN_USE"
  | "STORE_KEY_MISMATCH";

/** Base class of every error this package throws on purpose. */
export class WorkflowError extends BearError<WorkflowErrorCode> {}

/** One problem found while validating a definition: the exact path and what is wrong there. */
export interface ValidationIssue {
  /** e.g. `steps[3].depends_on[0]`. */
  readonly path: string;
  readonly message: string;
}

export class WorkflowParseError extends WorkflowError {
  constructor(source: string, reason: string, cause?: unknown) {
    super("WORKFLOW_PARSE_FAILED", `workflow ${source} could not be parsed: ${reason}`, {
      hint: "Workflows are JSON or YAML documents with name, inputs and steps[].",
      cause,
      details: { source },
    });
  }
}

export class WorkflowValidationError extends WorkflowError {
  readonly issues: readonly ValidationIssue[];
  constructor(workflow: string, issues: readonly ValidationIssue[]) {
    const lines = issues.slice(0, 20).map((i) => `  ${i.path}: ${i.message}`);
    const more = issues.length > 20 ? `\n  … and ${issues.length - 20} more` : "";
    super("WORKFLOW_INVALID", `workflow '${workflow}' is invalid (${issues.length} problem${issues.length === 1 ? "" : "s"}):\n${lines.join("\n")}${more}`, {
      hint: "Fix each path listed above; nothing has run.",
      details: { workflow, issues },
    });
    this.issues = issues;
  }
}

export class WorkflowInputsError extends WorkflowError {
  readonly issues: readonly ValidationIssue[];
  constructor(workflow: string, issues: readonly ValidationIssue[]) {
    super("WORKFLOW_INPUTS_INVALID", `inputs for workflow '${workflow}' are invalid: ${issues.map((i) => `${i.path}: ${i.message}`).join("; ")}`, {
      hint: "Pass every required input with the declared type.",
      details: { workflow, issues },
    });
    this.issues = issues;
  }
}

export class ReferenceSyntaxError extends WorkflowError {
  constructor(expression: string, position: number, reason: string) {
    super("REFERENCE_INVALID", `reference ${formatValue(expression)} is malformed at character ${position}: ${reason}`, {
      hint: "References look like {{ inputs.name }} or {{ steps.extract.output.clauses[0] }}.",
      details: { position },
    });
  }
}

export class ConditionSyntaxError extends WorkflowError {
  constructor(expression: string, position: number, reason: string) {
    super("CONDITION_INVALID", `condition ${formatValue(expression)} is malformed at character ${position}: ${reason}`, {
      hint: "Conditions compare references and literals: steps.classify.output.kind == 'nda' && !inputs.dry_run",
      details: { position },
    });
  }
}

export class StepHandlerDuplicateError extends WorkflowError {
  constructor(type: string) {
    super("STEP_HANDLER_DUPLICATE", `a handler for step type '${type}' is already registered`, {
      hint: "Each step type has exactly one handler; pick a namespaced type such as 'myplugin.extract'.",
      details: { type },
    });
  }
}

export class StepHandlerMissingError extends WorkflowError {
  constructor(type: string, known: readonly string[]) {
    super("STEP_HANDLER_MISSING", `no handler is registered for step type '${type}' (registered: ${known.join(", ") || "none"})`, {
      hint: "Register one with StepHandlerRegistry.register() before running the workflow.",
      details: { type },
    });
  }
}

export class StepParametersError extends WorkflowError {
  constructor(stepId: string, type: string, reason: string) {
    super("STEP_PARAMETERS_INVALID", `parameters of step '${stepId}' (type '${type}') are invalid: ${reason}`, {
      hint: "Check the step's parameters against the handler's documented schema.",
      details: { stepId, type },
    });
  }
}

export class StepFailedError extends WorkflowError {
  constructor(stepId: string, reason: string, cause?: unknown) {
    super("STEP_FAILED", `step '${stepId}' failed: ${reason}`, { cause, details: { stepId } });
  }
}

/**
 * Thrown by a handler for a failure no retry can fix (invalid input, a missing capability): the
 * step fails at once, whatever its retry policy. Any error with `retryable: false` counts the same.
 */
export class PermanentStepError extends StepFailedError {
  readonly retryable = false;
}

export class StepTimeoutError extends WorkflowError {
  constructor(stepId: string, timeoutMs: number) {
    super("STEP_TIMEOUT", `step '${stepId}' timed out after ${timeoutMs} ms`, {
      hint: "Raise the step's timeout or make its handler honour the AbortSignal sooner.",
      details: { stepId, timeoutMs },
    });
  }
}

export class RunTimeoutError extends WorkflowError {
  constructor(runId: string, timeoutMs: number) {
    super("RUN_TIMEOUT", `run '${runId}' timed out after ${timeoutMs} ms`, {
      hint: "Raise the workflow's timeout.",
      details: { runId, timeoutMs },
    });
  }
}

export class RunCancelledError extends WorkflowError {
  constructor(runId: string, reason = "cancelled by request") {
    super("RUN_CANCELLED", `run '${runId}' was cancelled: ${reason}`, { details: { runId } });
  }
}

export class RunNotFoundError extends WorkflowError {
  constructor(runId: string) {
    super("RUN_NOT_FOUND", `run '${runId}' does not exist`, {
      hint: "List runs with engine.listRuns(); old runs are pruned after the retention period.",
      details: { runId },
    });
  }
}

/**
 * Whether an error refuses a step for what it asks (its input, a capability it may not use), not for
 * how its executor did: the engine's own parameter errors, and any error marked `refused: true`.
 * Such an error counts as no executor's failure (agent health, balancer history).
 */
export function isStepRefusal(error: unknown): boolean {
  if (typeof error !== "object" || error === null) return false;
  return (error as { refused?: unknown }).refused === true || REFUSAL_CODES.has(String((error as { code?: unknown }).code));
}

const REFUSAL_CODES: ReadonlySet<string> = new Set<WorkflowErrorCode>(["STEP_PARAMETERS_INVALID"]);

/** Run ids starting with ACT_RUN_PREFIX belong to an API instance's one-off acts, never to a run. */
export const ACT_RUN_PREFIX = "act-";

/** `engine.start(…, { runId })` with an id reserved for BEAR's own acts (`act-…`). */
export class RunIdReservedError extends WorkflowError {
  constructor(runId: string) {
    super("RUN_ID_RESERVED", `run id '${runId.slice(0, 128)}' is reserved: ids starting with '${ACT_RUN_PREFIX}' name BEAR's own one-off acts, not workflow runs`, {
      hint: `Choose another run id (bear workflow run --run-id), or leave it out for a random one.`,
      details: { runId: runId.slice(0, 128) },
    });
  }
}

/** `engine.resume(runId)` of a run that is finished, already running here, or whose workflow no longer validates. */
export class RunNotResumableError extends WorkflowError {
  constructor(runId: string, status: string, reason: string, options: { readonly hint?: string } = {}) {
    super("RUN_NOT_RESUMABLE", `run '${runId}' cannot be resumed: ${reason}`, {
      hint: options.hint ?? "Only runs left pending or running by a process that stopped can be resumed; start a new run instead.",
      details: { runId, status },
    });
  }
}

export class NotJsonError extends WorkflowError {
  constructor(what: string, path: string, reason: string) {
    super("VALUE_NOT_JSON", `${what} is not JSON-serialisable at ${path}: ${reason}`, {
      hint: "Step inputs and outputs must be plain JSON (objects, arrays, strings, finite numbers, booleans, null) so steps can run on other workers.",
      details: { what, path },
    });
  }
}

/** The database was written encrypted under another key, or opened with/without a key it was not written with. */
export class RunStoreKeyMismatchError extends WorkflowError {
  constructor(location: string, stored: string | null, given: string | null) {
    const what = (id: string | null): string => (id === null ? "no encryption" : `key ${id}`);
    super("STORE_KEY_MISMATCH", `workflow store at '${location}' was written with ${what(stored)}, and was opened with ${what(given)}`, {
      hint: stored === null ? "Open it without a cipher, or start a new database for an encrypted workspace." : "Open it with the workspace key (passphrase) it was written with.",
      details: { location, stored, given },
    });
  }
}

export class RunStoreError extends WorkflowError {
  constructor(operation: string, location: string, cause: unknown, options: Omit<BearErrorOptions, "cause"> = {}) {
    super("STORE_FAILED", `workflow store at '${location}' failed to ${operation}`, {
      hint: "Check that the database file is writable and not used by another program.",
      ...options,
      cause,
      details: { operation, location },
    });
  }
}

/** Who else has the database open, as the refusal names them. */
export interface RunStoreHolder {
  readonly host: string;
  readonly pid: number;
  readonly mode: "exclusive" | "shared";
  readonly at: number;
  /** Its marker in `<dbPath>.live/` (absent for a standalone seen only through its pid lock). */
  readonly file?: string;
}

/**
 * The database is open in a way this opener cannot join: a standalone engine while cluster instances
 * (or another standalone) are live, or a cluster instance while a standalone holds it. Either way
 * both would resume the same runs and run them twice.
 */
export class RunStoreInUseError extends WorkflowError {
  constructor(
    location: string,
    readonly mode: "exclusive" | "shared",
    readonly holders: readonly RunStoreHolder[],
    described: readonly string[],
  ) {
    const clustered = holders.some((h) => h.mode === "shared");
    const by = clustered ? `live cluster instance${holders.length === 1 ? "" : "s"}` : "a standalone engine";
    const files = holders.flatMap((h) => (h.file === undefined ? [] : [`'${h.file}'`]));
    const stop =
      mode === "exclusive"
        ? clustered
          ? "Stop those instances (bear serve --redis) first, or join them: start this server with --redis <url> too."
          : "Stop the other standalone server first."
        : "Stop the standalone server (bear serve without --redis) first, then start the cluster instances.";
    super("STORE_IN_USE", `workflow database '${location}' is in use by ${by}: ${described.join(", ")}`, {
      hint:
        files.length === 0
          ? stop
          : `${stop} A holder stopped with Ctrl-Z (SIGSTOP) still counts: resume it (fg) to stop it. If a holder is no longer running (a crash, a reboot), its marker stops counting once stale; to open at once, delete ${files.join(", ")}.`,
      details: { location, mode, holders: holders.map((h) => ({ ...h })) },
    });
  }
}

/** A short message for any thrown value, for events and the store (never a stack). */
export function errorMessage(error: unknown): string {
  if (error instanceof Error) return error.message;
  return typeof error === "string" ? error : formatValue(error);
}
