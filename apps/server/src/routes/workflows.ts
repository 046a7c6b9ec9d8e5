import type { FastifyInstance } from "fastify";
import { BUILT_IN_WORKFLOWS, runDetailView, runSummaryView, RunNotFoundError, startedRunView, workflowStartRequest, type RunStatus, type WorkflowEvent } from "@bear/workspace";
import { toHttpError } from "../http/http-errors";
import { authorizeInMatter, visibleMatters, type RouteContext } from "../http/route-context";
import { errorResponses, idParams, MATTER_PATTERN, securityRequirement } from "../http/schemas";

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

export function registerWorkflowRoutes(app: FastifyInstance, ctx: RouteContext): void {
  const engine = ctx.services.workflows;

  /** The run, once the principal may `action` on its matter (ethical walls apply to runs too). */
  const authorizedRun = async (request: Parameters<RouteContext["authorize"]>[0], action: typeof RUN_WORKFLOWS | typeof READ_WORKFLOWS, runId: string) => {
    await ctx.authorize(request, action); // the role first: no 404 tells a principal without it which runs exist
    const run = engine.getRun(runId); // 404 for an unknown id
    const principal = await authorizeInMatter(ctx, request, action, { matter: run.matter ?? UNASSIGNED }, () => new RunNotFoundError(runId));
    return { run, principal };
  };

  app.post<{ Body: Record<string, unknown>; Querystring: { wait?: number } }>(
    "/api/v1/workflows",
    {
      config: { rateCost: 2 },
      schema: {
        tags: ["workflows"],
        summary:
          "Start a workflow run: `{ workflow, inputs?, matter? }` (definition as JSON or YAML text) → 201 at once; or the seed's body, the definition itself `{ name, description, steps }` → 200 when it finished (or `wait` seconds passed, status `running`). Progress at /api/v1/workflows/{id}/events",
        security: securityRequirement,
        querystring: { type: "object", additionalProperties: false, properties: { wait: { type: "integer", minimum: 0, maximum: 300, description: `seconds to wait for the run to finish (default 0, or ${SEED_WAIT_SECONDS} for the seed's body)` } } },
        body: {
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
        },
        response: { 200: startedSchema, 201: startedSchema, ...errorResponses() },
      },
    },
    async (request, reply) => {
      const start = workflowStartRequest(request.body);
      const matter = start.matter;
      const principal = await ctx.authorize(request, RUN_WORKFLOWS, { matter });
      const handle = engine.start(start.workflow, start.inputs, { matter });
      const settled = handle.result.then(
        () => undefined,
        () => undefined,
      );
      await ctx.services.audit.record({ action: "workflow.start", outcome: "success", actor: principal.id, resource: handle.runId });
      const waitSeconds = request.query.wait ?? (start.seedShape ? SEED_WAIT_SECONDS : 0);
      if (waitSeconds > 0) {
        let timer: NodeJS.Timeout | undefined;
        await Promise.race([settled, new Promise((resolve) => (timer = setTimeout(resolve, waitSeconds * 1000)))]);
        clearTimeout(timer);
      }
      const run = engine.getRun(handle.runId);
      // The seed's status values are completed, running and failed; ours keeps `pending` on its own shape.
      return reply.status(start.seedShape ? 200 : 201).send(start.seedShape ? startedRunView(run) : { ...startedRunView(run), status: run.status });
    },
  );

  app.get(
    "/api/v1/workflows/built-in",
    {
      schema: {
        tags: ["workflows"],
        summary: "The built-in workflows (contract review, and one per agent pattern: delegation, pipeline, collaboration) with their definitions",
        security: securityRequirement,
        response: {
          200: {
            type: "object",
            properties: { workflows: { type: "array", items: { type: "object", properties: { name: { type: "string" }, pattern: { type: "string", nullable: true }, description: { type: "string" }, definition: { type: "string" } } } } },
          },
          ...errorResponses(),
        },
      },
    },
    async (request) => {
      await ctx.authorize(request, READ_WORKFLOWS);
      return { workflows: BUILT_IN_WORKFLOWS };
    },
  );

  app.get<{ Querystring: { status?: RunStatus | "all"; limit: number; offset: number; envelope: boolean } }>(
    "/api/v1/workflows",
    {
      schema: {
        tags: ["workflows"],
        summary: "List workflow runs, newest first: `{ runs: [...] }`, or the bare array the seed documents with `envelope=false`",
        security: securityRequirement,
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
    },
    async (request) => {
      const principal = await ctx.authorize(request, READ_WORKFLOWS);
      const { status, limit, offset, envelope } = request.query;
      const matters = visibleMatters(principal);
      const runs = engine.listRuns({ ...(status && status !== "all" ? { status } : {}), ...(matters ? { matters } : {}), limit, offset }).map(runSummaryView);
      return envelope ? { runs } : runs;
    },
  );

  app.get<{ Params: { id: string } }>(
    "/api/v1/workflows/:id",
    {
      schema: {
        tags: ["workflows"],
        summary: "One run with each step's status, attempts, output and error, and overall progress",
        security: securityRequirement,
        params: idParams,
        response: {
          200: {
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
          },
          ...errorResponses(404),
        },
      },
    },
    async (request) => {
      const { run } = await authorizedRun(request, READ_WORKFLOWS, request.params.id);
      return runDetailView(run);
    },
  );

  app.delete<{ Params: { id: string } }>(
    "/api/v1/workflows/:id",
    {
      schema: {
        tags: ["workflows"],
        summary: "Cancel a run (running steps see their abort signal); false when it had already finished",
        security: securityRequirement,
        params: idParams,
        response: { 200: { type: "object", properties: { runId: { type: "string" }, cancelled: { type: "boolean" } } }, ...errorResponses(404) },
      },
    },
    async (request) => {
      const { principal } = await authorizedRun(request, RUN_WORKFLOWS, request.params.id);
      const cancelled = engine.cancel(request.params.id, `cancelled by '${principal.id}'`);
      return { runId: request.params.id, cancelled };
    },
  );

  app.get<{ Params: { id: string } }>(
    "/api/v1/workflows/:id/events",
    {
      schema: {
        tags: ["workflows"],
        summary: "Progress as server-sent events: the run's history, then live events until run.completed",
        security: securityRequirement,
        params: idParams,
        produces: ["text/event-stream"],
        response: { 200: { description: "text/event-stream of workflow events (event name = event type)", type: "string" }, ...errorResponses(404) },
      },
    },
    async (request, reply) => {
      const runId = request.params.id;
      await authorizedRun(request, READ_WORKFLOWS, runId); // 404 / 403 before the stream starts
      const sse = ctx.streams.start(reply);
      // Subscribe first and buffer, then replay history, so no event falls between the two.
      const buffered: WorkflowEvent[] = [];
      let replaying = true;
      let lastSeq = 0;
      const emit = (e: WorkflowEvent): void => {
        if (e.seq <= lastSeq) return;
        lastSeq = e.seq;
        sse.send(e.type, e);
        if (e.type === "run.completed") sse.end();
      };
      const subscription = engine.eventsOf(runId).subscribe({
        next: (e) => (replaying ? buffered.push(e) : emit(e)),
        error: (error: unknown) => {
          sse.send("error", toHttpError(error).body.error);
          sse.end();
        },
      });
      sse.signal.addEventListener("abort", () => subscription.unsubscribe());
      try {
        for (const e of engine.history(runId)) emit(e);
        replaying = false;
        for (const e of buffered.splice(0)) emit(e);
        const status = engine.getRun(runId).status;
        if (status === "completed" || status === "failed" || status === "cancelled") sse.end();
      } catch (error) {
        sse.send("error", toHttpError(error).body.error);
        sse.end();
      }
      return reply;
    },
  );
}
