import { ContractDocument } from "../text/contract-document";
import type { Span } from "../text/span";
import type { Checklist, ChecklistCue, ChecklistRequirement } from "./checklist";
import { evidenceUnits } from "./evidence-units";
import { NLI_LABELS, type ChecklistModel } from "./nli-model/checklist-model";
import type { UnitCueHits } from "./nli-model/nli-features";
import { shippedChecklistModel } from "./nli-model/shipped-checklist-model";

/** met: the contract provides it; contradicted: it says the opposite; unclear: only weak cues; missing: nothing found. */
export const REQUIREMENT_STATUSES = ["met", "contradicted", "unclear", "missing"] as const;
export type RequirementStatus = (typeof REQUIREMENT_STATUSES)[number];

export interface RequirementResult {
  readonly id: string;
  readonly title: string;
  readonly reference?: string;
  readonly status: RequirementStatus;
  /** The sentences the status rests on (none when missing). */
  readonly citations: readonly Span[];
  /** With the trained checklist model: its probability of the status (met, contradicted, or absent for unclear / missing). */
  readonly confidence?: number;
  readonly fix?: string;
}

export interface ComplianceResult {
  readonly checklist: string;
  readonly results: readonly RequirementResult[];
  readonly counts: Readonly<Record<RequirementStatus, number>>;
}

const MAX_CITATIONS = 5;
const MODEL_CITATIONS = 3;

type Compiled = readonly (readonly RegExp[])[];
// Each cue pattern is compiled once per process, not once per document: a review built the checklist's
// ~100 expressions again for every contract, and V8 compiled them to machine code again whenever its own
// cache had dropped them. Keyed by the pattern's text (a checklist's arrays may be edited by its owner),
// bounded for checklists that come with each request.
const MAX_CACHED_CUES = 2048;
const cueCache = new Map<string, RegExp>();
function cueRegExp(pattern: string): RegExp {
  let re = cueCache.get(pattern);
  if (re === undefined) {
    // Case-insensitive, neither global nor sticky: test() keeps no state, so one object serves every document.
    re = new RegExp(pattern, "i");
    if (cueCache.size >= MAX_CACHED_CUES) cueCache.delete(cueCache.keys().next().value as string);
    cueCache.set(pattern, re);
  }
  return re;
}
function compile(cues: readonly ChecklistCue[]): Compiled {
  return cues.map((c) => (Array.isArray(c) ? c : [c]).map(cueRegExp));
}
function matches(sentence: string, cues: Compiled): boolean {
  return cues.some((all) => all.every((re) => re.test(sentence)));
}

/** Which of the requirement's cues match each evidence unit of the document (the checklist model reads them as features). */
export function requirementCueHits(doc: ContractDocument, requirement: ChecklistRequirement): UnitCueHits[] {
  const contradicted = compile(requirement.contradicted_by);
  const evidence = compile(requirement.evidence);
  const weak = compile(requirement.weak_evidence);
  const unless = compile(requirement.unless);
  return evidenceUnits(doc).map((u) => {
    const excluded = matches(u.text, unless);
    return { evidence: !excluded && matches(u.text, evidence), contradicted: !excluded && matches(u.text, contradicted), weak: !excluded && matches(u.text, weak) };
  });
}

export interface ComplianceOptions {
  /** The trained checklist model (default: the shipped one; `false` = the cues decide alone). It reads only requirements it was trained for, with the same cues. */
  readonly model?: ChecklistModel | false;
}

/** Evaluates one requirement against the document's sentences: by the trained model when it has a head for it, else by its cues. */
export function checkRequirement(doc: ContractDocument, requirement: ChecklistRequirement, options: ComplianceOptions = {}): RequirementResult {
  const byCues = checkRequirementByCues(doc, requirement);
  const model = options.model === false ? undefined : (options.model ?? shippedChecklistModel());
  if (model === undefined || !model.appliesTo(requirement)) return byCues;
  const hits = requirementCueHits(doc, requirement);
  const assessment = model.assess(doc, requirement.id, hits, byCues.status);
  const units = evidenceUnits(doc);
  const index = new Map(units.map((u, i) => [u, i]));
  // Cited: the units the cues matched (up to MAX_CITATIONS), then the model's best units above its threshold.
  const cueUnits = assessment.units.filter((u) => {
    const h = hits[index.get(u.unit)!]!;
    return h.evidence || h.contradicted || h.weak;
  });
  const threshold = model.citeThreshold(requirement.id);
  const modelUnits = assessment.units.filter((u, k) => u.p >= threshold || (k === 0 && assessment.label !== "absent")).slice(0, MODEL_CITATIONS);
  const citations = [...cueUnits.slice(0, MAX_CITATIONS), ...modelUnits]
    .flatMap((u) => (u.unit.leadIn ? [u.unit.leadIn, u.unit.sentence] : [u.unit.sentence]))
    .filter((s, i, all) => all.findIndex((t) => t.start === s.start) === i)
    .sort((a, b) => a.start - b.start);
  // Decided with the decision offsets; the confidence shown is the model's own probability of that label.
  const confidence = assessment.probabilities[NLI_LABELS.indexOf(assessment.label)]!;
  const status: RequirementStatus = assessment.label === "met" ? "met" : assessment.label === "contradicted" ? "contradicted" : citations.length > 0 ? "unclear" : "missing";
  const { fix: _fix, status: _status, citations: _citations, ...base } = byCues;
  return { ...base, status, citations, confidence, ...(status === "met" || requirement.fix === undefined ? {} : { fix: requirement.fix }) };
}

/** Evaluates one requirement by its cues alone. */
function checkRequirementByCues(doc: ContractDocument, requirement: ChecklistRequirement): RequirementResult {
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
export function checkCompliance(text: string | ContractDocument, checklist: Checklist, options: ComplianceOptions = {}): ComplianceResult {
  const doc = ContractDocument.of(text);
  const results = checklist.requirements.map((r) => checkRequirement(doc, r, options));
  const counts: Record<RequirementStatus, number> = { met: 0, contradicted: 0, unclear: 0, missing: 0 };
  for (const r of results) counts[r.status]++;
  return { checklist: checklist.name, results, counts };
}
