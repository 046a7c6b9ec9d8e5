import path from "node:path";
// eslint-disable-next-line @nx/enforce-module-boundaries -- a test helper shared by packages from the repository root (no project owns it)
import { bundledWorkerUrl } from "../../../../scripts/test-support/bundle-worker";

/** The scan worker bundled from source (the worker finds ../../../model/ from its cache folder). */
export function scanWorkerUrl(): Promise<URL> {
  return bundledWorkerUrl({
    packageDir: path.resolve(import.meta.dirname, "../.."),
    entry: "src/pii/scan-worker.ts",
    cacheName: "bear-security",
  });
}
