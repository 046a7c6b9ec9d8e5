// What `bear` says when an input is wrong must name the problem plainly (review of 2026-12-06, item 12).
import fs from "node:fs";
import path from "node:path";
import { afterAll, describe, expect, it } from "@jest/globals";
import { bear, initWorkspace, json, jsonError, removeTempDirs, tempDir } from "./harness";

interface IngestReport {
  added: number;
  failed: number;
  files: { file: string; status: string; error?: { code: string; message: string; hint?: string } }[];
}

describe("bear ingest messages", () => {
  afterAll(removeTempDirs);

  it("says a path that does not exist is not found, not a raw ENOENT, and still ingests the others (exit 3)", () => {
    const ws = initWorkspace("messages");
    const folder = tempDir("messages-some");
    const present = path.join(folder, "a.txt");
    fs.writeFileSync(present, "The Tenant shall pay rent monthly.\n");
    const missing = path.join(tempDir("messages-none"), "nope");

    const run = bear(["--data-dir", ws, "ingest", present, missing]);
    expect(run.status).toBe(3);
    expect(run.stdout).toMatch(/1 added, 0 updated, 0 unchanged, 1 failed/);
    expect(run.stdout).toContain(`RAG_FILE_UNREADABLE: not found: ${missing}`);
    expect(run.stderr + run.stdout).not.toMatch(/ENOENT|no such file/);

    const asJson = bear(["--data-dir", ws, "ingest", present, missing, "--json"]);
    expect(asJson.status).toBe(3);
    const report = json<IngestReport>(asJson);
    expect(report.files.find((f) => f.status === "failed")).toMatchObject({ file: missing, error: { code: "RAG_FILE_UNREADABLE", message: `not found: ${missing}` } });
    expect(jsonError(asJson)).toMatchObject({ code: "PARTIAL_FAILURE" });
  });

  it("exits 2 when the only path named does not exist, with the same per-file message", () => {
    const ws = initWorkspace("messages-only");
    const missing = path.join(tempDir("messages-none"), "nope");
    const run = bear(["--data-dir", ws, "ingest", missing]);
    expect(run.status).toBe(2);
    expect(run.stdout).toContain(`not found: ${missing}`);
    expect(run.stderr).toContain("none of the 1 file(s) could be ingested");
    expect(run.stderr + run.stdout).not.toMatch(/ENOENT|no such file/);
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
