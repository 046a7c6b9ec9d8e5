import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { WorkspaceError } from "../errors/core-errors";

/** Where BEAR keeps everything on disk. One data directory; every folder 0700. */
export const WorkspaceLayout = Symbol.for("@bear/core:WorkspaceLayout");
export interface WorkspaceLayout {
  readonly root: string;
  readonly models: string;
  readonly indexes: string;
  readonly state: string;
  readonly audit: string;
  readonly cache: string;
  readonly plugins: string;
  readonly tmp: string;
}

export const WORKSPACE_DIR_MODE = 0o700;

export function defaultDataDir(home: string = os.homedir()): string {
  return path.join(home, ".bear");
}

/** The layout under `dataDir`, without touching the disk. */
export function workspaceLayout(dataDir: string): WorkspaceLayout {
  const root = path.resolve(dataDir);
  return {
    root,
    models: path.join(root, "models"),
    indexes: path.join(root, "indexes"),
    state: path.join(root, "state"),
    audit: path.join(root, "audit"),
    cache: path.join(root, "cache"),
    plugins: path.join(root, "plugins"),
    tmp: path.join(root, "tmp"),
  };
}

/**
 * Creates the workspace folders with mode 0700 (owner only) and tightens any existing one that is
 * readable by others: client files must never be world-readable because of a lax umask.
 */
export function ensureWorkspace(dataDir: string): WorkspaceLayout {
  const layout = workspaceLayout(dataDir);
  for (const dir of Object.values(layout)) {
    try {
      fs.mkdirSync(dir, { recursive: true, mode: WORKSPACE_DIR_MODE });
      const stat = fs.statSync(dir);
      if (!stat.isDirectory()) {
        throw new WorkspaceError(`workspace path '${dir}' exists but is not a directory`, {
          hint: "Move that file away or choose another data directory (BEAR_DATA_DIR).",
        });
      }
      if ((stat.mode & 0o077) !== 0) fs.chmodSync(dir, WORKSPACE_DIR_MODE);
      fs.accessSync(dir, fs.constants.R_OK | fs.constants.W_OK);
    } catch (error) {
      if (error instanceof WorkspaceError) throw error;
      const code = (error as NodeJS.ErrnoException).code ?? "unknown";
      throw new WorkspaceError(`cannot use workspace folder '${dir}' (${code})`, {
        hint: "Check that the data directory is writable by you, or choose another one (BEAR_DATA_DIR).",
        cause: error,
      });
    }
  }
  return layout;
}
