import { describe, expect, it } from "@jest/globals";
import { AgentRegistry, NoCapableAgentError } from "@bear/agents";

describe("@bear/agents public API", () => {
  it("exposes the registry through the package entry", () => {
    expect(() => new AgentRegistry().capableOf("term_extraction")).toThrow(NoCapableAgentError);
  });
});
