import type { JsonValue, WorkflowInput } from "@bear/workflow-engine";
import { InvalidArgumentError } from "@bear/core";
import { z } from "zod";
import { validationSpecSchema } from "../validation/validation-spec";

/**
 * Collaborative processing: researchers work in parallel on a shared brief, a drafter writes a
 * draft from their findings, then up to `rounds` rounds of review-and-refine — stopping as soon
 * as the reviewer is satisfied — and a final review.
 *
 * Contracts between the agents (JSON):
 * - research task input `{ brief, topic }` (topic = the research capability);
 * - draft input `{ brief, research: { <topic>: output } }`;
 * - review input `{ brief, draft, round }` → output must include `satisfied: boolean` (plus any notes);
 * - refine input `{ brief, research, draft, review, round }` → a new draft;
 * - final review input `{ brief, draft, final: true }`.
 */
export const collaborationPlanSchema = z.strictObject({
  name: z.string().min(1).max(100).default("collaboration"),
  /** Research capabilities, one researcher each, in parallel (may be empty). */
  research: z.array(z.string().min(1)).default([]),
  draft: z.string().min(1),
  review: z.string().min(1),
  /** Default: the draft capability. */
  refine: z.string().min(1).optional(),
  /** Default: the review capability. */
  final_review: z.string().min(1).optional(),
  /** Most review-and-refine rounds. */
  rounds: z.number().int().min(1).max(20),
  /** A gate on the final draft before the final review. */
  validate: validationSpecSchema.optional(),
});
export type CollaborationPlan = z.input<typeof collaborationPlanSchema>;

export interface CollaborationResult {
  readonly runId: string;
  /** The last draft written. */
  readonly draft: JsonValue;
  /** Reviews that ran (1..rounds). */
  readonly rounds: number;
  /** True when a review declared itself satisfied before the rounds ran out. */
  readonly satisfied: boolean;
  readonly reviews: readonly JsonValue[];
  readonly finalReview: JsonValue;
  readonly research: Readonly<Record<string, JsonValue>>;
}

/** The workflow of a collaboration; its run input is `brief`. */
export function buildCollaborationWorkflow(plan: CollaborationPlan): WorkflowInput {
  const p = collaborationPlanSchema.parse(plan);
  const researchIds = p.research.map((_, i) => `research_${i}`);
  if (new Set(p.research).size !== p.research.length) throw new InvalidArgumentError("collaboration research", p.research, "distinct capabilities");
  const research = Object.fromEntries(p.research.map((topic, i) => [topic, `{{ steps.${researchIds[i]}.output }}`]));
  const steps: Array<Record<string, unknown>> = p.research.map((topic, i) => ({
    id: researchIds[i],
    type: "agent.task",
    parameters: { capability: topic, input: { brief: "{{ inputs.brief }}", topic } },
  }));
  steps.push({ id: "draft", type: "agent.task", depends_on: researchIds, parameters: { capability: p.draft, input: { brief: "{{ inputs.brief }}", research } } });
  const draftIds = ["draft"];
  for (let round = 1; round <= p.rounds; round++) {
    const latest = draftIds[draftIds.length - 1]!;
    steps.push({
      id: `review_${round}`,
      type: "agent.task",
      depends_on: [latest],
      ...(round > 1 ? { when: `steps.${latest}.status == 'completed'` } : {}),
      parameters: { capability: p.review, input: { brief: "{{ inputs.brief }}", draft: `{{ steps.${latest}.output }}`, round } },
    });
    steps.push({
      id: `refine_${round}`,
      type: "agent.task",
      depends_on: [`review_${round}`, ...researchIds],
      when: `steps.review_${round}.status == 'completed' && !steps.review_${round}.output.satisfied`,
      parameters: {
        capability: p.refine ?? p.draft,
        input: { brief: "{{ inputs.brief }}", research, draft: `{{ steps.${latest}.output }}`, review: `{{ steps.review_${round}.output }}`, round },
      },
    });
    draftIds.push(`refine_${round}`);
  }
  steps.push({ id: "latest", type: "agent.latest", depends_on: draftIds, parameters: { values: draftIds.map((id) => `{{ steps.${id}.output }}`) } });
  let finalInput = "{{ steps.latest.output }}";
  let finalDep = "latest";
  if (p.validate) {
    steps.push({ id: "check", type: "agent.validate", depends_on: ["latest"], parameters: { subject: "{{ steps.latest.output }}", capability: p.refine ?? p.draft, spec: p.validate } });
    finalInput = "{{ steps.check.output.subject }}";
    finalDep = "check";
  }
  steps.push({ id: "final_review", type: "agent.task", depends_on: [finalDep], parameters: { capability: p.final_review ?? p.review, input: { brief: "{{ inputs.brief }}", draft: finalInput, final: true } } });
  return { name: p.name, inputs: { brief: { type: "any", required: true } }, steps } as unknown as WorkflowInput;
}

/** Reads a collaboration run's outputs into a result. */
export function collaborationResult(plan: CollaborationPlan, runId: string, outputs: Readonly<Record<string, JsonValue>>): CollaborationResult {
  const p = collaborationPlanSchema.parse(plan);
  const reviews: JsonValue[] = [];
  for (let round = 1; round <= p.rounds; round++) if (`review_${round}` in outputs) reviews.push(outputs[`review_${round}`]!);
  const last = reviews[reviews.length - 1] as { satisfied?: unknown } | undefined;
  return {
    runId,
    draft: outputs["latest"] ?? null,
    rounds: reviews.length,
    satisfied: last?.satisfied === true,
    reviews,
    finalReview: outputs["final_review"] ?? null,
    research: Object.fromEntries(p.research.map((topic, i) => [topic, outputs[`research_${i}`] ?? null])),
  };
}
