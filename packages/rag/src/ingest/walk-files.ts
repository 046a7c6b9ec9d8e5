import fs from "node:fs/promises";
import path from "node:path";
import { confinePath } from "@bear/core";
import { ExtractionError } from "../errors";

/**
 * Yields the files under `inputs` (files or folders, recursively, sorted, hidden entries
 * skipped), each confined to `root`: `..` escapes and symlinks leading out are refused.
 * Lazy, so a huge folder is never listed in memory all at once. Refusals are yielded as errors;
 * an input that does not exist is one file's failure ("not found: <path>"), the others go on.
 */
export async function* walkFiles(root: string, inputs: readonly string[]): AsyncGenerator<{ file: string } | { file: string; error: unknown }> {
  const seen = new Set<string>();
  async function* visit(p: string): AsyncGenerator<{ file: string } | { file: string; error: unknown }> {
    let real: string;
    try {
      real = confinePath(root, p, "the folder being ingested");
    } catch (error) {
      yield { file: p, error };
      return;
    }
    if (seen.has(real)) return;
    seen.add(real);
    let stat;
    try {
      stat = await fs.stat(real);
    } catch (error) {
      yield { file: p, error: notFound(p, error) ?? error };
      return;
    }
    if (stat.isDirectory()) {
      const entries = (await fs.readdir(real, { withFileTypes: true })).filter((e) => !e.name.startsWith(".")).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
      for (const entry of entries) {
        const child = path.join(real, entry.name);
        // A plain file in a confined, resolved folder is its own real path: no realpath or stat needed.
        if (entry.isFile()) {
          if (!seen.has(child)) {
            seen.add(child);
            yield { file: child };
          }
        } else yield* visit(child);
      }
    } else if (stat.isFile()) {
      yield { file: real };
    }
  }
  for (const input of inputs) yield* visit(path.resolve(root, input));
}

/** A path that names nothing (or runs through a file) as the user reads it, not a raw ENOENT. */
function notFound(file: string, error: unknown): ExtractionError | undefined {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (code !== "ENOENT" && code !== "ENOTDIR") return undefined;
  return new ExtractionError("RAG_FILE_UNREADABLE", file, `not found: ${file}`, {
    hint: "Check the path (relative paths start from the current folder); other files are ingested as usual.",
    cause: error,
  });
}
