import path from "node:path";
// eslint-disable-next-line @nx/enforce-module-boundaries -- a test-only helper of the repository root, shared by two packages' tests (no project to import it from)
import { bundledWorkerUrl } from "../../../../scripts/test-support/bundle-worker";

/** The PDF reader process's script bundled from source, so its packages resolve as in dist/. */
export function pdfChildUrl(): Promise<URL> {
  return bundledWorkerUrl({
    packageDir: path.resolve(import.meta.dirname, "../.."),
    entry: "src/extraction/pdf-process/pdf-child.ts",
    cacheName: "bear-rag",
  });
}
