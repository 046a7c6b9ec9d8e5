// Helpers the workspace's integration tests share.
import fs from "node:fs";
import path from "node:path";
import { defaultBearConfig, type BearConfig } from "@bear/core";
import type { Workspace } from "@bear/workspace";
// eslint-disable-next-line @nx/enforce-module-boundaries -- a test-only helper of the repository root, shared by several packages' tests (no project to import it from)
import { tempDir } from "../../../../scripts/test-support/temp-dir";

/** A maker of temp folders for one spec file: every folder it made is removed after the file's tests. */
export function tempDirs(prefix: string): () => string {
  return () => tempDir(prefix);
}

/** The default config of a workspace folder at `dir`, logging errors only so test output stays readable. */
export function quietConfig(dir: string, overrides: Partial<BearConfig> = {}): BearConfig {
  return { ...defaultBearConfig(dir), log: { level: "error" }, ...overrides };
}

/** Every file under `dir` that holds `word` (as bytes): what an encrypted workspace must never show. */
export function filesHolding(dir: string, word: string): string[] {
  const hits: string[] = [];
  const visit = (p: string): void => {
    const stat = fs.lstatSync(p);
    if (stat.isDirectory()) for (const e of fs.readdirSync(p)) visit(path.join(p, e));
    else if (stat.isFile() && fs.readFileSync(p).includes(word)) hits.push(path.relative(dir, p));
  };
  visit(dir);
  return hits;
}

/** Runs `fn` on the opened workspace and disposes of it, whatever happens. */
export async function withWorkspace<T>(ws: Promise<Workspace>, fn: (w: Workspace) => Promise<T>): Promise<T> {
  const workspace = await ws;
  try {
    return await fn(workspace);
  } finally {
    await workspace.dispose();
  }
}
