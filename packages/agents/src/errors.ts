import { BearError } from "@bear/core";

export type AgentErrorCode =
  | "AGENT_NOT_FOUND"
  | "AGENT_EXISTS"
  | "AGENT_BUSY"
  | "AGENT_NOT_CREATABLE"
  | "NO_CAPABLE_AGENT"
  | "CAPABILITY_UNSUPPORTED"
  | "TASK_INPUT_INVALID"
  | "RESULT_REJECTED"
  | "MEMORY_ENTRY_TOO_LARGE"
  | "TOOL_NOT_FOUND"
  | "TOOL_EXISTS"
  | "TOOL_INVALID"
  | "SPECIALIST_INVALID"
  | "PLAN_INVALID"
  | "DELEGATION_FAILED";

export class AgentError extends BearError<AgentErrorCode> {}

export class AgentNotFoundError extends AgentError {
  constructor(id: string, known: readonly string[] = []) {
    super("AGENT_NOT_FOUND", `no agent with id '${id}'${known.length ? ` (known: ${known.join(", ")})` : ""}`, {
      hint: "List agents to see the ids that exist.",
      details: { id },
    });
  }
}

export class NoCapableAgentError extends AgentError {
  constructor(
    readonly capability: string,
    available: readonly string[] = [],
  ) {
    super(
      "NO_CAPABLE_AGENT",
      `no registered agent has the capability '${capability}'${available.length ? ` (capabilities available: ${[...new Set(available)].sort().join(", ")})` : " (no agents are registered)"}`,
      { hint: "Register an agent, a specialist or a plugin that declares this capability.", details: { capability } },
    );
  }
}

export class AgentBusyError extends AgentError {
  constructor(id: string, tasks: number) {
    super("AGENT_BUSY", `agent '${id}' is working on ${tasks} task(s) and cannot be removed`, {
      hint: "Wait for its tasks to finish, or remove it with { force: true } to cancel them.",
      details: { id, tasks },
    });
  }
}

export class CapabilityUnsupportedError extends AgentError {
  constructor(agentId: string, capability: string, capabilities: readonly string[]) {
    super("CAPABILITY_UNSUPPORTED", `agent '${agentId}' cannot do '${capability}' (it declares: ${capabilities.join(", ") || "nothing"})`, {
      hint: "Let the load balancer pick an agent, or pin one that declares this capability.",
      details: { agentId, capability },
    });
  }
}

export class TaskInputError extends AgentError {
  /** The caller's input, not the agent's doing: no failure of the agent (isStepRefusal). */
  readonly refused = true;

  constructor(agentId: string, capability: string, reason: string) {
    super("TASK_INPUT_INVALID", `agent '${agentId}' refused the input of a '${capability}' task: ${reason}`, {
      hint: "Check the task input against the parameters of the capability's step handler.",
      details: { agentId, capability },
    });
  }
}

export interface RejectionReason {
  readonly rule: string;
  readonly path: string;
  readonly message: string;
}

/** A result that failed validation: thrown inside a step so the engine's retry or fallback applies. */
export class ResultRejectedError extends AgentError {
  constructor(
    readonly subject: string,
    readonly reasons: readonly RejectionReason[],
  ) {
    const shown = reasons.slice(0, 5).map((r) => `${r.rule} at ${r.path}: ${r.message}`);
    super("RESULT_REJECTED", `the result of ${subject} failed validation (${reasons.length} problem${reasons.length === 1 ? "" : "s"}): ${shown.join("; ")}${reasons.length > 5 ? "; …" : ""}`, {
      hint: "Give the step a retry policy (another agent is preferred on the next attempt) or an on_error fallback.",
      details: { subject, problems: reasons.length },
    });
  }
}

export class ToolNotFoundError extends AgentError {
  constructor(name: string, known: readonly string[]) {
    super("TOOL_NOT_FOUND", `no tool named '${name}' is registered (registered: ${known.join(", ") || "none"})`, {
      hint: "Register the tool with ToolRegistry.register() before running the task.",
      details: { tool: name },
    });
  }
}

export class DelegationFailedError extends AgentError {
  constructor(
    readonly taskType: string,
    readonly runId: string,
    readonly failure: { readonly code: string; readonly message: string } | undefined,
    status: string,
  ) {
    super("DELEGATION_FAILED", `task '${taskType}' (run '${runId}') ended ${status}${failure ? `: ${failure.message}` : ""}`, {
      hint: "Inspect the run with WorkflowEngine.getRun(runId) to see which subtask failed and why.",
      details: { taskType, runId, status, ...(failure ? { code: failure.code } : {}) },
    });
  }
}
