import { InvalidArgumentError } from "@bear/core";
import { RawJson, type Executor, type JsonObject, type JsonValue } from "@bear/workflow-engine";
import { TaskInputError } from "../errors";
import { WorkflowAgent, type AgentTask, type AgentTaskContext, type WorkflowAgentOptions } from "../agent/workflow-agent";

export interface RemoteExecutorAgentOptions extends Omit<WorkflowAgentOptions, "type" | "capabilities"> {
  /** Where the steps run: any workflow-engine Executor (a queue whose workers run them elsewhere). */
  readonly executor: Executor;
  /** The step types the remote side can run (each is a capability of this agent). */
  readonly stepTypes: readonly string[];
}

/**
 * An executor agent whose work happens behind another workflow-engine `Executor` — typically a job
 * queue whose workers run steps on other machines. To the balancer and the validator it is just
 * another executor: its tasks are steps (`capability` = step type, `input` = the resolved
 * parameters) and it forwards each as the same `StepTask` the engine would build, with the run,
 * step, attempt and fan-out item, so the remote side can deduplicate by `runId/stepId/attempt`.
 */
export class RemoteExecutorAgent extends WorkflowAgent {
  readonly #executor: Executor;

  constructor(options: RemoteExecutorAgentOptions) {
    if (options.stepTypes.length === 0) throw new InvalidArgumentError(`step types of agent '${options.id}'`, [], "at least one step type");
    super({ name: `Remote executor (${options.id})`, ...options, type: "executor", capabilities: options.stepTypes });
    this.#executor = options.executor;
  }

  protected override async perform(task: AgentTask, ctx: AgentTaskContext): Promise<JsonValue> {
    const input = task.input ?? {};
    if (typeof input !== "object" || Array.isArray(input)) throw new TaskInputError(this.id, task.capability, "input: expected the step's parameters (an object)");
    const output = await this.#executor.execute(
      {
        runId: task.runId ?? "(direct)",
        stepId: task.stepId ?? task.id,
        type: task.capability,
        agent: this.id,
        parameters: input as JsonObject,
        attempt: ctx.attempt,
        ...(task.index === undefined ? {} : { index: task.index, item: task.item ?? null }),
        ...(task.matter === undefined ? {} : { matter: task.matter }),
        ...(task.actor === undefined ? {} : { actor: task.actor }),
      },
      { signal: ctx.signal, onProgress: (p) => ctx.progress(p) },
    );
    // an output the executor kept as text (a queue's) is parsed: the validator reads it
    return RawJson.isInstance(output) ? output.value : output;
  }
}
