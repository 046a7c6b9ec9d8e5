import { AuditSink, ContentCipher, EventBus, Llm, Logger, silentLogger } from "@bear/core";
import { ContainerModule } from "inversify";
import { KnownMatters, WorkflowEngine, type RunCoordination } from "./engine/workflow-engine";
import type { StepHandlerRegistry } from "./steps/step-handler-registry";
import { builtInStepRegistry } from "./steps/built-in-step-registry";
import { Executor, ExecutorMiddleware, InProcessExecutor } from "./execution/executor";
import { WorkflowEngineConfig, workflowEngineConfigSchema, type WorkflowEngineConfigInput } from "./workflow-engine-config";

/** DI tokens of this package (the interface and its token share a name). */
export const WorkflowEngineToken = Symbol.for("@bear/workflow-engine:WorkflowEngine");
export const StepHandlerRegistryToken = Symbol.for("@bear/workflow-engine:StepHandlerRegistry");
/** Bound by a cluster module when several engines share the database. */
export const RunCoordinationToken = Symbol.for("@bear/workflow-engine:RunCoordination");

/**
 * Binds the engine (async: it opens SQLite and resumes interrupted runs; get it with
 * `await container.getAsync(WorkflowEngineToken)`), its StepHandlerRegistry and Executor.
 * Uses Logger, EventBus and AuditSink when bound, an Llm for `llm_generation` when bound, and
 * KnownMatters (a run's new matter may not be a case twin of one of them) when bound.
 * Other packages add step types by registering on the registry before the engine is resolved.
 */
export function workflowEngineModule(config: WorkflowEngineConfigInput): ContainerModule {
  const parsed = workflowEngineConfigSchema.parse(config);
  return new ContainerModule(({ bind }) => {
    bind(WorkflowEngineConfig).toConstantValue(parsed);
    bind(StepHandlerRegistryToken)
      .toDynamicValue((ctx) => {
        const audit = ctx.get<AuditSink>(AuditSink, { optional: true });
        const llm = ctx.get<Llm>(Llm, { optional: true });
        const cipher = ctx.get<ContentCipher>(ContentCipher, { optional: true });
        return builtInStepRegistry(parsed, { ...(llm ? { llm } : {}), ...(audit ? { audit } : {}), ...(cipher ? { cipher } : {}) });
      })
      .inSingletonScope();
    // The in-process executor, wrapped by every bound ExecutorMiddleware in binding order (the
    // agents route steps through their agents this way; a queue could send them to workers).
    bind(Executor)
      .toDynamicValue((ctx) => {
        let executor: Executor = new InProcessExecutor(ctx.get<StepHandlerRegistry>(StepHandlerRegistryToken), ctx.get<Logger>(Logger, { optional: true }) ?? silentLogger);
        for (const wrap of ctx.getAll<ExecutorMiddleware>(ExecutorMiddleware, { optional: true })) executor = wrap(executor);
        return executor;
      })
      .inSingletonScope();
    // The same path as WorkflowEngine.open(), on the registry and executor bound here.
    bind<WorkflowEngine>(WorkflowEngineToken)
      .toDynamicValue(async (ctx) => {
        const cipher = ctx.get<ContentCipher>(ContentCipher, { optional: true });
        const logger = ctx.get<Logger>(Logger, { optional: true });
        const eventBus = ctx.get<EventBus>(EventBus, { optional: true });
        const audit = ctx.get<AuditSink>(AuditSink, { optional: true });
        const coordination = ctx.get<RunCoordination>(RunCoordinationToken, { optional: true });
        const knownMatters = ctx.get<KnownMatters>(KnownMatters, { optional: true });
        return WorkflowEngine.open({
          ...parsed,
          registry: ctx.get<StepHandlerRegistry>(StepHandlerRegistryToken),
          executor: ctx.get<Executor>(Executor),
          ...(cipher ? { cipher } : {}),
          ...(logger ? { logger } : {}),
          ...(eventBus ? { eventBus } : {}),
          ...(audit ? { audit } : {}),
          ...(coordination ? { coordination } : {}),
          ...(knownMatters ? { knownMatters } : {}),
        });
      })
      .inSingletonScope()
      // on the binding: inversify awaits a binding's async deactivation, not a module-level one (see core's disposeContainer)
      .onDeactivation((engine) => engine.dispose());
  });
}
