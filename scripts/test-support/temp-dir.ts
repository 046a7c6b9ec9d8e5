// Temp folders for one spec file, removed after its tests whatever they left inside (LanceDB
// tables, payload folders, child processes' files), so test runs do not fill the machine's temp
// folder. Jest loads this module afresh for each spec file, so each file cleans up its own folders.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll } from "@jest/globals";

const made: string[] = [];
afterAll(() => {
  for (const dir of made.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

/** A fresh folder under the OS temp folder, named `prefix` + random letters, removed after the spec file. */
export function tempDir(prefix: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  made.push(dir);
  return dir;
}
