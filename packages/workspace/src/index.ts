// @bear/workspace: the one composition root. Both apps open a workspace here and use what it returns.
export { openWorkspace, workspaceModules, workspaceModule } from "./open-workspace";
export { Workspace, type ComputeReviewOptions, type ReviewOptions, type RedactOptions, type WorkerOptions } from "./workspace";
export type { OpenWorkspaceOptions, WorkspaceClusterOptions } from "./workspace-options";
export { WorkspaceFolder, type CreateWorkspaceOptions } from "./folder/workspace-folder";
export type { WorkspaceManifest, WorkspaceState } from "./folder/workspace-manifest";
export { MIN_PASSPHRASE_CHARS, type PassphraseSource, type WorkspaceKeys, type KeySealing } from "./keys/workspace-keys";
export { AuditPolicy } from "./audit/audit-policy";
export { WorkspaceUsers, type NewUser, type UserRow } from "./users/workspace-users";
export { LiveRuns, type LiveRunStatus, type LiveRunTracker } from "./runs/live-runs";
export { cancelRun, followRun, listRuns, recordedFileArea, resumeRun, runningEngine, runStatus, runSteps, workflowSource, type FollowOptions, type RunOutcome, type RunStatusView, type RunStepView } from "./runs/workflow-runs";
export { submittedWorkflow } from "./runs/submitted-workflow";
export { UploadRejectedError, type ReplacedVersion, type UploadOutcome, type UploadRequest } from "./uploads/upload-store";
export { WorkspacePlugins, discoverWorkspacePlugins, type PluginRow } from "./plugins/workspace-plugins";
export { withModelManager } from "./models/inspect-models";
export { diagnoseWorkspace, type DiagnoseOptions, type HealthCheck } from "./doctor/diagnose-workspace";
export { BUILT_IN_WORKFLOWS, builtInWorkflow, type BuiltInWorkflow } from "./agents/built-in-workflows";
export { readDocumentText, type DocumentText } from "./documents/document-text";
export { planIngest, type IngestPlan } from "./documents/ingest-plan";
export { ConversationNotFoundError, ConversationStore, CONVERSATION_ID, DELETED_DOCUMENT, type Conversation, type ConversationCitation, type ConversationSummary, type ConversationTurn, type NewConversation } from "./conversations/conversation-store";
// What the REST API shows and accepts: today's fields and the seed's (architecture.md "API Documentation") side by side.
export { runDetailView, runSummaryView, startedRunView, workflowStartRequest, type WorkflowStartRequest } from "./api/run-views";
export { agentSpecFromRequest, agentView, EXECUTOR_CAPABILITIES, type AgentCreateRequest } from "./api/agent-views";
export { modelActionFromRequest, modelActionMessage, modelView, type ModelAction, type ModelActionRequest } from "./api/model-views";
// The REST API as framework-free operations: a server maps each to a route (apps/server).
export { workspaceApi } from "./api/workspace-api";
export { apiCaller } from "./api/api-caller";
export { ApiKeyAuth, type ApiKeyAuthOptions, type Credentials } from "./api/api-key-auth";
export { openServerServices, type ApiContext, type ApiHost, type BearServices } from "./api/api-services";
export type { ApiCaller, ApiEvent, ApiFilePart, ApiOperation, ApiRequest, ApiResult, ApiSchema } from "./api/api-operation";
export { sharedSchemas, securityRequirement } from "./api/api-schemas";
export { HttpError, invalidField, toHttpError, type ErrorBody } from "./api/http-error";
export { validationError } from "./api/validation-error";
export { errorResponse } from "./api/error-response";
export { BearWorkspaceError, type WorkspaceErrorCode } from "./errors";
export { PrometheusText, type PrometheusSample } from "./metrics/prometheus-text";
export type { RequestMetricsSnapshot } from "./metrics/bear-metrics";
export { Offload, type OffloadOptions } from "./offload/offload";
export { AuditPolicyToken, LiveRunsToken, UploadStoreToken, VaultFileToken, WorkspaceFolderToken, WorkspacePluginsToken, WorkspaceUsersToken } from "./workspace-tokens";

// What the apps show and accept, re-exported so that an app depends on the workspace alone.
export { checkRedis, parseRedisUrl, redactRedisUrl, liveWorkers, ClusterError, type ClusterNode, type StepWorker, type WorkerReport } from "@bear/cluster";
export { AGENT_TYPES, type AgentSpec, type AgentStatus, type AgentType, type AgentSystem } from "@bear/agents";
export { CONTRACT_REVIEW_WORKFLOW_YAML, type ContractReviewReport, type ReportFormat } from "@bear/legal";
export type { ModelManager, ModelRecord } from "@bear/model-manager";
export { pluginContainment, type PluginPermission } from "@bear/plugins";
export { describeOcr, formatNoteFor, ocrConfigSchema, DocumentNotFoundError, type Answer, type AnswerOptions, type AnswerStreamEvent, type Citation, type DocumentRecord, type FileOutcome, type FormatNote, type IngestEvent, type IngestReport, type RagEngine, type SearchHit, type SearchOptions } from "@bear/rag";
export { assertAuditableId, auditScreenFinding } from "@bear/security";
export { AccessDeniedError, assessRisk, RateLimitedError, type AccessControl, type Action, type AuditLog, type AuditVerification, type PiiScrubber, type Principal, type RateLimiter, type Resource, type Role, ROLES } from "@bear/security";
export { parseFileArea, parseWorkflowText, RunNotFoundError, type JsonValue, type ParsedFileArea, type RunDetails, type RunHandle, type RunRecord, type RunResult, type RunStatus, type StepHandlerRegistry, type WorkflowEngine, type WorkflowEvent } from "@bear/workflow-engine";
