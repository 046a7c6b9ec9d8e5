import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "@jest/globals";
import { WorkspaceError } from "../errors/core-errors";
import { ensureWorkspace, workspaceLayout } from "./workspace-layout";

let base: string;
beforeEach(() => {
  base = fs.mkdtempSync(path.join(os.tmpdir(), "bear-ws-"));
});
afterEach(() => fs.rmSync(base, { recursive: true, force: true }));

describe("ensureWorkspace", () => {
  it("creates every workspace folder with owner-only 0700 permissions", () => {
    const layout = ensureWorkspace(path.join(base, "data"));
    for (const dir of Object.values(layout)) {
      expect(fs.statSync(dir).mode & 0o777).toBe(0o700);
    }
    expect(Object.keys(layout).sort()).toEqual(["audit", "cache", "indexes", "models", "plugins", "root", "state", "tmp"]);
  });

  it("tightens an existing folder that others could read", () => {
    const dataDir = path.join(base, "data");
    fs.mkdirSync(path.join(dataDir, "indexes"), { recursive: true, mode: 0o755 });
    fs.chmodSync(path.join(dataDir, "indexes"), 0o755);
    ensureWorkspace(dataDir);
    expect(fs.statSync(path.join(dataDir, "indexes")).mode & 0o777).toBe(0o700);
  });

  it("is idempotent and keeps existing content", () => {
    const layout = ensureWorkspace(path.join(base, "data"));
    fs.writeFileSync(path.join(layout.state, "keep.json"), "{}");
    ensureWorkspace(path.join(base, "data"));
    expect(fs.readFileSync(path.join(layout.state, "keep.json"), "utf8")).toBe("{}");
  });

  it("fails with a WorkspaceError naming the path when a folder is a file", () => {
    const dataDir = path.join(base, "data");
    fs.mkdirSync(dataDir);
    fs.writeFileSync(path.join(dataDir, "models"), "not a dir");
    expect(() => ensureWorkspace(dataDir)).toThrow(WorkspaceError);
    expect(() => ensureWorkspace(dataDir)).toThrow(path.join(dataDir, "models"));
  });

  it("computes the layout without touching the disk", () => {
    const layout = workspaceLayout(path.join(base, "nowhere"));
    expect(layout.audit).toBe(path.join(base, "nowhere", "audit"));
    expect(fs.existsSync(layout.root)).toBe(false);
  });
});
