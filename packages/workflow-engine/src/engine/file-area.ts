import fs from "node:fs";
import path from "node:path";

/**
 * Where a run's `file_operations` steps read and write, recorded on the run when it starts:
 * `matters:<root>` (each run in its own matter's area under root: the server's way), `folder:<root>`
 * (one folder a user picked: the CLI's way), or `none` (no file steps). A run is resumed only by an
 * engine with the same area, so a run started for one matter can never be resumed against a
 * folder of the person who resumes it (or the other way round).
 */
export type RunFileArea = "none" | `matters:${string}` | `folder:${string}`;

/** A recorded file area read back: its kind and root; `unrecorded` for a run of an older database (or a value this release cannot read). */
export type ParsedFileArea = { readonly kind: "none" } | { readonly kind: "matters" | "folder"; readonly root: string } | { readonly kind: "unrecorded" };

/** Reads a run's recorded `files` (a `RunFileArea`, or null/undefined when an older release recorded none). */
export function parseFileArea(area: string | null | undefined): ParsedFileArea {
  if (area === "none") return { kind: "none" };
  for (const kind of ["matters", "folder"] as const) {
    const prefix = `${kind}:`;
    if (area?.startsWith(prefix) && area.length > prefix.length) return { kind, root: area.slice(prefix.length) };
  }
  return { kind: "unrecorded" };
}

/** The area an engine with these settings gives its runs (the root resolved, symlinks followed). */
export function runFileArea(settings: { readonly workspaceRoot?: string | undefined; readonly matterFolders?: boolean | undefined }): RunFileArea {
  if (settings.workspaceRoot === undefined) return "none";
  const root = realPathOrResolved(settings.workspaceRoot);
  return settings.matterFolders ? `matters:${root}` : `folder:${root}`;
}

/**
 * Whether a run recorded with `recorded` may be resumed by an engine whose area is `engine`. A run
 * of `none` had no file steps (its definition validated without them), so it may run anywhere; an
 * engine of `none` gives no file access, so it may run any run. A run of an older database (null)
 * gives no proof of where it belongs: only a matter-area engine, the stricter confinement, may
 * resume it among the engines with file steps.
 */
export function mayResumeIn(recorded: string | null | undefined, engine: RunFileArea): boolean {
  if (recorded === "none" || engine === "none") return true;
  if (recorded === null || recorded === undefined) return engine.startsWith("matters:");
  return recorded === engine;
}

/** For messages: "the workspace's matter areas" or "the folder /x". */
export function describeFileArea(area: string | null | undefined): string {
  const parsed = parseFileArea(area);
  if (parsed.kind === "unrecorded") return "an area an older release did not record (resumable with the workspace's matter areas only)";
  if (parsed.kind === "none") return "no file area";
  if (parsed.kind === "matters") return "the workspace's matter areas";
  return `the folder ${parsed.root}`;
}

function realPathOrResolved(folder: string): string {
  try {
    return fs.realpathSync(folder);
  } catch {
    return path.resolve(folder);
  }
}
