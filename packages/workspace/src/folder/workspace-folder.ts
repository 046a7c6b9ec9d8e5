import fs from "node:fs";
import path from "node:path";
import { ensureWorkspace, WORKSPACE_DIR_MODE, writeFileAtomicSync, type BearConfig, type WorkspaceLayout } from "@bear/core";
import { indexWriterHolder } from "@bear/rag";
import type { ScryptParams } from "@bear/security";
import { runStoreHolder, runStoreOpeners, type RunStoreOpener } from "@bear/workflow-engine";
import { BearWorkspaceError } from "../errors";
import { assertPassphrase, newWorkspaceKeys, readWorkspaceKeys, writeWorkspaceKeys, type PassphraseSource, type WorkspaceKeys } from "../keys/workspace-keys";
import { CURRENT_LAYOUT, type WorkspaceManifest, type WorkspaceState } from "./workspace-manifest";
import { workspacePaths, type WorkspacePaths } from "./workspace-paths";

/** Options of `WorkspaceFolder.create`. */
export interface CreateWorkspaceOptions {
  /** Seal the workspace keys under this passphrase (8+ characters); omit for plain keys (0600). */
  readonly passphrase?: string;
  /** scrypt cost (tests use a cheap one). */
  readonly scrypt?: ScryptParams;
}

/**
 * A workspace folder on disk, before anything is opened: its layout, manifest, keys and remembered
 * state. Cheap: no package is composed (`bear --help`, `bear doctor` and `bear models unload` stay fast).
 */
export class WorkspaceFolder {
  readonly paths: WorkspacePaths;

  private constructor(dataDir: string) {
    this.paths = workspacePaths(dataDir);
  }

  static at(dataDir: string): WorkspaceFolder {
    return new WorkspaceFolder(dataDir);
  }

  /** core's folders (the ones a person may want to see: root, models, plugins…). */
  get layout(): WorkspaceLayout {
    const { root, models, indexes, state, audit, cache, plugins, tmp } = this.paths;
    return { root, models, indexes, state, audit, cache, plugins, tmp };
  }

  /** The manifest, or undefined when the folder holds no workspace. */
  manifest(): WorkspaceManifest | undefined {
    let text: string;
    try {
      text = fs.readFileSync(this.paths.manifestFile, "utf8");
    } catch {
      return undefined;
    }
    try {
      const manifest = JSON.parse(text) as WorkspaceManifest;
      if (manifest.format !== "bear-workspace") throw new Error("not a workspace manifest");
      return manifest;
    } catch (cause) {
      throw new BearWorkspaceError("WORKSPACE_DAMAGED", `workspace manifest '${this.paths.manifestFile}' is damaged`, {
        hint: "Restore it from a backup; without it BEAR cannot tell how the workspace keys are protected.",
        cause,
      });
    }
  }

  requireManifest(): WorkspaceManifest {
    const manifest = this.manifest();
    if (!manifest) {
      throw new BearWorkspaceError("WORKSPACE_NOT_INITIALISED", `no BEAR workspace in '${this.paths.root}'`, {
        hint: "Run `bear init` first (or pass --data-dir / set BEAR_DATA_DIR to an existing workspace).",
        details: { dataDir: this.paths.root },
      });
    }
    return manifest;
  }

  /** Creates the folders (0700), the keys and the manifest. Refuses to overwrite an existing workspace. */
  async create(options: CreateWorkspaceOptions = {}): Promise<WorkspaceManifest> {
    if (options.passphrase !== undefined) assertPassphrase(options.passphrase);
    this.ensureFolders();
    if (this.manifest()) {
      throw new BearWorkspaceError("WORKSPACE_EXISTS", `'${this.paths.root}' is already a BEAR workspace`, { hint: "Use it as it is, or choose another folder with --data-dir." });
    }
    const keys = newWorkspaceKeys(this.paths);
    const encryption = await writeWorkspaceKeys(this.paths, keys, options.passphrase, options.scrypt);
    // The keys an early bear-server kept beside them now live in the key file; drop the copies.
    for (const legacy of [this.paths.legacyAuditKey, this.paths.legacyPseudonymKey]) fs.rmSync(legacy, { force: true });
    const manifest: WorkspaceManifest = { format: "bear-workspace", version: 1, createdAt: new Date().toISOString(), layout: CURRENT_LAYOUT, encryption };
    fs.writeFileSync(this.paths.manifestFile, `${JSON.stringify(manifest, null, 2)}\n`, { mode: 0o600 });
    return manifest;
  }

  /** Merges `patch` into the manifest (a migration's new layout); atomic replace. */
  updateManifest(patch: Pick<WorkspaceManifest, "layout">): WorkspaceManifest {
    const next: WorkspaceManifest = { ...this.requireManifest(), ...patch };
    writeFileAtomicSync(this.paths.manifestFile, `${JSON.stringify(next, null, 2)}\n`, { mode: 0o600 });
    return next;
  }

  /** Every folder exists with mode 0700 (and existing ones readable by others are tightened). */
  ensureFolders(): void {
    ensureWorkspace(this.paths.root);
    for (const dir of [this.paths.uploads, this.paths.workflows, this.paths.liveRuns]) {
      fs.mkdirSync(dir, { recursive: true, mode: WORKSPACE_DIR_MODE });
      if ((fs.statSync(dir).mode & 0o077) !== 0) fs.chmodSync(dir, WORKSPACE_DIR_MODE);
    }
  }

  /** Folders that are missing or readable by others, and the free space under the workspace (for `bear doctor`). */
  inspect(): { lax: string[]; freeBytes: number | undefined } {
    const lax = Object.values(this.layout).filter((dir) => {
      try {
        return (fs.statSync(dir).mode & 0o077) !== 0;
      } catch {
        return true;
      }
    });
    let freeBytes: number | undefined;
    try {
      const s = fs.statfsSync(this.layout.root);
      freeBytes = s.bavail * s.bsize;
    } catch {
      freeBytes = undefined;
    }
    return { lax, freeBytes };
  }

  /** The keys; `passphrase` is asked for only when they are sealed. */
  keys(passphrase?: PassphraseSource): Promise<WorkspaceKeys> {
    return readWorkspaceKeys(this.paths, this.requireManifest().encryption, passphrase);
  }

  state(): WorkspaceState {
    try {
      return JSON.parse(fs.readFileSync(this.paths.stateFile, "utf8")) as WorkspaceState;
    } catch {
      return {};
    }
  }

  /** Merges `patch` into the remembered state (undefined removes a key); atomic replace. */
  updateState(patch: Partial<Record<keyof WorkspaceState, unknown>>): WorkspaceState {
    const next = Object.fromEntries(Object.entries({ ...this.state(), ...patch }).filter(([, v]) => v !== undefined)) as WorkspaceState;
    writeFileAtomicSync(this.paths.stateFile, `${JSON.stringify(next, null, 2)}\n`, { mode: 0o600 });
    return next;
  }

  /** The LLM to answer with: the configured one, else the one `bear models load` made active. */
  llmId(config: BearConfig): string | undefined {
    return config.models.llm ?? this.state().llm;
  }

  embedderId(config: BearConfig): string | undefined {
    return config.models.embedder ?? this.state().embedder;
  }

  /** Model folders: the workspace's own first (downloads land there), then the configured ones. */
  modelDirs(config: BearConfig): string[] {
    return [this.paths.models, ...config.models.dirs.map((d) => path.resolve(d))];
  }

  /**
   * The process ids now writing to the index and the workflow database (another `bear`, a server),
   * and the cluster instances with the workflow database open (on any host sharing the folder).
   */
  writers(config: BearConfig): { index: number | undefined; workflows: number | undefined; instances: RunStoreOpener[] } {
    return {
      index: indexWriterHolder(this.indexDir(this.embedderId(config))),
      workflows: runStoreHolder(this.paths.workflowDb),
      instances: runStoreOpeners(this.paths.workflowDb).filter((o) => o.mode === "shared"),
    };
  }

  /**
   * The index of an embedder: an index is built for one embedder (rag refuses another), so each
   * embedding model gets its own, and the lexical-only index is `indexes/default`.
   */
  indexDir(embedderId: string | undefined): string {
    return path.join(this.paths.indexes, embedderId ? `embedder-${embedderId.replace(/[^A-Za-z0-9._-]+/g, "_")}` : "default");
  }
}
