// Tests run from source, so they build the sandbox runner the way tsup does for dist/runner.mjs:
// one self-contained ES module with @bear/core's offline guard and zod bundled in.
import { createHash } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { build } from "esbuild";

const packageDir = path.resolve(import.meta.dirname, "../..");
const built = new Map<boolean, Promise<string>>();

/**
 * The runner built from source. `withoutOfflineGuard` builds it with the JS offline guard replaced by
 * a no-op, for tests of what the OS containment stops by itself.
 */
export function sandboxRunner(options: { withoutOfflineGuard?: boolean } = {}): Promise<string> {
  const bare = options.withoutOfflineGuard ?? false;
  const cached = built.get(bare);
  if (cached) return cached;
  const promise = (async () => {
    const result = await build({
      entryPoints: [path.join(packageDir, "src/sandbox/runner.ts")],
      bundle: true,
      platform: "node",
      format: "esm",
      target: "node20",
      write: false,
      outfile: "runner.mjs",
      alias: { "@bear/core": bare ? path.join(packageDir, "test/support/no-offline-guard.ts") : path.join(packageDir, "../core/src/index.ts") },
      logLevel: "silent",
    });
    const code = result.outputFiles[0]?.contents;
    if (!code) throw new Error("esbuild produced no runner");
    // One file per distinct build, written atomically, so parallel test workers share it.
    const dir = path.join(os.tmpdir(), "bear-plugins-runner");
    fs.mkdirSync(dir, { recursive: true });
    const file = path.join(dir, `runner-${createHash("sha256").update(code).digest("hex").slice(0, 16)}.mjs`);
    if (!fs.existsSync(file)) {
      const temp = `${file}.${process.pid}.tmp`;
      fs.writeFileSync(temp, code);
      fs.renameSync(temp, file);
    }
    return file;
  })();
  built.set(bare, promise);
  return promise;
}

export const fixturesDir = path.join(packageDir, "test/fixtures");
export const examplesDir = path.join(packageDir, "examples");

/** Writes a plugin folder (manifest + files) under `root` and returns its path. */
export function writePlugin(root: string, folder: string, manifest: Record<string, unknown>, files: Record<string, string> = {}): string {
  const dir = path.join(root, folder);
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, "bear-plugin.json"), JSON.stringify(manifest, null, 2));
  for (const [name, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), text);
  }
  return dir;
}

/** A minimal valid manifest for `name`, providing one step type `<name>.step`. */
export function manifestFor(name: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { name, version: "1.0.0", entry: "index.mjs", bearApi: "^0.1.0", provides: [{ point: "step-type", id: `${name}.step` }], ...extra };
}

/** An entry module whose step returns `{ plugin, version, input }`. */
export function stepEntry(name: string, version = "1"): string {
  return `export default { "${name}.step": { run(input) { return { plugin: "${name}", version: "${version}", input }; } } };\n`;
}

/** Host options for tests: the runner built from source and limits generous enough for a loaded CI machine. */
export async function sandboxOptions(): Promise<{ runnerPath: string; limits: { memoryMb: number; callTimeoutMs: number; loadTimeoutMs: number } }> {
  return { runnerPath: await sandboxRunner(), limits: { memoryMb: 128, callTimeoutMs: 15_000, loadTimeoutMs: 30_000 } };
}
