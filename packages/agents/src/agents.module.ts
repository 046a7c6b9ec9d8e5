import { AgentTool, AuditSink, EventBus, Llm, Logger, Scrubber } from "@bear/core";
import { ExecutorMiddleware, StepHandlerRegistryToken, WorkflowEngineToken, type StepHandlerRegistry, type WorkflowEngine } from "@bear/workflow-engine";
import { AgentExecutor } from "./dispatch/agent-executor";
import { ContainerModule } from "inversify";
import { AgentsConfig, agentsConfigSchema, type AgentsConfigInput } from "./agents-config";
import { ToolRegistry, toolExecutionHandler } from "./executors/tool-registry";
import { specialistStepHandlers, type Specialist } from "./specialists/specialist";
import { AgentStepBinding } from "./dispatch/agent-step-handlers";
import { AgentSystem, registerAgentSteps } from "./system/agent-system";

/** DI tokens of this package. */
export const AgentSystemToken = Symbol.for("@bear/agents:AgentSystem");
export const ToolRegistryToken = Symbol.for("@bear/agents:ToolRegistry");
/** Bind any number of specialists here (the apps bind the legal ones); the system installs them all. */
export const SpecialistToken = Symbol.for("@bear/agents:Specialist");

/**
 * Binds the AgentSystem (async, on the engine of `workflowEngineModule`: get it with
 * `await container.getAsync(AgentSystemToken)`) and a ToolRegistry. Uses the bound Llm (LLM
 * executor), Scrubber (PII checks), Logger, EventBus and AuditSink when present, and installs
 * every bound Specialist.
 */
export function agentsModule(config: AgentsConfigInput = {}): ContainerModule {
  const parsed = agentsConfigSchema.parse(config);
  return new ContainerModule(({ bind }) => {
    // One binding per container: the engine's executor (below) and the AgentSystem share it.
    const stepBinding = new AgentStepBinding();
    bind(AgentsConfig).toConstantValue(parsed);
    // Every workflow step goes engine → coordinator → balancer → executor agent → validator.
    bind<ExecutorMiddleware>(ExecutorMiddleware).toConstantValue((inner) => new AgentExecutor(stepBinding, inner));
    // Every AgentTool the packages and the app bind (search, review, redact…), in one registry.
    bind(ToolRegistryToken)
      .toDynamicValue((ctx) => new ToolRegistry(ctx.getAll<AgentTool>(AgentTool, { optional: true })))
      .inSingletonScope();
    bind<AgentSystem>(AgentSystemToken)
      .toDynamicValue(async (ctx) => {
        // Step types first: the engine resumes interrupted runs when it is resolved, and their
        // agent.* and specialist steps must validate then.
        const steps = ctx.get<StepHandlerRegistry>(StepHandlerRegistryToken);
        const specialists = ctx.getAll<Specialist>(SpecialistToken, { optional: true });
        registerAgentSteps(steps, stepBinding);
        const tools = ctx.get<ToolRegistry>(ToolRegistryToken);
        if (!steps.has("tool_execution")) steps.register(toolExecutionHandler(tools));
        for (const specialist of specialists) for (const handler of specialistStepHandlers(specialist)) if (!steps.has(handler.type)) steps.register(handler);
        const engine = await ctx.getAsync<WorkflowEngine>(WorkflowEngineToken);
        const llm = ctx.get<Llm>(Llm, { optional: true });
        const scrubber = ctx.get<Scrubber>(Scrubber, { optional: true });
        const logger = ctx.get<Logger>(Logger, { optional: true });
        const eventBus = ctx.get<EventBus>(EventBus, { optional: true });
        const audit = ctx.get<AuditSink>(AuditSink, { optional: true });
        return new AgentSystem({
          engine,
          stepBinding,
          config: parsed,
          tools,
          specialists,
          ...(llm ? { llm } : {}),
          ...(scrubber ? { scrubber } : {}),
          ...(logger ? { logger } : {}),
          ...(eventBus ? { eventBus } : {}),
          ...(audit ? { audit } : {}),
        });
      })
      .inSingletonScope()
      // on the binding: inversify awaits a binding's async deactivation, not a module-level one (see core's disposeContainer)
      .onDeactivation((system) => system.dispose());
  });
}
