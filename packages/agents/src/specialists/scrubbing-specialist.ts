import type { Scrubber } from "@bear/core";
import type { StepHandler } from "@bear/workflow-engine";
import { z } from "zod";
import { defineSpecialist, type Specialist } from "./specialist";

export const piiScrubbingParameters = z.strictObject({
  text: z.string(),
  policy: z.string().min(1).optional(),
  document_id: z.string().min(1).optional(),
});
export type PiiScrubbingParameters = z.infer<typeof piiScrubbingParameters>;

/** The `pii_scrubbing` step on core's Scrubber contract: `{ text }` → `{ text, replacements }`. */
export function piiScrubbingHandler(scrubber: Scrubber): StepHandler<PiiScrubbingParameters> {
  return {
    type: "pii_scrubbing",
    parameters: piiScrubbingParameters,
    async execute(ctx) {
      const p = ctx.parameters;
      const scrubbed = await scrubber.scrub(p.text, { signal: ctx.signal, ...(p.policy ? { policy: p.policy } : {}), ...(p.document_id ? { documentId: p.document_id } : {}) });
      return { text: scrubbed.text, replacements: scrubbed.replacements.map((r) => ({ type: r.type, start: r.start, end: r.end })) };
    },
  };
}

/** A specialist that scrubs personal data with whatever Scrubber the app binds (@bear/security's in BEAR). */
export function scrubbingSpecialist(scrubber: Scrubber, options: { readonly id?: string } = {}): Specialist {
  return defineSpecialist({
    id: options.id ?? "pii-scrubber",
    name: "PII scrubber",
    description: "Replaces personal data with placeholders before text reaches a model.",
    capabilities: { pii_scrubbing: piiScrubbingHandler(scrubber) as StepHandler<never> },
  });
}
