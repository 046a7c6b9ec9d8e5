import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "@jest/globals";
import fc from "fast-check";
import { describeFileArea, mayResumeIn, parseFileArea, runFileArea } from "./file-area";

describe("a run's file area", () => {
  const root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), "bear-area-")));

  it("names matter areas, a chosen folder or none, with the folder's symlinks resolved", () => {
    const link = path.join(os.tmpdir(), `bear-area-link-${process.pid}`);
    fs.rmSync(link, { force: true });
    fs.symlinkSync(root, link);
    try {
      expect(runFileArea({})).toBe("none");
      expect(runFileArea({ workspaceRoot: root, matterFolders: true })).toBe(`matters:${root}`);
      expect(runFileArea({ workspaceRoot: link })).toBe(`folder:${root}`);
    } finally {
      fs.rmSync(link, { force: true });
    }
  });

  it("is resumed only by an engine of the same area; runs of older databases only under matter areas", () => {
    const matters = runFileArea({ workspaceRoot: root, matterFolders: true });
    const folder = runFileArea({ workspaceRoot: root });
    const other = runFileArea({ workspaceRoot: os.tmpdir() });
    expect(mayResumeIn(matters, matters)).toBe(true);
    expect(mayResumeIn(matters, folder)).toBe(false);
    expect(mayResumeIn(folder, matters)).toBe(false);
    expect(mayResumeIn(folder, other)).toBe(false);
    expect(mayResumeIn(folder, folder)).toBe(true);
    // no file steps on either side: no file is reachable
    expect(mayResumeIn("none", folder)).toBe(true);
    expect(mayResumeIn(folder, "none")).toBe(true);
    expect(mayResumeIn(null, matters)).toBe(true);
    expect(mayResumeIn(null, folder)).toBe(false);
    expect(mayResumeIn(undefined, "none")).toBe(true);
    expect(describeFileArea(matters)).toBe("the workspace's matter areas");
    expect(describeFileArea(folder)).toBe(`the folder ${root}`);
  });

  it("an engine built by hand with a file step and no area resumes no run of a known area", async () => {
    const { WorkflowEngine } = await import("./workflow-engine");
    const { StepHandlerRegistry } = await import("../steps/step-handler-registry");
    const { fileOperationsHandler } = await import("../steps/file-operations-handler");
    const { MemoryRunStore } = await import("../store/memory-run-store");
    const store = new MemoryRunStore();
    const definition = { name: "w", steps: [{ id: "r", type: "file_operations", parameters: { operation: "exists", path: "a.txt" } }] };
    const matters = runFileArea({ workspaceRoot: root, matterFolders: true });
    store.insertRun({ id: "server-run", workflow: "w", definition, inputs: {}, matter: "acme", actor: "bob", files: matters, status: "running", error: null, createdAt: 1, updatedAt: 1, startedAt: 1, finishedAt: null });
    const engine = new WorkflowEngine({ store, registry: new StepHandlerRegistry([fileOperationsHandler({ workspaceRoot: os.tmpdir() }) as never]) });
    try {
      expect(engine.resumeInterrupted()).toEqual([]);
      expect(() => engine.resume("server-run")).toThrow(expect.objectContaining({ code: "RUN_NOT_RESUMABLE" }));
    } finally {
      await engine.dispose();
    }
  });

  it("reads back every area it records (the one parser of the `folder:`/`matters:` prefixes, also the CLI's)", () => {
    expect(parseFileArea(runFileArea({}))).toEqual({ kind: "none" });
    expect(parseFileArea(runFileArea({ workspaceRoot: root, matterFolders: true }))).toEqual({ kind: "matters", root });
    expect(parseFileArea(runFileArea({ workspaceRoot: root }))).toEqual({ kind: "folder", root });
    // any folder, colons and all, comes back whole; what is not an area this release writes reads as unrecorded
    fc.assert(
      fc.property(fc.constantFrom("folder", "matters" as const), fc.string({ minLength: 1 }), (kind, folder) => {
        expect(parseFileArea(`${kind}:${folder}`)).toEqual({ kind, root: folder });
      }),
    );
    fc.assert(
      fc.property(fc.string(), (value) => {
        fc.pre(value !== "none" && !/^(folder|matters):./s.test(value));
        return parseFileArea(value).kind === "unrecorded";
      }),
    );
    for (const value of [null, undefined, "", "folder:", "matters:", "Folder:/x", " none"]) expect(parseFileArea(value)).toEqual({ kind: "unrecorded" });
  });
});
