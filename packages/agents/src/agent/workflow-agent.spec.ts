import { describe, expect, it } from "@jest/globals";
import { DisposedError } from "@bear/core";
import type { JsonValue } from "@bear/workflow-engine";
import { CapabilityUnsupportedError } from "../errors";
import type { AgentActivity } from "./agent";
import { WorkflowAgent, type AgentTask, type AgentTaskContext } from "./workflow-agent";

class GateAgent extends WorkflowAgent {
  readonly gates = new Map<string, () => void>();
  readonly order: string[] = [];
  constructor(max = 1) {
    super({ id: "gate", type: "executor", capabilities: ["work"], maxConcurrentTasks: max });
  }
  protected override perform(task: AgentTask, ctx: AgentTaskContext): Promise<JsonValue> {
    this.order.push(task.id);
    const seen = ctx.memory.get("seen");
    ctx.memory.set("seen", (typeof seen === "number" ? seen : 0) + 1);
    if (task.input === "fail") return Promise.reject(Object.assign(new Error("boom"), { code: "BOOM" }));
    return new Promise((resolve, reject) => {
      this.gates.set(task.id, () => resolve({ done: task.id, seen: ctx.memory.get("seen") ?? null }));
      ctx.signal.addEventListener("abort", () => reject(ctx.signal.reason), { once: true });
    });
  }
}

const flush = (): Promise<void> => new Promise((r) => setImmediate(r));

describe("WorkflowAgent", () => {
  it("goes idle → busy with a full slot, queues in FIFO order, and returns to idle", async () => {
    const agent = new GateAgent(1);
    const activity: AgentActivity["type"][] = [];
    agent.onDidChangeActivity.subscribe((a) => activity.push(a.type));
    expect(agent.status).toBe("idle");
    const first = agent.run({ id: "t1", capability: "work", input: null, runId: "r" });
    const second = agent.run({ id: "t2", capability: "work", input: null, runId: "r" });
    // the first takes the slot at once, so a balancer choosing right after sees the load
    expect(agent.load).toEqual({ running: 1, queued: 1, capacity: 1 });
    await flush();
    expect(agent.status).toBe("busy");
    expect(agent.currentTasks.map((t) => [t.taskId, t.state])).toEqual([["t1", "running"], ["t2", "queued"]]);
    agent.gates.get("t1")!();
    await expect(first).resolves.toEqual({ done: "t1", seen: 1 });
    await flush();
    agent.gates.get("t2")!();
    // working memory is carried between the tasks of one run
    await expect(second).resolves.toEqual({ done: "t2", seen: 2 });
    expect(agent.order).toEqual(["t1", "t2"]);
    expect(agent.status).toBe("idle");
    expect(activity).toEqual(["task.queued", "task.queued", "task.started", "task.completed", "task.started", "task.completed"]);
    expect(agent.metrics).toMatchObject({ tasksCompleted: 2, tasksFailed: 0, successRate: 1, latency: { count: 2 } });
  });

  it("is 'active' while it has room for more tasks", async () => {
    const agent = new GateAgent(2);
    const p = agent.run({ id: "t", capability: "work", input: null });
    await flush();
    expect(agent.status).toBe("active");
    agent.gates.get("t")!();
    await p;
  });

  it("counts a failure and a rejected result as failures, a cancelled run as neither", async () => {
    const agent = new GateAgent(2);
    await expect(agent.run({ id: "f", capability: "work", input: "fail" })).rejects.toThrow("boom");
    const rejecting = agent.run({ id: "r", capability: "work", input: null }, { accept: () => { throw new Error("rejected"); } });
    await flush();
    agent.gates.get("r")!();
    await expect(rejecting).rejects.toThrow("rejected");
    const controller = new AbortController();
    const cancelled = agent.run({ id: "c", capability: "work", input: null }, { signal: controller.signal });
    await flush();
    controller.abort(new Error("run cancelled"));
    await expect(cancelled).rejects.toThrow("run cancelled");
    expect(agent.metrics).toMatchObject({ tasksCompleted: 0, tasksFailed: 2, tasksCancelled: 1, successRate: 0 });
  });

  it("refuses a capability it does not declare, and any task once disposed", async () => {
    const agent = new GateAgent();
    await expect(agent.run({ id: "x", capability: "fly", input: null })).rejects.toThrow(CapabilityUnsupportedError);
    await expect(agent.run({ id: "x", capability: "fly", input: null })).rejects.toThrow("agent 'gate' cannot do 'fly' (it declares: work)");
    agent.dispose();
    await expect(agent.run({ id: "y", capability: "work", input: null })).rejects.toThrow(DisposedError);
  });

  it("inspect() shows tasks and sizes but no inputs or memory contents", async () => {
    const agent = new GateAgent();
    const p = agent.run({ id: "run-1/step", capability: "work", input: "Confidential: Jane Roe", runId: "run-1" });
    await flush();
    const snapshot = agent.inspect();
    expect(snapshot).toMatchObject({ id: "gate", type: "executor", status: "busy", currentTasks: [{ taskId: "run-1/step", runId: "run-1", state: "running" }], memory: { runs: 1, entries: 1 } });
    expect(JSON.stringify(snapshot)).not.toContain("Jane");
    agent.abortTasks("test over");
    await expect(p).rejects.toThrow("test over");
  });
});
