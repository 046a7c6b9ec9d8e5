import { ContractDocument } from "../text/contract-document";
import type { Span } from "../text/span";
import type { Checklist, ChecklistCue, ChecklistRequirement } from "./checklist";
import { evidenceUnits } from "./evidence-units";

/** met: the contract provides it; contradicted: it says the opposite; unclear: only weak cues; missing: nothing found. */
export type RequirementStatus = "met" | "contradicted" | "unclear" | "missing";

export interface RequirementResult {
  readonly id: string;
  readonly title: string;
  readonly reference?: string;
  readonly status: RequirementStatus;
  /** The sentences the status rests on (none when missing). */
  readonly citations: readonly Span[];
  readonly fix?: string;
}

export interface ComplianceResult {
  readonly checklist: string;
  readonly results: readonly RequirementResult[];
  readonly counts: Readonly<Record<RequirementStatus, number>>;
}

const MAX_CITATIONS = 5;

type Compiled = RegExp[][];
function compile(cues: readonly ChecklistCue[]): Compiled {
  return cues.map((c) => (Array.isArray(c) ? c : [c]).map((p) => new RegExp(p, "i")));
}
function matches(sentence: string, cues: Compiled): boolean {
  return cues.some((all) => all.every((re) => re.test(sentence)));
}

/** Evaluates one requirement against the document's sentences. */
export function checkRequirement(doc: ContractDocument, requirement: ChecklistRequirement): RequirementResult {
  const contradicted = compile(requirement.contradicted_by);
  const evidence = compile(requirement.evidence);
  const weak = compile(requirement.weak_evidence);
  const unless = compile(requirement.unless);
  const units = evidenceUnits(doc);
  const hits = (cues: Compiled): Span[] =>
    units
      .filter((u) => matches(u.text, cues) && !matches(u.text, unless))
      .slice(0, MAX_CITATIONS)
      // An item is cited with its lead-in ("… shall not include information that:"), which gives it its sense.
      .flatMap((u) => (u.leadIn ? [u.leadIn, u.sentence] : [u.sentence]))
      .filter((s, i, all) => all.findIndex((t) => t.start === s.start) === i);

  const base = {
    id: requirement.id,
    title: requirement.title,
    ...(requirement.reference === undefined ? {} : { reference: requirement.reference }),
  };
  const fix = requirement.fix === undefined ? {} : { fix: requirement.fix };
  const against = contradicted.length > 0 ? hits(contradicted) : [];
  const met = hits(evidence);
  const contradictionWins = requirement.precedence === "contradiction" || met.length === 0;
  if (against.length > 0 && contradictionWins) return { ...base, status: "contradicted", citations: against, ...fix };
  if (met.length > 0) return { ...base, status: "met", citations: met };
  const unclear = weak.length > 0 ? hits(weak) : [];
  if (unclear.length > 0) return { ...base, status: "unclear", citations: unclear, ...fix };
  return { ...base, status: "missing", citations: [], ...fix };
}

/** Runs a checklist over a contract: each requirement met / contradicted / unclear / missing, with citations. */
export function checkCompliance(text: string | ContractDocument, checklist: Checklist): ComplianceResult {
  const doc = ContractDocument.of(text);
  const results = checklist.requirements.map((r) => checkRequirement(doc, r));
  const counts: Record<RequirementStatus, number> = { met: 0, contradicted: 0, unclear: 0, missing: 0 };
  for (const r of results) counts[r.status]++;
  return { checklist: checklist.name, results, counts };
}
