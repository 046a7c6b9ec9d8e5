import { afterEach, describe, expect, it } from "@jest/globals";
import { RxEventBus, type BearEvent } from "@bear/core";
import { AgentSystem, type AgentHealthEvent } from "../src/index";
import { ScriptedLlm } from "./support/scripted-llm";
import { FunctionAgent, deferred } from "./support/test-agents";

describe("MonitorAgent", () => {
  let system: AgentSystem;
  afterEach(async () => system.dispose());

  it("detects a stuck agent and its recovery, publishing health changes on the EventBus", async () => {
    const bus = new RxEventBus();
    const published: BearEvent[] = [];
    bus.on("agents:*").subscribe((e) => published.push(e));
    system = await AgentSystem.open({ eventBus: bus, config: { monitor: { stuckAfterMs: 1000 } } });
    const gate = deferred();
    system.addAgent(new FunctionAgent("slowpoke", ["slow"], async () => (await gate.promise, "done")));
    const changes: AgentHealthEvent[] = [];
    system.monitor.onDidChangeHealth.subscribe((e) => changes.push(e));

    const task = system.dispatcher.dispatch({ id: "t1", capability: "slow", input: null });
    await new Promise((r) => setImmediate(r));
    const startedAt = system.inspectAgent("slowpoke").currentTasks[0]!.startedAt!;
    expect(system.monitor.check(startedAt + 500).agents.find((a) => a.id === "slowpoke")!.health).toBe("healthy");
    const report = system.monitor.check(startedAt + 1500);
    expect(report.agents.find((a) => a.id === "slowpoke")).toMatchObject({ health: "stuck", status: "active", reason: "task 't1' running for 1500 ms (limit 1000 ms)" });
    expect(report.totals).toMatchObject({ unhealthy: 1, running: 1 });
    gate.resolve();
    await task;
    system.monitor.check();
    expect(changes.map((c) => [c.agentId, c.previous, c.health])).toEqual([
      ["slowpoke", "healthy", "stuck"],
      ["slowpoke", "stuck", "healthy"],
    ]);
    expect(published.filter((e) => e.type === "agents:agent.health_changed")).toHaveLength(2);
    expect(published.filter((e) => e.type === "agents:task.assigned")).toHaveLength(1);
  });

  it("flags an agent whose recent tasks mostly fail, and reports model usage", async () => {
    const llm = new ScriptedLlm("tiny", () => "a b c");
    system = await AgentSystem.open({ llm, config: { monitor: { minSamples: 3, minSuccessRate: 0.5 } } });
    system.addAgent(new FunctionAgent("flaky", ["parse"], () => { throw new Error("cannot parse"); }));
    for (let i = 0; i < 3; i++) await expect(system.dispatcher.dispatch({ id: `p${i}`, capability: "parse", input: null })).rejects.toThrow("cannot parse");
    await system.dispatcher.dispatch({ id: "g", capability: "llm_generation", input: { prompt: "hello" } });
    // a workflow's own llm_generation step is executed by the same LLM executor, on the same metered model
    await system.runWorkflow({ name: "direct", steps: [{ id: "g", type: "llm_generation", parameters: { prompt: "hi" } }] }, {});
    const report = system.monitor.check();
    expect(report.agents.find((a) => a.id === "flaky")).toMatchObject({ health: "failing", reason: "recent success rate 0% (minimum 50%)" });
    expect(report.agents.find((a) => a.id === "llm-executor")).toMatchObject({ health: "healthy", metrics: { tasksCompleted: 2 } });
    expect(report.models).toEqual([expect.objectContaining({ modelId: "tiny", generations: 2, tokensGenerated: 6, failures: 0 })]);
    // the monitor is an agent too: its capability returns the same report
    expect(await system.dispatcher.dispatch({ id: "m", capability: "monitoring", input: null })).toMatchObject({ totals: { unhealthy: 1 } });
  });

  it("checks on a timer when given an interval, without keeping the process alive", async () => {
    system = await AgentSystem.open({ config: { monitor: { intervalMs: 20, minSamples: 1 } } });
    system.addAgent(new FunctionAgent("bad", ["x"], () => { throw new Error("no"); }));
    const seen = new Promise<AgentHealthEvent>((resolve) => system.monitor.onDidChangeHealth.subscribe(resolve));
    await expect(system.dispatcher.dispatch({ id: "x", capability: "x", input: null })).rejects.toThrow("no");
    await expect(seen).resolves.toMatchObject({ agentId: "bad", health: "failing" });
  });
});
