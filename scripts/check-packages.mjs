#!/usr/bin/env node
// Proves every workspace package would install and import on its own once published:
//  1. each bare module a package imports at run time (its src/ and its built dist/, .d.ts included)
//     is listed in its `dependencies` or `peerDependencies` (devDependencies are not installed
//     for a consumer, and tsup bundles a third-party import it finds undeclared);
//  2. `publint` finds no error in its package.json / files;
//  3. `@arethetypeswrong/cli` (ESM-only profile) resolves its types from the packed tarball.
//     attw reads the local tarball only; CI runs this step inside an empty network namespace.
// Usage: node scripts/check-packages.mjs [--deps-only]   (needs `npm run build` first)
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import { builtinModules } from "node:module";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const depsOnly = process.argv.includes("--deps-only");
const builtins = new Set(builtinModules.flatMap((m) => [m, `node:${m}`]));

/** `import x from "m"`, `export … from "m"`, `import "m"`, `import("m")`, `require("m")`; type-only imports are skipped. */
const SPECIFIERS = [
  /(?:^|[\s;}])import\s+(?!type\s)(?:[\w*{}\s,$]+?\s+from\s+)?["']([^"']+)["']/g,
  /(?:^|[\s;}])export\s+(?!type\s)[\w*{}\s,$]*?\s+from\s+["']([^"']+)["']/g,
  /\bimport\(\s*["']([^"']+)["']\s*\)/g,
  /\brequire\(\s*["']([^"']+)["']\s*\)/g,
];
/** In .d.ts files every import counts: a consumer's compiler needs the types it names. */
const DTS_SPECIFIERS = [/(?:import|export)\s+(?:type\s+)?[\w*{}\s,$]*?\s*from\s+["']([^"']+)["']/g, /\bimport\(\s*["']([^"']+)["']\s*\)/g];

function packageNameOf(specifier) {
  if (specifier.startsWith(".") || specifier.startsWith("/") || builtins.has(specifier) || specifier.startsWith("node:")) return undefined;
  const parts = specifier.split("/");
  return specifier.startsWith("@") ? parts.slice(0, 2).join("/") : parts[0];
}

function* walk(dir, accept) {
  if (!fs.existsSync(dir)) return;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) yield* walk(full, accept);
    else if (accept(entry.name)) yield full;
  }
}

/** Strips comments so an example in a doc comment is not taken for an import. */
const stripComments = (text) => text.replace(/\/\*[\s\S]*?\*\//g, "").replace(/(^|[^:"'`\\])\/\/.*$/gm, "$1");

function importsOf(file) {
  const text = stripComments(fs.readFileSync(file, "utf8"));
  const patterns = file.endsWith(".d.ts") ? DTS_SPECIFIERS : SPECIFIERS;
  const found = new Set();
  for (const re of patterns) for (const m of text.matchAll(re)) found.add(m[1]);
  return found;
}

/** The run-time files of a package: src/ without tests, and dist/. */
function runtimeFiles(dir) {
  const isSource = (n) => /\.(ts|tsx|mts|js|mjs)$/.test(n) && !/\.(spec|test)\.[mc]?[jt]sx?$/.test(n);
  return [...walk(path.join(dir, "src"), isSource), ...walk(path.join(dir, "dist"), (n) => /\.(js|mjs|d\.ts)$/.test(n))];
}

function undeclaredImports(dir) {
  const pkg = JSON.parse(fs.readFileSync(path.join(dir, "package.json"), "utf8"));
  const declared = new Set([...Object.keys(pkg.dependencies ?? {}), ...Object.keys(pkg.peerDependencies ?? {}), pkg.name]);
  const missing = new Map(); // package name → first file importing it
  for (const file of runtimeFiles(dir)) {
    for (const spec of importsOf(file)) {
      const name = packageNameOf(spec);
      if (name && !declared.has(name) && !missing.has(name)) missing.set(name, path.relative(root, file));
    }
  }
  return { name: pkg.name, missing };
}

function workspaceDirs() {
  return ["packages", "apps"].flatMap((group) =>
    fs
      .readdirSync(path.join(root, group))
      .map((n) => path.join(root, group, n))
      .filter((d) => fs.existsSync(path.join(d, "package.json")))
      .sort(),
  );
}

function run(command, args, options = {}) {
  const r = spawnSync(command, args, { encoding: "utf8", ...options });
  return { ok: r.status === 0, output: `${r.stdout ?? ""}${r.stderr ?? ""}` };
}

const bin = (name) => path.join(root, "node_modules", ".bin", name);
let failures = 0;
const packDir = fs.mkdtempSync(path.join(os.tmpdir(), "bear-pack-check-"));
try {
  for (const dir of workspaceDirs()) {
    const { name, missing } = undeclaredImports(dir);
    const problems = [...missing].map(([dep, file]) => `imports '${dep}' (${file}) without listing it in dependencies`);
    if (!depsOnly) {
      if (!fs.existsSync(path.join(dir, "dist"))) problems.push("has no dist/: run `npm run build` first");
      const packed = run("npm", ["pack", "--silent", "--pack-destination", packDir], { cwd: dir });
      const tarball = path.join(packDir, packed.output.trim().split("\n").pop() ?? "");
      if (!packed.ok || !fs.existsSync(tarball)) problems.push(`npm pack failed:\n${packed.output.trim()}`);
      else {
        // Both read the tarball a consumer would get (not the folder), so `files` is checked too.
        const publint = run(bin("publint"), ["run", tarball, "--strict"]);
        if (!publint.ok) problems.push(`publint:\n${publint.output.trim()}`);
        // An app (no "." export) has no types to check: attw then checks its package.json only.
        const attw = run(bin("attw"), [tarball, "--profile", "esm-only", "--format", "ascii", ...(hasEntry(dir) ? [] : ["--entrypoints", "./package.json"])], {
          env: { ...process.env, NO_COLOR: "1" },
        });
        if (!attw.ok) problems.push(`attw:\n${attw.output.trim()}`);
      }
    }
    failures += problems.length;
    console.log(`${problems.length === 0 ? "ok  " : "FAIL"} ${name}${problems.map((p) => `\n     ${p.replace(/\n/g, "\n     ")}`).join("")}`);
  }
} finally {
  fs.rmSync(packDir, { recursive: true, force: true });
}
if (failures > 0) {
  console.error(`\n${failures} packaging problem(s)`);
  process.exit(1);
}

function hasEntry(dir) {
  const pkg = JSON.parse(fs.readFileSync(path.join(dir, "package.json"), "utf8"));
  return typeof pkg.exports === "object" && pkg.exports !== null && "." in pkg.exports;
}
