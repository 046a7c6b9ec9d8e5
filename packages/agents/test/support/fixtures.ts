import type { JsonValue, StepHandler } from "@bear/workflow-engine";
import { z } from "zod";
import { defineSpecialist, type Specialist } from "../../src/index";

export const LEASE = [
  "LEASE AGREEMENT between Acme Property Ltd (Landlord) and Jane Roe (Tenant), jane.roe@example.com.",
  "1. Rent. The Tenant shall pay rent of EUR 1,200 on the first day of each month.",
  "2. Term. This lease runs for 24 months from 1 March 2026.",
  "3. Termination. Either party may terminate with 60 days' written notice.",
  "4. Liability. The Landlord's liability is unlimited for gross negligence.",
].join("\n");

const TERM_PATTERNS: Array<[string, RegExp]> = [
  ["rent", /pay rent of EUR [\d,]+/],
  ["term", /runs for \d+ months/],
  ["notice", /\d+ days' written notice/],
  ["liability", /liability is unlimited/],
];

/** Finds the key terms of a lease with exact citations: a stand-in for @bear/legal's extractor. */
export function extractTerms(document: string): { terms: Array<{ name: string; citations: Array<{ quote: string; start: number; end: number }> }>; confidence: number } {
  const terms = TERM_PATTERNS.flatMap(([name, re]) => {
    const m = re.exec(document);
    return m ? [{ name, citations: [{ quote: m[0], start: m.index, end: m.index + m[0].length }] }] : [];
  });
  return { terms, confidence: 0.9 };
}

const documentInput = z.object({ document: z.string() }).passthrough();
const upstreamInput = z.object({ task: z.object({ document: z.string() }).passthrough(), upstream: z.record(z.string(), z.custom<JsonValue>(() => true)) });

type Hook = (name: string, signal: AbortSignal) => Promise<void> | void;

/** A handler with a test hook (to observe concurrency or slow it down). */
function handler<P>(type: string, parameters: z.ZodType<P>, fn: (p: P) => JsonValue, hook?: Hook): StepHandler<never> {
  return {
    type,
    parameters,
    execute: async (ctx: { parameters: unknown; signal: AbortSignal }) => {
      await hook?.(type, ctx.signal);
      return fn(ctx.parameters as P);
    },
  } as unknown as StepHandler<never>;
}

/** Three specialists of a `legal_document_analysis` task, as the legal package would provide them. */
export function legalTestSpecialists(hook?: Hook): { terms: Specialist; risk: Specialist; compliance: Specialist } {
  return {
    terms: defineSpecialist({
      id: "term-extractor",
      name: "Term extractor",
      capabilities: { term_extraction: handler("test.extract_terms", documentInput, (p) => extractTerms(p.document), hook) },
      outputSchemas: { term_extraction: z.object({ terms: z.array(z.object({ name: z.string(), citations: z.array(z.unknown()) })), confidence: z.number() }) },
    }),
    risk: defineSpecialist({
      id: "risk-assessor",
      name: "Risk assessor",
      capabilities: {
        risk_assessment: handler(
          "test.assess_risk",
          upstreamInput,
          (p) => {
            const terms = ((p.upstream["term_extraction"] as { terms?: Array<{ name: string; citations: JsonValue }> } | null)?.terms ?? []);
            const risks = terms.filter((t) => t.name === "liability").map((t) => ({ term: t.name, level: "high", citations: t.citations }));
            return { risks, confidence: 0.8 };
          },
          hook,
        ),
      },
    }),
    compliance: defineSpecialist({
      id: "compliance-checker",
      name: "Compliance checker",
      capabilities: {
        compliance_check: handler(
          "test.check_compliance",
          documentInput,
          (p) => {
            const notice = /(\d+) days' written notice/.exec(p.document);
            const ok = notice !== null && Number(notice[1]) >= 30;
            return { compliant: ok, findings: [{ rule: "notice period at least 30 days", passed: ok }], confidence: 0.95 };
          },
          hook,
        ),
      },
    }),
  };
}
