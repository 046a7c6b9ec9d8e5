import type { FastifyInstance } from "fastify";
import { RunNotFoundError, type RunRecord, type RunStatus, type WorkflowEvent } from "@bear/workspace";
import { toHttpError } from "../http/http-errors";
import { authorizeInMatter, visibleMatters, type RouteContext } from "../http/route-context";
import { errorResponses, idParams, MATTER_PATTERN, securityRequirement } from "../http/schemas";

/** Starting and cancelling runs is an ingest-level action; reading them is a read. */
const RUN_WORKFLOWS = "document.ingest" as const;
const READ_WORKFLOWS = "document.read" as const;
const STATUSES: readonly RunStatus[] = ["pending", "running", "completed", "failed", "cancelled"];
/** A run started with no matter (before runs had one) is visible to admins only. */
const UNASSIGNED = "(unassigned)";

function runDto(r: RunRecord) {
  return {
    id: r.id,
    workflow: r.workflow,
    matter: r.matter,
    status: r.status,
    error: r.error,
    createdAt: r.createdAt,
    updatedAt: r.updatedAt,
    startedAt: r.startedAt,
    finishedAt: r.finishedAt,
  };
}

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
  },
} as const;

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

  app.post<{ Body: { workflow: unknown; inputs?: Record<string, unknown>; matter: string } }>(
    "/api/v1/workflows",
    {
      config: { rateCost: 2 },
      schema: {
        tags: ["workflows"],
        summary: "Validate and start a workflow run (definition as JSON or YAML text); progress at /api/v1/workflows/{id}/events",
        security: securityRequirement,
        body: {
          type: "object",
          required: ["workflow"],
          additionalProperties: false,
          properties: {
            workflow: { anyOf: [{ type: "object", additionalProperties: true }, { type: "string", minLength: 1, maxLength: 200_000 }] },
            inputs: { type: "object", additionalProperties: true, default: {} },
            matter: { type: "string", pattern: MATTER_PATTERN, default: "default", description: "the matter the run works for: only principals on it see the run" },
          },
        },
        response: { 201: { type: "object", properties: { runId: { type: "string" }, status: { type: "string" } } }, ...errorResponses() },
      },
    },
    async (request, reply) => {
      const matter = request.body.matter;
      const principal = await ctx.authorize(request, RUN_WORKFLOWS, { matter });
      const handle = engine.start(request.body.workflow, request.body.inputs ?? {}, { matter });
      handle.result.catch(() => undefined);
      await ctx.services.audit.record({ action: "workflow.start", outcome: "success", actor: principal.id, resource: handle.runId });
      return reply.status(201).send({ runId: handle.runId, status: engine.getRun(handle.runId).status });
    },
  );

  app.get<{ Querystring: { status?: RunStatus; limit: number; offset: number } }>(
    "/api/v1/workflows",
    {
      schema: {
        tags: ["workflows"],
        summary: "List workflow runs, newest first",
        security: securityRequirement,
        querystring: {
          type: "object",
          additionalProperties: false,
          properties: {
            status: { type: "string", enum: [...STATUSES] },
            limit: { type: "integer", minimum: 1, maximum: 500, default: 50 },
            offset: { type: "integer", minimum: 0, default: 0 },
          },
        },
        response: { 200: { type: "object", properties: { runs: { type: "array", items: runSchema } } }, ...errorResponses() },
      },
    },
    async (request) => {
      const principal = await ctx.authorize(request, READ_WORKFLOWS);
      const { status, limit, offset } = request.query;
      const matters = visibleMatters(principal);
      return { runs: engine.listRuns({ ...(status ? { status } : {}), ...(matters ? { matters } : {}), limit, offset }).map(runDto) };
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
      // The last attempt's assignment of each step (or fan-out item), by key.
      const lastByKey = new Map(run.assignments.map((a) => [a.index === null ? a.stepId : `${a.stepId}[${a.index}]`, a.assignment]));
      return {
        ...runDto(run),
        progress: run.progress,
        steps: run.steps.map((s) => ({ key: s.key, stepId: s.stepId, index: s.index, status: s.status, attempt: s.attempt, output: s.output, error: s.error, startedAt: s.startedAt, finishedAt: s.finishedAt, agent: lastByKey.get(s.key) ?? null })),
        assignments: run.assignments,
      };
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
