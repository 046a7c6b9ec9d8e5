import { bearToken } from "@bear/core";

export const WorkspaceFolderToken = bearToken("workspace", "WorkspaceFolder");
export const AuditPolicyToken = bearToken("workspace", "AuditPolicy");
export const UploadStoreToken = bearToken("workspace", "UploadStore");
export const LiveRunsToken = bearToken("workspace", "LiveRuns");
export const VaultFileToken = bearToken("workspace", "VaultFile");
export const WorkspacePluginsToken = bearToken("workspace", "WorkspacePlugins");
export const WorkspaceUsersToken = bearToken("workspace", "WorkspaceUsers");
export const ConversationStoreToken = bearToken("workspace", "ConversationStore");
export const WorkspaceActsToken = bearToken("workspace", "WorkspaceActs");
