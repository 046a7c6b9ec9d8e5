#!/usr/bin/env node
// Runs every project's tests through Nx, then prints one closing line for all of them.
// Usage: npm test [-- <extra nx args>]   e.g. npm test -- --projects=core
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const resultsDir = path.join(root, "tmp/test-results");
fs.rmSync(resultsDir, { recursive: true, force: true });

const env = { ...process.env, NX_DAEMON: "false", NX_NO_CLOUD: "true", NX_TUI: "false" };
const run = spawnSync(
  "npx",
  ["nx", "run-many", "-t", "test", "--outputStyle=stream", ...process.argv.slice(2)],
  { cwd: root, stdio: "inherit", env },
);

let passed = 0;
let failed = 0;
let skipped = 0;
let brokenSuites = 0;
const files = fs.existsSync(resultsDir) ? fs.readdirSync(resultsDir) : [];
for (const file of files.filter((f) => f.endsWith(".json"))) {
  const r = JSON.parse(fs.readFileSync(path.join(resultsDir, file), "utf8"));
  passed += r.passed;
  failed += r.failed;
  skipped += r.skipped;
  brokenSuites += r.suitesFailed;
}
// A suite that fails to load has no failed tests but is still a failure.
if (brokenSuites > 0 && failed === 0) failed = brokenSuites;
console.log(`\ntests: ${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exit(run.status === 0 && failed === 0 ? 0 : 1);
