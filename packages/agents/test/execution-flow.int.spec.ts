import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "@jest/globals";
import { InProcessExecutor, StepHandlerRegistry, WorkflowValidationError, type JsonValue, type StepHandler, type StepTask } from "@bear/workflow-engine";
import { AgentSystem, ExecutorAgent, type AgentHealthEvent } from "../src/index";
import { FunctionAgent } from "./support/test-agents";

/** The seed's flow: engine → coordinator → balancer-chosen executor agent → validator → engine, for every step. */
describe("every workflow step is executed by an agent", () => {
  let dir: string;
  let system: AgentSystem | undefined;
  afterEach(async () => {
    await system?.dispose();
    system = undefined;
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it("records, durably, which agent ran each step, its score breakdown and the validator's verdict", async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "agents-flow-"));
    const dbPath = path.join(dir, "runs.db");
    system = await AgentSystem.open({ dbPath, config: { workspaceRoot: dir } });
    const workflow = {
      name: "plain-steps",
      steps: [
        { id: "write", type: "file_operations", parameters: { operation: "write", path: "a.txt", content: "x y x" } },
        { id: "list", type: "data_processing", parameters: { operation: "unique", input: ["x", "y", "x"] } },
        { id: "count", type: "data_processing", depends_on: ["list"], parameters: { operation: "count", input: "{{ steps.list.output }}" } },
      ],
    };
    const result = await system.runWorkflow(workflow, {});
    expect(result.outputs["count"]).toBe(2);
    await system.dispose();
    system = undefined;

    // A new process reading the same database sees the assignments.
    system = await AgentSystem.open({ dbPath, config: { workspaceRoot: dir } });
    const details = system.engine.getRun(result.runId);
    expect(details.assignments.map((a) => [a.stepId, a.assignment["agentId"], a.assignment["outcome"]])).toEqual(
      expect.arrayContaining([
        ["write", "file-executor", "completed"],
        ["list", "data-executor", "completed"],
        ["count", "data-executor", "completed"],
      ]),
    );
    const count = details.assignments.find((a) => a.stepId === "count")!.assignment as Record<string, JsonValue>;
    expect(count).toMatchObject({
      capability: "data_processing",
      attempt: 1,
      candidates: 1,
      skipped: 0,
      breakdown: { weights: { capability: 0.4, history: 0.3, load: 0.2, time: 0.1 } },
      verdict: { validator: "validator", valid: true, checked: [], issues: [] },
    });
    const b = count["breakdown"] as Record<string, number>;
    expect(count["score"]).toBeCloseTo(0.4 * b["capability"]! + 0.3 * b["history"]! + 0.2 * b["load"]! + 0.1 * b["time"]!, 2);
  });

  it("rejects a result that fails the step's validate rules, retries it, and reports the verdict", async () => {
    system = await AgentSystem.open({});
    const result = system.engine.start({
      name: "checked",
      steps: [{ id: "pick", type: "data_processing", retry: { attempts: 2, backoff: 1 }, parameters: { operation: "pick", input: { confidence: 0.4 }, fields: ["confidence"] }, validate: { min_confidence: 0.9 } }],
    });
    const done = await result.result;
    expect(done.status).toBe("failed");
    expect(done.error?.message).toContain("confidence");
    const assignments = system.engine.getRun(result.runId).assignments;
    expect(assignments.map((a) => [a.attempt, a.assignment["outcome"]])).toEqual([
      [1, "rejected"],
      [2, "rejected"],
    ]);
    expect(assignments[0]!.assignment["verdict"]).toMatchObject({ valid: false, checked: ["confidence"], issues: [expect.objectContaining({ rule: "confidence" })] });
  });

  it("skips an agent the monitor marked unhealthy after repeated failures", async () => {
    system = await AgentSystem.open({ config: { monitor: { minSamples: 3, minSuccessRate: 0.5 } } });
    let flakyFails = true;
    // 'flaky' is the specialist (one capability) and would win on capability match alone.
    system.addAgent(new FunctionAgent("flaky", ["parse"], () => {
      if (flakyFails) throw new Error("cannot parse");
      return "flaky";
    }));
    system.addAgent(new FunctionAgent("steady", ["parse", "other", "more"], () => "steady"));
    const health: AgentHealthEvent[] = [];
    system.monitor.onDidChangeHealth.subscribe((e) => health.push(e));
    for (let i = 0; i < 3; i++) await expect(system.dispatcher.dispatch({ id: `p${i}`, capability: "parse", input: null }, { agentId: "flaky" })).rejects.toThrow("cannot parse");
    expect(system.inspectAgent("flaky")).toMatchObject({ health: "failing", healthReason: "recent success rate 0% (minimum 50%)" });
    expect(health.map((e) => [e.agentId, e.health])).toEqual([["flaky", "failing"]]);
    flakyFails = false;
    const steps = Array.from({ length: 4 }, (_, i) => ({ id: `p${i}`, type: "agent.task", parameters: { capability: "parse", input: null } }));
    const result = await system.runWorkflow({ name: "parse-all", steps }, {});
    expect(Object.values(result.outputs)).toEqual(["steady", "steady", "steady", "steady"]);
    const assigned = system.engine.getRun(result.runId).assignments.map((a) => a.assignment);
    expect(assigned.every((a) => a["agentId"] === "steady" && a["candidates"] === 2 && (a["skipped"] as number) >= 1)).toBe(true);
  });

  it("refuses a pinned agent that does not exist or cannot do the step, before the run starts", async () => {
    system = await AgentSystem.open({});
    const run = (agent: string): unknown => system!.engine.start({ name: "pinned", steps: [{ id: "a", type: "data_processing", agent, parameters: { operation: "count", input: [1] } }] });
    expect(() => run("ghost")).toThrow(WorkflowValidationError);
    expect(() => run("ghost")).toThrow("steps[0].agent: no agent 'ghost'");
    expect(() => run("validator")).not.toThrow(); // an agent type names a role: preferred, never required
    expect(() => run("coordinator")).not.toThrow();
    system.createAgent({ type: "validator", id: "checker" });
    expect(() => run("checker")).toThrow("agent 'checker' cannot do 'data_processing'");
  });

  it("runs the coordinator and the monitor as workflow agents (their outputs are JSON, `validate` omitted)", async () => {
    system = await AgentSystem.open({});
    system.addAgent(new FunctionAgent("counter", ["count_words"], (task) => String((task.input as { text: string }).text).split(/\s+/).length));
    const result = await system.runWorkflow(
      {
        name: "agents-as-steps",
        steps: [
          { id: "delegate", type: "agent.task", parameters: { capability: "task_coordination", input: { type: "wc", requirements: ["count_words"], input: { text: "one two three" } } } },
          { id: "health", type: "agent.task", depends_on: ["delegate"], parameters: { capability: "monitoring" } },
        ],
      },
      {},
    );
    expect(result.outputs["delegate"]).toMatchObject({ taskType: "wc", results: { count_words: 3 }, validation: null });
    expect(result.outputs["health"]).toMatchObject({ totals: { unhealthy: 0 } });
    expect((result.outputs["health"] as { agents: Array<{ reason: unknown }> }).agents.every((a) => a.reason === null)).toBe(true);
  });

  it("plugs a remote executor in as just another executor agent", async () => {
    system = await AgentSystem.open({});
    // The 'remote' side: its own registry and executor (a queue worker pool in production).
    const remoteSteps: StepTask[] = [];
    const shout: StepHandler<{ text: string }> = { type: "shout", execute: async (ctx) => ctx.parameters.text.toUpperCase() };
    const workers = new InProcessExecutor(new StepHandlerRegistry([shout as StepHandler<never>]));
    system.engine.registry.register(shout); // the engine validates the step type
    system.addAgent(ExecutorAgent.remote({ execute: (task, options) => (remoteSteps.push(task), workers.execute(task, options)) }, { id: "worker-pool", stepTypes: ["shout"] }));
    const handle = system.engine.start({ name: "remote", steps: [{ id: "s", type: "shout", for_each: ["a", "b"], parameters: { text: "{{ item }}" } }] });
    expect((await handle.result).outputs["s"]).toEqual(["A", "B"]);
    expect(remoteSteps.map((t) => [t.runId, t.stepId, t.type, t.attempt, t.index, t.item, t.agent])).toEqual([
      [handle.runId, "s", "shout", 1, 0, "a", "worker-pool"],
      [handle.runId, "s", "shout", 1, 1, "b", "worker-pool"],
    ]);
    expect(system.engine.getRun(handle.runId).assignments.map((a) => [a.index, a.assignment["agentId"]])).toEqual([
      [0, "worker-pool"],
      [1, "worker-pool"],
    ]);
  });
});
