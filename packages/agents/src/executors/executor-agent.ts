import type { AuditSink, Llm } from "@bear/core";
import { dataProcessingHandler, fileOperationsHandler, llmGenerationHandler, type Executor, type StepHandler } from "@bear/workflow-engine";
import { RemoteExecutorAgent } from "./remote-executor-agent";
import { StepHandlerAgent, type StepHandlerAgentOptions } from "./step-handler-agent";
import { toolExecutionHandler, type ToolRegistry } from "./tool-registry";

/** The four executor step types. */
export const EXECUTOR_CAPABILITIES = ["llm_generation", "tool_execution", "data_processing", "file_operations"] as const;
export type ExecutorCapability = (typeof EXECUTOR_CAPABILITIES)[number];

type AgentOptions = Omit<StepHandlerAgentOptions, "handlers" | "id"> & { readonly id?: string };

/**
 * Executes the generic step types. Each factory reuses the workflow engine's own handler, so an
 * agent's `llm_generation` behaves exactly like a workflow's.
 */
export class ExecutorAgent extends StepHandlerAgent {
  constructor(options: StepHandlerAgentOptions) {
    super("executor", options);
  }

  /** Generation through core's `Llm` (any model: llama.cpp, a test double, a remote-free server). */
  static llm(llm: Llm, options: AgentOptions = {}): ExecutorAgent {
    return new ExecutorAgent({ name: `LLM executor (${llm.id})`, ...options, id: options.id ?? "llm-executor", handlers: { llm_generation: llmGenerationHandler(llm) as StepHandler<never> } });
  }

  /** Calls tools from a ToolRegistry. */
  static tools(tools: ToolRegistry, options: AgentOptions = {}): ExecutorAgent {
    return new ExecutorAgent({ name: "Tool executor", ...options, id: options.id ?? "tool-executor", handlers: { tool_execution: toolExecutionHandler(tools) as StepHandler<never> } });
  }

  /** pick / map / filter / concat / count / merge / unique on JSON (no code evaluation). */
  static data(options: AgentOptions = {}): ExecutorAgent {
    return new ExecutorAgent({ name: "Data executor", ...options, id: options.id ?? "data-executor", handlers: { data_processing: dataProcessingHandler() as StepHandler<never> } });
  }

  /**
   * Steps run behind another Executor (a queue, other machines): the agent the balancer picks like
   * any local executor. `id` names it (e.g. 'worker-pool-1').
   */
  static remote(executor: Executor, options: AgentOptions & { readonly id: string; readonly stepTypes: readonly string[] }): RemoteExecutorAgent {
    return new RemoteExecutorAgent({ ...options, executor });
  }

  /** Runs whatever handler a step type has (a plugin's step type no other agent declares). */
  static forStep(handler: StepHandler<never>, options: AgentOptions = {}): ExecutorAgent {
    return new ExecutorAgent({ name: `Step executor (${handler.type})`, ...options, id: options.id ?? executorIdFor(handler.type), handlers: { [handler.type]: handler } });
  }

  /** read / write / append / list / exists / mkdir / delete, confined to `workspaceRoot`. */
  static files(fileOptions: { readonly workspaceRoot: string; readonly audit?: AuditSink; readonly maxReadBytes?: number }, options: AgentOptions = {}): ExecutorAgent {
    return new ExecutorAgent({ name: "File executor", ...options, id: options.id ?? "file-executor", handlers: { file_operations: fileOperationsHandler(fileOptions) as StepHandler<never> } });
  }
}

/** An agent id for a step type's executor: 'myplugin.extract' → 'myplugin.extract-executor'. */
export function executorIdFor(type: string): string {
  return `${type.replace(/[^a-z0-9_.-]/gi, "-").slice(0, 55)}-executor`;
}
