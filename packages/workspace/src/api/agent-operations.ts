import { AGENT_TYPES, type AgentStatus, type AgentType } from "@bear/agents";
import type { ApiContext } from "./api-services";
import { created, ok, operation, type ApiOperation } from "./api-operation";
import { errorResponses } from "./api-schemas";
import { agentSpecFromRequest, agentView, EXECUTOR_CAPABILITIES, type AgentCreateRequest } from "./agent-views";

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
    current_task: { type: "object", nullable: true, additionalProperties: true, description: "the seed's: the first of currentTasks, or null" },
    performance_metrics: { type: "object", additionalProperties: true, description: "the seed's name for metrics" },
  },
} as const;

const agentParams = { type: "object", required: ["id"], additionalProperties: false, properties: { id: { type: "string", pattern: AGENT_ID } } } as const;

const createBodySchema = {
  type: "object",
  required: ["type"],
  additionalProperties: false,
  properties: {
    type: { type: "string", enum: [...AGENT_TYPES] },
    id: { type: "string", pattern: AGENT_ID, description: "default: from the name" },
    name: { type: "string", minLength: 1, maxLength: 200 },
    maxConcurrentTasks: { type: "integer", minimum: 1, maximum: 256 },
    capability: { type: "string", enum: [...EXECUTOR_CAPABILITIES], description: "executors only" },
    specialist: { type: "string", minLength: 1, maxLength: 64, description: "specialists only" },
    capabilities: { type: "array", maxItems: 64, items: { type: "string", pattern: "^[A-Za-z0-9_.:-]{1,64}$" }, description: "the seed's: an executor's one capability, a validator's `validation`, or what a specialist must offer" },
    config: {
      type: "object",
      additionalProperties: false,
      properties: {
        id: { type: "string", pattern: AGENT_ID },
        max_concurrent_tasks: { type: "integer", minimum: 1, maximum: 256 },
        maxConcurrentTasks: { type: "integer", minimum: 1, maximum: 256 },
        specialist: { type: "string", minLength: 1, maxLength: 64 },
      },
    },
  },
} as const;

/** @bear/agents' AgentSystem: list, create (from a JSON spec), inspect and remove agents. */
export function agentOperations({ services }: ApiContext): ApiOperation[] {
  const system = services.agents;
  const tags = ["agents"];
  return [
    operation<unknown, { type?: AgentType; status?: AgentStatus; capability?: string; envelope: boolean }>({
      method: "GET",
      url: "/api/v1/agents",
      tags,
      summary: "Agents with their status, load, current tasks and metrics; filter by type, status or capability. `{ agents: [...] }`, or the seed's bare array with `envelope=false`",
      schema: {
        querystring: {
          type: "object",
          additionalProperties: false,
          properties: {
            type: { type: "string", enum: [...AGENT_TYPES] },
            status: { type: "string", enum: ["idle", "busy", "active"] },
            capability: { type: "string", pattern: "^[A-Za-z0-9_.:-]{1,64}$" },
            envelope: { type: "boolean", default: true, description: "false: the agents as a bare array, as the seed documents" },
          },
        },
        response: { 200: { anyOf: [{ type: "object", properties: { agents: { type: "array", items: agentSchema } } }, { type: "array", items: agentSchema }] }, ...errorResponses() },
      },
      async handle({ query, caller }) {
        await caller.authorize(READ_AGENTS);
        const { type, status, capability, envelope } = query;
        const agents = system.listAgents({ ...(type ? { type } : {}), ...(status ? { status } : {}), ...(capability ? { capability } : {}) }).map(agentView);
        return ok(envelope ? { agents } : agents);
      },
    }),
    operation<unknown, unknown, AgentCreateRequest>({
      method: "POST",
      url: "/api/v1/agents",
      tags,
      summary:
        "Create an agent (admins): an executor for one capability, a validator, or another instance of an installed specialist. Ours: `{ type, id, capability?, specialist?, name?, maxConcurrentTasks? }`; the seed's: `{ type, name, capabilities[], config }` (id from the name; config.specialist, config.max_concurrent_tasks). The one coordinator and monitor are not created (422)",
      schema: { body: createBodySchema, response: { 201: agentSchema, ...errorResponses(409, 422) } },
      async handle({ body, caller }) {
        const principal = await caller.authorize(MANAGE_AGENTS);
        // kept in the workspace: it comes back after a restart
        return created(agentView(await services.workspace.createAgent(agentSpecFromRequest(system, body), principal.id)));
      },
    }),
    operation<{ id: string }>({
      method: "GET",
      url: "/api/v1/agents/:id",
      tags,
      summary: "One agent: status, load, current tasks, metrics, memory use",
      schema: { params: agentParams, response: { 200: agentSchema, ...errorResponses(404) } },
      async handle({ params, caller }) {
        await caller.authorize(READ_AGENTS);
        return ok(agentView(system.inspectAgent(params.id)));
      },
    }),
    operation<{ id: string }, { force?: boolean }>({
      method: "DELETE",
      url: "/api/v1/agents/:id",
      tags,
      summary: "Remove an agent (admins); one with tasks is refused (409) unless force=true, which aborts them",
      schema: {
        params: agentParams,
        querystring: { type: "object", additionalProperties: false, properties: { force: { type: "boolean", default: false } } },
        response: { 200: agentSchema, ...errorResponses(404, 409) },
      },
      async handle({ params, query, caller }) {
        const principal = await caller.authorize(MANAGE_AGENTS);
        return ok(agentView(await services.workspace.removeAgent(params.id, { force: query.force ?? false }, principal.id)));
      },
    }),
  ];
}
