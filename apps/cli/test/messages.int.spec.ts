// What `bear` says when an input is wrong must name the problem plainly (review of 2026-12-06, item 12).
import fs from "node:fs";
import path from "node:path";
import { afterAll, describe, expect, it } from "@jest/globals";
import { bear, initWorkspace, jsonError, removeTempDirs, tempDir } from "./harness";

describe("bear ingest messages", () => {
  afterAll(removeTempDirs);

  it("says a path that does not exist is not found (INPUT_NOT_FOUND, exit 2), not a raw ENOENT", () => {
    const ws = initWorkspace("messages");
    const missing = path.join(tempDir("messages-none"), "nope");
    const run = bear(["--data-dir", ws, "ingest", missing]);
    expect(run.status).toBe(2);
    expect(run.stderr).toContain(`not found: ${missing}`);
    expect(run.stderr + run.stdout).not.toMatch(/ENOENT|no such file/);
    const asJson = jsonError(bear(["--data-dir", ws, "ingest", missing, "--json"]));
    expect(asJson).toMatchObject({ code: "INPUT_NOT_FOUND" });
  });

  it("calls the folder being ingested by its name when a symlink leads out of it, not 'the workspace'", () => {
    const ws = initWorkspace("messages-link");
    const folder = tempDir("messages-folder");
    fs.writeFileSync(path.join(folder, "a.txt"), "The Tenant shall pay rent monthly.\n");
    fs.symlinkSync("/etc/hostname", path.join(folder, "link.txt"));
    const run = bear(["--data-dir", ws, "ingest", folder]);
    expect(run.status).toBe(3);
    expect(run.stdout + run.stderr).toContain(`outside the folder being ingested '${folder}'`);
    expect(run.stdout + run.stderr).not.toContain("outside the workspace");
  });
});
