import path from "node:path";
import { bundledWorkerUrl } from "../../../../scripts/test-support/bundle-worker";

/** The extraction worker bundled from source, so its packages resolve as in dist/. */
export function extractionWorkerUrl(): Promise<URL> {
  return bundledWorkerUrl({
    packageDir: path.resolve(import.meta.dirname, "../.."),
    entry: "src/extraction/extraction-worker.ts",
    cacheName: "bear-rag",
  });
}
