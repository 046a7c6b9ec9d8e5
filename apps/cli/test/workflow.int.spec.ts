import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { bear, bearAsync, initWorkspace, json, jsonError, tempDir, removeTempDirs } from "./harness";

const DIGEST = `name: digest
inputs:
  names: { type: array, default: ["nda", "lease", "msa"] }
steps:
  - id: count
    type: data_processing
    parameters: { operation: count, input: "{{ inputs.names }}" }
  - id: write
    type: file_operations
    depends_on: [count]
    parameters: { operation: write, path: "out/count.txt", content: "documents: {{ steps.count.output }}" }
`;

// Retries a read of a file that never appears: slow enough to be cancelled from another process.
const SLOW = `name: slow
steps:
  - id: wait
    type: file_operations
    retry: { attempts: 100, backoff: 200ms }
    parameters: { operation: read, path: "never-there.txt" }
`;

const FAILING = `name: failing
steps:
  - id: read
    type: file_operations
    parameters: { operation: read, path: "missing.json" }
`;

describe("bear workflow", () => {
  let ws: string;
  let dir: string;
  const inWs = (args: string[]) => bear(["--data-dir", ws, ...args], { cwd: dir });

  beforeAll(() => {
    ws = initWorkspace("wf");
    dir = tempDir("wf-files");
    fs.writeFileSync(path.join(dir, "digest.yaml"), DIGEST);
    fs.writeFileSync(path.join(dir, "slow.yaml"), SLOW);
    fs.writeFileSync(path.join(dir, "failing.yaml"), FAILING);
    fs.writeFileSync(path.join(dir, "invalid.yaml"), "name: invalid\nsteps:\n  - id: a\n    type: file_ops\n    dependson: [b]\n");
    fs.writeFileSync(path.join(dir, "broken.yaml"), "name: [unclosed\nsteps: {\n");
  });

  it("run executes the workflow, shows each step as it happens and prints the outputs", () => {
    const run = inWs(["workflow", "run", "digest.yaml", "--run-id", "digest-1", "-i", 'names=["a","b"]']);
    expect(run.status).toBe(0);
    expect(run.stderr).toContain("count started");
    expect(run.stderr).toContain("write completed");
    expect(run.stdout).toContain("Run digest-1: completed (2/2 steps completed)");
    expect(fs.readFileSync(path.join(dir, "out/count.txt"), "utf8")).toBe("documents: 2");
  });

  it("list and status show the runs and each step", () => {
    const list = json<{ runs: { runId: string; status: string }[] }>(inWs(["workflow", "list", "--json"]));
    expect(list.runs.find((r) => r.runId === "digest-1")?.status).toBe("completed");
    const status = json(inWs(["workflow", "status", "digest-1", "--json"]));
    expect(status).toMatchObject({ runId: "digest-1", status: "completed", steps: [{ id: "count", status: "completed" }, { id: "write", status: "completed" }] });
    const missing = inWs(["workflow", "status", "no-such-run", "--json"]);
    expect(missing.status).toBe(2);
    expect(jsonError(missing).code).toBe("RUN_NOT_FOUND");
  });

  it("bad input exits 2 with the problem named: invalid workflow, bad YAML, missing file; a malformed input exits 1", async () => {
    const at = (args: string[]) => bearAsync(["--data-dir", ws, ...args], { cwd: dir });
    const [invalid, broken, missing, usage] = await Promise.all([
      at(["workflow", "run", "invalid.yaml"]),
      at(["workflow", "run", "broken.yaml", "--json"]),
      at(["workflow", "run", "nope.yaml"]),
      at(["workflow", "run", "digest.yaml", "-i", "novalue"]),
    ]);
    expect(invalid.status).toBe(2);
    expect(invalid.stderr).toContain("unknown field 'dependson'");
    expect(broken.status).toBe(2);
    expect(jsonError(broken)).toMatchObject({ code: "WORKFLOW_PARSE_FAILED" });
    expect(missing.status).toBe(2);
    expect(missing.stderr).toContain("cannot read workflow file 'nope.yaml'");
    expect(usage.status).toBe(1);
  });

  it("a workflow naming one of BEAR's own step types (review, redact, llm.*…) exits 2 with WORKFLOW_INVALID and runs nothing", () => {
    fs.writeFileSync(path.join(dir, "internal.yaml"), "name: internal\nsteps:\n  - id: review\n    type: review\n    parameters: { text: 'This Agreement is made between Acme Corp and John Smith.' }\n");
    const run = inWs(["workflow", "run", "internal.yaml", "--run-id", "internal-1", "--json"]);
    expect(run.status).toBe(2);
    expect(jsonError(run)).toMatchObject({ code: "WORKFLOW_INVALID", message: expect.stringContaining("steps[0].type: step type 'review' is one of BEAR's own step types") });
    expect(jsonError(run).message).toContain("contract_review");
    expect(inWs(["workflow", "status", "internal-1", "--json"]).status).toBe(2); // never started
    // nor may it pose as one of BEAR's acts by its run id
    const forged = inWs(["workflow", "run", "digest.yaml", "--run-id", "act-00000000-0000-4000-8000-000000000000", "--json"]);
    expect(forged.status).toBe(2);
    expect(jsonError(forged)).toMatchObject({ code: "RUN_ID_RESERVED" });
  });

  it("a failed run exits 3", () => {
    const run = inWs(["workflow", "run", "failing.yaml", "--json"]);
    expect(run.status).toBe(3);
    expect(json(run)).toMatchObject({ status: "failed", progress: { total: 1, failed: 1 }, steps: [{ id: "read", status: "failed" }] });
  });

  it("cancel stops a run that another `bear workflow run` process is executing (exit 130 there)", async () => {
    const running = bearAsync(["--data-dir", ws, "workflow", "run", "slow.yaml", "--run-id", "slow-1"], { cwd: dir });
    const live = path.join(ws, "state/workflow-runs/slow-1.json");
    for (let i = 0; i < 100 && !fs.existsSync(live); i++) await new Promise((r) => setTimeout(r, 100));
    const status = await bearAsync(["--data-dir", ws, "workflow", "status", "slow-1", "--json"], { cwd: dir });
    expect(json(status)).toMatchObject({ runId: "slow-1", live: true });
    const cancel = await bearAsync(["--data-dir", ws, "workflow", "cancel", "slow-1", "--json"], { cwd: dir });
    expect(cancel.status).toBe(0);
    expect(json(cancel)).toMatchObject({ cancelled: true });
    const result = await running;
    expect(result.status).toBe(130);
    expect(result.stdout).toContain("cancelled");
    expect(json(inWs(["workflow", "status", "slow-1", "--json"]))).toMatchObject({ status: "cancelled" });
    // the running process audited the cancel as the CLI user who asked (before: `system`), and wrote it before exiting
    const audited = fs.readFileSync(path.join(ws, "audit", "audit.jsonl"), "utf8").split("\n").filter(Boolean).map((l) => JSON.parse(l) as { action: string; actor?: string; resource?: string });
    expect(audited.filter((r) => r.action === "workflow.run.cancel" && r.resource === "slow-1").map((r) => r.actor)).toEqual(["cli"]);
  });

  it("resume continues a run whose process was killed: completed steps stay done, the cut-short step runs again", async () => {
    const running = bearAsync(["--data-dir", ws, "workflow", "run", "slow.yaml", "--run-id", "slow-2"], { cwd: dir });
    const live = path.join(ws, "state/workflow-runs/slow-2.json");
    for (let i = 0; i < 100 && !fs.existsSync(live); i++) await new Promise((r) => setTimeout(r, 100));
    // the kill must cut the step short: wait until its first attempt has started (the run file
    // appears before the step does, and a kill then would leave nothing to run "again")
    let started = false;
    for (let i = 0; i < 30 && !started; i++) {
      const status = await bearAsync(["--data-dir", ws, "workflow", "status", "slow-2", "--json"], { cwd: dir });
      started = (json<{ steps?: { attempt?: number }[] }>(status).steps?.[0]?.attempt ?? 0) >= 1;
    }
    expect(started).toBe(true);
    process.kill(running.pid!, "SIGKILL");
    expect((await running).status).toBeNull();

    const list = json<{ runs: { runId: string; status: string; interrupted?: boolean }[] }>(inWs(["workflow", "list", "--json"]));
    expect(list.runs.find((r) => r.runId === "slow-2")).toMatchObject({ status: "running", interrupted: true });
    expect(inWs(["workflow", "list"]).stdout).toContain("bear workflow resume <run-id>");

    fs.writeFileSync(path.join(dir, "never-there.txt"), "here now");
    const resumed = inWs(["workflow", "resume", "slow-2", "--json"]);
    expect(resumed.status).toBe(0);
    expect(json(resumed)).toMatchObject({ runId: "slow-2", status: "completed", outputs: {}, steps: [{ id: "wait", status: "completed" }] });
    expect(json<{ steps: { attempt: number }[] }>(resumed).steps[0]!.attempt).toBeGreaterThan(1);

    const again = inWs(["workflow", "resume", "slow-2", "--json"]);
    expect(again.status).toBe(2);
    expect(jsonError(again).message).toContain("cannot be resumed: it already completed");
    const unknown = inWs(["workflow", "resume", "no-such-run", "--json"]);
    expect(unknown.status).toBe(2);
    expect(jsonError(unknown).code).toBe("INPUT_NOT_FOUND");
    const nothing = inWs(["workflow", "resume"]);
    expect(nothing.status).toBe(0);
    expect(nothing.stdout).toContain("No interrupted runs to resume.");
  });
});

afterAll(removeTempDirs);
