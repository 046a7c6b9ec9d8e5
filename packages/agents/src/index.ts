// @bear/agents: coordinator, executor, validator, monitor and specialist agents on
// @bear/workflow-engine. Talks to models and indexes only through @bear/core's interfaces.

// Agents
export {
  AGENT_TYPES,
  type Agent,
  type AgentDescriptor,
  type AgentMetrics,
  type AgentStatus,
  type AgentType,
  type AgentLoad,
  type AgentSnapshot,
  type AgentActivity,
  type CapabilityStats,
  type CurrentTask,
  type LatencySummary,
} from "./agent/agent";
export { WorkflowAgent, type AgentTask, type AgentTaskContext, type RunTaskOptions, type WorkflowAgentOptions } from "./agent/workflow-agent";
export { WorkingMemory, type WorkingMemoryOptions } from "./agent/working-memory";
export { AgentMetricsRecorder, percentile, summarizeLatencies, type AgentMetricsOptions } from "./agent/agent-metrics";

// Registry and load balancing
export { AgentRegistry, type AgentFilter, type AgentRegistryEvent } from "./registry/agent-registry";
export {
  AdaptiveLoadBalancer,
  DEFAULT_BALANCER_WEIGHTS,
  type AdaptiveLoadBalancerOptions,
  type BalancerWeights,
  type BalancingCandidate,
  type CandidateScore,
  type SelectOptions,
} from "./balancing/adaptive-load-balancer";
export { AgentDispatcher, type AgentDispatcherOptions, type DispatchOptions, type TaskAssignment, type SettledAssignment, type ScoreBreakdown, type ValidationVerdict } from "./dispatch/agent-dispatcher";
export { AgentExecutor } from "./dispatch/agent-executor";
export {
  AGENT_STEP_TYPES,
  AgentStepBinding,
  agentTaskHandler,
  agentValidateHandler,
  agentAggregateHandler,
  agentLatestHandler,
  agentTaskParameters,
  agentValidateParameters,
  type AgentTaskParameters,
  type AgentValidateParameters,
  type Aggregator,
} from "./dispatch/agent-step-handlers";

// Executors and specialists
export { StepHandlerAgent, type StepHandlerAgentOptions, type CapabilityHandlers } from "./executors/step-handler-agent";
export { ExecutorAgent, EXECUTOR_CAPABILITIES, type ExecutorCapability } from "./executors/executor-agent";
export { RemoteExecutorAgent, type RemoteExecutorAgentOptions } from "./executors/remote-executor-agent";
export { ToolRegistry, toolExecutionHandler, toolExecutionParameters, type Tool, type AnyTool, type ToolInfo, type ToolExecutionParameters } from "./executors/tool-registry";
export { MeteredLlm, type ModelUsage, type ModelUsageEvent } from "./executors/metered-llm";
export { SpecialistAgent, defineSpecialist, specialistStepHandlers, type Specialist } from "./specialists/specialist";
export { scrubbingSpecialist, piiScrubbingHandler, piiScrubbingParameters, type PiiScrubbingParameters } from "./specialists/scrubbing-specialist";

// Validation
export { ValidatorAgent, VALIDATION_CAPABILITY, type ValidatorAgentOptions } from "./validation/validator-agent";
export {
  validationSpecSchema,
  type ValidationSpec,
  type ValidationSubject,
  type ValidationIssue,
  type ValidationReport,
  type ValidationRule,
} from "./validation/validation-spec";
export { schemaRule, citationRule, piiRule, confidenceRule, scrubberDetector, type PiiDetector } from "./validation/validation-rules";

// Monitoring
export {
  MonitorAgent,
  MONITORING_CAPABILITY,
  type MonitorAgentOptions,
  type MonitorReport,
  type AgentHealth,
  type AgentHealthEvent,
  type AgentHealthEntry,
  type ModelUsageSource,
} from "./monitoring/monitor-agent";

// Coordination and patterns
export {
  CoordinatorAgent,
  COORDINATION_CAPABILITY,
  complexTaskSchema,
  type CoordinatorAgentOptions,
  type ComplexTask,
  type DelegateOptions,
  type DelegationResult,
  type TaskTypeDefinition,
} from "./coordination/coordinator-agent";
export { buildPlanWorkflow, planWaves, type ExecutionPlan, type Subtask } from "./coordination/execution-plan";
export { Pipeline, type PipelineStage, type PipelineGate } from "./patterns/pipeline";
export { buildCollaborationWorkflow, collaborationResult, collaborationPlanSchema, type CollaborationPlan, type CollaborationResult } from "./patterns/collaboration";
export { expandPatternWorkflow, AGENT_PATTERNS, type PatternWorkflow } from "./patterns/pattern-workflow";

// The system, config and DI
export { AgentSystem, registerAgentSteps, type AgentSystemOptions, type OpenAgentSystemOptions, type PipelineResult } from "./system/agent-system";
export { agentSpecSchema, type AgentSpec } from "./system/agent-spec";
export { AgentsConfig, agentsConfigSchema, type AgentsConfigInput } from "./agents-config";
export { agentsModule, AgentSystemToken, ToolRegistryToken, SpecialistToken } from "./agents.module";

// Errors
export {
  AgentError,
  AgentNotFoundError,
  AgentBusyError,
  NoCapableAgentError,
  CapabilityUnsupportedError,
  TaskInputError,
  ResultRejectedError,
  ToolNotFoundError,
  DelegationFailedError,
  type AgentErrorCode,
  type RejectionReason,
} from "./errors";
