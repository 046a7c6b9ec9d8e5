import { BearError } from "@bear/core";

export type AgentErrorCode = "AGENT_NOT_FOUND" | "AGENT_EXISTS" | "NO_CAPABLE_AGENT";

export class AgentError extends BearError<AgentErrorCode> {}

export class AgentNotFoundError extends AgentError {
  constructor(id: string) {
    super("AGENT_NOT_FOUND", `no agent with id '${id}'`, { hint: "List agents to see the ids that exist.", details: { id } });
  }
}

export class NoCapableAgentError extends AgentError {
  constructor(capability: string) {
    super("NO_CAPABLE_AGENT", `no registered agent has the capability '${capability}'`, {
      hint: "Register an agent (or a plugin) that declares this capability.",
      details: { capability },
    });
  }
}
