import type { FastifyInstance } from "fastify";
import { AGENT_TYPES, type AgentSpec, type AgentStatus, type AgentType } from "@bear/workspace";
import type { RouteContext } from "../http/route-context";
import { errorResponses, securityRequirement } from "../http/schemas";

/** Creating and removing agents changes the system for everyone: admins only (`matter.manage`). */
const MANAGE_AGENTS = "matter.manage" as const;
const READ_AGENTS = "document.read" as const;
const AGENT_ID = "^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$";

const agentSchema = {
  type: "object",
  additionalProperties: true,
  properties: {
    id: { type: "string" },
    name: { type: "string" },
    type: { type: "string", enum: [...AGENT_TYPES] },
    capabilities: { type: "array", items: { type: "string" } },
    status: { type: "string", enum: ["idle", "busy", "active"] },
    load: { type: "object", properties: { running: { type: "integer" }, queued: { type: "integer" }, capacity: { type: "integer" } } },
    currentTasks: { type: "array", items: { type: "object", additionalProperties: true } },
    metrics: { type: "object", additionalProperties: true },
    memory: { type: "object", properties: { runs: { type: "integer" }, entries: { type: "integer" }, bytes: { type: "integer" } } },
  },
} as const;

const agentParams = { type: "object", required: ["id"], additionalProperties: false, properties: { id: { type: "string", pattern: AGENT_ID } } } as const;

/** @bear/agents' AgentSystem: list, create (from a JSON spec), inspect and remove agents. */
export function registerAgentRoutes(app: FastifyInstance, ctx: RouteContext): void {
  const system = ctx.services.agents;

  app.get<{ Querystring: { type?: AgentType; status?: AgentStatus; capability?: string } }>(
    "/api/v1/agents",
    {
      schema: {
        tags: ["agents"],
        summary: "Agents with their status, load, current tasks and metrics; filter by type, status or capability",
        security: securityRequirement,
        querystring: {
          type: "object",
          additionalProperties: false,
          properties: {
            type: { type: "string", enum: [...AGENT_TYPES] },
            status: { type: "string", enum: ["idle", "busy", "active"] },
            capability: { type: "string", pattern: "^[A-Za-z0-9_.:-]{1,64}$" },
          },
        },
        response: { 200: { type: "object", properties: { agents: { type: "array", items: agentSchema } } }, ...errorResponses() },
      },
    },
    async (request) => {
      await ctx.authorize(request, READ_AGENTS);
      const { type, status, capability } = request.query;
      return { agents: system.listAgents({ ...(type ? { type } : {}), ...(status ? { status } : {}), ...(capability ? { capability } : {}) }) };
    },
  );

  app.post<{ Body: AgentSpec }>(
    "/api/v1/agents",
    {
      schema: {
        tags: ["agents"],
        summary: "Create an agent (admins): an executor for one capability, a validator, or another instance of an installed specialist",
        security: securityRequirement,
        body: {
          type: "object",
          required: ["type", "id"],
          additionalProperties: false,
          properties: {
            type: { type: "string", enum: ["executor", "validator", "specialist"] },
            id: { type: "string", pattern: AGENT_ID },
            name: { type: "string", minLength: 1, maxLength: 200 },
            maxConcurrentTasks: { type: "integer", minimum: 1, maximum: 256 },
            capability: { type: "string", enum: ["llm_generation", "tool_execution", "data_processing", "file_operations"], description: "executors only" },
            specialist: { type: "string", minLength: 1, maxLength: 64, description: "specialists only" },
          },
        },
        response: { 201: agentSchema, ...errorResponses(409, 422) },
      },
    },
    async (request, reply) => {
      await ctx.authorize(request, MANAGE_AGENTS);
      return reply.status(201).send(system.createAgent(request.body));
    },
  );

  app.get<{ Params: { id: string } }>(
    "/api/v1/agents/:id",
    {
      schema: { tags: ["agents"], summary: "One agent: status, load, current tasks, metrics, memory use", security: securityRequirement, params: agentParams, response: { 200: agentSchema, ...errorResponses(404) } },
    },
    async (request) => {
      await ctx.authorize(request, READ_AGENTS);
      return system.inspectAgent(request.params.id);
    },
  );

  app.delete<{ Params: { id: string }; Querystring: { force?: boolean } }>(
    "/api/v1/agents/:id",
    {
      schema: {
        tags: ["agents"],
        summary: "Remove an agent (admins); one with tasks is refused (409) unless force=true, which aborts them",
        security: securityRequirement,
        params: agentParams,
        querystring: { type: "object", additionalProperties: false, properties: { force: { type: "boolean", default: false } } },
        response: { 200: agentSchema, ...errorResponses(404, 409) },
      },
    },
    async (request) => {
      await ctx.authorize(request, MANAGE_AGENTS);
      return system.removeAgent(request.params.id, { force: request.query.force ?? false });
    },
  );
}
