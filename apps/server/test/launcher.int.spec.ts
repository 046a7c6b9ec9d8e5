import path from "node:path";
import { describe, expect, it } from "@jest/globals";
// eslint-disable-next-line @nx/enforce-module-boundaries -- a test-only helper of the repository root, shared by both apps' tests (no project to import it from)
import { runUnderShebang } from "../../../scripts/test-support/shebang-probe";

const built = path.resolve(import.meta.dirname, "../dist/main.js");

describe("the built executable's shebang", () => {
  it("starts node with MALLOC_ARENA_MAX=2 (glibc reads it only at process start)", () => {
    const run = runUnderShebang(built, "process.stdout.write(String(process.env.MALLOC_ARENA_MAX));");
    expect(run.stderr).toBe("");
    expect(run.stdout).toBe("2");
  });
});
