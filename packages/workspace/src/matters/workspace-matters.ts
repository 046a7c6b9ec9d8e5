import fs from "node:fs";
import path from "node:path";
import type { KnownMatters } from "@bear/workflow-engine";

/**
 * The matters a workspace already holds, for core's case rule (`assertMatterId(value, source, existing)`):
 * a new matter id equal to one of them but for letter case is refused (their folders would be one on macOS
 * and Windows, while grants, filters and audit keep them apart); an id that is itself one of them is that
 * matter, never a conflict. Read afresh on each call, from what names a matter on disk — the uploads, the
 * conversations and the workflows' matter areas (`workflows/matters/<matter>`) — and the matters API keys
 * are granted. (Documents ingested from elsewhere are checked by rag against its index.)
 */
export class WorkspaceMatters implements KnownMatters {
  constructor(
    private readonly folders: readonly string[],
    private readonly grants: () => Iterable<string>,
  ) {}

  matters(): Set<string> {
    const known = new Set<string>();
    for (const dir of this.folders) {
      try {
        for (const entry of fs.readdirSync(dir, { withFileTypes: true })) if (entry.isDirectory()) known.add(entry.name);
      } catch {
        // not made yet: nothing there
      }
    }
    for (const matter of this.grants()) known.add(matter);
    return known;
  }
}

/** The folders of a workspace whose entries are named after matters. */
export function matterFolders(paths: { readonly uploads: string; readonly conversations: string; readonly workflows: string }): string[] {
  return [paths.uploads, paths.conversations, path.join(paths.workflows, "matters")];
}
