import type { JsonValue, StepHandler } from "@bear/workflow-engine";
import { z } from "zod";
import { ResultRejectedError } from "../errors";
import { validationSpecSchema } from "../validation/validation-spec";
import { AgentError } from "../errors";
import type { AgentDispatcher } from "./agent-dispatcher";
import type { CoordinatorAgent } from "../coordination/coordinator-agent";

/**
 * Where `agent.*` steps send their work. Registering the steps before the dispatcher exists (so an
 * engine can validate — and resume — agent workflows as soon as it opens) needs this late binding.
 */
export class AgentStepBinding {
  dispatcher: AgentDispatcher | undefined;
  /** Set with the dispatcher: the coordinator every workflow step goes through (see AgentExecutor). */
  coordinator: CoordinatorAgent | undefined;
  constructor(dispatcher?: AgentDispatcher) {
    this.dispatcher = dispatcher;
  }
  getCoordinator(): CoordinatorAgent {
    if (!this.coordinator) {
      throw new AgentError("AGENT_NOT_FOUND", "a workflow step ran before any AgentSystem was attached to this engine", {
        hint: "Create the AgentSystem (or resolve AgentSystemToken) before running workflows on an engine whose executor is an AgentExecutor.",
      });
    }
    return this.coordinator;
  }
  get(): AgentDispatcher {
    if (!this.dispatcher) {
      throw new AgentError("AGENT_NOT_FOUND", "an agent.* step ran before any AgentSystem was attached to this engine", {
        hint: "Create the AgentSystem (or resolve AgentSystemToken) before running agent workflows.",
      });
    }
    return this.dispatcher;
  }
}

const bindingOf = (target: AgentDispatcher | AgentStepBinding): AgentStepBinding => (target instanceof AgentStepBinding ? target : new AgentStepBinding(target));

const json = z.custom<JsonValue>(() => true);

/** Step types this package adds to the engine. */
export const AGENT_STEP_TYPES = ["agent.task", "agent.validate", "agent.aggregate", "agent.latest"] as const;

export const agentTaskParameters = z.strictObject({
  /** What needs doing; the load balancer picks an agent declaring it (or the step's `agent` pins one). */
  capability: z.string().min(1),
  /** The task input (for executors and specialists: their step handler's parameters). */
  input: json.default(null),
  /** Checked before the result is accepted; a failure is retried per the step's policy. */
  validate: validationSpecSchema.optional(),
});
export type AgentTaskParameters = z.infer<typeof agentTaskParameters>;

/** `agent.task`: a step done by whichever agent is best placed (see AgentDispatcher). */
export function agentTaskHandler(target: AgentDispatcher | AgentStepBinding): StepHandler<AgentTaskParameters> {
  const binding = bindingOf(target);
  return {
    type: "agent.task",
    parameters: agentTaskParameters,
    execute: (ctx) =>
      binding.get().dispatch(
        {
          id: `${ctx.runId}/${ctx.stepId}${ctx.index === undefined ? "" : `[${ctx.index}]`}`,
          capability: ctx.parameters.capability,
          input: ctx.parameters.input,
          runId: ctx.runId,
          ...(ctx.matter === undefined ? {} : { matter: ctx.matter }),
          ...(ctx.actor === undefined ? {} : { actor: ctx.actor }),
          stepId: ctx.stepId,
          attempt: ctx.attempt,
          ...(ctx.index === undefined ? {} : { index: ctx.index }),
        },
        {
          signal: ctx.signal,
          progress: (p) => ctx.progress(p),
          ...(ctx.agent === undefined ? {} : { agentId: ctx.agent }),
          ...(ctx.parameters.validate ? { validate: ctx.parameters.validate } : {}),
        },
      ),
  };
}

export const agentValidateParameters = z.strictObject({
  subject: json,
  /** The capability that produced the subject (selects its registered schema). */
  capability: z.string().min(1).optional(),
  spec: validationSpecSchema.default({}),
});
export type AgentValidateParameters = z.infer<typeof agentValidateParameters>;

/**
 * `agent.validate`: a gate. Passes `{ valid: true, checked, subject }` on, or fails with the
 * reasons (then the step's `on_error` decides: fail the run, continue, or run a fallback).
 */
export function agentValidateHandler(target: AgentDispatcher | AgentStepBinding): StepHandler<AgentValidateParameters> {
  const binding = bindingOf(target);
  return {
    type: "agent.validate",
    parameters: agentValidateParameters,
    async execute(ctx) {
      const p = ctx.parameters;
      const report = await binding.get().validate({ ...(p.capability ? { capability: p.capability } : {}), output: p.subject, spec: p.spec }, ctx.signal);
      if (!report.valid) throw new ResultRejectedError(`step '${ctx.stepId}'`, report.issues);
      return { valid: true, checked: [...report.checked], subject: p.subject };
    },
  };
}

export const agentAggregateParameters = z.strictObject({
  task_type: z.string().min(1),
  results: z.record(z.string(), json),
});

/** Combines subtask results; the coordinator registers an aggregator per task type. */
export type Aggregator = (results: Readonly<Record<string, JsonValue>>, taskType: string) => JsonValue;

/** `agent.aggregate`: `{ taskType, results }`, or what the task type's aggregator makes of them. */
export function agentAggregateHandler(aggregatorFor: (taskType: string) => Aggregator | undefined): StepHandler<z.infer<typeof agentAggregateParameters>> {
  return {
    type: "agent.aggregate",
    parameters: agentAggregateParameters,
    execute: async (ctx) => {
      const aggregate = aggregatorFor(ctx.parameters.task_type);
      return aggregate ? aggregate(ctx.parameters.results, ctx.parameters.task_type) : { taskType: ctx.parameters.task_type, results: ctx.parameters.results };
    },
  };
}

/** `agent.latest`: the last non-null value of a list (the newest draft of a review loop). */
export function agentLatestHandler(): StepHandler<{ values: JsonValue[] }> {
  return {
    type: "agent.latest",
    parameters: z.strictObject({ values: z.array(json) }),
    execute: async (ctx) => {
      for (let i = ctx.parameters.values.length - 1; i >= 0; i--) if (ctx.parameters.values[i] !== null && ctx.parameters.values[i] !== undefined) return ctx.parameters.values[i]!;
      return null;
    },
  };
}
