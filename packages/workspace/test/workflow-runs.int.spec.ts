import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "@jest/globals";
import { quietConfig, tempDirs, withWorkspace } from "./support/workspace-fixture";
import { cancelRun, followRun, listRuns, openWorkspace, resumeRun, runningEngine, runStatus, workflowSource, type WorkflowEvent } from "../src/index";

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
});
