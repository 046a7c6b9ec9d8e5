import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "@jest/globals";

const built = path.resolve(import.meta.dirname, "../dist/main.js");
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "bear-launcher-"));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe("the built executable's shebang", () => {
  it("starts node with MALLOC_ARENA_MAX=2 (glibc reads it only at process start)", () => {
    const shebang = fs.readFileSync(built, "utf8").split("\n", 1)[0]!;
    // A script with the same first line, run as a program: the kernel reads the shebang, as it does for the real one.
    const script = path.join(dir, "probe.js");
    fs.writeFileSync(script, `${shebang}\nprocess.stdout.write(String(process.env.MALLOC_ARENA_MAX));\n`, { mode: 0o755 });
    const run = spawnSync(script, [], { encoding: "utf8", env: { PATH: process.env.PATH ?? "" } });
    expect(run.stderr).toBe("");
    expect(run.stdout).toBe("2");
  });
});
