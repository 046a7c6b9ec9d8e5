import path from "node:path";
// eslint-disable-next-line @nx/enforce-module-boundaries -- a test-only helper of the repository root, shared by two packages' tests (no project to import it from)
import { bundledWorkerUrl } from "../../../../scripts/test-support/bundle-worker";

/** The extraction worker bundled from source, so its packages resolve as in dist/. */
export function extractionWorkerUrl(): Promise<URL> {
  return bundledWorkerUrl({
    packageDir: path.resolve(import.meta.dirname, "../.."),
    entry: "src/extraction/extraction-worker.ts",
    cacheName: "bear-rag",
  });
}
