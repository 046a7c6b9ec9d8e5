import { describe, expect, it } from "@jest/globals";
import { InvalidArgumentError } from "@bear/core";
import { AgentNotFoundError, NoCapableAgentError } from "../errors";
import type { Agent } from "./agent";
import { AgentRegistry } from "./agent-registry";

const agent = (id: string, type: Agent["type"], capabilities: string[], status: Agent["status"] = "idle"): Agent => ({
  id,
  name: id,
  type,
  capabilities,
  status,
  metrics: { tasksCompleted: 0, tasksFailed: 0 },
});

describe("AgentRegistry", () => {
  it("registers, lists with filters, inspects and removes agents", () => {
    const registry = new AgentRegistry();
    registry.register(agent("extractor", "specialist", ["term_extraction"]));
    registry.register(agent("risk", "specialist", ["risk_assessment"], "busy"));
    registry.register(agent("checker", "validator", ["citation_check"]));
    expect(registry.list({ type: "specialist" }).map((a) => a.id)).toEqual(["extractor", "risk"]);
    expect(registry.list({ status: "busy" }).map((a) => a.id)).toEqual(["risk"]);
    expect(registry.get("checker").type).toBe("validator");
    registry.remove("checker");
    expect(() => registry.get("checker")).toThrow(AgentNotFoundError);
  });

  it("refuses duplicate ids and invalid ids or types", () => {
    const registry = new AgentRegistry();
    registry.register(agent("a", "executor", []));
    expect(() => registry.register(agent("a", "executor", []))).toThrow(/already registered/);
    expect(() => registry.register(agent("../x", "executor", []))).toThrow(InvalidArgumentError);
    expect(() => registry.register(agent("b", "wizard" as Agent["type"], []))).toThrow(/agent type/);
  });

  it("names the missing capability when no agent can do a task", () => {
    const registry = new AgentRegistry();
    registry.register(agent("a", "executor", ["data_processing"]));
    expect(registry.capableOf("data_processing").map((a) => a.id)).toEqual(["a"]);
    expect(() => registry.capableOf("compliance_check")).toThrow(NoCapableAgentError);
    expect(() => registry.capableOf("compliance_check")).toThrow("compliance_check");
  });
});
