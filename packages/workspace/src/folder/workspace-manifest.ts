import type { KeySealing } from "../keys/workspace-keys";

/** `state/workspace.json`: written once when the workspace is created. Holds no secret. */
export interface WorkspaceManifest {
  readonly format: "bear-workspace";
  readonly version: 1;
  readonly createdAt: string;
  /** Present when the workspace keys are sealed under a passphrase. */
  readonly encryption: KeySealing | null;
}

/** What the workspace remembers between runs (e.g. the models `bear models load` made active). */
export interface WorkspaceState {
  readonly llm?: string;
  readonly embedder?: string;
}
