import { InvalidArgumentError } from "@bear/core";
import { AgentError, AgentNotFoundError, NoCapableAgentError } from "../errors";
import { AGENT_TYPES, type Agent, type AgentStatus, type AgentType } from "./agent";

export interface AgentFilter {
  readonly type?: AgentType;
  readonly status?: AgentStatus;
  readonly capability?: string;
}

/** The live set of agents: what the server's /api/v1/agents routes list, inspect and remove. */
export class AgentRegistry<A extends Agent = Agent> {
  readonly #agents = new Map<string, A>();

  register(agent: A): A {
    if (!/^[a-z0-9][a-z0-9_.-]{0,63}$/i.test(agent.id)) throw new InvalidArgumentError("agent id", agent.id, "1-64 letters, digits, '.', '_' or '-'");
    if (!AGENT_TYPES.includes(agent.type)) throw new InvalidArgumentError("agent type", agent.type, AGENT_TYPES.join(" | "));
    if (this.#agents.has(agent.id)) {
      throw new AgentError("AGENT_EXISTS", `an agent with id '${agent.id}' is already registered`, { hint: "Remove it first or pick another id." });
    }
    this.#agents.set(agent.id, agent);
    return agent;
  }

  get(id: string): A {
    const agent = this.#agents.get(id);
    if (!agent) throw new AgentNotFoundError(id);
    return agent;
  }

  list(filter: AgentFilter = {}): A[] {
    return [...this.#agents.values()].filter(
      (a) =>
        (filter.type === undefined || a.type === filter.type) &&
        (filter.status === undefined || a.status === filter.status) &&
        (filter.capability === undefined || a.capabilities.includes(filter.capability)),
    );
  }

  remove(id: string): A {
    const agent = this.get(id);
    this.#agents.delete(id);
    return agent;
  }

  /** Agents able to do `capability`; throws NoCapableAgentError naming it when there are none. */
  capableOf(capability: string): A[] {
    const capable = this.list({ capability });
    if (capable.length === 0) throw new NoCapableAgentError(capability);
    return capable;
  }
}
