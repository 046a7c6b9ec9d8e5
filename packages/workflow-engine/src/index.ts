// @bear/workflow-engine: durable, parallel, cancellable workflows. Knows nothing about legal work
// or LLMs: step types are handlers registered by other packages.

export { WorkflowEngine, KnownMatters, type RunCoordination, type WorkflowEngineOptions, type OpenWorkflowEngineOptions, type StartRunOptions, type CancelRunOptions, type RunHandle, type RunDetails, type StepAssignment } from "./engine/workflow-engine";
export { RUN_ACTOR, assertRunActor, isRunActor } from "./engine/run-actor";
export { parseFileArea, runFileArea, type ParsedFileArea, type RunFileArea } from "./engine/file-area";
export { type RunResult } from "./engine/workflow-run";
export type { WorkflowEvent, WorkflowEventType } from "./engine/workflow-event";
export { workflowEngineModule, WorkflowEngineToken, StepHandlerRegistryToken, RunCoordinationToken } from "./workflow-engine.module";
export { WorkflowEngineConfig, workflowEngineConfigSchema, type WorkflowEngineConfigInput } from "./workflow-engine-config";

export {
  workflowSchema,
  stepSchema,
  durationMs,
  BUILT_IN_STEP_TYPES,
  type BuiltInStepType,
  type WorkflowDefinition,
  type WorkflowInput,
  type StepDefinition,
  type RetryPolicy,
  type OnError,
  type InputSpec,
  type Duration,
} from "./definition/workflow-definition";
export { parseWorkflowText, type WorkflowFormat } from "./definition/parse-workflow";
export { validateWorkflow, assertValidWorkflow, resolveInputs, formatIssuePath, type ValidationResult, type StepTypeCatalog, type StepIssue } from "./definition/validate-workflow";
export { parseReference, parseTemplate, formatReference, resolvePath, resolveTemplates, type Reference, type PathSegment, type TemplatePart } from "./definition/reference";
export { parseCondition, evaluateCondition, type Condition } from "./definition/condition";

export { StepHandlerRegistry, type StepCheck, type DefinitionExpander } from "./steps/step-handler-registry";
export type { StepHandler, StepContext, StepProgress } from "./steps/step-handler";
export { dataProcessingHandler, processData, dataProcessingParameters, type DataProcessingParameters } from "./steps/data-processing-handler";
export { fileOperationsHandler, fileOperationsParameters, type FileOperationsParameters, type FileOperationsOptions } from "./steps/file-operations-handler";
export { WorkflowFiles, type WorkflowFilesOptions, type WorkflowFileEntry } from "./steps/workflow-files";
export { llmGenerationHandler, llmGenerationParameters, type LlmGenerationParameters } from "./steps/llm-generation-handler";

export { Executor, ExecutorMiddleware, InProcessExecutor, type StepTask, type ExecuteOptions } from "./execution/executor";
export { assertJson, isJson, type JsonValue, type JsonObject, type JsonPrimitive } from "./execution/json-value";
export { RawJson, plainJson, type StepOutput } from "./execution/raw-json";
export { backoffDelay, type BackoffSettings } from "./execution/backoff";

export { SqliteRunStore, runStoreHolder, runStoreOpeners, type SqliteRunStoreOptions } from "./store/sqlite-run-store";
export type { Presence as RunStoreOpener, PresenceTiming } from "./store/store-presence";
export { DEFAULT_MAX_FINISHED_RUNS, MemoryRunStore, type MemoryRunStoreOptions } from "./store/memory-run-store";
export type { RunStore, RunRecord, StepRecord, StepWrite, StoredEvent, RunStatus, StepStatus, ErrorInfo, ListRunsQuery, RunPatch } from "./store/run-records";

export {
  WorkflowError,
  WorkflowParseError,
  WorkflowValidationError,
  WorkflowInputsError,
  ReferenceSyntaxError,
  ConditionSyntaxError,
  StepHandlerDuplicateError,
  StepHandlerMissingError,
  StepParametersError,
  StepFailedError,
  PermanentStepError,
  StepTimeoutError,
  RunTimeoutError,
  RunCancelledError,
  RunNotFoundError,
  RunIdReservedError,
  ACT_RUN_PREFIX,
  isStepRefusal,
  RunNotResumableError,
  NotJsonError,
  RunStoreError,
  RunStoreInUseError,
  type RunStoreHolder,
  RunStoreKeyMismatchError,
  type WorkflowErrorCode,
  type ValidationIssue,
} from "./errors";
