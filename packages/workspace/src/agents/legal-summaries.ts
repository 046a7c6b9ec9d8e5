import { SEVERITIES, type ContractReviewReport, type Severity } from "@bear/legal";
import type { JsonValue } from "@bear/workflow-engine";
import { z } from "zod";

/**
 * The model-free legal summaries the built-in agent workflows use: a risk summary across contract
 * reviews (delegation), and clause research, drafting and review of a clause summary
 * (collaboration). They work on review outputs only: rule ids, titles, severities and clause
 * categories, never the contract's text.
 */
const RANK: Record<Severity, number> = { critical: 5, high: 4, medium: 3, low: 2, info: 1 };
/** A clause summary must mention every finding at least this severe. */
const MUST_COVER: readonly Severity[] = ["critical", "high"];

const severity = z.enum(SEVERITIES);
const finding = z.object({ ruleId: z.string(), title: z.string(), severity, absent: z.boolean().optional() });
const reviewResult = z.object({ source: z.string(), risks: z.record(severity, z.number()).optional(), findings: z.array(finding) });

/** Totals, contracts ranked by risk, and the findings most contracts share. */
export function summariseRisks(results: readonly unknown[]): JsonValue {
  const reviews = results.map((r, i) => {
    const parsed = reviewResult.safeParse(r);
    if (!parsed.success) throw new TypeError(`results[${i}] is not a contract review (${parsed.error.issues[0]?.path.join(".") ?? ""}: ${parsed.error.issues[0]?.message ?? ""})`);
    return parsed.data;
  });
  const totals = zeroCounts();
  const common = new Map<string, { ruleId: string; title: string; severity: Severity; contracts: number }>();
  const contracts = reviews.map((r) => {
    const counts = zeroCounts();
    for (const f of r.findings) {
      counts[f.severity]++;
      const c = common.get(f.ruleId) ?? { ruleId: f.ruleId, title: f.title, severity: f.severity, contracts: 0 };
      c.contracts++;
      common.set(f.ruleId, c);
    }
    for (const s of SEVERITIES) totals[s] += counts[s];
    const top = [...r.findings].sort((a, b) => RANK[b.severity] - RANK[a.severity]).slice(0, 3).map((f) => `${f.severity}: ${f.title}`);
    return { source: r.source, risks: counts, top };
  });
  const riskKey = (c: { risks: Record<Severity, number> }): number[] => SEVERITIES.map((s) => c.risks[s]);
  contracts.sort((a, b) => compareDesc(riskKey(a), riskKey(b)) || a.source.localeCompare(b.source));
  const shared = [...common.values()].sort((a, b) => RANK[b.severity] - RANK[a.severity] || b.contracts - a.contracts || a.ruleId.localeCompare(b.ruleId)).slice(0, 10);
  const worst = contracts[0];
  const headline =
    `${reviews.length} contract(s): ${SEVERITIES.map((s) => `${totals[s]} ${s}`).join(", ")} risk finding(s)` +
    (worst && worst.top.length > 0 ? `; most at risk: ${worst.source} (${worst.top[0]})` : "");
  return { contracts: reviews.length, totals, headline, ranked: contracts, shared };
}

const zeroCounts = (): Record<Severity, number> => ({ critical: 0, high: 0, medium: 0, low: 0, info: 0 });

function compareDesc(a: readonly number[], b: readonly number[]): number {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return b[i]! - a[i]!;
  return 0;
}

/** What a clause researcher hands the drafter. */
export interface ClauseResearch {
  readonly source: string;
  readonly documentType: string;
  readonly categories: ReadonlyArray<{ readonly category: string; readonly clauses: number }>;
  readonly findings: ReadonlyArray<{ readonly ruleId: string; readonly title: string; readonly severity: Severity; readonly fix: string }>;
}

export function researchClauses(label: string, report: ContractReviewReport): ClauseResearch {
  const categories = Object.entries(report.summary.categories)
    .map(([category, clauses]) => ({ category, clauses }))
    .sort((a, b) => b.clauses - a.clauses || a.category.localeCompare(b.category));
  return {
    source: label,
    documentType: report.documentType.type,
    categories,
    findings: report.risks.map((r) => ({ ruleId: r.ruleId, title: r.title, severity: r.severity, fix: r.fix })),
  };
}

/** One point of a clause summary: a clause category found, or a risk to act on. */
export type SummaryPoint = { readonly kind: "clause"; readonly category: string; readonly text: string } | { readonly kind: "risk"; readonly ruleId: string; readonly severity: Severity; readonly text: string };
export interface ClauseSummaryDraft {
  readonly version: number;
  readonly source: string;
  readonly points: readonly SummaryPoint[];
}

const researchSchema = z.object({ source: z.string(), categories: z.array(z.object({ category: z.string(), clauses: z.number() })) });
const missingSchema = z.array(z.object({ ruleId: z.string(), title: z.string(), severity, fix: z.string() }));
const draftSchema = z.object({ version: z.number().int(), source: z.string(), points: z.array(z.record(z.string(), z.unknown())) });

/** Most clause categories a first draft lists. */
const FIRST_DRAFT_CATEGORIES = 12;

/**
 * The first draft lists the clause categories the research found; a refinement keeps the draft's
 * points and adds one per finding the review says is missing (with the playbook's fix).
 */
export function draftClauseSummary(research: Readonly<Record<string, unknown>>, draft: unknown, review: unknown): JsonValue {
  const found = Object.values(research).map((r) => researchSchema.safeParse(r)).find((r) => r.success)?.data;
  if (!found) throw new TypeError("the research holds no clause research ({ source, categories })");
  if (draft === undefined || review === undefined) {
    const points = found.categories.slice(0, FIRST_DRAFT_CATEGORIES).map((c) => ({ kind: "clause", category: c.category, text: `${c.category}: ${c.clauses} clause(s)` }));
    return { version: 1, source: found.source, points };
  }
  const previous = draftSchema.parse(draft);
  const missing = missingSchema.parse((review as { missing?: unknown }).missing ?? []);
  const have = new Set(previous.points.map((p) => p["ruleId"]).filter((id): id is string => typeof id === "string"));
  const added = missing.filter((m) => !have.has(m.ruleId)).map((m) => ({ kind: "risk", ruleId: m.ruleId, severity: m.severity, text: `${m.severity} risk: ${m.title}. ${m.fix}` }));
  return { version: previous.version + 1, source: previous.source, points: [...previous.points, ...added] } as JsonValue;
}

export interface ReviewOutcome {
  readonly round: number | null;
  readonly final: boolean;
  readonly satisfied: boolean;
  readonly missing: ReadonlyArray<{ ruleId: string; title: string; severity: Severity; fix: string }>;
  /** Clause points naming a category the review did not find. */
  readonly unsupported: readonly string[];
  readonly points: number;
}

/** Satisfied when the summary names only clause categories the contract has and covers every critical and high finding. */
export function reviewClauseSummary(report: ContractReviewReport, draft: ClauseSummaryDraft, options: { round: number | null; final: boolean }): ReviewOutcome {
  const d = draftSchema.parse(draft);
  const covered = new Set(d.points.map((p) => p["ruleId"]).filter((id): id is string => typeof id === "string"));
  const missing = report.risks.filter((r) => MUST_COVER.includes(r.severity as Severity) && !covered.has(r.ruleId)).map((r) => ({ ruleId: r.ruleId, title: r.title, severity: r.severity, fix: r.fix }));
  const unsupported = d.points
    .filter((p) => p["kind"] === "clause")
    .map((p) => String(p["category"]))
    .filter((c) => !(c in report.summary.categories));
  return { round: options.round, final: options.final, satisfied: missing.length === 0 && unsupported.length === 0 && d.points.length > 0, missing, unsupported, points: d.points.length };
}

/** The review as the collaboration's JSON (a final review also says `approved`). */
export function reviewOutcome(o: ReviewOutcome): JsonValue {
  return { ...o, missing: o.missing.map((m) => ({ ...m })), unsupported: [...o.unsupported], ...(o.final ? { approved: o.satisfied } : {}) };
}
