import { describe, expect, it } from "@jest/globals";
import { InvalidArgumentError } from "@bear/core";
import { AgentNotFoundError, NoCapableAgentError } from "../errors";
import type { Agent } from "../agent/agent";
import { AgentRegistry, type AgentRegistryEvent } from "./agent-registry";

const agent = (id: string, type: Agent["type"], capabilities: string[], status: Agent["status"] = "idle"): Agent => ({
  id,
  name: id,
  type,
  capabilities,
  status,
  metrics: { tasksCompleted: 0, tasksFailed: 0 },
});

describe("AgentRegistry", () => {
  it("registers, lists with filters, inspects and removes agents, announcing each change", () => {
    const registry = new AgentRegistry();
    const changes: string[] = [];
    registry.onDidChange.subscribe((e: AgentRegistryEvent) => changes.push(`${e.type}:${e.agent.id}`));
    registry.register(agent("extractor", "specialist", ["term_extraction"]));
    registry.register(agent("risk", "specialist", ["risk_assessment"], "busy"));
    registry.register(agent("checker", "validator", ["citation_check"]));
    expect(registry.list({ type: "specialist" }).map((a) => a.id)).toEqual(["extractor", "risk"]);
    expect(registry.list({ status: "busy" }).map((a) => a.id)).toEqual(["risk"]);
    expect(registry.list({ capability: "citation_check" }).map((a) => a.id)).toEqual(["checker"]);
    expect(registry.get("checker").type).toBe("validator");
    registry.remove("checker");
    expect(() => registry.get("checker")).toThrow(AgentNotFoundError);
    expect(() => registry.get("checker")).toThrow("no agent with id 'checker' (known: extractor, risk)");
    expect(changes).toEqual(["agent.added:extractor", "agent.added:risk", "agent.added:checker", "agent.removed:checker"]);
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
    expect(() => registry.capableOf("compliance_check")).toThrow("'compliance_check' (capabilities available: data_processing)");
  });
});
