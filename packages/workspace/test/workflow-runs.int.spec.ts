import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "@jest/globals";
import { quietConfig, tempDirs, withWorkspace } from "./support/workspace-fixture";
import { cancelRun, followRun, listRuns, openWorkspace, recordedFileArea, resumeRun, runningEngine, runStatus, workflowSource, type WorkflowEvent } from "../src/index";

const tempDir = tempDirs("bear-runs-");

const COUNT = "name: counting\nsteps:\n  - id: count\n    type: data_processing\n    parameters:\n      operation: count\n      input: [1, 2, 3]\n";
// Retries a read of a file that never appears: slow enough to be interrupted.
const SLOW = 'name: slow\nsteps:\n  - id: wait\n    type: file_operations\n    retry: { attempts: 100, backoff: 200ms }\n    parameters: { operation: read, path: "never-there.txt" }\n';

describe("workflow runs as `bear workflow` drives them", () => {
  it("a workflow comes from a file or a built-in name; a missing file and bad YAML are named", () => {
    const dir = tempDir();
    fs.writeFileSync(path.join(dir, "count.yaml"), COUNT);
    expect(workflowSource(path.join(dir, "count.yaml"))).toEqual({ text: COUNT, source: "count.yaml" });
    expect(workflowSource("contract_review").source).toBe("contract_review");
    expect(() => workflowSource(path.join(dir, "nope.yaml"))).toThrow(/cannot read workflow file '.*nope\.yaml' \(ENOENT\)/);
    fs.writeFileSync(path.join(dir, "broken.yaml"), "name: [unclosed\nsteps: {\n");
    expect(() => workflowSource(path.join(dir, "broken.yaml"))).toThrow(expect.objectContaining({ code: "WORKFLOW_PARSE_FAILED" }));
  });

  it("a followed run publishes progress and events, then shows in list and status; an unknown run is named", async () => {
    const dir = path.join(tempDir(), "ws");
    await withWorkspace(openWorkspace({ config: quietConfig(dir), create: true, resumeWorkflows: false }), async (workspace) => {
      const engine = await runningEngine(workspace);
      const events: WorkflowEvent["type"][] = [];
      let progressed = 0;
      const handle = engine.start(engine.load(COUNT, { source: "count.yaml" }), {}, { runId: "count-1" });
      const { result, details } = await followRun(engine, workspace.liveRuns, handle, { onEvent: (e) => events.push(e.type), onProgress: () => progressed++ });
      expect(result.status).toBe("completed");
      expect(details.progress.completed).toBe(1);
      expect(events[0]).toBe("run.started");
      expect(events.at(-1)).toBe("run.completed");
      expect(progressed).toBeGreaterThan(events.length - 1);
      expect(workspace.liveRuns.read("count-1")).toMatchObject({ runId: "count-1", status: "completed" });
      expect(await listRuns(workspace, { limit: 10 })).toEqual([expect.objectContaining({ runId: "count-1", status: "completed", interrupted: false })]);
      expect(await runStatus(workspace, "count-1")).toMatchObject({ runId: "count-1", status: "completed", live: false, steps: [{ id: "count", status: "completed", agent: expect.anything() }] });
      await expect(runStatus(workspace, "no-such-run")).rejects.toMatchObject({ code: "RUN_NOT_FOUND" });
      expect(() => resumeRun(engine, "no-such-run")).toThrow(expect.objectContaining({ code: "INPUT_NOT_FOUND" }));
      expect(() => resumeRun(engine, "count-1")).toThrow(expect.objectContaining({ code: "INPUT_INVALID" }));
    });
  }, 120_000);

  it("an interrupt cancels the run it follows; cancelRun on a finished run says nothing was cancelled", async () => {
    const dir = path.join(tempDir(), "ws");
    await withWorkspace(openWorkspace({ config: quietConfig(dir), create: true, resumeWorkflows: false, workflowFiles: tempDir() }), async (workspace) => {
      const engine = await runningEngine(workspace);
      const interrupt = new AbortController();
      const handle = engine.start(engine.load(SLOW, { source: "slow.yaml" }), {}, { runId: "slow-1" });
      const followed = followRun(engine, workspace.liveRuns, handle, { interrupt: interrupt.signal, onEvent: (e) => (e.type === "step.retried" ? interrupt.abort("interrupted (Ctrl-C)") : undefined) });
      const { result } = await followed;
      expect(result.status).toBe("cancelled");
      expect(await cancelRun(workspace, "slow-1", "again")).toEqual({ runId: "slow-1", cancelled: false, via: "database" });
    });
  }, 120_000);

  it("a run started for a matter (as the server does) resumes in that matter's area only, never in the folder of whoever resumes it", async () => {
    const dir = path.join(tempDir(), "ws");
    const resumerFolder = tempDir();
    fs.writeFileSync(path.join(resumerFolder, "notes.txt"), "the resumer's own file");
    const READ = 'name: reader\nsteps:\n  - id: read\n    type: file_operations\n    retry: { attempts: 100, backoff: 100ms }\n    parameters: { operation: read, path: "notes.txt" }\n';
    // As `bear serve` opens it: matter areas; a principal's run waits for a file its matter does not have, and the server stops.
    let matterArea = "";
    await withWorkspace(openWorkspace({ config: quietConfig(dir), create: true, resumeWorkflows: true }), async (workspace) => {
      const engine = await runningEngine(workspace);
      engine.start(engine.load(READ, { source: "reader.yaml" }), {}, { matter: "globex", actor: "bob", runId: "bob-run" });
      for (let i = 0; i < 100 && (engine.getRun("bob-run").steps[0]?.attempt ?? 0) < 1; i++) await new Promise((r) => setTimeout(r, 50));
      const recorded = await recordedFileArea(workspace, "bob-run");
      expect(recorded).toMatch(/^matters:/);
      matterArea = path.join(recorded!.slice("matters:".length), "matters", "globex");
    });
    // As `bear workflow resume` opened it before: confined to the resumer's folder. The run is refused there and left alone.
    await withWorkspace(openWorkspace({ config: quietConfig(dir), resumeWorkflows: false, workflowFiles: resumerFolder }), async (workspace) => {
      const engine = await runningEngine(workspace);
      expect(engine.resumeInterrupted()).toEqual([]);
      expect(() => resumeRun(engine, "bob-run")).toThrow(expect.objectContaining({ code: "INPUT_INVALID", message: expect.stringContaining("the workspace's matter areas") }));
      expect(engine.getRun("bob-run").status).toBe("running");
    });
    // With the matter areas (what `bear workflow resume bob-run` now opens): the step reads the matter's file.
    fs.mkdirSync(matterArea, { recursive: true });
    fs.writeFileSync(path.join(matterArea, "notes.txt"), "globex's file");
    await withWorkspace(openWorkspace({ config: quietConfig(dir), resumeWorkflows: false }), async (workspace) => {
      const engine = await runningEngine(workspace);
      const result = await resumeRun(engine, "bob-run").result;
      expect(result.status).toBe("completed");
      expect(engine.getRun("bob-run")).toMatchObject({ matter: "globex", actor: "bob" });
      expect(JSON.stringify(engine.getRun("bob-run").steps[0]?.output)).toContain("globex's file");
      expect(JSON.stringify(engine.getRun("bob-run").steps[0]?.output)).not.toContain("resumer");
    });
  }, 120_000);
});
