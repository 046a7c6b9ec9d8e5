import { describe, expect, it } from "@jest/globals";
import { WorkflowValidationError } from "../errors";
import { StepHandlerRegistry } from "../steps/step-handler-registry";
import type { StepHandler } from "../steps/step-handler";
import { ValidatedDefinitions } from "./validated-definitions";

const handler = (type: string): StepHandler<never> => ({ type, execute: async () => null }) as unknown as StepHandler<never>;
const YAML = "name: two\nsteps:\n  - id: a\n    type: work\n  - id: b\n    type: work\n    depends_on: [a]\n    parameters: { x: '{{ steps.a.output }}' }\n";

describe("ValidatedDefinitions", () => {
  it("validates a definition once per text or JSON, and shares it frozen", () => {
    const registry = new StepHandlerRegistry([handler("work")]);
    const definitions = new ValidatedDefinitions(registry);
    const first = definitions.prepare(YAML);
    expect(definitions.prepare(YAML)).toBe(first);
    expect(first.workflow.steps.map((s) => s.id)).toEqual(["a", "b"]);
    expect(Object.isFrozen(first.workflow.steps[1]!.parameters)).toBe(true);
    expect(Object.isFrozen(first.raw)).toBe(true);
    // an object: keyed by its JSON; the caller's object is copied, not frozen
    const object = { name: "one", steps: [{ id: "a", type: "work", parameters: { n: 1 } }] };
    const prepared = definitions.prepare(object);
    expect(definitions.prepare({ ...object })).toBe(prepared);
    expect(Object.isFrozen(object) || Object.isFrozen(object.steps[0]!.parameters)).toBe(false);
    expect(prepared.raw).toEqual(object);
  });

  it("validates again when the registry's handlers, checks or expanders change", () => {
    const registry = new StepHandlerRegistry([handler("work")]);
    const definitions = new ValidatedDefinitions(registry);
    const first = definitions.prepare(YAML);
    registry.register(handler("other"));
    const second = definitions.prepare(YAML);
    expect(second).not.toBe(first);
    registry.unregister("work");
    expect(() => definitions.prepare(YAML)).toThrow(/unknown step type 'work'/);
    registry.register(handler("work"));
    const renamed = registry.addExpander((d) => ({ ...(d as object), name: "renamed" }));
    expect(definitions.prepare(YAML).workflow.name).toBe("renamed");
    renamed();
    expect(definitions.prepare(YAML).workflow.name).toBe("two");
  });

  it("runs the step types' own checks on every run (they may read state the registry does not version)", () => {
    const registry = new StepHandlerRegistry([handler("work")]);
    let agentExists = true;
    registry.addStepCheck(() => (agentExists ? [] : [{ path: "agent", message: "agent 'x' does not exist" }]));
    const definitions = new ValidatedDefinitions(registry);
    definitions.prepare(YAML);
    agentExists = false;
    let error: unknown;
    try {
      definitions.prepare(YAML);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(WorkflowValidationError);
    expect((error as WorkflowValidationError).message).toMatch(/steps\[0\]\.agent: agent 'x' does not exist/);
  });

  it("does not remember a definition that failed, nor one that is not JSON", () => {
    const registry = new StepHandlerRegistry([handler("work")]);
    const definitions = new ValidatedDefinitions(registry);
    const bad = "name: bad\nsteps:\n  - id: a\n    type: nope\n";
    expect(() => definitions.prepare(bad)).toThrow(WorkflowValidationError);
    registry.register(handler("nope"));
    expect(definitions.prepare(bad).workflow.steps[0]!.type).toBe("nope");
    expect(() => definitions.prepare({ name: "x", steps: [{ id: "a", type: "work", parameters: { when: new Date() } }] })).toThrow(/not a plain object/);
  });
});
