import path from "node:path";
import { workspaceLayout, type WorkspaceLayout } from "@bear/core";

/**
 * Where each workspace rule keeps its files: core's folders plus the workspace's own. Only this
 * package reads or writes them; the apps go through the Workspace.
 */
export interface WorkspacePaths extends WorkspaceLayout {
  /** Uploaded originals, one folder per matter (sealed when the workspace is encrypted). */
  readonly uploads: string;
  /** Files workflows write, one folder per matter. */
  readonly workflows: string;
  /** Ask-page conversations, one folder per matter (sealed when the workspace is encrypted). */
  readonly conversations: string;
  readonly manifestFile: string;
  readonly plainKeysFile: string;
  readonly sealedKeysFile: string;
  readonly stateFile: string;
  readonly vaultFile: string;
  readonly principalsFile: string;
  readonly modelRegistryFile: string;
  readonly workflowDb: string;
  readonly liveRuns: string;
  /** One wrapped data key per document of an encrypted workspace, destroyed with the document (crypto-shredding). */
  readonly dataKeys: string;
  /** Keys an early `bear-server` made for itself (migrated into the workspace keys). */
  readonly legacyAuditKey: string;
  readonly legacyPseudonymKey: string;
}

export function workspacePaths(dataDir: string): WorkspacePaths {
  const layout = workspaceLayout(dataDir);
  const state = (name: string): string => path.join(layout.state, name);
  return {
    ...layout,
    uploads: path.join(layout.root, "uploads"),
    workflows: path.join(layout.root, "workflows"),
    conversations: path.join(layout.root, "conversations"),
    manifestFile: state("workspace.json"),
    plainKeysFile: state("keys.json"),
    sealedKeysFile: state("keys.enc"),
    stateFile: state("cli.json"),
    vaultFile: state("vault.json"),
    principalsFile: state("principals.json"),
    modelRegistryFile: state("models.json"),
    workflowDb: state("workflows.db"),
    liveRuns: state("workflow-runs"),
    dataKeys: state("data-keys"),
    legacyAuditKey: state("audit.key"),
    legacyPseudonymKey: state("pseudonym.key"),
  };
}

/** The folders (0700) of a workspace, for `ensureWorkspace`-style checks. */
export function workspaceFolders(paths: WorkspacePaths): string[] {
  return [paths.root, paths.models, paths.indexes, paths.state, paths.audit, paths.cache, paths.plugins, paths.tmp, paths.uploads, paths.workflows];
}
