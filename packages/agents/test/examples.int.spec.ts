import { describe, expect, it, jest } from "@jest/globals";
import { main as collaboration } from "../examples/collaboration";
import { main as pipeline } from "../examples/pipeline";
import { main as delegation } from "../examples/task-delegation";

// The README's runnable examples stay runnable: each is executed here and its result checked.
describe("runnable examples", () => {
  const quiet = (): void => void jest.spyOn(process.stdout, "write").mockImplementation(() => true);

  it("task delegation: two waves, three specialists, validated against the contract", async () => {
    quiet();
    const result = await delegation();
    expect(result.waves).toEqual([["term_extraction", "compliance_check"], ["risk_assessment"]]);
    expect(result.validation).toEqual({ valid: true, checked: ["citations", "confidence"] });
    expect(result.results["risk_assessment"]).toMatchObject({ basedOnTerms: 2, risks: [{ level: "high" }] });
  });

  it("pipeline: the formatted report mentions no one by name", async () => {
    quiet();
    const result = await pipeline();
    expect(result.output).toEqual({ markdown: "# Lease review\n<PERSON_1> rents the flat and may leave on notice.\n- pay rent monthly\n- give notice" });
  });

  it("collaboration: stops after the round that satisfies the reviewer", async () => {
    quiet();
    const result = await collaboration();
    expect(result).toMatchObject({ rounds: 3, satisfied: true, finalReview: { approved: true } });
  });
});
