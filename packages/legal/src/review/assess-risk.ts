import type { CuadCategory } from "../classification/cuad-categories";
import { builtInRequirement } from "../compliance/built-in-checklists";
import { checkRequirement, type RequirementResult, type RequirementStatus } from "../compliance/check-compliance";
import { PlaybookError } from "../errors";
import { parseDuration } from "../parsing/parse-duration";
import { ContractDocument } from "../text/contract-document";
import type { Span } from "../text/span";
import type { ContractAnalysis } from "./contract-analysis";
import { KEY_TERM_CATEGORY, reconcileEvidence } from "./evidence-set";
import { SEVERITIES, type Playbook, type PlaybookRule, type RuleCondition, type Severity } from "./playbook";
import { compilePlaybookPattern } from "./playbook-pattern";
import { incorporationByReference } from "./incorporated-terms";

/** One playbook rule that fired, with the text it rests on. */
export interface RiskFinding {
  readonly ruleId: string;
  readonly title: string;
  readonly severity: Severity;
  readonly description?: string;
  readonly fix: string;
  /** The cited text; empty only when the finding is an absence with nothing related to quote. */
  readonly citations: readonly Span[];
  /** True when the finding is that something is missing. */
  readonly absent: boolean;
  /** For an absence: the clause categories it says are missing (never one the clause map labels). */
  readonly missing?: readonly CuadCategory[];
  /** The built-in checklist requirements the finding rests on, with the status it read (the report's checklist section shows the same). */
  readonly requirements?: readonly { readonly id: string; readonly status: RequirementStatus }[];
  /** For an absence: the sentence bringing another document's terms in by reference, where the missing terms may be. */
  readonly incorporatedBy?: Span;
}

interface Outcome {
  readonly fired: boolean;
  readonly citations: Span[];
  readonly absent: boolean;
  readonly missing?: readonly CuadCategory[];
  readonly requirements?: readonly { readonly id: string; readonly status: RequirementStatus }[];
}

const NO: Outcome = { fired: false, citations: [], absent: false };
const missingOf = (parts: readonly Outcome[]) => ({ missing: parts.flatMap((p) => p.missing ?? []), requirements: parts.flatMap((p) => p.requirements ?? []) });
const MAX_CITATIONS = 5;

function normLaw(s: string): string {
  return s.toLowerCase().replace(/\b(?:the|state|commonwealth|province)\s+of\s+/g, "").replace(/[^a-z]+/g, " ").trim();
}

class RuleEvaluator {
  private readonly requirements = new Map<string, RequirementResult>();

  constructor(
    private readonly analysis: ContractAnalysis,
    private readonly playbook: Playbook,
    private readonly doc: ContractDocument,
  ) {}

  private sentences(): readonly Span[] {
    return this.doc.sentences;
  }

  evidenceOf(category: CuadCategory): Span[] {
    return this.analysis.classification.clauses.flatMap((c) => c.labels.filter((l) => l.category === category).flatMap((l) => l.evidence.map((e) => e.span)));
  }

  /** A built-in checklist requirement's result: the one the review's checklists already give, else checked now (the same reading). */
  requirementResult(id: string): RequirementResult {
    let result = this.requirements.get(id);
    if (result === undefined) {
      const builtIn = builtInRequirement(id);
      if (builtIn === undefined) throw new PlaybookError(this.playbook.name, [{ path: "rules", message: `unknown requirement '${id}': name one of a built-in checklist (e.g. "nda-5")` }]);
      result = this.analysis.compliance?.find((c) => c.checklist === builtIn.checklist.name)?.results.find((r) => r.id === id) ?? checkRequirement(this.doc, builtIn.requirement);
      this.requirements.set(id, result);
    }
    return result;
  }

  evaluate(cond: RuleCondition): Outcome {
    if ("all" in cond) {
      const parts = cond.all.map((c) => this.evaluate(c));
      return parts.every((p) => p.fired) ? { fired: true, citations: parts.flatMap((p) => p.citations), absent: parts.every((p) => p.absent), ...missingOf(parts) } : NO;
    }
    if ("any" in cond) {
      const parts = cond.any.map((c) => this.evaluate(c)).filter((p) => p.fired);
      return parts.length > 0 ? { fired: true, citations: parts.flatMap((p) => p.citations), absent: parts.every((p) => p.absent), ...missingOf(parts) } : NO;
    }
    if ("clause_present" in cond) {
      const matching = cond.matching === undefined ? undefined : compilePlaybookPattern(cond.matching);
      const notMatching = cond.not_matching === undefined ? undefined : compilePlaybookPattern(cond.not_matching);
      const spans = this.evidenceOf(cond.clause_present).filter((s) => (!matching || matching.test(s.quote)) && (!notMatching || !notMatching.test(s.quote)));
      return spans.length > 0 ? { fired: true, citations: spans, absent: false } : NO;
    }
    if ("clause_absent" in cond) {
      return this.evidenceOf(cond.clause_absent).length === 0 ? { fired: true, citations: [], absent: true, missing: [cond.clause_absent] } : NO;
    }
    if ("text_matches" in cond) {
      const re = compilePlaybookPattern(cond.text_matches);
      const unless = cond.unless_text_matches === undefined ? undefined : compilePlaybookPattern(cond.unless_text_matches);
      if (unless && this.sentences().some((s) => unless.test(s.quote))) return NO;
      const spans = this.sentences().filter((s) => re.test(s.quote));
      return spans.length > 0 ? { fired: true, citations: spans, absent: false } : NO;
    }
    if ("text_absent" in cond) {
      const re = compilePlaybookPattern(cond.text_absent);
      return this.sentences().some((s) => re.test(s.quote)) ? NO : { fired: true, citations: [], absent: true };
    }
    if ("governing_law_not_in" in cond) {
      const allowed = (cond.governing_law_not_in === "approved" ? this.playbook.approved_governing_law : cond.governing_law_not_in).map(normLaw);
      const laws = this.analysis.keyTerms.governingLaw;
      const bad = laws.filter((l) => !allowed.some((a) => normLaw(l.law) === a || normLaw(l.law).startsWith(`${a} `)));
      return laws.length > 0 && bad.length === laws.length ? { fired: true, citations: bad.map((l) => l.clause), absent: false } : NO;
    }
    if ("key_term_missing" in cond) {
      const kt = this.analysis.keyTerms;
      const missing = {
        governing_law: kt.governingLaw.length === 0,
        parties: kt.parties.length === 0,
        effective_date: kt.keyDates.effective === undefined && kt.keyDates.agreement === undefined,
        expiration_date: kt.keyDates.expiration === undefined,
        jurisdiction: kt.jurisdiction.length === 0,
      }[cond.key_term_missing];
      // A clause labelled with the term's category is evidence the term is there, even when it was not parsed.
      const category = cond.key_term_missing === "jurisdiction" ? undefined : KEY_TERM_CATEGORY[cond.key_term_missing];
      if (!missing || (category !== undefined && this.evidenceOf(category).length > 0)) return NO;
      return { fired: true, citations: [], absent: true, ...(category === undefined ? {} : { missing: [category] }) };
    }
    if ("checklist" in cond) {
      // Fires when the requirement's status is one of those named; a finding that it is missing or unclear is an absence.
      const r = this.requirementResult(cond.checklist.requirement);
      if (!cond.checklist.status.includes(r.status)) return NO;
      return { fired: true, citations: [...r.citations], absent: r.status === "missing" || r.status === "unclear", requirements: [{ id: r.id, status: r.status }] };
    }
    if ("auto_renewal_without_notice" in cond) {
      const r = this.analysis.keyTerms.renewal;
      return r && r.automatic && r.noticeToTerminate === undefined ? { fired: true, citations: [r.span], absent: false } : NO;
    }
    if ("renewal_notice_shorter_than" in cond) {
      const limit = parseDuration(cond.renewal_notice_shorter_than);
      const notice = this.analysis.keyTerms.renewal?.noticeToTerminate;
      return limit && notice && notice.duration.approxDays < limit.approxDays ? { fired: true, citations: [notice.span], absent: false } : NO;
    }
    return NO;
  }
}

function dedupe(spans: readonly Span[]): Span[] {
  const seen = new Set<string>();
  return spans.filter((s) => {
    const k = `${s.start}:${s.end}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

/** Checks a contract analysis against a playbook; findings come most severe first, each citing its text. */
export function assessRisk(analysis: ContractAnalysis, playbook: Playbook): RiskFinding[] {
  const doc = new ContractDocument(analysis.text);
  const evaluator = new RuleEvaluator({ ...analysis, ...reconcileEvidence(doc, analysis.keyTerms, analysis.classification) }, playbook, doc);
  const findings: RiskFinding[] = [];
  const incorporatedBy = incorporationByReference(doc);
  for (const rule of playbook.rules) {
    const outcome = evaluator.evaluate(rule.when);
    if (!outcome.fired) continue;
    let citations = dedupe(outcome.citations).sort((a, b) => a.start - b.start);
    if (citations.length === 0 && rule.cite) citations = dedupe(evaluator.evidenceOf(rule.cite));
    findings.push(finding(rule, citations.slice(0, MAX_CITATIONS), outcome, outcome.absent ? incorporatedBy : undefined));
  }
  return findings.sort((a, b) => SEVERITIES.indexOf(a.severity) - SEVERITIES.indexOf(b.severity));
}

function finding(rule: PlaybookRule, citations: Span[], { absent, missing = [], requirements = [] }: Outcome, incorporatedBy?: Span): RiskFinding {
  return {
    ruleId: rule.id,
    title: rule.title,
    severity: rule.severity,
    ...(rule.description === undefined ? {} : { description: rule.description }),
    fix: rule.fix,
    citations,
    absent,
    ...(absent && missing.length > 0 ? { missing: [...new Set(missing)] } : {}),
    ...(requirements.length > 0 ? { requirements } : {}),
    ...(incorporatedBy === undefined ? {} : { incorporatedBy }),
  };
}
