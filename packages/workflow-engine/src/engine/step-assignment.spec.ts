import { describe, expect, it } from "@jest/globals";
import { WorkflowValidationError } from "../errors";
import { InProcessExecutor, type ExecuteOptions, type Executor, type StepTask } from "../execution/executor";
import type { JsonValue } from "../execution/json-value";
import type { RawJson } from "../execution/raw-json";
import { dataProcessingHandler } from "../steps/data-processing-handler";
import type { StepHandler } from "../steps/step-handler";
import { StepHandlerRegistry } from "../steps/step-handler-registry";
import { WorkflowEngine } from "./workflow-engine";

/** Wraps the in-process executor the way @bear/agents does: reports who ran each attempt. */
class ReportingExecutor implements Executor {
  readonly tasks: StepTask[] = [];
  constructor(readonly inner: Executor) {}
  async execute(task: StepTask, options: ExecuteOptions): Promise<JsonValue | RawJson> {
    this.tasks.push(task);
    const output = await this.inner.execute(task, options);
    options.onAssignment?.({ agentId: `agent-of-${task.stepId}`, verdict: { valid: true } });
    return output;
  }
}

const workflow = {
  name: "assigned",
  inputs: { xs: { type: "array", default: [1, 2, 2] } },
  steps: [
    { id: "uniq", type: "data_processing", parameters: { operation: "unique", input: "{{ inputs.xs }}" }, validate: { min_items: "{{ inputs.xs }}" } },
    { id: "count", type: "data_processing", depends_on: ["uniq"], parameters: { operation: "count", input: "{{ steps.uniq.output }}" } },
  ],
};

describe("executor assignments and step checks", () => {
  it("records what the executor reports per attempt and passes the step's resolved validate checks", async () => {
    const registry = new StepHandlerRegistry([dataProcessingHandler() as StepHandler<never>]);
    const executor = new ReportingExecutor(new InProcessExecutor(registry));
    const engine = WorkflowEngine.inMemory({ registry, executor });
    const run = engine.start(workflow);
    const events: string[] = [];
    run.events.subscribe((e) => events.push("stepId" in e ? `${e.type}:${e.stepId}` : e.type));
    const result = await run.result;
    expect(result.status).toBe("completed");
    expect(result.outputs["count"]).toBe(2);
    expect(executor.tasks[0]!.validate).toEqual({ min_items: [1, 2, 2] });
    expect(executor.tasks[1]!.validate).toBeUndefined();
    expect(events.indexOf("step.assigned:uniq")).toBeGreaterThan(events.indexOf("step.started:uniq"));
    expect(events.indexOf("step.assigned:uniq")).toBeLessThan(events.indexOf("step.completed:uniq"));
    const details = engine.getRun(run.runId);
    expect(details.assignments).toEqual([
      { stepId: "uniq", index: null, attempt: 1, assignment: { agentId: "agent-of-uniq", verdict: { valid: true } } },
      { stepId: "count", index: null, attempt: 1, assignment: { agentId: "agent-of-count", verdict: { valid: true } } },
    ]);
    await engine.dispose();
  });

  it("refuses, before the run starts, a step its handler's check or an added step check rejects", () => {
    const checked: StepHandler<{ tool: string }> = {
      type: "tool_like",
      check: (p) => (typeof p["tool"] === "string" && p["tool"] !== "known" && !p["tool"].includes("{{") ? [{ path: "parameters.tool", message: `unknown tool '${p["tool"]}'` }] : []),
      execute: async () => null,
    };
    const registry = new StepHandlerRegistry([checked as StepHandler<never>]);
    const remove = registry.addStepCheck((step) => (step.agent === "ghost" ? [{ path: "agent", message: "no agent 'ghost'" }] : []));
    const engine = WorkflowEngine.inMemory({ registry });
    const bad = { name: "bad", steps: [{ id: "a", type: "tool_like", parameters: { tool: "nope" } }, { id: "b", type: "tool_like", agent: "ghost", parameters: { tool: "known" } }, { id: "c", type: "tool_like", validate: { x: "{{ steps.zz.output }}" }, parameters: { tool: "{{ inputs.t }}" } }] };
    let error: unknown;
    try {
      engine.start(bad);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(WorkflowValidationError);
    const paths = (error as WorkflowValidationError).issues.map((i) => `${i.path}: ${i.message}`);
    expect(paths).toContain("steps[0].parameters.tool: unknown tool 'nope'");
    expect(paths).toContain("steps[1].agent: no agent 'ghost'");
    expect(paths.some((p) => p.startsWith("steps[2].validate.x: reference 'steps.zz.output'"))).toBe(true);
    expect(paths.some((p) => p.startsWith("steps[2].parameters.tool"))).toBe(true); // inputs.t is not declared
    remove();
    expect(engine.validate({ name: "ok", steps: [{ id: "b", type: "tool_like", agent: "ghost", parameters: { tool: "known" } }] }).ok).toBe(true);
  });
});
