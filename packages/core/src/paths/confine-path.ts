import fs from "node:fs";
import path from "node:path";
import { PathOutsideWorkspaceError } from "../errors/core-errors";

function isInside(root: string, candidate: string): boolean {
  const rel = path.relative(root, candidate);
  return rel === "" || (!rel.startsWith("..") && !path.isAbsolute(rel));
}

/** The real path of `p` if it exists, else the real path of its deepest existing ancestor plus the rest. */
function realpathOfExistingPrefix(p: string): string {
  let existing = p;
  const rest: string[] = [];
  for (;;) {
    try {
      return path.join(fs.realpathSync.native(existing), ...rest.reverse());
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code !== "ENOENT" && code !== "ENOTDIR") throw error;
      const parent = path.dirname(existing);
      if (parent === existing) return p;
      rest.push(path.basename(existing));
      existing = parent;
    }
  }
}

/**
 * Resolves `requested` (relative to `root`, or absolute) and guarantees the result stays inside
 * `root` after following symlinks. Refuses `..` escapes, absolute paths elsewhere, NUL bytes and
 * symlinks (anywhere along the path) that lead out. The returned path is real (symlink-free) for
 * the part that exists; a not-yet-existing tail is kept as given, so it can be created safely.
 * `rootName` names `root` in the refusal ("the folder being ingested"; default "the workspace").
 */
export function confinePath(root: string, requested: string, rootName?: string): string {
  if (typeof requested !== "string" || requested.length === 0) {
    throw new PathOutsideWorkspaceError(String(requested), root, "the path is empty", rootName);
  }
  if (requested.includes("\0")) {
    throw new PathOutsideWorkspaceError(requested.replace(/\0/g, "\\0"), root, "the path contains a NUL byte", rootName);
  }
  const lexicalRoot = path.resolve(root);
  const realRoot = realpathOfExistingPrefix(lexicalRoot);
  const lexical = path.resolve(lexicalRoot, requested);
  if (!isInside(lexicalRoot, lexical) && !isInside(realRoot, lexical)) {
    const reason = path.isAbsolute(requested) ? "absolute path elsewhere" : "it climbs out with '..'";
    throw new PathOutsideWorkspaceError(requested, root, reason, rootName);
  }
  const real = realpathOfExistingPrefix(lexical);
  if (!isInside(realRoot, real)) {
    throw new PathOutsideWorkspaceError(requested, root, "a symbolic link leads outside", rootName);
  }
  return real;
}

/** True when `requested` would be accepted by confinePath. */
export function isPathInside(root: string, requested: string): boolean {
  try {
    confinePath(root, requested);
    return true;
  } catch (error) {
    if (error instanceof PathOutsideWorkspaceError) return false;
    throw error;
  }
}
