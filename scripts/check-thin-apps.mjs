#!/usr/bin/env node
// The apps are thin (issue 14): the CLI parses commands and prints, the server maps HTTP to
// @bear/workspace calls. Fails when apps/cli/src + apps/server/src exceed LIMIT lines of
// TypeScript, or when an app file that imports node:fs names a workspace folder or file: the
// workspace's folders are reached through @bear/workspace only. (Run by `npm run lint`.)
import fs from "node:fs";
import path from "node:path";

const LIMIT = 3000;
const root = path.resolve(import.meta.dirname, "..");
const APPS = ["apps/cli/src", "apps/server/src"];
/** Files allowed to import node:fs for what is the app's own (the web UI's static folder). */
const OWN_FILES = new Set(["apps/server/src/routes/ui.ts"]);
/** What only the workspace may open: its layout's folder and file names, and its root. */
const WORKSPACE_INTERNALS = /["'`/](state|uploads|workflows|conversations|live-runs|data-keys|matters|index|audit|cache)\/|["'`](keys|manifest|principals|vault)\.json["'`]|\bdataDir\b(?!\s*:)|\blayout\.(?!root\b)\w+/;
const IMPORTS_FS = /from\s+["'](node:)?fs(\/promises)?["']|require\(["'](node:)?fs/;

const files = [];
const walk = (dir) => {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    if (entry.isDirectory()) walk(p);
    else if (entry.name.endsWith(".ts")) files.push(p);
  }
};
for (const app of APPS) walk(path.join(root, app));

const problems = [];
const perApp = new Map(APPS.map((a) => [a, 0]));
for (const file of files) {
  const rel = path.relative(root, file).split(path.sep).join("/");
  const text = fs.readFileSync(file, "utf8");
  const lines = text.split("\n").length - (text.endsWith("\n") ? 1 : 0);
  const app = APPS.find((a) => rel.startsWith(`${a}/`));
  perApp.set(app, perApp.get(app) + lines);
  if (!IMPORTS_FS.test(text) || OWN_FILES.has(rel)) continue;
  if (rel.startsWith("apps/server/")) problems.push(`${rel} imports node:fs: the server reaches files through @bear/workspace`);
  else {
    const hit = text.split("\n").findIndex((line) => WORKSPACE_INTERNALS.test(line));
    if (hit >= 0) problems.push(`${rel}:${hit + 1} imports node:fs and names workspace internals ('${text.split("\n")[hit].trim().slice(0, 80)}'): add a @bear/workspace method instead`);
  }
}
const total = [...perApp.values()].reduce((a, b) => a + b, 0);
if (total > LIMIT) problems.push(`apps hold ${total} lines of TypeScript (${[...perApp].map(([a, n]) => `${a} ${n}`).join(", ")}), over the limit of ${LIMIT}: move logic into @bear/workspace`);
if (problems.length > 0) {
  for (const p of problems) console.error(`thin apps: ${p}`);
  process.exit(1);
}
console.log(`thin apps: ${total} of ${LIMIT} lines (${[...perApp].map(([a, n]) => `${a} ${n}`).join(", ")}); no app file opens workspace internals`);
