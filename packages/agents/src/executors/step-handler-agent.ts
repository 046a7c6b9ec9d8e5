import type { JsonObject, JsonValue, StepHandler } from "@bear/workflow-engine";
import { InvalidArgumentError } from "@bear/core";
import { TaskInputError } from "../errors";
import type { AgentType } from "../agent/agent";
import { WorkflowAgent, type AgentTask, type AgentTaskContext, type WorkflowAgentOptions } from "../agent/workflow-agent";

/** A capability backed by an engine step handler: the task input is the handler's parameters. */
export type CapabilityHandlers = Readonly<Record<string, StepHandler<never>>>;

export interface StepHandlerAgentOptions extends Omit<WorkflowAgentOptions, "capabilities" | "type"> {
  /** Capability name → the step handler that performs it (parameters are validated by its schema). */
  readonly handlers: CapabilityHandlers;
}

/**
 * An agent whose capabilities are workflow-engine step handlers: the same handler code runs
 * whether a workflow step calls it directly or an agent is given the task. Executors and
 * specialists are both this.
 */
export class StepHandlerAgent extends WorkflowAgent {
  readonly #handlers: Map<string, StepHandler<unknown>>;

  constructor(type: AgentType, options: StepHandlerAgentOptions) {
    const entries = Object.entries(options.handlers);
    if (entries.length === 0) throw new InvalidArgumentError(`handlers of agent '${options.id}'`, {}, "at least one capability");
    super({ ...options, type, capabilities: entries.map(([capability]) => capability) });
    this.#handlers = new Map(entries as Array<[string, StepHandler<unknown>]>);
  }

  /** The step handler behind a capability. */
  handlerFor(capability: string): StepHandler<unknown> | undefined {
    return this.#handlers.get(capability);
  }

  protected override async perform(task: AgentTask, ctx: AgentTaskContext): Promise<JsonValue> {
    const handler = this.#handlers.get(task.capability)!;
    let parameters: unknown = task.input ?? {};
    if (handler.parameters) {
      const parsed = handler.parameters.safeParse(parameters);
      if (!parsed.success) {
        throw new TaskInputError(this.id, task.capability, parsed.error.issues.map((i) => `${["input", ...i.path].join(".")}: ${i.message}`).join("; "));
      }
      parameters = parsed.data;
    }
    const output = await handler.execute({
      runId: task.runId ?? "(direct)",
      stepId: task.stepId ?? task.id,
      type: handler.type,
      agent: this.id,
      ...(task.matter === undefined ? {} : { matter: task.matter }),
      ...(task.actor === undefined ? {} : { actor: task.actor }),
      parameters: parameters as JsonObject,
      attempt: ctx.attempt,
      item: task.item,
      index: task.index,
      signal: ctx.signal,
      progress: (p) => ctx.progress(p),
      logger: ctx.logger,
    });
    return output === undefined ? null : output;
  }
}
