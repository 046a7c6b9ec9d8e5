// Tests run from source, so they bundle the extraction worker the way tsup does for
// dist/extraction-worker.js, into node_modules/.cache so its packages resolve as in dist.
import { createHash } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { build } from "esbuild";

const packageDir = path.resolve(import.meta.dirname, "../..");
let built: Promise<URL> | undefined;

export function extractionWorkerUrl(): Promise<URL> {
  built ??= (async () => {
    const result = await build({
      entryPoints: [path.join(packageDir, "src/extraction/extraction-worker.ts")],
      bundle: true,
      packages: "external",
      platform: "node",
      format: "esm",
      target: "node20",
      write: false,
      outfile: "extraction-worker.js",
      logLevel: "silent",
    });
    const code = result.outputFiles[0]?.contents;
    if (!code) throw new Error("esbuild produced no extraction worker");
    const dir = path.join(packageDir, "node_modules/.cache/bear-rag");
    fs.mkdirSync(dir, { recursive: true });
    const file = path.join(dir, `extraction-worker-${createHash("sha256").update(code).digest("hex").slice(0, 16)}.mjs`);
    if (!fs.existsSync(file)) {
      fs.writeFileSync(`${file}.${process.pid}.tmp`, code);
      fs.renameSync(`${file}.${process.pid}.tmp`, file);
    }
    return pathToFileURL(file);
  })();
  return built;
}
