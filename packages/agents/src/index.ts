// @bear/agents: coordinator, executor, validator, monitor and specialist agents.
// This release provides the agent registry; the agents themselves follow (issue 7).
export { AgentRegistry, type AgentFilter } from "./registry/agent-registry";
export { AGENT_TYPES, type Agent, type AgentDescriptor, type AgentMetrics, type AgentStatus, type AgentType } from "./registry/agent";
export { AgentError, AgentNotFoundError, NoCapableAgentError, type AgentErrorCode } from "./errors";
