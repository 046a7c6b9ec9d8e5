// Task delegation: decompose → match → parallel execute → aggregate → validate.
// Run: npx tsx packages/agents/examples/task-delegation.ts
import { pathToFileURL } from "node:url";
import { z } from "zod";
// In an app: `from "@bear/agents"` (the relative path lets this run from the sources, without a build).
import { AgentSystem, defineSpecialist, type DelegationResult, type Specialist } from "../src/index";

const CONTRACT = [
  "1. Rent. The Tenant shall pay rent of EUR 1,200 on the first day of each month.",
  "2. Termination. Either party may terminate with 60 days' written notice.",
  "3. Liability. The Landlord's liability is unlimited for gross negligence.",
].join("\n");

/** A specialist from a step handler: the apps plug in @bear/legal's the same way. */
function specialist(id: string, capability: string, fn: (p: { document?: string; task?: { document: string }; upstream?: Record<string, unknown> }) => unknown): Specialist {
  return defineSpecialist({
    id,
    name: id,
    capabilities: {
      [capability]: { type: `example.${capability}`, parameters: z.object({}).passthrough(), execute: async (ctx: { parameters: never }) => fn(ctx.parameters) } as never,
    },
  });
}

const quote = (doc: string, re: RegExp): { quote: string } => ({ quote: re.exec(doc)?.[0] ?? "" });

export async function main(): Promise<DelegationResult> {
  const system = await AgentSystem.open({}); // in-memory engine; pass { dbPath } for SQLite
  try {
    system.installSpecialist(specialist("term-extractor", "term_extraction", (p) => ({
      terms: [
        { name: "rent", citations: [quote(p.document!, /pay rent of EUR [\d,]+/)] },
        { name: "notice", citations: [quote(p.document!, /\d+ days' written notice/)] },
      ],
      confidence: 0.9,
    })));
    system.installSpecialist(specialist("risk-assessor", "risk_assessment", (p) => ({
      risks: /liability is unlimited/.test(p.task!.document) ? [{ level: "high", citations: [quote(p.task!.document, /liability is unlimited/)] }] : [],
      basedOnTerms: ((p.upstream?.["term_extraction"] as { terms: unknown[] }).terms).length,
      confidence: 0.8,
    })));
    system.installSpecialist(specialist("compliance-checker", "compliance_check", (p) => ({ compliant: /\d+ days' written notice/.test(p.document!), confidence: 0.95 })));

    system.coordinator.defineTaskType("legal_document_analysis", {
      requirements: ["term_extraction", "risk_assessment", "compliance_check"],
      dependencies: { risk_assessment: ["term_extraction"] }, // the other two run in parallel
      subtaskValidation: { term_extraction: { require_citations: true, sources: CONTRACT } },
      validate: { sources: CONTRACT, min_confidence: 0.7 }, // every citation must quote the contract
    });

    const result = await system.delegate({ type: "legal_document_analysis", input: { document: CONTRACT } });
    process.stdout.write(`waves: ${JSON.stringify(result.waves)}\n`);
    for (const a of result.assignments) process.stdout.write(`  ${a.capability} -> ${a.agentId} (score ${a.score})\n`);
    process.stdout.write(`validated: ${JSON.stringify(result.validation)}\n`);
    process.stdout.write(`results: ${JSON.stringify(result.results)}\n`);
    return result;
  } finally {
    await system.dispose();
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await main();
