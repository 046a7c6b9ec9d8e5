import { describe, expect, it } from "@jest/globals";
import {
  AdaptiveLoadBalancer,
  AgentRegistry,
  AgentSystem,
  ExecutorAgent,
  NoCapableAgentError,
  Pipeline,
  ValidatorAgent,
  agentsModule,
  defineSpecialist,
  type Specialist,
} from "@bear/agents";

describe("@bear/agents public API", () => {
  it("runs a pipeline on the default executors and validator, using only the package entry", async () => {
    const system = await AgentSystem.open({});
    try {
      const pipeline = new Pipeline("count-parties")
        .stage({ id: "names", capability: "data_processing", input: { operation: "map", input: "{{ inputs.input }}", field: "name" } })
        .gate({ id: "check", validate: { pii: "allowed" } })
        .stage({ id: "count", capability: "data_processing", input: { operation: "count", input: "{{ steps.check.output.subject }}" } });
      const result = await system.runPipeline(pipeline, [{ name: "Acme" }, { name: "Beta" }]);
      expect(result.output).toBe(2);
      expect(result.assignments.every((a) => a.agentId === "data-executor")).toBe(true);
    } finally {
      await system.dispose();
    }
  });

  it("exposes the registry, balancer, agents, specialist seam and module", async () => {
    expect(() => new AgentRegistry().capableOf("term_extraction")).toThrow(NoCapableAgentError);
    expect(() => new AdaptiveLoadBalancer().select("risk_assessment", [ExecutorAgent.data()])).toThrow("'risk_assessment'");
    expect(await new ValidatorAgent().validate({ output: { confidence: 0.9 }, spec: { min_confidence: 0.5 } })).toMatchObject({ valid: true });
    const specialist: Specialist = defineSpecialist({ id: "echo", name: "Echo", capabilities: { echo: { type: "echo", execute: async () => "x" } as never } });
    expect(specialist.id).toBe("echo");
    expect(() => defineSpecialist({ id: "bad id!", name: "", capabilities: {} })).toThrow(/id 'bad id!' is not.*name is empty.*no capabilities/);
    expect(typeof agentsModule).toBe("function");
  });
});
