import type { AuditSink, Llm } from "@bear/core";
import type { WorkflowEngineConfig } from "../workflow-engine-config";
import { dataProcessingHandler } from "./data-processing-handler";
import { fileOperationsHandler } from "./file-operations-handler";
import { llmGenerationHandler } from "./llm-generation-handler";
import { StepHandlerRegistry } from "./step-handler-registry";

/**
 * The step types every engine knows: `data_processing`, `file_operations` (when the config confines
 * it to a folder) and `llm_generation` (when a model is given). WorkflowEngine.open() and
 * workflowEngineModule() both start from it, so the two paths cannot drift apart.
 */
export function builtInStepRegistry(config: Pick<WorkflowEngineConfig, "workspaceRoot">, deps: { readonly llm?: Llm; readonly audit?: AuditSink } = {}): StepHandlerRegistry {
  const registry = new StepHandlerRegistry();
  registry.register(dataProcessingHandler());
  if (config.workspaceRoot !== undefined) registry.register(fileOperationsHandler({ workspaceRoot: config.workspaceRoot, ...(deps.audit ? { audit: deps.audit } : {}) }));
  if (deps.llm) registry.register(llmGenerationHandler(deps.llm));
  return registry;
}
