import { AuditSink, Cache, CachedLlm, Embedder, EventBus, Llm, Logger } from "@bear/core";
import { ContainerModule } from "inversify";
import { LlamaCppEmbedder } from "./inference/llama-cpp-embedder";
import { LlamaCppLlm } from "./inference/llama-cpp-llm";
import { ModelManager } from "./model-manager";
import { ModelManagerConfig, type ModelManagerConfigInput, modelManagerConfigSchema } from "./model-manager-config";
import type { OnnxSessionPool } from "./onnx/onnx-session-pool";
import { EmbedderModelId, LlmModelId, ModelManagerToken, OnnxSessionPoolToken } from "./tokens";

/**
 * Binds the ModelManager (singleton, disposed on container teardown), the OnnxSessionPool, and,
 * when the config names default models, core's `Llm` (LlamaCppLlm, behind core's CachedLlm when a
 * `Cache` is bound) and `Embedder`
 * (LlamaCppEmbedder). Logger, EventBus and AuditSink are used when bound (coreModule binds the first two).
 *
 * The manager is built synchronously (so Llm and Embedder resolve with `container.get`), so its model
 * folders are not scanned yet. With `registryFile`, the models an earlier scan found are known at
 * once; otherwise (and to find new files) call `await container.get(ModelManagerToken).scan()` after
 * building the container, before reading an Embedder's `dimensions` (an unknown id is MODEL_NOT_FOUND;
 * generating or embedding scans first by itself).
 */
export function modelManagerModule(config: ModelManagerConfigInput): ContainerModule {
  const resolved = modelManagerConfigSchema.parse(config);
  return new ContainerModule(({ bind }) => {
    bind<ModelManagerConfig>(ModelManagerConfig).toConstantValue(resolved);
    bind<ModelManager>(ModelManagerToken)
      .toDynamicValue((context) => {
        const logger = context.get<Logger>(Logger, { optional: true });
        const events = context.get<EventBus>(EventBus, { optional: true });
        const audit = context.get<AuditSink>(AuditSink, { optional: true });
        return new ModelManager(resolved, { ...(logger ? { logger } : {}), ...(events ? { events } : {}), ...(audit ? { audit } : {}) });
      })
      .inSingletonScope()
      // Binding-level (not module-level) deactivation: inversify 8 awaits only this kind in unbindAllAsync.
      .onDeactivation((manager) => manager.dispose());
    bind<OnnxSessionPool>(OnnxSessionPoolToken).toDynamicValue((context) => context.get<ModelManager>(ModelManagerToken).onnx);
    if (resolved.defaultLlm !== undefined) {
      bind<string>(LlmModelId).toConstantValue(resolved.defaultLlm);
      bind(LlamaCppLlm).toSelf().inSingletonScope();
      // With a bound Cache, deterministic generations (temperature 0, the default here) are cached.
      bind<Llm>(Llm)
        .toDynamicValue((context) => {
          const llm = context.get<LlamaCppLlm>(LlamaCppLlm);
          const cache = context.get<Cache>(Cache, { optional: true });
          return cache ? new CachedLlm(llm, cache, { defaultTemperature: 0 }) : llm;
        })
        .inSingletonScope();
    }
    if (resolved.defaultEmbedder !== undefined) {
      bind<string>(EmbedderModelId).toConstantValue(resolved.defaultEmbedder);
      bind(LlamaCppEmbedder).toSelf().inSingletonScope();
      bind<Embedder>(Embedder).toService(LlamaCppEmbedder);
    }
  });
}
