// Tests run from source, so they bundle the scan worker the way tsup does for dist/scan-worker.js, into
// node_modules/.cache/bear-security (three levels under the package, where the worker finds ../../../model/).
import { createHash } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { build } from "esbuild";

const packageDir = path.resolve(import.meta.dirname, "../..");
let built: Promise<URL> | undefined;

export function scanWorkerUrl(): Promise<URL> {
  built ??= (async () => {
    const result = await build({
      entryPoints: [path.join(packageDir, "src/pii/scan-worker.ts")],
      bundle: true,
      packages: "external",
      platform: "node",
      format: "esm",
      target: "node20",
      write: false,
      outfile: "scan-worker.js",
      logLevel: "silent",
    });
    const code = result.outputFiles[0]?.contents;
    if (!code) throw new Error("esbuild produced no scan worker");
    const dir = path.join(packageDir, "node_modules/.cache/bear-security");
    fs.mkdirSync(dir, { recursive: true });
    const file = path.join(dir, `scan-worker-${createHash("sha256").update(code).digest("hex").slice(0, 16)}.mjs`);
    if (!fs.existsSync(file)) {
      fs.writeFileSync(`${file}.${process.pid}.tmp`, code);
      fs.renameSync(`${file}.${process.pid}.tmp`, file);
    }
    return pathToFileURL(file);
  })();
  return built;
}
