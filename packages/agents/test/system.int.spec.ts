import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "@jest/globals";
import { AuditSink, EventBus, Llm, Scrubber, coreModule, createContainer, defaultBearConfig, disposeContainer, type AuditEvent } from "@bear/core";
import { SqliteRunStore, runFileArea, workflowEngineModule } from "@bear/workflow-engine";
import { ContainerModule } from "inversify";
import { z } from "zod";
import { AgentSystem, AgentSystemToken, SpecialistToken, ToolRegistryToken, agentsModule, type ToolRegistry } from "../src/index";
import { LEASE, legalTestSpecialists } from "./support/fixtures";
import { RegexScrubber } from "./support/regex-scrubber";
import { ScriptedLlm } from "./support/scripted-llm";
import { FunctionAgent, deferred } from "./support/test-agents";

describe("AgentSystem registry operations (what /api/v1/agents exposes)", () => {
  let system: AgentSystem;
  afterEach(async () => system.dispose());

  it("creates agents from JSON specs, lists them with filters, inspects and removes them", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "agents-registry-"));
    try {
      system = await AgentSystem.open({ llm: new ScriptedLlm("m", () => "ok"), config: { workspaceRoot: dir } });
      expect(system.listAgents().map((a) => `${a.type}:${a.id}`)).toEqual([
        "coordinator:coordinator",
        "monitor:monitor",
        "executor:data-executor",
        "executor:llm-executor",
      "executor:tool-executor",
        "executor:file-executor",
        "validator:validator",
      ]);
      const created = system.createAgent({ type: "executor", id: "llm-2", capability: "llm_generation", maxConcurrentTasks: 4 });
      expect(created).toMatchObject({ id: "llm-2", type: "executor", capabilities: ["llm_generation"], status: "idle", load: { capacity: 4 } });
      system.createAgent({ type: "validator", id: "strict-validator" });
      expect(system.listAgents({ capability: "llm_generation" }).map((a) => a.id)).toEqual(["llm-executor", "llm-2"]);
      expect(system.listAgents({ type: "validator" }).map((a) => a.id)).toEqual(["validator", "strict-validator"]);
      expect(system.listAgents({ status: "busy" })).toEqual([]);
      expect(() => system.createAgent({ type: "executor", id: "llm-2", capability: "llm_generation" })).toThrow("an agent with id 'llm-2' is already registered");
      expect(() => system.createAgent({ type: "specialist", id: "x", specialist: "legal.terms" })).toThrow("no specialist 'legal.terms' is installed (installed: none)");
      expect(() => system.createAgent({ type: "monitor", id: "m2" } as never)).toThrow(/invalid agent spec/);
      expect(system.removeAgent("llm-2")).toMatchObject({ id: "llm-2" });
      expect(() => system.inspectAgent("llm-2")).toThrow("no agent with id 'llm-2'");
      expect(() => system.removeAgent("coordinator")).toThrow("is the system's coordinator and cannot be removed");
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it("shows the current task while an agent works, refuses to remove it unless forced, and forced removal aborts the task", async () => {
    system = await AgentSystem.open({});
    const started = deferred();
    system.addAgent(
      new FunctionAgent("worker", ["long_job"], (_task, ctx) => {
        started.resolve();
        return new Promise((_resolve, reject) => ctx.signal.addEventListener("abort", () => reject(ctx.signal.reason), { once: true }));
      }),
    );
    const job = system.dispatcher.dispatch({ id: "run-7/job", runId: "run-7", capability: "long_job", input: "Jane Roe's file" });
    await started.promise;
    const view = system.inspectAgent("worker");
    expect(view.currentTasks).toEqual([expect.objectContaining({ taskId: "run-7/job", runId: "run-7", capability: "long_job", state: "running" })]);
    expect(JSON.stringify(view)).not.toContain("Jane");
    expect(system.listAgents({ status: "active" }).map((a) => a.id)).toEqual(["worker"]);
    expect(() => system.removeAgent("worker")).toThrow("agent 'worker' is working on 1 task(s) and cannot be removed");
    system.removeAgent("worker", { force: true });
    await expect(job).rejects.toThrow("agent 'worker': the agent was disposed");
    expect(system.listAgents().map((a) => a.id)).not.toContain("worker");
  });

  it("plugs a specialist in: its capability joins balancing and its step types run in plain YAML workflows", async () => {
    system = await AgentSystem.open({});
    system.installSpecialist(legalTestSpecialists().terms, { instances: 2 });
    expect(system.listAgents({ type: "specialist" }).map((a) => a.id)).toEqual(["term-extractor-1", "term-extractor-2"]);
    expect(system.engine.registry.has("test.extract_terms")).toBe(true);
    const yaml = `
name: terms-direct
inputs: { document: { type: string } }
steps:
  - id: direct
    type: test.extract_terms
    parameters: { document: "{{ inputs.document }}" }
  - id: via_agent
    type: agent.task
    parameters:
      capability: term_extraction
      input: { document: "{{ inputs.document }}" }
      validate: { schema: term_extraction, require_citations: true, sources: "{{ inputs.document }}" }
`;
    const result = await system.runWorkflow(yaml, { document: LEASE });
    expect(result.outputs["via_agent"]).toEqual(result.outputs["direct"]);
    expect(system.createAgent({ type: "specialist", id: "terms-3", specialist: "term-extractor" })).toMatchObject({ type: "specialist", capabilities: ["term_extraction", "test.extract_terms"] });
    expect(() => system.installSpecialist(legalTestSpecialists().terms)).toThrow("specialist 'term-extractor' is already installed");
  });

  it("keeps the file executor inside its workspace, and a step's `agent` field pins the agent", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "agents-files-"));
    try {
      system = await AgentSystem.open({ config: { workspaceRoot: dir } });
      system.createAgent({ type: "executor", id: "files-2", capability: "file_operations" });
      await expect(system.dispatcher.dispatch({ id: "esc", capability: "file_operations", input: { operation: "read", path: "../../etc/passwd" } })).rejects.toThrow(/outside the workspace/);
      const yaml = `
name: pinned
steps:
  - id: write
    type: agent.task
    agent: files-2
    parameters: { capability: file_operations, input: { operation: write, path: notes/a.txt, content: hello } }
`;
      const result = await system.runWorkflow(yaml, {});
      expect(result.assignments.map((a) => [a.agentId, a.score])).toEqual([["files-2", null]]);
      expect(fs.readFileSync(path.join(dir, "notes/a.txt"), "utf8")).toBe("hello");
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it("calls registered tools through the tool executor", async () => {
    system = await AgentSystem.open({
      tools: [{ name: "days_between", parameters: z.object({ from: z.string(), to: z.string() }), execute: async (a: { from: string; to: string }) => (Date.parse(a.to) - Date.parse(a.from)) / 86_400_000 }],
    });
    expect(await system.dispatcher.dispatch({ id: "t", capability: "tool_execution", input: { tool: "days_between", arguments: { from: "2026-03-01", to: "2026-04-30" } } })).toBe(60);
    await expect(system.dispatcher.dispatch({ id: "t2", capability: "tool_execution", input: { tool: "nope" } })).rejects.toThrow("no tool named 'nope' is registered (registered: days_between)");
    await expect(system.dispatcher.dispatch({ id: "t3", capability: "tool_execution", input: { tool: "days_between", arguments: { from: 1 } } })).rejects.toThrow(/arguments.from/);
  });
});

describe("agentsModule", () => {
  it("binds an AgentSystem on the container's engine, Llm, Scrubber and specialists, and disposes it with the container", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "agents-module-"));
    // A run a crashed process of this same app left running (its file area is the app's), with an agent.task step: it must resume once the app starts.
    const store = await SqliteRunStore.open({ dbPath: path.join(dir, "wf.db") });
    const interrupted = { name: "interrupted", steps: [{ id: "check", type: "agent.task", parameters: { capability: "compliance_check", input: { document: LEASE } } }] };
    store.insertRun({ id: "crashed-2", workflow: "interrupted", definition: interrupted, inputs: {}, matter: null, actor: null, files: runFileArea({ workspaceRoot: dir }), status: "running", error: null, createdAt: 1, updatedAt: 1, startedAt: Date.now(), finishedAt: null });
    store.flush();
    store.close();
    const audits: AuditEvent[] = [];
    const container = createContainer(
      coreModule({ config: defaultBearConfig(dir) }),
      new ContainerModule(({ bind }) => {
        bind(Llm).toConstantValue(new ScriptedLlm("di-model", () => "fine"));
        bind(Scrubber).toConstantValue(new RegexScrubber());
        bind(AuditSink).toConstantValue({ record: async (e: AuditEvent) => void audits.push(e) });
        bind(SpecialistToken).toConstantValue(legalTestSpecialists().compliance);
      }),
      workflowEngineModule({ dbPath: path.join(dir, "wf.db"), workspaceRoot: dir }),
      agentsModule({ maxConcurrentTasksPerAgent: 3, workspaceRoot: dir }),
    );
    try {
      const system = await container.getAsync<AgentSystem>(AgentSystemToken);
      expect(container.get<ToolRegistry>(ToolRegistryToken)).toBe(system.tools);
      expect(system.listAgents().map((a) => a.id).sort()).toEqual(["compliance-checker", "coordinator", "data-executor", "file-executor", "llm-executor", "monitor", "tool-executor", "validator"]);
      expect(system.inspectAgent("llm-executor").load.capacity).toBe(3);
      for (let i = 0; i < 200 && system.engine.getRun("crashed-2").status !== "completed"; i++) await new Promise((r) => setTimeout(r, 10));
      expect(system.engine.getRun("crashed-2").status).toBe("completed");
      const bus = container.get<EventBus>(EventBus);
      const seen: string[] = [];
      bus.on("agents:*").subscribe((e) => seen.push(e.type));
      const result = await system.delegate({ type: "check", requirements: ["compliance_check"], input: { document: LEASE }, validate: { pii: "scrubbed" } });
      expect(result.results["compliance_check"]).toMatchObject({ compliant: true });
      expect(seen).toContain("agents:task.assigned");
      expect(audits.some((a) => a.action === "workflow.run.start")).toBe(true);
      await disposeContainer(container);
      await expect(system.delegate({ type: "check", requirements: ["compliance_check"], input: {} })).rejects.toThrow("the AgentSystem has been disposed and cannot be used any more");
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it("refuses an invalid config with the field named", () => {
    expect(() => agentsModule({ maxConcurrentTasksPerAgent: 0 })).toThrow(/maxConcurrentTasksPerAgent/);
  });
});

describe("AgentSystem.open's in-memory run store", () => {
  const count = (n: number): object => ({ name: `count-${n}`, steps: [{ id: "c", type: "data_processing", parameters: { operation: "count", input: Array.from({ length: n }, (_, i) => i) } }] });

  it("keeps the last maxFinishedRuns finished runs, dropping the oldest", async () => {
    const system = await AgentSystem.open({ maxFinishedRuns: 2 });
    try {
      const ids: string[] = [];
      for (let n = 1; n <= 3; n++) {
        const result = await system.engine.run(count(n));
        expect(result.status).toBe("completed");
        ids.push(result.runId);
      }
      expect(() => system.engine.getRun(ids[0]!)).toThrow(/does not exist/);
      expect(system.engine.getRun(ids[1]!).status).toBe("completed");
      expect(system.engine.getRun(ids[2]!).steps[0]?.output).toBe(3);
    } finally {
      await system.dispose();
    }
  });

  it("refuses a cap that is no count, or one a SQLite store or a given engine would ignore, before making anything", async () => {
    for (const bad of [-1, 1.5, Number.NaN, "10" as unknown as number]) {
      await expect(AgentSystem.open({ maxFinishedRuns: bad })).rejects.toThrow(/invalid maxFinishedRuns: .* \(expected an integer of at least 0, or Infinity\)/);
    }
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "agents-cap-"));
    try {
      const dbPath = path.join(dir, "runs.db");
      await expect(AgentSystem.open({ dbPath, maxFinishedRuns: 10 })).rejects.toThrow(/invalid maxFinishedRuns: 10 \(expected no cap with dbPath/);
      expect(fs.existsSync(dbPath)).toBe(false);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
    const unbounded = await AgentSystem.open({ maxFinishedRuns: Infinity });
    await unbounded.dispose();
  });
});
