import path from "node:path";
import { Readable } from "node:stream";
import { defineSpecialist, type Specialist } from "@bear/agents";
import { POLICIES_WITHOUT_VAULT } from "@bear/security";
import type { JsonValue, StepHandler } from "@bear/workflow-engine";
import { z } from "zod";
import type { WorkspaceActs } from "../tools/workspace-tools";
import { actorOf } from "../runs/run-actor";
import { documentSourceSchema, handler, matterOf, readSource, TEXT_FILE } from "./document-source";
import { draftClauseSummary, reviewClauseSummary, researchClauses, reviewOutcome, summariseRisks, type ClauseSummaryDraft, type ReviewOutcome } from "./legal-summaries";

/**
 * The specialists every workspace installs (both apps get them from the one container): each acts
 * through the workspace's audited acts, for the run's matter, as whoever started the run (see actorOf).
 */
export function workspaceSpecialists(acts: WorkspaceActs): Specialist[] {
  return [piiScrubberSpecialist(acts), retrievalSpecialist(acts), contractReviewerSpecialist(acts), clauseDrafterSpecialist()];
}

/**
 * @bear/security's scrubber (with the plugins' recognizers), audited: `{ text, policy? }` → `{ text, replacements }`.
 * The policies that need no vault only, as over HTTP: whoever may start a workflow reaches this capability.
 */
export function piiScrubberSpecialist(acts: WorkspaceActs): Specialist {
  const params = z.strictObject({ text: z.string().max(10 * 1024 * 1024), policy: z.enum(POLICIES_WITHOUT_VAULT).optional() });
  return defineSpecialist({
    id: "pii-scrubber",
    name: "PII scrubber (@bear/security)",
    description: "Replaces personal data with placeholders before text is stored, indexed or shown to a model.",
    capabilities: {
      pii_scrubbing: handler("security.scrub", params, async (ctx) => {
        const { result } = await acts.get().redact(ctx.parameters.text, { actor: actorOf(ctx), ...(ctx.parameters.policy ? { policy: ctx.parameters.policy } : {}) });
        return { text: result.text, policy: result.policy, replacements: result.replacements.map((r) => ({ type: r.type, start: r.start, end: r.end })) };
      }),
    },
  });
}

/** @bear/rag for agents: search, list, extract and index, inside the run's matter. */
export function retrievalSpecialist(acts: WorkspaceActs): Specialist {
  const search = z.strictObject({ query: z.string().min(1).max(2000), k: z.number().int().min(1).max(50).default(8) });
  const listing = z.strictObject({ folder: z.string().max(1024).nullable().optional() });
  const indexing = z.strictObject({ name: z.string().min(1).max(300), text: z.string().min(1).max(10 * 1024 * 1024) });
  return defineSpecialist({
    id: "retrieval",
    name: "Retrieval (@bear/rag)",
    description: "Searches, lists, extracts and indexes the documents of the run's matter.",
    capabilities: {
      retrieval: handler("rag.search", search, async (ctx) => {
        const hits = await acts.get().search(ctx.parameters.query, { k: ctx.parameters.k, allowedMatters: [matterOf(ctx)], signal: ctx.signal }, actorOf(ctx));
        return { hits: hits.map((h) => ({ documentId: h.documentId, title: h.title, page: h.page, start: h.start, end: h.end, score: Math.round(h.score * 10_000) / 10_000, text: h.text })) };
      }),
      // The work list of a delegation: the text files of a folder of the run's file area, or the matter's indexed documents.
      document_listing: handler("rag.list_documents", listing, async (ctx) => {
        const folder = ctx.parameters.folder;
        if (folder) {
          const files = acts.get().workflowRegistry().get("file_operations") as StepHandler<unknown>;
          const out = (await files.execute({ ...ctx, type: "file_operations", parameters: { operation: "list", path: folder } })) as { path: string; entries: Array<{ name: string; kind: string }> };
          const items = out.entries.filter((e) => e.kind === "file" && TEXT_FILE.test(e.name)).map((e) => ({ path: out.path === "." ? e.name : `${out.path}/${e.name}` }));
          return { source: "folder", items, count: items.length };
        }
        const rag = await acts.get().rag();
        const items = rag.documents({ matter: matterOf(ctx) }).map((d) => ({ document_id: d.id, name: d.title || path.basename(d.source) }));
        return { source: "index", items, count: items.length };
      }),
      text_extraction: handler("rag.extract_text", documentSourceSchema, async (ctx) => {
        const { label, text } = await readSource(acts, ctx.parameters, ctx);
        return { name: label, text, characters: text.length };
      }),
      document_indexing: handler("rag.index_text", indexing, async (ctx) => {
        const fileName = derivedFileName(ctx.parameters.name);
        const outcome = await acts.get().upload({ matter: matterOf(ctx), fileName, body: Readable.from([Buffer.from(ctx.parameters.text, "utf8")]), actor: actorOf(ctx) });
        return { document_id: outcome.document.id, name: fileName, matter: outcome.document.matter, status: outcome.status, chunks: outcome.chunks };
      }),
    },
  });
}

/** `contract.pdf` → `contract.redacted.txt`: a plain upload name (letters, digits, '.', '_', '-', spaces). */
function derivedFileName(name: string): string {
  const stem = path.basename(name).replace(/\.[^.]*$/, "").replace(/[^\p{L}\p{N} ._-]/gu, "_").replace(/^[.\s]+/, "").slice(0, 150) || "document";
  return `${stem}.redacted.txt`;
}

/** @bear/legal's reviewer as a specialist: whole reviews, risk summaries, clause research and reviews of clause summaries. */
export function contractReviewerSpecialist(acts: WorkspaceActs): Specialist {
  const review = async (source: z.infer<typeof documentSourceSchema>, ctx: Parameters<typeof readSource>[2] & { signal: AbortSignal }) => {
    const { label, text } = await readSource(acts, source, ctx);
    const report = await acts.get().review(text, { actor: actorOf(ctx), resource: `run:${ctx.runId}`, documentName: label, signal: ctx.signal });
    return { label, report };
  };
  const reviewsInput = z.strictObject({ results: z.array(z.unknown()).max(10_000) });
  const researchInput = z.strictObject({ brief: documentSourceSchema, topic: z.string().optional() });
  const summaryReviewInput = z.strictObject({ brief: documentSourceSchema, draft: z.unknown(), round: z.number().int().optional(), final: z.boolean().optional() });
  return defineSpecialist({
    id: "contract-reviewer",
    name: "Contract reviewer (@bear/legal)",
    description: "Reviews contracts against the playbook (no model needed), summarises risks across contracts, checks clause summaries.",
    capabilities: {
      contract_review: handler("legal.review_contract", documentSourceSchema, async (ctx) => {
        const { label, report } = await review(ctx.parameters, ctx);
        return {
          source: label,
          documentType: report.documentType.type,
          method: report.method,
          clauses: report.summary.clauseCount,
          risks: { ...report.summary.risks },
          findings: report.risks.map((r) => ({ ruleId: r.ruleId, title: r.title, severity: r.severity, absent: r.absent })),
        };
      }),
      risk_summary: handler("legal.summarise_risks", reviewsInput, async (ctx) => summariseRisks(ctx.parameters.results)),
      clause_research: handler("legal.research_clauses", researchInput, async (ctx) => {
        const { label, report } = await review(ctx.parameters.brief, ctx);
        return researchClauses(label, report) as unknown as JsonValue;
      }),
      clause_summary_review: handler("legal.review_clause_summary", summaryReviewInput, async (ctx) => {
        const { report } = await review(ctx.parameters.brief, ctx);
        const outcome: ReviewOutcome = reviewClauseSummary(report, ctx.parameters.draft as ClauseSummaryDraft, { round: ctx.parameters.round ?? null, final: ctx.parameters.final ?? false });
        return reviewOutcome(outcome);
      }),
    },
  });
}

/** The model-free drafter of clause summaries: drafts from the research, refines from a review's notes. */
export function clauseDrafterSpecialist(): Specialist {
  const input = z.strictObject({
    brief: z.unknown(),
    research: z.record(z.string(), z.unknown()),
    draft: z.unknown().optional(),
    review: z.unknown().optional(),
    round: z.number().int().optional(),
  });
  return defineSpecialist({
    id: "clause-drafter",
    name: "Clause summary drafter",
    description: "Writes a clause summary from clause research and refines it from a reviewer's notes (no model needed).",
    capabilities: {
      clause_summary_drafting: handler("legal.draft_clause_summary", input, async (ctx) => draftClauseSummary(ctx.parameters.research, ctx.parameters.draft, ctx.parameters.review)),
    },
  });
}
