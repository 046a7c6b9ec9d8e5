// eslint-disable-next-line @nx/enforce-module-boundaries -- a test-only helper of the repository root, shared by several packages' tests (no project to import it from)
export { tempDir } from "../../../../scripts/test-support/temp-dir";
