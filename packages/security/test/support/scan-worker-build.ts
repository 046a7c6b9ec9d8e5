import path from "node:path";
import { bundledWorkerUrl } from "../../../../scripts/test-support/bundle-worker";

/** The scan worker bundled from source (the worker finds ../../../model/ from its cache folder). */
export function scanWorkerUrl(): Promise<URL> {
  return bundledWorkerUrl({
    packageDir: path.resolve(import.meta.dirname, "../.."),
    entry: "src/pii/scan-worker.ts",
    cacheName: "bear-security",
  });
}
