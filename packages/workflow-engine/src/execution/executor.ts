import { silentLogger, type Logger } from "@bear/core";
import { StepParametersError } from "../errors";
import { formatIssuePath } from "../definition/validate-workflow";
import type { StepHandlerRegistry } from "../steps/step-handler-registry";
import type { StepProgress } from "../steps/step-handler";
import { assertJson, type JsonObject, type JsonValue } from "./json-value";
import { plainJson, type RawJson } from "./raw-json";

/** One execution of one step: plain JSON, so it can be sent to another worker. */
export interface StepTask {
  readonly runId: string;
  readonly stepId: string;
  readonly type: string;
  readonly agent?: string;
  /** The run's matter, when it has one: per-matter file areas use it, and tools reading documents stay inside it. */
  readonly matter?: string;
  /** Who started the run, when the starter said (StartRunOptions.actor): the step's acts are audited as them. */
  readonly actor?: string;
  readonly parameters: JsonObject;
  readonly attempt: number;
  readonly item?: JsonValue;
  readonly index?: number;
  /** The step's `validate` checks, references resolved (what the result must satisfy). */
  readonly validate?: JsonObject;
}

export interface ExecuteOptions {
  readonly signal: AbortSignal;
  readonly onProgress: (progress: StepProgress) => void;
  /**
   * Says who executed this attempt and how it was judged (JSON: an agent id, its score, the
   * validator's verdict…). The engine records it in the run's history as a `step.assigned` event
   * and in `getRun().assignments`; executors that have nothing to say never call it.
   */
  readonly onAssignment?: (assignment: JsonObject) => void;
}

/**
 * Where steps run. The default runs handlers in this process; a distributed queue can implement
 * the same interface and run them on workers (tasks and results are JSON). One executor can wrap
 * another (see `ExecutorMiddleware`): @bear/agents routes every step through its agents this way.
 */
export const Executor = Symbol.for("@bear/workflow-engine:Executor");
export interface Executor {
  /**
   * The step's output: plain JSON, or a RawJson (JSON kept as text, parsed only if something looks
   * inside it) from an executor whose results arrive as text; the engine takes either.
   */
  execute(task: StepTask, options: ExecuteOptions): Promise<JsonValue | RawJson>;
  /**
   * True when execute() is idempotent per (run, step, item, attempt): asked again for an attempt
   * that was already started (by a process that died, or elsewhere), it joins that attempt — its
   * result when it finished, its outcome when it is still running — instead of running it again.
   * A resumed run then re-sends an interrupted attempt as the same attempt rather than counting a
   * new one (a queue executor whose jobs outlive the process sets this).
   */
  readonly joinsInterruptedAttempts?: boolean;
}

/** Wraps the engine's executor (applied in binding order by `workflowEngineModule`). */
export const ExecutorMiddleware = Symbol.for("@bear/workflow-engine:ExecutorMiddleware");
export type ExecutorMiddleware = (inner: Executor) => Executor;

/** Runs handlers from a StepHandlerRegistry in this process, checking JSON in and out. */
export class InProcessExecutor implements Executor {
  readonly #logger: Logger;
  constructor(
    readonly registry: StepHandlerRegistry,
    logger: Logger = silentLogger,
  ) {
    this.#logger = logger.child({ name: "workflow-engine:InProcessExecutor" });
  }

  async execute(given: StepTask, options: ExecuteOptions): Promise<JsonValue> {
    // earlier steps' outputs an executor kept as text (RawJson) reach handlers as plain values
    const task = plainJson(given);
    assertJson(task, `the task of step '${task.stepId}'`, "task");
    const handler = this.registry.get(task.type);
    let parameters: unknown = task.parameters;
    if (handler.parameters) {
      const parsed = handler.parameters.safeParse(task.parameters);
      if (!parsed.success) {
        const reason = parsed.error.issues.map((i) => `${formatIssuePath(["parameters", ...i.path])}: ${i.message}`).join("; ");
        throw new StepParametersError(task.stepId, task.type, reason);
      }
      parameters = parsed.data;
    }
    const output = await handler.execute({
      runId: task.runId,
      stepId: task.stepId,
      type: task.type,
      agent: task.agent,
      ...(task.matter === undefined ? {} : { matter: task.matter }),
      ...(task.actor === undefined ? {} : { actor: task.actor }),
      parameters,
      attempt: task.attempt,
      item: task.item,
      index: task.index,
      signal: options.signal,
      progress: options.onProgress,
      logger: this.#logger,
    });
    const result = output === undefined ? null : output;
    assertJson(result, `the output of step '${task.stepId}'`, "output");
    return result;
  }
}
