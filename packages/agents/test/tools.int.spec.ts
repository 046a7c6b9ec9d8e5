import { afterEach, describe, expect, it } from "@jest/globals";
import type { AgentTool } from "@bear/core";
import { WorkflowValidationError } from "@bear/workflow-engine";
import { AgentSystem } from "../src/index";

/** A tool as packages and plugins contribute them: core's AgentTool, a JSON Schema for its input. */
const wordCount: AgentTool = {
  name: "word_count",
  description: "Counts the words of a text.",
  inputSchema: { type: "object", additionalProperties: false, required: ["text"], properties: { text: { type: "string" }, min_length: { type: "integer", minimum: 1 } } },
  execute: async (input, context) => ({
    words: String(input["text"]).split(/\s+/).filter((w) => w.length >= Number(input["min_length"] ?? 1)).length,
    matter: context.matter ?? null,
    actor: context.actor ?? null,
  }),
};

describe("tool_execution steps and the tool registry", () => {
  let system: AgentSystem | undefined;
  afterEach(async () => {
    await system?.dispose();
    system = undefined;
  });

  it("runs a tool named by a step, arguments flat (the seed's form) or under `arguments`, on the tool executor, inside the run's matter", async () => {
    system = await AgentSystem.open({ tools: [wordCount] });
    const handle = system.engine.start(
      {
        name: "count",
        inputs: { text: { type: "string" } },
        steps: [
          { id: "flat", type: "tool_execution", agent: "executor", parameters: { tool: "word_count", text: "{{ inputs.text }}" } },
          { id: "nested", type: "tool_execution", parameters: { tool: "word_count", arguments: { text: "{{ inputs.text }}", min_length: 4 } } },
        ],
      },
      { text: "the tenant shall pay rent" },
      { matter: "acme-lease", actor: "alice" },
    );
    const result = await handle.result;
    expect(result.status).toBe("completed");
    // the tool is called as the run's starter (its acts are audited as them)
    expect(result.outputs).toEqual({ flat: { words: 5, matter: "acme-lease", actor: "alice" }, nested: { words: 3, matter: "acme-lease", actor: "alice" } });
    expect(system.engine.getRun(handle.runId).assignments.map((a) => a.assignment["agentId"])).toEqual(["tool-executor", "tool-executor"]);
    expect(system.tools.list()).toEqual([{ name: "word_count", description: "Counts the words of a text.", inputSchema: wordCount.inputSchema }]);
  });

  it("fails validation before the run starts for an unknown tool or arguments its schema refuses", () => {
    return (async () => {
      system = await AgentSystem.open({ tools: [wordCount] });
      const start = (parameters: Record<string, unknown>): unknown => system!.engine.start({ name: "bad", inputs: { t: { type: "string", default: "x" } }, steps: [{ id: "s", type: "tool_execution", parameters }] });
      const issues = (parameters: Record<string, unknown>): string[] => {
        try {
          start(parameters);
        } catch (error) {
          expect(error).toBeInstanceOf(WorkflowValidationError);
          return (error as WorkflowValidationError).issues.map((i) => `${i.path}: ${i.message}`);
        }
        return [];
      };
      expect(issues({ tool: "word_cuont", text: "a" })).toEqual(["steps[0].parameters.tool: unknown tool 'word_cuont' (tools: word_count)"]);
      expect(issues({ tool: "word_count", arguments: { text: 3 } })[0]).toMatch(/^steps\[0\]\.parameters\.arguments\.text: .*string/);
      expect(issues({ tool: "word_count", text: "a", colour: "red" })[0]).toMatch(/^steps\[0\]\.parameters: .*colour/);
      expect(issues({ tool: "word_count", arguments: { min_length: 2 } })[0]).toMatch(/^steps\[0\]\.parameters\.arguments\.text:/);
      // A value still to be resolved is checked when it is: only at run time.
      expect(issues({ tool: "word_count", arguments: { text: "{{ inputs.t }}", min_length: "{{ inputs.t }}" } })).toEqual([]);
    })();
  });

  it("refuses a tool without a usable input schema, and a second tool of the same name", async () => {
    system = await AgentSystem.open({ tools: [wordCount] });
    expect(() => system!.tools.register({ name: "no_schema", execute: async () => null })).toThrow("tool 'no_schema' has no usable input schema");
    expect(() => system!.tools.register(wordCount)).toThrow("a tool named 'word_count' is already registered");
  });
});
