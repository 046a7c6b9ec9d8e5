import type { JsonValue, RunDetails, RunRecord, RunStatus } from "@bear/workflow-engine";
import { BearWorkspaceError } from "../errors";

/**
 * What the REST API shows of workflow runs. Each view carries today's fields and, alongside, the
 * field names of the seed's API (architecture.md, "API Documentation"): `workflow_id`, `name`,
 * `results`, `execution_time`, `created_at`.
 */

/** A run in a list: ours (id, workflow, matter, who started it, times in ms) and the seed's (name, created_at). */
export function runSummaryView(r: RunRecord) {
  return {
    id: r.id,
    workflow: r.workflow,
    matter: r.matter,
    actor: r.actor,
    status: r.status,
    error: r.error,
    createdAt: r.createdAt,
    updatedAt: r.updatedAt,
    startedAt: r.startedAt,
    finishedAt: r.finishedAt,
    name: r.workflow,
    created_at: new Date(r.createdAt).toISOString(),
  };
}

/** Outputs of the steps that completed, by step id (a `for_each` step: its list of item outputs). */
export function runResults(run: RunDetails): Record<string, JsonValue> {
  const results: Record<string, JsonValue> = {};
  for (const step of run.steps) if (step.index === null && step.status === "completed" && step.output !== null) results[step.stepId] = step.output;
  return results;
}

/** Seconds from start to finish (to now while it runs; 0 before it started), as the seed's `execution_time`. */
export function executionSeconds(run: RunRecord, now = Date.now()): number {
  if (run.startedAt === null) return 0;
  return Math.max(0, (run.finishedAt ?? now) - run.startedAt) / 1000;
}

/** One run with its steps, attempts' assignments, progress and the seed's `results`. */
export function runDetailView(run: RunDetails) {
  // The last attempt's assignment of each step (or fan-out item), by key.
  const lastByKey = new Map(run.assignments.map((a) => [a.index === null ? a.stepId : `${a.stepId}[${a.index}]`, a.assignment]));
  return {
    ...runSummaryView(run),
    workflow_id: run.id,
    progress: run.progress,
    steps: run.steps.map((s) => ({ key: s.key, stepId: s.stepId, index: s.index, status: s.status, attempt: s.attempt, output: s.output, error: s.error, startedAt: s.startedAt, finishedAt: s.finishedAt, agent: lastByKey.get(s.key) ?? null })),
    assignments: run.assignments,
    results: runResults(run),
    execution_time: executionSeconds(run),
  };
}

/**
 * The answer to POST /api/v1/workflows: today's `runId` and `status`, and the seed's `workflow_id`,
 * `results` (step outputs so far) and `execution_time` (seconds). The seed's status values are
 * completed, running and failed: a run accepted but not yet started is reported `running` there.
 */
export function startedRunView(run: RunDetails) {
  const status: RunStatus = run.status === "pending" ? "running" : run.status;
  return { runId: run.id, workflow_id: run.id, name: run.workflow, matter: run.matter, status, error: run.error, results: runResults(run), execution_time: executionSeconds(run), created_at: new Date(run.createdAt).toISOString() };
}

/** What the server starts: a definition (object or YAML/JSON text), run inputs and the matter. */
export interface WorkflowStartRequest {
  readonly workflow: Readonly<Record<string, unknown>> | string;
  readonly inputs: Readonly<Record<string, unknown>>;
  readonly matter: string;
  /** True for the seed's body (the definition itself: `{ name, description, steps }`). */
  readonly seedShape: boolean;
}

/** Fields of a POST body that are not part of a seed-shaped definition. */
const REQUEST_FIELDS = new Set(["matter"]);

/**
 * Reads either body POST /api/v1/workflows accepts: ours, `{ workflow, inputs?, matter? }`, or the
 * seed's, where the body is the definition (`{ name, description, steps, … }`, plus our `matter`).
 * In the seed's shape `inputs` keeps its meaning inside a definition (declared inputs with defaults).
 */
export function workflowStartRequest(body: Readonly<Record<string, unknown>>): WorkflowStartRequest {
  const matter = typeof body["matter"] === "string" ? body["matter"] : "default";
  if (body["workflow"] !== undefined) {
    const workflow = body["workflow"];
    if (typeof workflow !== "string" && (typeof workflow !== "object" || workflow === null || Array.isArray(workflow))) {
      throw new BearWorkspaceError("INPUT_INVALID", "body.workflow must be a workflow definition (an object) or its YAML/JSON text", { details: { field: "body.workflow" } });
    }
    const inputs = body["inputs"];
    return { workflow: workflow as Record<string, unknown> | string, inputs: typeof inputs === "object" && inputs !== null ? (inputs as Record<string, unknown>) : {}, matter, seedShape: false };
  }
  if (!Array.isArray(body["steps"])) {
    throw new BearWorkspaceError("INPUT_INVALID", "the body has neither 'workflow' (a definition) nor 'steps' (the seed's {name, description, steps})", {
      hint: "Send { workflow, inputs?, matter? }, or the definition itself: { name, description, steps: [{ id, type, agent?, parameters }] }.",
      details: { field: "body" },
    });
  }
  const definition = Object.fromEntries(Object.entries(body).filter(([k]) => !REQUEST_FIELDS.has(k)));
  return { workflow: definition, inputs: {}, matter, seedShape: true };
}
