import { BearError, type BearErrorOptions } from "@bear/core";

/** Codes of the errors this package raises (package errors keep their own codes). */
export type WorkspaceErrorCode =
  | "WORKSPACE_NOT_INITIALISED"
  | "WORKSPACE_EXISTS"
  | "WORKSPACE_DAMAGED"
  | "PASSPHRASE_REQUIRED"
  | "PASSPHRASE_TOO_SHORT"
  | "WRONG_PASSPHRASE"
  | "INPUT_INVALID"
  | "INPUT_NOT_FOUND"
  | "UPLOAD_TOO_LARGE"
  | "UPLOAD_REJECTED"
  | "DOCUMENT_EXISTS"
  | "CONVERSATION_NOT_FOUND"
  | "PLUGIN_EXISTS"
  | "PLUGIN_NOT_FOUND"
  | "PLUGIN_FAILED"
  | "USER_EXISTS"
  | "USER_NOT_FOUND"
  | "AGENT_NOT_CREATABLE"
  | "INTERNAL_CAPABILITY"
  | "RUN_MATTER_MISSING";

/** An error of a workspace rule: its folder, keys, uploads, users or plugins. */
export class BearWorkspaceError extends BearError<WorkspaceErrorCode> {
  constructor(code: WorkspaceErrorCode, message: string, options?: BearErrorOptions) {
    super(code, message, options);
  }
}

/**
 * One of BEAR's own step types (a cluster's act sent to a worker) dispatched from a workflow run
 * (a submitted step, a coordinator's subtask, a reference resolved at run time): refused where it
 * is dispatched, never retried, naming the audited capability to use instead.
 */
export class InternalCapabilityError extends BearWorkspaceError {
  readonly retryable = false;
  /** What the step asked for, not the executor's doing: no agent or worker failure (isStepRefusal). */
  readonly refused = true;

  constructor(capability: string, runId: string, instead: string) {
    super("INTERNAL_CAPABILITY", `'${capability.slice(0, 80)}' is one of BEAR's own step types, run only for an API instance's act ('act-<uuid>'), not from run '${runId.slice(0, 128)}'; use ${instead}`, {
      hint: "Name the audited capability in the workflow instead (contract_review, pii_scrubbing, document_indexing, llm_generation).",
      details: { capability: capability.slice(0, 80), runId: runId.slice(0, 128) },
    });
  }
}

/**
 * A step that reads or writes documents in a run with no matter: refused, never retried, and never
 * given the default matter (a coordinator's subtask or any nested run works in its parent's matter).
 */
export class RunMatterMissingError extends BearWorkspaceError {
  readonly retryable = false;
  readonly refused = true;

  /** `by`: what asked, e.g. "step 'extract'" or "tool 'search'"; `actor`: who started the run, when known. */
  constructor(runId: string, by: string, actor?: string) {
    const startedBy = actor === undefined ? "" : ` (started by '${actor.slice(0, 200)}')`;
    super("RUN_MATTER_MISSING", `${by.slice(0, 160)} of run '${runId.slice(0, 128)}'${startedBy} uses documents, but the run has no matter`, {
      hint: "Start the run for a matter (POST /api/v1/workflows { matter }, `bear workflow run --matter <name>`, engine.start(…, { matter })).",
      details: { runId: runId.slice(0, 128), ...(actor === undefined ? {} : { actor: actor.slice(0, 200) }) },
    });
  }
}
