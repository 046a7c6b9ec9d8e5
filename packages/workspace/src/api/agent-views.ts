import { SpecialistAgent, type AgentSnapshot, type AgentSpec, type AgentSystem, type AgentType } from "@bear/agents";
import { BearWorkspaceError } from "../errors";

/** The step types an executor agent can be created for (one per executor). */
export const EXECUTOR_CAPABILITIES = ["llm_generation", "tool_execution", "data_processing", "file_operations"] as const;

/** An agent as the REST API shows it: the snapshot, plus the seed's `current_task` and `performance_metrics`. */
export function agentView(a: AgentSnapshot) {
  return { ...a, current_task: a.currentTasks[0] ?? null, performance_metrics: a.metrics };
}

/** POST /api/v1/agents in either shape: ours (`id`, `capability`, `specialist`) or the seed's (`capabilities[]`, `config`). */
export interface AgentCreateRequest {
  readonly type: AgentType;
  readonly id?: string;
  readonly name?: string;
  readonly maxConcurrentTasks?: number;
  readonly capability?: string;
  readonly specialist?: string;
  readonly capabilities?: readonly string[];
  readonly config?: { readonly max_concurrent_tasks?: number; readonly maxConcurrentTasks?: number; readonly specialist?: string; readonly id?: string };
}

function invalid(field: string, message: string, hint: string): BearWorkspaceError {
  return new BearWorkspaceError("INPUT_INVALID", `${field} ${message}`, { hint, details: { field } });
}

/** `Contract Reviewer` → `contract-reviewer`, made unique among the system's agents (`-2`, `-3`…). */
function idFromName(system: AgentSystem, type: AgentType, name: string | undefined): string {
  const base = (name ?? type).toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-+|-+$/g, "").slice(0, 56) || type;
  const taken = new Set(system.listAgents().map((a) => a.id));
  if (!taken.has(base)) return base;
  for (let n = 2; ; n++) if (!taken.has(`${base}-${n}`)) return `${base}-${n}`;
}

/** The installed specialist whose agents offer every capability asked for. */
function specialistFor(system: AgentSystem, capabilities: readonly string[]): string {
  for (const agent of system.registry.list({ type: "specialist" })) {
    if (agent instanceof SpecialistAgent && capabilities.every((c) => agent.capabilities.includes(c))) return agent.specialist.id;
  }
  throw invalid("body.capabilities", `${JSON.stringify(capabilities)} are not all offered by one installed specialist (installed: ${system.specialists.join(", ") || "none"})`, "Name the specialist in config.specialist, or list capabilities of one specialist (GET /api/v1/agents?type=specialist).");
}

/**
 * Turns either body into @bear/agents' AgentSpec. The seed's shape: the id comes from `name`, an
 * executor's one capability from `capabilities`, a specialist from `config.specialist` or else from
 * the capabilities it must offer, `config.max_concurrent_tasks` sets the task slots. The system's one
 * coordinator and one monitor are not created this way (422).
 */
export function agentSpecFromRequest(system: AgentSystem, body: AgentCreateRequest): AgentSpec {
  if (body.type === "coordinator" || body.type === "monitor") {
    throw new BearWorkspaceError("AGENT_NOT_CREATABLE", `an agent of type '${body.type}' cannot be created: the system has exactly one ${body.type}`, {
      hint: "Create executor, validator or specialist agents; the coordinator and the monitor come with the workspace (GET /api/v1/agents).",
      details: { type: body.type },
    });
  }
  const config = body.config ?? {};
  const id = body.id ?? config.id ?? idFromName(system, body.type, body.name);
  const maxConcurrentTasks = body.maxConcurrentTasks ?? config.maxConcurrentTasks ?? config.max_concurrent_tasks;
  const common = { id, ...(body.name ? { name: body.name } : {}), ...(maxConcurrentTasks ? { maxConcurrentTasks } : {}) };
  const listed = body.capabilities ?? [];
  switch (body.type) {
    case "executor": {
      const capabilities = body.capability ? [body.capability] : listed;
      const capability = capabilities[0];
      if (capabilities.length !== 1 || !EXECUTOR_CAPABILITIES.includes(capability as (typeof EXECUTOR_CAPABILITIES)[number])) {
        throw invalid(body.capability ? "body.capability" : "body.capabilities", `must name exactly one of ${EXECUTOR_CAPABILITIES.join(", ")} (got ${JSON.stringify(capabilities)})`, "An executor does one kind of step: create one executor per capability.");
      }
      return { type: "executor", capability: capability as (typeof EXECUTOR_CAPABILITIES)[number], ...common };
    }
    case "validator": {
      const foreign = listed.filter((c) => c !== "validation");
      if (foreign.length) throw invalid("body.capabilities", `lists ${JSON.stringify(foreign)}, which a validator does not do (its capability: validation)`, "Send capabilities: [\"validation\"] or none.");
      return { type: "validator", ...common };
    }
    case "specialist": {
      const specialist = body.specialist ?? config.specialist ?? (listed.length ? specialistFor(system, listed) : undefined);
      if (!specialist) throw invalid("body.config.specialist", "is required: which installed specialist the agent is an instance of", "Name it in config.specialist, or list its capabilities.");
      return { type: "specialist", specialist, ...common };
    }
  }
}
