import { InvalidArgumentError } from "@bear/core";
import { Subject, type Observable } from "rxjs";
import { AgentError, AgentNotFoundError, NoCapableAgentError } from "../errors";
import { AGENT_TYPES, type Agent, type AgentStatus, type AgentType } from "../agent/agent";

export interface AgentFilter {
  readonly type?: AgentType;
  readonly status?: AgentStatus;
  readonly capability?: string;
}

export type AgentRegistryEvent<A extends Agent = Agent> = { readonly type: "agent.added" | "agent.removed"; readonly agent: A };

/** The live set of agents: what the server's /api/v1/agents routes list, inspect and remove. */
export class AgentRegistry<A extends Agent = Agent> {
  readonly #agents = new Map<string, A>();
  readonly #changes = new Subject<AgentRegistryEvent<A>>();
  /** Agents added and removed. */
  readonly onDidChange: Observable<AgentRegistryEvent<A>> = this.#changes.asObservable();

  register(agent: A): A {
    if (!/^[a-z0-9][a-z0-9_.-]{0,63}$/i.test(agent.id)) throw new InvalidArgumentError("agent id", agent.id, "1-64 letters, digits, '.', '_' or '-'");
    if (!AGENT_TYPES.includes(agent.type)) throw new InvalidArgumentError("agent type", agent.type, AGENT_TYPES.join(" | "));
    if (this.#agents.has(agent.id)) {
      throw new AgentError("AGENT_EXISTS", `an agent with id '${agent.id}' is already registered`, { hint: "Remove it first or pick another id.", details: { id: agent.id } });
    }
    this.#agents.set(agent.id, agent);
    this.#changes.next({ type: "agent.added", agent });
    return agent;
  }

  has(id: string): boolean {
    return this.#agents.has(id);
  }

  get(id: string): A {
    const agent = this.#agents.get(id);
    if (!agent) throw new AgentNotFoundError(id, [...this.#agents.keys()]);
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
    this.#changes.next({ type: "agent.removed", agent });
    return agent;
  }

  /** Every capability some agent declares, sorted. */
  capabilities(): string[] {
    return [...new Set([...this.#agents.values()].flatMap((a) => a.capabilities))].sort();
  }

  /** Agents able to do `capability`; throws NoCapableAgentError naming it when there are none. */
  capableOf(capability: string): A[] {
    const capable = this.list({ capability });
    if (capable.length === 0) throw new NoCapableAgentError(capability, this.capabilities());
    return capable;
  }

  get size(): number {
    return this.#agents.size;
  }
}
