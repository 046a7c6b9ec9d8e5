import { describe, expect, it } from "@jest/globals";
import { InvalidArgumentError } from "@bear/core";
import { Pipeline } from "./pipeline";

describe("Pipeline", () => {
  it("chains stages, each on the previous output by default, and gates pass their subject on", () => {
    const workflow = new Pipeline("p")
      .stage({ id: "a", capability: "x" })
      .gate({ id: "g", validate: { pii: "scrubbed" }, fallback: { id: "safe", capability: "y" } })
      .stage({ id: "b", capability: "z", attempts: 3 })
      .toWorkflow() as unknown as { steps: Array<Record<string, unknown>> };
    expect(workflow.steps).toEqual([
      { id: "a", type: "agent.task", depends_on: [], parameters: { capability: "x", input: "{{ inputs.input }}" } },
      { id: "g", type: "agent.validate", depends_on: ["a"], on_error: { fallback: "safe" }, parameters: { subject: "{{ steps.a.output }}", spec: { pii: "scrubbed" } } },
      { id: "safe", type: "agent.task", depends_on: ["a"], parameters: { capability: "y", input: "{{ steps.a.output }}" } },
      expect.objectContaining({ id: "b", depends_on: ["g"], retry: expect.objectContaining({ attempts: 3 }), parameters: { capability: "z", input: "{{ steps.g.output.subject }}" } }),
    ]);
  });

  it("refuses duplicate or malformed stage ids and an empty pipeline", () => {
    const p = new Pipeline("p").stage({ id: "a", capability: "x" });
    expect(() => p.stage({ id: "a", capability: "y" })).toThrow("an id not used yet (used: a)");
    expect(() => p.stage({ id: "1bad", capability: "y" })).toThrow(InvalidArgumentError);
    expect(() => new Pipeline("empty").toWorkflow()).toThrow("at least one stage");
  });
});
