import { spawnSync } from "node:child_process";
import path from "node:path";

/** Builds dist/bin.js from the current sources (the packages' dist must exist: `nx run @bear/cli:build`). */
export default function globalSetup() {
  const cliDir = path.resolve(import.meta.dirname, "..");
  const build = spawnSync("npx", ["tsup"], { cwd: cliDir, encoding: "utf8" });
  if (build.status !== 0) throw new Error(`CLI build failed: ${build.stderr}`);
}
