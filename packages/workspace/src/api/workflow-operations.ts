import { RunNotFoundError, type RunStatus, type WorkflowEngine, type WorkflowEvent } from "@bear/workflow-engine";
import { BUILT_IN_WORKFLOWS } from "../agents/built-in-workflows";
import { submittedWorkflow } from "../runs/submitted-workflow";
import type { ApiContext } from "./api-services";
import { created, events, ok, operation, type ApiCaller, type ApiEvent, type ApiOperation } from "./api-operation";
import { errorResponses, idParams, MATTER_PATTERN } from "./api-schemas";
import { runDetailView, runSummaryView, startedRunView, workflowStartRequest } from "./run-views";

/** Starting and cancelling runs is an ingest-level action; reading them is a read. */
const RUN_WORKFLOWS = "document.ingest" as const;
const READ_WORKFLOWS = "document.read" as const;
const STATUSES: readonly RunStatus[] = ["pending", "running", "completed", "failed", "cancelled"];
/** A run started with no matter (before runs had one) is visible to admins only. */
const UNASSIGNED = "(unassigned)";

const errorInfo = { type: "object", nullable: true, properties: { code: { type: "string" }, message: { type: "string" } } } as const;
const runSchema = {
  type: "object",
  properties: {
    id: { type: "string" },
    workflow: { type: "string" },
    matter: { type: "string", nullable: true },
    actor: { type: "string", nullable: true, description: "who started the run (a principal id, `cli`); its steps and nested runs act as them" },
    status: { type: "string", enum: [...STATUSES] },
    error: errorInfo,
    createdAt: { type: "number" },
    updatedAt: { type: "number" },
    startedAt: { type: "number", nullable: true },
    finishedAt: { type: "number", nullable: true },
    name: { type: "string", description: "the seed's name for `workflow`" },
    created_at: { type: "string", format: "date-time", description: "the seed's name for `createdAt`, as ISO 8601" },
  },
} as const;

/** POST's answer: ours (`runId`) and the seed's (`workflow_id`, `results`, `execution_time` in seconds). */
const startedSchema = {
  type: "object",
  properties: {
    runId: { type: "string" },
    workflow_id: { type: "string" },
    name: { type: "string" },
    matter: { type: "string", nullable: true },
    status: { type: "string", enum: [...STATUSES] },
    error: errorInfo,
    results: { type: "object", additionalProperties: true, description: "outputs of the steps completed so far, by step id" },
    execution_time: { type: "number", description: "seconds" },
    created_at: { type: "string", format: "date-time" },
  },
} as const;

/** Seconds POST waits for the run to finish: the seed's body means "create and execute". */
const SEED_WAIT_SECONDS = 30;

/** What the agents reported for one attempt (see @bear/agents: agent, score, breakdown, verdict). */
const assignmentSchema = { type: "object", additionalProperties: true, properties: { agentId: { type: "string" }, capability: { type: "string" }, score: { type: "number", nullable: true }, outcome: { type: "string" } } } as const;

const startBodySchema = {
  type: "object",
  anyOf: [
    {
      type: "object",
      required: ["workflow"],
      additionalProperties: false,
      properties: {
        workflow: { anyOf: [{ type: "object", additionalProperties: true }, { type: "string", minLength: 1, maxLength: 200_000 }] },
        inputs: { type: "object", additionalProperties: true, description: "run inputs (default {})" },
        matter: { type: "string", pattern: MATTER_PATTERN, description: "the matter the run works for (default 'default'): only principals on it see the run" },
      },
    },
    {
      type: "object",
      description: "the seed's body: the workflow definition itself (any definition field; `matter` as above)",
      required: ["name", "steps"],
      not: { required: ["workflow"] },
      additionalProperties: true,
      properties: {
        name: { type: "string", minLength: 1, maxLength: 200 },
        description: { type: "string", maxLength: 10_000 },
        steps: { type: "array", minItems: 1, maxItems: 1000, items: { type: "object", properties: { id: { type: "string" }, type: { type: "string" }, agent: { type: "string" }, parameters: { type: "object" } } } },
        matter: { type: "string", pattern: MATTER_PATTERN },
      },
    },
  ],
} as const;

const runDetailSchema = {
  type: "object",
  properties: {
    ...runSchema.properties,
    workflow_id: { type: "string" },
    results: { type: "object", additionalProperties: true, description: "the seed's: outputs of the completed steps, by step id" },
    execution_time: { type: "number", description: "seconds" },
    progress: { type: "object", additionalProperties: { type: "integer" } },
    steps: {
      type: "array",
      items: {
        type: "object",
        properties: {
          key: { type: "string" },
          stepId: { type: "string" },
          index: { type: "integer", nullable: true },
          status: { type: "string" },
          attempt: { type: "integer" },
          output: { nullable: true },
          error: errorInfo,
          startedAt: { type: "number", nullable: true },
          finishedAt: { type: "number", nullable: true },
          agent: { ...assignmentSchema, nullable: true, description: "who executed the step's last attempt: agent, score breakdown, validator verdict" },
        },
      },
    },
    assignments: {
      type: "array",
      description: "every attempt of every step: which agent executed it, the balancer's score and its breakdown, the validator's verdict",
      items: { type: "object", properties: { stepId: { type: "string" }, index: { type: "integer", nullable: true }, attempt: { type: "integer" }, assignment: assignmentSchema } },
    },
  },
} as const;

/** The run, once the caller may `action` on its matter (ethical walls apply to runs too). */
async function authorizedRun(engine: WorkflowEngine, caller: ApiCaller, action: typeof RUN_WORKFLOWS | typeof READ_WORKFLOWS, runId: string) {
  await caller.authorize(action); // the role first: no 404 tells a principal without it which runs exist
  const run = engine.getRun(runId); // 404 for an unknown id
  const principal = await caller.authorizeInMatter(action, { matter: run.matter ?? UNASSIGNED }, () => new RunNotFoundError(runId));
  return { run, principal };
}

const TERMINAL: readonly RunStatus[] = ["completed", "failed", "cancelled"];

/**
 * A run's events: its history, then live events until run.completed. It subscribes first and
 * buffers, then replays the history, so no event falls between the two (duplicates go by `seq`).
 */
export async function* runEvents(engine: WorkflowEngine, runId: string, signal: AbortSignal): AsyncGenerator<ApiEvent> {
  const queue: WorkflowEvent[] = [];
  let failure: { error: unknown } | undefined;
  let wake: (() => void) | undefined;
  const subscription = engine.eventsOf(runId).subscribe({
    next: (e) => {
      queue.push(e);
      wake?.();
    },
    error: (error: unknown) => {
      failure = { error };
      wake?.();
    },
  });
  const onAbort = (): void => wake?.();
  signal.addEventListener("abort", onAbort);
  let lastSeq = 0;
  const fresh = (e: WorkflowEvent): boolean => {
    if (e.seq <= lastSeq) return false;
    lastSeq = e.seq;
    return true;
  };
  try {
    for (const e of engine.history(runId)) {
      if (!fresh(e)) continue;
      yield { event: e.type, data: e };
      if (e.type === "run.completed") return;
    }
    for (let first = true; !signal.aborted; first = false) {
      for (let e = queue.shift(); e; e = queue.shift()) {
        if (!fresh(e)) continue;
        yield { event: e.type, data: e };
        if (e.type === "run.completed") return;
      }
      if (failure) throw failure.error;
      if (first && TERMINAL.includes(engine.getRun(runId).status)) return;
      await new Promise<void>((resolve) => (wake = resolve));
      wake = undefined;
    }
  } finally {
    signal.removeEventListener("abort", onAbort);
    subscription.unsubscribe();
  }
}

interface ListQuery {
  readonly status?: RunStatus | "all";
  readonly limit: number;
  readonly offset: number;
  readonly envelope: boolean;
}

/** Workflow runs: start (ours and the seed's body), list, inspect, cancel, follow. */
export function workflowOperations({ services }: ApiContext): ApiOperation[] {
  const engine = services.workflows;
  const tags = ["workflows"];
  return [
    operation<unknown, { wait?: number }, Record<string, unknown>>({
      method: "POST",
      url: "/api/v1/workflows",
      tags,
      rateCost: 2,
      summary:
        "Start a workflow run: `{ workflow, inputs?, matter? }` (definition as JSON or YAML text) → 201 at once; or the seed's body, the definition itself `{ name, description, steps }` → 200 when it finished (or `wait` seconds passed, status `running`). Progress at /api/v1/workflows/{id}/events",
      schema: {
        querystring: { type: "object", additionalProperties: false, properties: { wait: { type: "integer", minimum: 0, maximum: 300, description: `seconds to wait for the run to finish (default 0, or ${SEED_WAIT_SECONDS} for the seed's body)` } } },
        body: startBodySchema,
        response: { 200: startedSchema, 201: startedSchema, ...errorResponses() },
      },
      async handle({ body, query, caller }) {
        const start = workflowStartRequest(body);
        const matter = start.matter;
        const principal = await caller.authorize(RUN_WORKFLOWS, { matter });
        // a user's definition may not name BEAR's own step types (review, redact, llm.*…: their acts audit, the steps do not)
        // the run, its steps and the runs they start act as the caller: their audit records name them
        const handle = engine.start(submittedWorkflow(engine, start.workflow), start.inputs, { matter, actor: principal.id });
        const settled = handle.result.then(
          () => undefined,
          () => undefined,
        );
        // the engine records the start (`workflow.run.start`, the caller as actor), as it does for `bear workflow run`
        const waitSeconds = query.wait ?? (start.seedShape ? SEED_WAIT_SECONDS : 0);
        if (waitSeconds > 0) {
          let timer: NodeJS.Timeout | undefined;
          await Promise.race([settled, new Promise((resolve) => (timer = setTimeout(resolve, waitSeconds * 1000)))]);
          clearTimeout(timer);
        }
        const run = engine.getRun(handle.runId);
        // The seed's status values are completed, running and failed; ours keeps `pending` on its own shape.
        return start.seedShape ? ok(startedRunView(run)) : created({ ...startedRunView(run), status: run.status });
      },
    }),
    operation({
      method: "GET",
      url: "/api/v1/workflows/built-in",
      tags,
      summary: "The built-in workflows (contract review, and one per agent pattern: delegation, pipeline, collaboration) with their definitions",
      schema: {
        response: {
          200: {
            type: "object",
            properties: { workflows: { type: "array", items: { type: "object", properties: { name: { type: "string" }, pattern: { type: "string", nullable: true }, description: { type: "string" }, definition: { type: "string" } } } } },
          },
          ...errorResponses(),
        },
      },
      async handle({ caller }) {
        await caller.authorize(READ_WORKFLOWS);
        return ok({ workflows: BUILT_IN_WORKFLOWS });
      },
    }),
    operation<unknown, ListQuery>({
      method: "GET",
      url: "/api/v1/workflows",
      tags,
      summary: "List workflow runs, newest first: `{ runs: [...] }`, or the bare array the seed documents with `envelope=false`",
      schema: {
        querystring: {
          type: "object",
          additionalProperties: false,
          properties: {
            status: { type: "string", enum: ["all", ...STATUSES], description: "`all` (the seed's) is the same as none" },
            limit: { type: "integer", minimum: 1, maximum: 500, default: 50 },
            offset: { type: "integer", minimum: 0, default: 0 },
            envelope: { type: "boolean", default: true, description: "false: the runs as a bare array, as the seed documents" },
          },
        },
        response: { 200: { anyOf: [{ type: "object", properties: { runs: { type: "array", items: runSchema } } }, { type: "array", items: runSchema }] }, ...errorResponses() },
      },
      async handle({ query, caller }) {
        await caller.authorize(READ_WORKFLOWS);
        const { status, limit, offset, envelope } = query;
        const matters = caller.visibleMatters();
        const runs = engine.listRuns({ ...(status && status !== "all" ? { status } : {}), ...(matters ? { matters } : {}), limit, offset }).map(runSummaryView);
        return ok(envelope ? { runs } : runs);
      },
    }),
    operation<{ id: string }>({
      method: "GET",
      url: "/api/v1/workflows/:id",
      tags,
      summary: "One run with each step's status, attempts, output and error, and overall progress",
      schema: { params: idParams, response: { 200: runDetailSchema, ...errorResponses(404) } },
      async handle({ params, caller }) {
        const { run } = await authorizedRun(engine, caller, READ_WORKFLOWS, params.id);
        return ok(runDetailView(run));
      },
    }),
    operation<{ id: string }>({
      method: "DELETE",
      url: "/api/v1/workflows/:id",
      tags,
      summary: "Cancel a run (running steps see their abort signal); false when it had already finished",
      schema: { params: idParams, response: { 200: { type: "object", properties: { runId: { type: "string" }, cancelled: { type: "boolean" } } }, ...errorResponses(404) } },
      async handle({ params, caller }) {
        const { principal } = await authorizedRun(engine, caller, RUN_WORKFLOWS, params.id);
        const cancelled = engine.cancel(params.id, `cancelled by '${principal.id}'`, { actor: principal.id });
        return ok({ runId: params.id, cancelled });
      },
    }),
    operation<{ id: string }>({
      method: "GET",
      url: "/api/v1/workflows/:id/events",
      tags,
      summary: "Progress as server-sent events: the run's history, then live events until run.completed",
      schema: {
        params: idParams,
        produces: ["text/event-stream"],
        response: { 200: { description: "text/event-stream of workflow events (event name = event type)", type: "string" }, ...errorResponses(404) },
      },
      async handle({ params, caller }) {
        await authorizedRun(engine, caller, READ_WORKFLOWS, params.id); // 404 / 403 before the stream starts
        return events((signal) => runEvents(engine, params.id, signal));
      },
    }),
  ];
}
