import type { KeySealing } from "../keys/workspace-keys";

/** The folder layout this version writes (see `migrateWorkspace`): 2 = workflow files per matter, names sealed when encrypted. */
export const CURRENT_LAYOUT = 2;

/** `state/workspace.json`: written when the workspace is created, and when a migration brings its folders up to date. Holds no secret. */
export interface WorkspaceManifest {
  readonly format: "bear-workspace";
  readonly version: 1;
  readonly createdAt: string;
  /** The folder layout (absent: 1, the first one); `migrateWorkspace` brings it to `CURRENT_LAYOUT`. */
  readonly layout?: number;
  /** Present when the workspace keys are sealed under a passphrase. */
  readonly encryption: KeySealing | null;
}

/** What the workspace remembers between runs (e.g. the models `bear models load` made active). */
export interface WorkspaceState {
  readonly llm?: string;
  readonly embedder?: string;
}
