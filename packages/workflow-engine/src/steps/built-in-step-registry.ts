import type { AuditSink, ContentCipher, Llm } from "@bear/core";
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
export function builtInStepRegistry(
  config: Pick<WorkflowEngineConfig, "workspaceRoot"> & Partial<Pick<WorkflowEngineConfig, "matterFolders">>,
  deps: { readonly llm?: Llm; readonly audit?: AuditSink; readonly cipher?: ContentCipher } = {},
): StepHandlerRegistry {
  const registry = new StepHandlerRegistry();
  registry.register(dataProcessingHandler());
  if (config.workspaceRoot !== undefined) {
    // Sealing follows the run-state cipher only for managed per-matter areas; a shared folder the user picked stays plain.
    const sealed = config.matterFolders && deps.cipher ? { cipher: deps.cipher } : {};
    registry.register(fileOperationsHandler({ workspaceRoot: config.workspaceRoot, matterFolders: config.matterFolders ?? false, ...sealed, ...(deps.audit ? { audit: deps.audit } : {}) }));
  }
  if (deps.llm) registry.register(llmGenerationHandler(deps.llm));
  return registry;
}
