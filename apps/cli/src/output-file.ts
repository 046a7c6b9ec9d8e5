// Files the CLI writes for the user (redacted, restored and review copies): 0600, whole or not at all, and never
// through a symlink or over a file the user did not ask to replace, even one planted after the first check.
import fs from "node:fs";
import { writeFileAtomicSync } from "@bear/core";
import { CliError } from "./cli-error";
import { displayPath } from "./output";

const EXISTS_HINT = "Pass --force to overwrite it, or choose another --out path.";

/** Refuses, before any long work, an output name that is taken (a file, a folder, a symlink, even a dangling one). */
export function assertOutputFree(output: string, force: boolean | undefined): void {
  if (force || !taken(output)) return;
  throw new CliError("INPUT_INVALID", `'${displayPath(output)}' already exists`, { hint: EXISTS_HINT });
}

/**
 * Writes `data` to `output` with mode 0600 through a temporary file. Without `force` it is put in place only if the
 * name is still free when the work is done; with `force` it replaces what is there (a symlink is replaced, not
 * followed, and the new file is 0600 whatever the old one's mode).
 */
export function writeOutputFile(output: string, data: string, force: boolean | undefined): void {
  try {
    writeFileAtomicSync(output, data, { mode: 0o600, replace: Boolean(force) });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "EEXIST") {
      throw new CliError("INPUT_INVALID", `'${displayPath(output)}' appeared while the copy was made`, { hint: EXISTS_HINT, cause: error });
    }
    throw error;
  }
}

function taken(output: string): boolean {
  try {
    fs.lstatSync(output);
    return true;
  } catch {
    return false;
  }
}
