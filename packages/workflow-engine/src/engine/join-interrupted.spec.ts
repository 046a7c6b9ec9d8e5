import { describe, expect, it } from "@jest/globals";
import type { ExecuteOptions, Executor, StepTask } from "../execution/executor";
import type { JsonValue } from "../execution/json-value";
import { StepHandlerRegistry } from "../steps/step-handler-registry";
import { MemoryRunStore } from "../store/memory-run-store";
import { WorkflowEngine } from "./workflow-engine";

const workflow = { name: "one", steps: [{ id: "s", type: "noop", parameters: {} }] };

/** A store holding a run whose step `s` was running (attempt 1) when its engine died. */
function interruptedStore(): MemoryRunStore {
  const store = new MemoryRunStore();
  const now = Date.now();
  store.insertRun({ id: "r1", workflow: "one", definition: workflow, inputs: {}, matter: null, actor: null, status: "running", error: null, createdAt: now, updatedAt: now, startedAt: now, finishedAt: null });
  store.saveStep({ runId: "r1", key: "s", stepId: "s", index: null, status: "running", attempt: 1, output: null, error: null, startedAt: now, finishedAt: null });
  return store;
}

class RecordingExecutor implements Executor {
  readonly tasks: StepTask[] = [];
  constructor(readonly joinsInterruptedAttempts: boolean) {}
  async execute(task: StepTask, _options: ExecuteOptions): Promise<JsonValue> {
    this.tasks.push(task);
    return { joined: task.attempt };
  }
}

describe("resuming a step that was running", () => {
  it("re-sends the same attempt to an executor that joins interrupted attempts", async () => {
    const registry = new StepHandlerRegistry([{ type: "noop", execute: async () => null }]);
    const executor = new RecordingExecutor(true);
    const engine = new WorkflowEngine({ store: interruptedStore(), registry, executor });
    const result = await engine.resume("r1").result;
    expect(result.status).toBe("completed");
    expect(result.outputs["s"]).toEqual({ joined: 1 });
    expect(executor.tasks.map((t) => t.attempt)).toEqual([1]);
    expect(engine.getRun("r1").steps[0]?.attempt).toBe(1);
  });

  it("fails it as INTERRUPTED (no attempts left) with an executor that does not", async () => {
    const registry = new StepHandlerRegistry([{ type: "noop", execute: async () => null }]);
    const executor = new RecordingExecutor(false);
    const engine = new WorkflowEngine({ store: interruptedStore(), registry, executor });
    const result = await engine.resume("r1").result;
    expect(result.status).toBe("failed");
    expect(result.error?.message).toMatch(/was running when the engine stopped/);
    expect(executor.tasks).toEqual([]);
  });
});
