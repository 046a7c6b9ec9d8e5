import fs from "node:fs";
import path from "node:path";
import { WORKSPACE_DIR_MODE, type ContentCipher, type Logger } from "@bear/core";
import { WorkflowFiles } from "@bear/workflow-engine";
import type { WorkspaceFolder } from "./workspace-folder";
import { CURRENT_LAYOUT, type WorkspaceManifest } from "./workspace-manifest";

/** The matter a run gets when it names none: where the files of the old shared `workflows/` folder go. */
export const DEFAULT_MATTER = "default";

/**
 * Brings an older workspace's folders to the current layout (`manifest.layout`), once:
 * - layout 2: workflow files live per matter (`workflows/matters/<matter>/`). What an older layout kept
 *   in the shared `workflows/` folder, which every matter's key could read, moves into the default
 *   matter's area (no key sees more than before; the default matter's keys only). In an encrypted
 *   workspace every matter area is then sealed in place, names and text (`WorkflowFiles.sealArea`):
 *   the files moved in, and those an earlier version wrote with plain names.
 */
export async function migrateWorkspace(folder: WorkspaceFolder, manifest: WorkspaceManifest, cipher: ContentCipher | undefined, logger: Logger): Promise<WorkspaceManifest> {
  if ((manifest.layout ?? 1) >= CURRENT_LAYOUT) return manifest;
  const { workflows } = folder.paths;
  const matters = path.join(workflows, "matters");
  const shared = fs.readdirSync(workflows).filter((name) => name !== "matters");
  if (shared.length > 0) {
    const area = path.join(matters, DEFAULT_MATTER);
    fs.mkdirSync(area, { recursive: true, mode: WORKSPACE_DIR_MODE });
    for (const name of shared) {
      let to = path.join(area, name);
      // never overwrite what the default matter already has
      for (let i = 2; fs.existsSync(to); i += 1) to = path.join(area, `${path.parse(name).name} (${i})${path.parse(name).ext}`);
      fs.renameSync(path.join(workflows, name), to);
    }
    logger.info({ moved: shared.length, matter: DEFAULT_MATTER }, "moved the shared workflow files of an older layout into the default matter's area");
  }
  if (cipher && fs.existsSync(matters)) {
    const files = new WorkflowFiles({ workspaceRoot: workflows, matterFolders: true, cipher });
    let sealed = 0;
    for (const matter of fs.readdirSync(matters, { withFileTypes: true })) if (matter.isDirectory()) sealed += await files.sealArea(path.join(matters, matter.name));
    if (sealed > 0) logger.info({ sealed }, "sealed the names of workflow files an older version kept in plain");
  }
  return folder.updateManifest({ layout: CURRENT_LAYOUT });
}
