// The packages as a consumer gets them: `npm pack` of @bear/core, @bear/rag and @bear/security,
// unpacked into node_modules of a fresh folder outside the monorepo, then the README examples of
// @bear/rag and @bear/security run there with plain `node`.
//
// Offline install, by design: the tarballs are unpacked exactly where `npm install <tgz>` would put
// them, and each third-party dependency that a tarball's package.json DECLARES is symlinked to the
// copy `npm ci` already installed for the monorepo. Nothing else is linked, so an import a package
// forgot to declare fails here as it would for a consumer. (`npm install --offline` needs registry
// metadata that `npm ci` never caches, and copying LanceDB and onnxruntime would cost ~400 MB.)
import { execFile } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, describe, expect, it } from "@jest/globals";
import { tempDir } from "./support/temp-dir";

const run = promisify(execFile);
const packagesDir = path.resolve(import.meta.dirname, "../..");
const monorepoRoot = path.dirname(packagesDir);
const PACKED = ["core", "rag", "security"] as const;

interface PackageJson {
  readonly name: string;
  readonly dependencies?: Record<string, string>;
}
const readJson = (file: string): PackageJson => JSON.parse(fs.readFileSync(file, "utf8")) as PackageJson;

/** The folder the monorepo resolves `dep` to from `fromDir` (node's lookup: nearest node_modules upward). */
function installedCopy(dep: string, fromDir: string): string {
  for (let dir = fromDir; ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, "node_modules", dep);
    if (fs.existsSync(path.join(candidate, "package.json"))) return fs.realpathSync(candidate);
    if (dir === path.dirname(dir)) throw new Error(`'${dep}' is not installed for ${fromDir}: run npm ci`);
  }
}

/** A README's first ```ts block. */
function readmeExample(pkg: string): string {
  const readme = fs.readFileSync(path.join(packagesDir, pkg, "README.md"), "utf8");
  const block = /```ts\n([\s\S]*?)```/.exec(readme)?.[1];
  if (!block) throw new Error(`packages/${pkg}/README.md has no ts example`);
  return block;
}

const work = tempDir("bear-published-");
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

async function installPackedPackages(): Promise<void> {
  const modules = path.join(work, "node_modules");
  const tarballs = path.join(work, "tarballs");
  fs.mkdirSync(tarballs, { recursive: true });
  for (const pkg of PACKED) {
    const dir = path.join(packagesDir, pkg);
    if (!fs.existsSync(path.join(dir, "dist", "index.js"))) throw new Error(`packages/${pkg} has no dist: run npm run build first`);
    const { stdout } = await run("npm", ["pack", "--silent", "--pack-destination", tarballs], { cwd: dir });
    const target = path.join(modules, "@bear", pkg);
    fs.mkdirSync(target, { recursive: true });
    await run("tar", ["-xzf", path.join(tarballs, stdout.trim().split("\n").pop() ?? ""), "-C", target, "--strip-components=1"]);
  }
  for (const pkg of PACKED) {
    const installed = path.join(modules, "@bear", pkg);
    const declared = Object.keys(readJson(path.join(installed, "package.json")).dependencies ?? {});
    // Every packed package sits at the top here, so a sibling import would resolve even undeclared: check it.
    const bundle = fs.readFileSync(path.join(installed, "dist", "index.js"), "utf8");
    for (const [, sibling] of bundle.matchAll(/from ['"](@bear\/[\w-]+)['"]/g))
      if (!declared.includes(sibling ?? "")) throw new Error(`@bear/${pkg} imports ${sibling} without declaring it in dependencies`);
    for (const dep of declared) {
      if (dep.startsWith("@bear/")) {
        if (!fs.existsSync(path.join(modules, dep))) throw new Error(`@bear/${pkg} depends on ${dep}, which is not among the packed packages`);
        continue;
      }
      const source = installedCopy(dep, path.join(packagesDir, pkg));
      const top = path.join(modules, dep);
      // Two packages wanting different copies of one dependency: the second gets its own, nested.
      const link = !fs.existsSync(top) || fs.realpathSync(top) === source ? top : path.join(installed, "node_modules", dep);
      if (fs.existsSync(link)) continue;
      fs.mkdirSync(path.dirname(link), { recursive: true });
      fs.symlinkSync(source, link, "dir");
    }
  }
}

/** Runs a module in the fresh folder with plain node (no jest, no monorepo paths). */
async function runExample(name: string, source: string): Promise<string> {
  const file = path.join(work, name);
  fs.writeFileSync(file, source);
  const env: NodeJS.ProcessEnv = { PATH: process.env["PATH"], HOME: work };
  const { stdout } = await run(process.execPath, [file], { cwd: work, env, timeout: 90_000 });
  return stdout;
}

describe("published packages", () => {
  it("@bear/core, @bear/rag and @bear/security install from their tarballs and run their README examples outside the monorepo", async () => {
    await installPackedPackages();
    expect(path.relative(monorepoRoot, work).startsWith("..")).toBe(true);

    fs.mkdirSync(path.join(work, "contracts"));
    fs.writeFileSync(
      path.join(work, "contracts", "msa.txt"),
      "ARTICLE 9 TERMINATION\n9.2 Termination for Convenience. The Customer may terminate this Agreement for convenience on thirty (30) days' written notice.\n",
    );
    const rag = JSON.parse(
      await runExample(
        "rag-example.mjs",
        `${readmeExample("rag")}\nconsole.log(JSON.stringify({ from: import.meta.resolve("@bear/rag"), top: hits[0]?.text, answer: answer.text }));\nawait rag.dispose();\n`,
      ),
    ) as { from: string; top: string; answer: string };
    expect(rag.from).toBe(`file://${fs.realpathSync(work)}/node_modules/@bear/rag/dist/index.js`);
    expect(rag.top).toContain("thirty (30) days' written notice");
    expect(rag.answer).toContain("[1]");

    const security = await runExample("security-example.mjs", readmeExample("security"));
    expect(security).toContain("critical");
    expect(security.trim().split("\n").pop()).toMatch(/ true$/); // the audit log verifies
  }, 180_000);
});
