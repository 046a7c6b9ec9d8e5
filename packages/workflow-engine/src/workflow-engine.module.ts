import { AuditSink, ContentCipher, EventBus, Llm, Logger, silentLogger } from "@bear/core";
import { ContainerModule } from "inversify";
import { WorkflowEngine } from "./engine/workflow-engine";
import { StepHandlerRegistry } from "./steps/step-handler-registry";
import { dataProcessingHandler } from "./steps/data-processing-handler";
import { fileOperationsHandler } from "./steps/file-operations-handler";
import { llmGenerationHandler } from "./steps/llm-generation-handler";
import { SqliteRunStore } from "./store/sqlite-run-store";
import { Executor, InProcessExecutor } from "./execution/executor";
import { WorkflowEngineConfig, msOrUndefined, workflowEngineConfigSchema, type WorkflowEngineConfigInput } from "./workflow-engine-config";
import { durationMs } from "./definition/workflow-definition";

/** DI tokens of this package (the interface and its token share a name). */
export const WorkflowEngineToken = Symbol.for("@bear/workflow-engine:WorkflowEngine");
export const StepHandlerRegistryToken = Symbol.for("@bear/workflow-engine:StepHandlerRegistry");

/**
 * Binds the engine (async: it opens SQLite and resumes interrupted runs; get it with
 * `await container.getAsync(WorkflowEngineToken)`), its StepHandlerRegistry and Executor.
 * Uses Logger, EventBus and AuditSink when bound, and an Llm for `llm_generation` when bound.
 * Other packages add step types by registering on the registry before the engine is resolved.
 */
export function workflowEngineModule(config: WorkflowEngineConfigInput): ContainerModule {
  const parsed = workflowEngineConfigSchema.parse(config);
  return new ContainerModule(({ bind, onDeactivation }) => {
    bind(WorkflowEngineConfig).toConstantValue(parsed);
    bind(StepHandlerRegistryToken)
      .toDynamicValue((ctx) => {
        const registry = new StepHandlerRegistry();
        registry.register(dataProcessingHandler());
        const audit = ctx.get<AuditSink>(AuditSink, { optional: true });
        if (parsed.workspaceRoot !== undefined) registry.register(fileOperationsHandler({ workspaceRoot: parsed.workspaceRoot, ...(audit ? { audit } : {}) }));
        const llm = ctx.get<Llm>(Llm, { optional: true });
        if (llm) registry.register(llmGenerationHandler(llm));
        return registry;
      })
      .inSingletonScope();
    bind(Executor)
      .toDynamicValue((ctx) => new InProcessExecutor(ctx.get<StepHandlerRegistry>(StepHandlerRegistryToken), ctx.get<Logger>(Logger, { optional: true }) ?? silentLogger))
      .inSingletonScope();
    bind(WorkflowEngineToken)
      .toDynamicValue(async (ctx) => {
        const cipher = ctx.get<ContentCipher>(ContentCipher, { optional: true });
        const store = await SqliteRunStore.open({ dbPath: parsed.dbPath, synchronous: parsed.synchronous, ...(cipher ? { cipher } : {}) });
        const logger = ctx.get<Logger>(Logger, { optional: true });
        const eventBus = ctx.get<EventBus>(EventBus, { optional: true });
        const audit = ctx.get<AuditSink>(AuditSink, { optional: true });
        const engine = new WorkflowEngine({
          store,
          registry: ctx.get<StepHandlerRegistry>(StepHandlerRegistryToken),
          executor: ctx.get<Executor>(Executor),
          ...(logger ? { logger } : {}),
          ...(eventBus ? { eventBus } : {}),
          ...(audit ? { audit } : {}),
          maxParallelSteps: parsed.maxParallelSteps,
          maxFanOut: parsed.maxFanOut,
          retentionMs: durationMs(parsed.retention),
          ...(parsed.defaultStepTimeout === undefined ? {} : { defaultStepTimeoutMs: msOrUndefined(parsed.defaultStepTimeout)! }),
          ...(parsed.defaultRunTimeout === undefined ? {} : { defaultRunTimeoutMs: msOrUndefined(parsed.defaultRunTimeout)! }),
        });
        if (parsed.resumeOnOpen) engine.resumeInterrupted();
        return engine;
      })
      .inSingletonScope();
    onDeactivation<WorkflowEngine>(WorkflowEngineToken, (engine) => engine.dispose());
  });
}
