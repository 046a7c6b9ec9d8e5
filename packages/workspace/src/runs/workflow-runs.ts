import fs from "node:fs";
import path from "node:path";
import { BearError } from "@bear/core";
import { parseWorkflowText, type RunDetails, type RunHandle, type RunRecord, type RunResult, type RunStatus, type WorkflowEngine, type WorkflowEvent } from "@bear/workflow-engine";
import { builtInWorkflow } from "../agents/built-in-workflows";
import { BearWorkspaceError } from "../errors";
import type { Workspace } from "../workspace";
import type { LiveRunStatus, LiveRuns } from "./live-runs";

/**
 * Runs as a front door that owns no server shows them (`bear workflow`): one process owns the
 * workflow database at a time; the others read what it publishes (live-runs) and ask it to cancel.
 */

/** A finished run and its details. */
export interface RunOutcome {
  readonly result: RunResult;
  readonly details: RunDetails;
}

/** A step as the CLI shows it, with what the agents reported for its last attempt (agent, score breakdown, verdict). */
export interface RunStepView {
  readonly id: string;
  readonly index: number | null;
  readonly status: string;
  readonly attempt: number;
  readonly error?: unknown;
  readonly agent: Readonly<Record<string, unknown>> | null;
}

export interface RunStatusView {
  readonly runId: string;
  readonly workflow: string;
  readonly status: string;
  readonly error?: { readonly code: string; readonly message: string } | null;
  readonly progress: RunDetails["progress"];
  readonly steps: ReadonlyArray<LiveRunStatus["steps"][number] & { readonly agent?: Readonly<Record<string, unknown>> | null }>;
  /** Read from the process running it (its database is busy). */
  readonly live: boolean;
}

/** Each step of a run with the agent that executed its last attempt. */
export function runSteps(details: RunDetails): RunStepView[] {
  const last = new Map(details.assignments.map((a) => [`${a.stepId}#${a.index ?? ""}`, a.assignment]));
  return details.steps.map((s) => ({ id: s.stepId, index: s.index, status: s.status, attempt: s.attempt, ...(s.error ? { error: s.error } : {}), agent: last.get(`${s.stepId}#${s.index ?? ""}`) ?? null }));
}

function notFound(runId: string, cause?: unknown): BearWorkspaceError {
  return new BearWorkspaceError("INPUT_NOT_FOUND", `workflow run '${runId}' not found`, { hint: "`bear workflow list` shows the runs.", ...(cause ? { cause } : {}) });
}

/** True when the workflow database could not be opened because another live process owns it. */
function heldByAnotherProcess(error: unknown): error is BearError {
  if (!BearError.isInstance(error) || error.code !== "STORE_FAILED" || !BearError.isInstance(error.cause) || error.cause.code !== "LOCK_BUSY") return false;
  const holder = error.cause.details?.["holder"];
  return typeof holder === "number" && holder !== process.pid;
}

/** The engine, to run steps; a database another process owns is said plainly. */
export async function runningEngine(workspace: Workspace): Promise<WorkflowEngine> {
  try {
    return await workspace.workflows();
  } catch (error) {
    if (!heldByAnotherProcess(error)) throw error;
    throw new BearWorkspaceError("INPUT_INVALID", `${error.message}: another \`bear workflow run\` is using the workspace's workflow database`, {
      hint: "Wait for it to finish (`bear workflow list` shows its progress), or run the workflow in another workspace.",
      cause: error,
    });
  }
}

/**
 * Where a run's file steps work, as recorded when it started (`RunFileArea`: `matters:<root>`,
 * `folder:<root>`, `none`; null for a run of an older database): a run is resumed only there.
 */
export async function recordedFileArea(workspace: Workspace, runId: string): Promise<string | null> {
  const record = (await runningEngine(workspace)).store.getRun(runId);
  if (!record) throw notFound(runId);
  return record.files ?? null;
}

/** Reads from the engine; if another live process owns the database, from what that process publishes. */
async function fromEngineOrLive<T>(workspace: Workspace, fromEngine: (engine: WorkflowEngine) => T, fromLive: (live: LiveRuns) => T | Promise<T>): Promise<T> {
  let engine: WorkflowEngine;
  try {
    engine = await workspace.workflows();
  } catch (error) {
    if (heldByAnotherProcess(error)) return fromLive(workspace.liveRuns);
    throw error;
  }
  return fromEngine(engine);
}

/** Recent runs; with the database to ourselves, a pending or running run has no process running it: it was interrupted. */
export function listRuns(workspace: Workspace, options: { readonly limit: number; readonly status?: RunStatus }): Promise<Record<string, unknown>[]> {
  const row = (r: RunRecord) => ({ runId: r.id, workflow: r.workflow, status: r.status, createdAt: new Date(r.createdAt).toISOString(), finishedAt: r.finishedAt ? new Date(r.finishedAt).toISOString() : null, error: r.error });
  return fromEngineOrLive<Record<string, unknown>[]>(
    workspace,
    (engine) => engine.listRuns(options).map((r) => ({ ...row(r), interrupted: r.status === "pending" || r.status === "running" })),
    (live) => live.list().map((r) => ({ runId: r.runId, workflow: r.workflow, status: r.status, createdAt: r.updatedAt, live: true })),
  );
}

/** One run's status and steps (RUN_NOT_FOUND for an unknown id). */
export function runStatus(workspace: Workspace, runId: string): Promise<RunStatusView> {
  return fromEngineOrLive<RunStatusView>(
    workspace,
    (engine) => {
      const d = engine.getRun(runId);
      return { runId: d.id, workflow: d.workflow, status: d.status, error: d.error, progress: d.progress, steps: runSteps(d), live: false };
    },
    (live) => {
      const status = live.read(runId);
      if (!status) throw notFound(runId);
      return { ...status, live: true };
    },
  );
}

/**
 * Cancels a run here, or asks the live process running it and waits for it to say so. `actor` (who asks: a
 * principal id, `cli`) is named in the cancel's audit record, by whichever process stops the run.
 */
export function cancelRun(workspace: Workspace, runId: string, reason: string, actor?: string): Promise<{ runId: string; cancelled: boolean; via: string }> {
  return fromEngineOrLive(
    workspace,
    (engine) => ({ runId, cancelled: engine.cancel(runId, reason, actor === undefined ? {} : { actor }), via: "database" }),
    async (live) => ({ runId, cancelled: await live.requestCancel(runId, actor), via: "running process" }),
  );
}

/** engine.resume(), its refusals said for a person. */
export function resumeRun(engine: WorkflowEngine, runId: string): RunHandle {
  try {
    return engine.resume(runId);
  } catch (error) {
    if (BearError.isInstance(error) && error.code === "RUN_NOT_FOUND") throw notFound(runId, error);
    if (BearError.isInstance(error) && error.code === "RUN_NOT_RESUMABLE") throw new BearWorkspaceError("INPUT_INVALID", error.message, { hint: error.hint ?? "", cause: error });
    throw error;
  }
}

/**
 * A workflow definition from a file (.yaml, .yml, .json) or, when no such file exists, a built-in
 * workflow's name; its syntax is checked before any database is opened.
 */
export function workflowSource(fileOrName: string): { readonly text: string; readonly source: string } {
  const builtIn = fs.existsSync(fileOrName) ? undefined : builtInWorkflow(fileOrName);
  let text: string;
  if (builtIn) text = builtIn.definition;
  else {
    try {
      text = fs.readFileSync(fileOrName, "utf8");
    } catch (error) {
      throw new BearWorkspaceError("INPUT_NOT_FOUND", `cannot read workflow file '${fileOrName}' (${(error as NodeJS.ErrnoException).code ?? "error"})`, { hint: "Check the path.", cause: error });
    }
  }
  const source = builtIn ? builtIn.name : path.basename(fileOrName);
  parseWorkflowText(text, { source });
  return { text, source };
}

export interface FollowOptions {
  /** Each event of the run, as it happens. */
  readonly onEvent?: (event: WorkflowEvent) => void;
  /** The run's details after each event (and at the end). */
  readonly onProgress?: (details: RunDetails) => void;
  /** Aborting cancels the run, with the signal's reason (e.g. Ctrl-C). */
  readonly interrupt?: AbortSignal;
}

/**
 * Follows a started or resumed run to its end: publishes its live status for other processes,
 * honours their cancel requests and `interrupt`, and reports each event and the progress.
 */
export async function followRun(engine: WorkflowEngine, live: LiveRuns, handle: RunHandle, options: FollowOptions = {}): Promise<RunOutcome> {
  const runId = handle.runId;
  const tracker = live.track(engine, runId);
  const publish = (): void => {
    tracker.publish();
    try {
      options.onProgress?.(engine.getRun(runId));
    } catch {
      // progress is best effort; the database is the record
    }
  };
  const subscription = handle.events.subscribe((event: WorkflowEvent) => {
    options.onEvent?.(event);
    publish();
  });
  const onInterrupt = (): void => void engine.cancel(runId, String(options.interrupt?.reason ?? "interrupted"));
  options.interrupt?.addEventListener("abort", onInterrupt);
  try {
    const result = await handle.result;
    publish();
    return { result, details: engine.getRun(runId) };
  } finally {
    tracker.stop();
    options.interrupt?.removeEventListener("abort", onInterrupt);
    subscription.unsubscribe();
  }
}
