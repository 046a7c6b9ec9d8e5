// Collaborative processing: parallel research → draft → up to N review-and-refine rounds (stop when
// the reviewer is satisfied) → final review.
// Run: npx tsx packages/agents/examples/collaboration.ts
import { pathToFileURL } from "node:url";
import type { JsonValue } from "@bear/workflow-engine";
// In an app: `from "@bear/agents"`.
import { AgentSystem, WorkflowAgent, type AgentTask, type AgentTaskContext, type CollaborationResult } from "../src/index";

/** The smallest custom agent: a capability and a function. */
class RoleAgent extends WorkflowAgent {
  constructor(
    id: string,
    capability: string,
    private readonly work: (input: Record<string, unknown>, ctx: AgentTaskContext) => JsonValue,
  ) {
    super({ id, type: "specialist", capabilities: [capability] });
  }
  protected override async perform(task: AgentTask, ctx: AgentTaskContext): Promise<JsonValue> {
    return this.work(task.input as Record<string, unknown>, ctx);
  }
}

export async function main(): Promise<CollaborationResult> {
  const system = await AgentSystem.open({});
  try {
    system.addAgent(new RoleAgent("precedents", "precedent_research", (_i, ctx) => (ctx.shared.set("precedents", 2), { cases: ["Smith v Jones", "Re Acme"] })));
    system.addAgent(new RoleAgent("clauses", "clause_research", (_i, ctx) => (ctx.shared.set("clauses", 3), { clauses: ["notice", "liability", "rent review"] })));
    system.addAgent(
      new RoleAgent("drafter", "drafting", (input) => {
        const previous = input["draft"] as { version: number; points: string[] } | undefined;
        const review = input["review"] as { missing?: string } | undefined;
        return previous ? { version: previous.version + 1, points: [...previous.points, review?.missing ?? "polish"] } : { version: 1, points: ["notice period"] };
      }),
    );
    system.addAgent(
      new RoleAgent("reviewer", "review", (input) => {
        const draft = input["draft"] as { version: number; points: string[] };
        const missing = ["notice period", "liability cap", "rent review"].find((p) => !draft.points.includes(p));
        const review: JsonValue = input["final"] ? { approved: missing === undefined } : { satisfied: missing === undefined, ...(missing ? { missing } : {}) };
        return review;
      }),
    );
    const result = await system.collaborate(
      { research: ["precedent_research", "clause_research"], draft: "drafting", review: "review", rounds: 5 },
      { matter: "Acme lease renegotiation" },
    );
    process.stdout.write(`rounds: ${result.rounds} of at most 5, satisfied: ${result.satisfied}\n`);
    process.stdout.write(`draft: ${JSON.stringify(result.draft)}\nfinal review: ${JSON.stringify(result.finalReview)}\n`);
    return result;
  } finally {
    await system.dispose();
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await main();
