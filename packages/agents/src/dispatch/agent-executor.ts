import type { ExecuteOptions, Executor, JsonValue, RawJson, StepTask } from "@bear/workflow-engine";
import type { AgentStepBinding } from "./agent-step-handlers";

/**
 * The workflow engine's Executor when agents are installed: every step goes engine → coordinator
 * (capability, assignment by the load balancer) → an executor agent → validator → engine. `inner`
 * (the engine's in-process executor) runs only the coordinator's own bookkeeping steps; the work of
 * every other step is done by whichever agent the balancer picks, a local StepHandlerAgent or a
 * remote one (see `ExecutorAgent.remote`).
 */
export class AgentExecutor implements Executor {
  constructor(
    readonly binding: AgentStepBinding,
    readonly inner: Executor,
  ) {}

  execute(task: StepTask, options: ExecuteOptions): Promise<JsonValue | RawJson> {
    return this.binding.getCoordinator().executeStep(task, options, this.inner);
  }
}
