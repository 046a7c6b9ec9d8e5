import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "@jest/globals";
import type { AuditEvent } from "@bear/core";
import type { JsonValue } from "../execution/json-value";
import { runFileStep } from "../../test/support/file-step";

let base: string;
let root: string;
let audit: AuditEvent[];
beforeEach(() => {
  base = fs.mkdtempSync(path.join(os.tmpdir(), "wf-files-"));
  root = path.join(base, "workspace");
  fs.mkdirSync(root);
  fs.writeFileSync(path.join(base, "secret.txt"), "outside");
  audit = [];
});
afterEach(() => fs.rmSync(base, { recursive: true, force: true }));

function run(params: Record<string, unknown>): Promise<JsonValue> {
  return runFileStep({ workspaceRoot: root, maxReadBytes: 1000, audit: { record: async (e) => void audit.push(e) } }, params);
}

describe("file_operations step", () => {
  it("writes, reads, lists, checks and deletes files inside the workspace", async () => {
    await expect(run({ operation: "write", path: "out/summary.txt", content: "héllo" })).resolves.toEqual({ path: "out/summary.txt", bytes: 6 });
    await expect(run({ operation: "append", path: "out/summary.txt", content: "!" })).resolves.toMatchObject({ bytes: 1 });
    await expect(run({ operation: "read", path: "out/summary.txt" })).resolves.toEqual({ path: "out/summary.txt", content: "héllo!", bytes: 7 });
    await expect(run({ operation: "list", path: "out" })).resolves.toEqual({ path: "out", entries: [{ name: "summary.txt", kind: "file" }] });
    await expect(run({ operation: "exists", path: "out/none.txt" })).resolves.toEqual({ path: "out/none.txt", exists: false });
    await expect(run({ operation: "write", path: "out/summary.txt", content: "x", overwrite: false })).rejects.toThrow(/EEXIST/);
    await expect(run({ operation: "delete", path: "out/summary.txt" })).resolves.toEqual({ path: "out/summary.txt", deleted: true });
    expect(audit.map((e) => `${e.action}:${e.outcome}`)).toEqual([
      "workflow.file.write:success",
      "workflow.file.append:success",
      "workflow.file.write:failure",
      "workflow.file.delete:success",
    ]);
    expect(JSON.stringify(audit)).not.toContain("summary");
  });

  it("refuses '..', absolute paths elsewhere and symlinks that lead out, and audits the denial", async () => {
    fs.symlinkSync(path.join(base, "secret.txt"), path.join(root, "link.txt"));
    fs.symlinkSync(base, path.join(root, "up"));
    await expect(run({ operation: "read", path: "../secret.txt" })).rejects.toMatchObject({ code: "PATH_OUTSIDE_WORKSPACE" });
    await expect(run({ operation: "read", path: path.join(base, "secret.txt") })).rejects.toMatchObject({ code: "PATH_OUTSIDE_WORKSPACE" });
    await expect(run({ operation: "read", path: "link.txt" })).rejects.toThrow(/symbolic link leads outside/);
    await expect(run({ operation: "write", path: "up/planted.txt", content: "x" })).rejects.toThrow(/symbolic link leads outside/);
    await expect(run({ operation: "delete", path: "link.txt" })).rejects.toMatchObject({ code: "PATH_OUTSIDE_WORKSPACE" });
    expect(fs.existsSync(path.join(base, "planted.txt"))).toBe(false);
    expect(fs.readFileSync(path.join(base, "secret.txt"), "utf8")).toBe("outside");
    expect(audit.every((e) => e.outcome === "denied")).toBe(true);
    expect(audit).toHaveLength(5);
  });

  it("refuses to read a file larger than the limit", async () => {
    fs.writeFileSync(path.join(root, "big.txt"), "x".repeat(2000));
    await expect(run({ operation: "read", path: "big.txt" })).rejects.toThrow(/2000 bytes, more than the read limit of 1000/);
  });

  it("errors name paths relative to the caller's area, never the server's folder", async () => {
    const failures = await Promise.all(
      [
        { operation: "read", path: "memo.txt" },
        { operation: "delete", path: "nope/gone.txt" },
        { operation: "list", path: "missing" },
        { operation: "read", path: "../secret.txt" },
        { operation: "write", path: "/etc/x.txt", content: "x" },
      ].map((p) => run(p).then(() => undefined, (e: unknown) => e as Error & { hint?: string; code?: string })),
    );
    for (const error of failures) {
      expect(typeof error?.message).toBe("string");
      expect(`${error?.message} ${error?.hint ?? ""} ${error?.stack ?? ""} ${JSON.stringify(error)}`).not.toContain(base);
    }
    expect(failures[0]?.message).toContain("ENOENT");
    expect(failures[0]?.message).toContain("'memo.txt'");
    expect(failures[3]?.code).toBe("PATH_OUTSIDE_WORKSPACE");
  });
});

describe("file_operations with one area per matter", () => {
  const inMatter = (matter: string | undefined, params: Record<string, unknown>, actor?: string): Promise<JsonValue> =>
    runFileStep({ workspaceRoot: root, matterFolders: true, audit: { record: async (e) => void audit.push(e) } }, params, matter, actor);

  it("keeps each matter's files in its own private area: another matter cannot read, list or delete them", async () => {
    await inMatter("acme", { operation: "write", path: "memo.txt", content: "acme only" }, "alice");
    const memo = path.join(root, "matters", "acme", "memo.txt");
    expect(fs.readFileSync(memo, "utf8")).toBe("acme only");
    expect(fs.statSync(memo).mode & 0o777).toBe(0o600);
    expect(fs.statSync(path.dirname(memo)).mode & 0o777).toBe(0o700);
    await expect(inMatter("globex", { operation: "read", path: "memo.txt" })).rejects.toThrow(/ENOENT/);
    await expect(inMatter("globex", { operation: "list", path: "." })).resolves.toEqual({ path: ".", entries: [] });
    await expect(inMatter("globex", { operation: "delete", path: "memo.txt" })).rejects.toThrow(/ENOENT/);
    await expect(inMatter("globex", { operation: "read", path: "../acme/memo.txt" })).rejects.toMatchObject({ code: "PATH_OUTSIDE_WORKSPACE" });
    await expect(inMatter("acme", { operation: "read", path: "memo.txt" })).resolves.toMatchObject({ content: "acme only" });
    // the write is the act of whoever started the run, in that run's matter
    expect(audit.find((e) => e.action === "workflow.file.write")).toMatchObject({ matter: "acme", actor: "alice" });
  });

  it("refuses a run without a matter, or with one that cannot name a folder, for good (no retry)", async () => {
    await expect(inMatter(undefined, { operation: "list", path: "." })).rejects.toMatchObject({ retryable: false, message: expect.stringMatching(/has no matter/) });
    await expect(inMatter("../etc", { operation: "list", path: "." })).rejects.toMatchObject({ retryable: false });
    expect(fs.existsSync(path.join(root, "matters"))).toBe(false);
  });
});
