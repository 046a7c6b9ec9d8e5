import { afterEach, describe, expect, it } from "@jest/globals";
import { RxEventBus, type BearEvent } from "@bear/core";
import { AgentSystem, type AgentHealthEvent, type MonitorReport } from "../src/index";
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

  it("takes an agent that fails repeatedly out of the balancer's pool (skipped, not down-weighted) and lets it back after it recovers", async () => {
    const bus = new RxEventBus();
    const health: AgentHealthEvent[] = [];
    bus.on<BearEvent & AgentHealthEvent>("agents:agent.health_changed").subscribe((e) => health.push(e));
    system = await AgentSystem.open({ eventBus: bus, config: { monitor: { maxConsecutiveFailures: 3, recoverAfterMs: 60_000 } } });
    let broken = true;
    // "parser" is the specialist (one capability); "generalist" can parse too but scores lower on capability match
    system.addAgent(new FunctionAgent("parser", ["parse"], () => { if (broken) throw new Error("parser is down"); return "parsed by parser"; }, { maxConcurrentTasks: 1 }));
    const gate = deferred();
    let holdGeneralist = false;
    const generalist = new FunctionAgent("generalist", ["parse", "a", "b", "c", "d", "e", "f", "g", "h"], async () => {
      if (holdGeneralist) await gate.promise;
      return "parsed by generalist";
    }, { maxConcurrentTasks: 1 });
    system.addAgent(generalist);
    const parse = (id: string) => system.dispatcher.dispatch({ id, capability: "parse", input: null });

    // three failures in a row on the preferred agent: out of the pool at once, without waiting for a timer tick
    for (let i = 0; i < 3; i++) await expect(parse(`f${i}`)).rejects.toThrow("parser is down");
    expect(system.inspectAgent("parser")).toMatchObject({ health: "failing", healthReason: "3 failures in a row (limit 3)" });
    const failedAt = health.at(-1)!.at;

    // skipped: every task goes to the generalist, even when it is busy (the task queues there rather than going back to the failing agent)
    expect(await parse("s1")).toBe("parsed by generalist");
    holdGeneralist = true;
    const queued = [parse("s2"), parse("s3")];
    await new Promise((r) => setImmediate(r));
    expect(system.inspectAgent("generalist").load).toMatchObject({ running: 1, queued: 1 });
    expect(system.inspectAgent("parser").metrics.tasksFailed).toBe(3);
    expect(system.inspectAgent("parser").currentTasks).toEqual([]);
    const ranked = system.dispatcher.balancer.rank("parse", system.registry.capableOf("parse"));
    expect(ranked.map((r) => [r.agentId, r.available])).toEqual([["generalist", false], ["parser", false]]);
    gate.resolve();
    expect(await Promise.all(queued)).toEqual(["parsed by generalist", "parsed by generalist"]);
    holdGeneralist = false;

    // the agent is repaired; still out of the pool until its time is up…
    broken = false;
    system.monitor.check(failedAt + 59_000);
    expect(system.inspectAgent("parser").health).toBe("failing");
    expect(await parse("s4")).toBe("parsed by generalist");
    // …then back on probation: it is chosen again, and a success makes it plainly healthy
    system.monitor.check(failedAt + 60_000);
    expect(system.inspectAgent("parser")).toMatchObject({ health: "healthy", healthReason: null });
    expect(await parse("r1")).toBe("parsed by parser");
    expect(await parse("r2")).toBe("parsed by parser");

    // broken again on probation: one failure is enough to take it out
    broken = true;
    system.monitor.check(failedAt + 120_000);
    await expect(parse("f3")).rejects.toThrow("parser is down");
    expect(system.inspectAgent("parser")).toMatchObject({ health: "healthy" });
    await expect(parse("f4")).rejects.toThrow("parser is down");
    await expect(parse("f5")).rejects.toThrow("parser is down");
    expect(system.inspectAgent("parser").health).toBe("failing");

    expect(health.map((e) => [e.agentId, e.previous, e.health])).toEqual([
      ["parser", "healthy", "failing"],
      ["parser", "failing", "healthy"],
      ["parser", "healthy", "failing"],
    ]);
    expect(health[1]).toMatchObject({ reason: "back in the pool on probation (one more failure takes it out again)" });
  });

  it("runs as a workflow step: the monitor's report is JSON the engine accepts (no VALUE_NOT_JSON)", async () => {
    system = await AgentSystem.open({ llm: new ScriptedLlm("tiny", () => "ok"), config: { monitor: { minSamples: 1 } } });
    system.addAgent(new FunctionAgent("bad", ["x"], () => { throw new Error("no"); }));
    await expect(system.dispatcher.dispatch({ id: "x", capability: "x", input: null })).rejects.toThrow("no");
    const result = await system.runWorkflow({ name: "health", steps: [{ id: "report", type: "agent.task", parameters: { capability: "monitoring", input: null } }] }, {});
    expect(result.status).toBe("completed");
    const report = result.outputs["report"] as unknown as MonitorReport;
    expect(report.agents.find((a) => a.id === "bad")).toMatchObject({ health: "failing", reason: "recent success rate 0% (minimum 50%)" });
    expect(report.agents.filter((a) => a.health === "healthy").every((a) => a.reason === null)).toBe(true);
    expect(report.models).toEqual([expect.objectContaining({ modelId: "tiny" })]);
  });
});
