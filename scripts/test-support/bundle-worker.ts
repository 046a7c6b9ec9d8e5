// Tests run from source, so a package's worker thread is bundled the way tsup bundles it into dist/,
// and written under the package's node_modules/.cache/<cacheName>/ — three levels below the package,
// the same depth as dist/<worker>.js, so paths the worker resolves relative to itself still hold.
import { createHash } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { build } from "esbuild";

export interface WorkerBundleSpec {
  /** Absolute path of the package folder. */
  packageDir: string;
  /** The worker's source entry, relative to packageDir. */
  entry: string;
  /** Folder name under node_modules/.cache. */
  cacheName: string;
}

const bundles = new Map<string, Promise<URL>>();

/** Bundles the worker once per process and returns the file URL to hand to `new Worker()`. */
export function bundledWorkerUrl(spec: WorkerBundleSpec): Promise<URL> {
  const key = path.join(spec.packageDir, spec.entry);
  let bundle = bundles.get(key);
  if (!bundle) {
    bundle = bundleWorker(spec);
    bundles.set(key, bundle);
  }
  return bundle;
}

async function bundleWorker({ packageDir, entry, cacheName }: WorkerBundleSpec): Promise<URL> {
  const name = path.basename(entry, path.extname(entry));
  const result = await build({
    entryPoints: [path.join(packageDir, entry)],
    bundle: true,
    packages: "external",
    platform: "node",
    format: "esm",
    target: "node20",
    write: false,
    outfile: `${name}.js`,
    logLevel: "silent",
  });
  const code = result.outputFiles[0]?.contents;
  if (!code) throw new Error(`esbuild produced no bundle for ${entry}`);
  const dir = path.join(packageDir, "node_modules/.cache", cacheName);
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `${name}-${createHash("sha256").update(code).digest("hex").slice(0, 16)}.mjs`);
  if (!fs.existsSync(file)) {
    // Write-then-rename: parallel jest workers may bundle the same worker at once.
    fs.writeFileSync(`${file}.${process.pid}.tmp`, code);
    fs.renameSync(`${file}.${process.pid}.tmp`, file);
  }
  return pathToFileURL(file);
}
