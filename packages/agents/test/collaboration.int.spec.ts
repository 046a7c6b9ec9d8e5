import { afterEach, describe, expect, it } from "@jest/globals";
import type { JsonValue } from "@bear/workflow-engine";
import { AgentSystem, buildCollaborationWorkflow } from "../src/index";
import { FunctionAgent } from "./support/test-agents";

interface Draft {
  version: number;
  text: string;
  sources: string[];
}

/** Researchers, a drafter that improves with each review, and a reviewer satisfied from `satisfiedAt` on. */
function team(system: AgentSystem, satisfiedAt: number): { drafts: number[] } {
  const seen = { drafts: [] as number[] };
  for (const topic of ["precedent_research", "clause_research"]) {
    system.addAgent(
      new FunctionAgent(`${topic.split("_")[0]}-researcher`, [topic], (task, ctx) => {
        // findings go to the run's shared context too, where every agent of the run can read them
        ctx.shared.set(`finding:${topic}`, `${topic} done`);
        return { topic, finding: `${topic} for ${(task.input as { brief: { matter: string } }).brief.matter}` };
      }),
    );
  }
  system.addAgent(
    new FunctionAgent("drafter", ["drafting"], (task, ctx) => {
      const input = task.input as unknown as { research: Record<string, { finding: string }>; draft?: Draft; review?: { comments: string[] } };
      const previous = input.draft;
      const draft: Draft = {
        version: previous ? previous.version + 1 : 1,
        text: previous ? `${previous.text} + ${input.review?.comments.join(", ")}` : "first draft",
        sources: ctx.shared.keys().filter((k) => k.startsWith("finding:")).sort(),
      };
      seen.drafts.push(draft.version);
      return draft as unknown as JsonValue;
    }),
  );
  system.addAgent(
    new FunctionAgent("reviewer", ["review"], (task) => {
      const input = task.input as unknown as { draft: Draft; final?: boolean };
      const satisfied = input.draft.version >= satisfiedAt;
      const review: JsonValue = input.final ? { approved: satisfied, version: input.draft.version } : { satisfied, comments: satisfied ? [] : [`tighten v${input.draft.version}`] };
      return review;
    }),
  );
  return seen;
}

describe("collaborative processing", () => {
  let system: AgentSystem;
  afterEach(async () => system.dispose());

  it("stops the review-and-refine rounds as soon as the reviewer is satisfied", async () => {
    system = await AgentSystem.open({});
    const seen = team(system, 2);
    const plan = { research: ["precedent_research", "clause_research"], draft: "drafting", review: "review", rounds: 4 };
    const result = await system.collaborate(plan, { matter: "Acme lease" });
    expect(result.rounds).toBe(2);
    expect(result.satisfied).toBe(true);
    expect(seen.drafts).toEqual([1, 2]);
    expect(result.draft).toEqual({ version: 2, text: "first draft + tighten v1", sources: ["finding:clause_research", "finding:precedent_research"] });
    expect(result.finalReview).toEqual({ approved: true, version: 2 });
    expect(result.research).toEqual({
      precedent_research: { topic: "precedent_research", finding: "precedent_research for Acme lease" },
      clause_research: { topic: "clause_research", finding: "clause_research for Acme lease" },
    });
    // the rounds after the reviewer was satisfied were skipped by the engine, not run
    const steps = system.engine.getRun(result.runId).steps;
    const status = (id: string): string | undefined => steps.find((s) => s.stepId === id)?.status;
    expect([status("refine_1"), status("review_2"), status("refine_2"), status("review_3"), status("refine_4")]).toEqual(["completed", "completed", "skipped", "skipped", "skipped"]);
  });

  it("runs at most N rounds when the reviewer is never satisfied", async () => {
    system = await AgentSystem.open({});
    const seen = team(system, 99);
    const result = await system.collaborate({ research: [], draft: "drafting", review: "review", rounds: 3 }, { matter: "NDA" });
    expect(result).toMatchObject({ rounds: 3, satisfied: false, finalReview: { approved: false, version: 4 } });
    expect(seen.drafts).toEqual([1, 2, 3, 4]);
  });

  it("runs the researchers in parallel: no research step depends on another", () => {
    const workflow = buildCollaborationWorkflow({ research: ["a", "b", "c"], draft: "d", review: "r", rounds: 1 }) as { steps: Array<{ id: string; depends_on?: string[] }> };
    const research = workflow.steps.filter((s) => s.id.startsWith("research_"));
    expect(research).toHaveLength(3);
    for (const step of research) expect(step.depends_on ?? []).toEqual([]);
    expect(workflow.steps.find((s) => s.id === "draft")!.depends_on).toEqual(["research_0", "research_1", "research_2"]);
  });
});
