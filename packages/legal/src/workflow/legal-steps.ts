import type { Llm, Logger } from "@bear/core";
import { z } from "zod";
import type { ClauseClassification } from "../classification/clause-classification";
import { classifyClauses } from "../classification/classify-clauses";
import { resolveChecklists } from "../compliance/built-in-checklists";
import { detectDocumentType } from "../document-type/detect-document-type";
import { playbookForType } from "../review/type-playbooks";
import { checkCompliance, type ComplianceResult } from "../compliance/check-compliance";
import { CitationError, LegalInputError } from "../errors";
import { extractKeyTerms } from "../extraction/extract-key-terms";
import type { KeyTerms } from "../extraction/key-term-types";
import { assessRisk, type RiskFinding } from "../review/assess-risk";
import { loadPlaybook } from "../review/playbook";
import { buildReport } from "../report/build-report";
import { renderReport } from "../report/render-report";
import { validateCitations } from "../report/validate-citations";
import { ContractDocument } from "../text/contract-document";

/** The step types of the contract_review workflow, in order. */
export const LEGAL_STEP_TYPES = ["legal.extract_terms", "legal.classify_clauses", "legal.assess_risk", "legal.check_compliance", "legal.validate_citations", "legal.report"] as const;
export type LegalStepType = (typeof LEGAL_STEP_TYPES)[number];

const text = z.string().min(1, "expected the contract text");
const object = z.record(z.string(), z.unknown());

/** Parameter schemas per step type (zod), for a workflow-engine StepHandler's `parameters`. */
export const legalStepParameters = {
  "legal.extract_terms": z.object({ text }),
  "legal.classify_clauses": z.object({ text, use_llm: z.boolean().default(false), threshold: z.number().min(0).max(1).optional() }),
  "legal.assess_risk": z.object({ text, key_terms: object, classification: object, playbook: z.string().default("") }),
  "legal.check_compliance": z.object({ text, checklists: z.array(z.string()).default([]) }),
  "legal.validate_citations": z.object({ text, outputs: z.unknown(), fail_on_invalid: z.boolean().default(true) }),
  "legal.report": z.object({
    text,
    key_terms: object,
    classification: object,
    risks: object,
    compliance: object,
    citations: z.unknown().optional(),
    format: z.enum(["json", "markdown", "html"]).default("markdown"),
    title: z.string().optional(),
    document_name: z.string().optional(),
  }),
} as const satisfies Record<LegalStepType, z.ZodType>;

export interface LegalStepContext {
  /** Used by legal.classify_clauses when `use_llm` is true; without it the rules decide. */
  readonly llm?: Llm;
  readonly signal?: AbortSignal;
  readonly logger?: Logger;
}

/** JSON round trip: step outputs must be plain JSON (drops nothing: outputs never hold undefined). */
function json<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}

/**
 * Runs one `legal.*` step on JSON parameters and returns its JSON output (shapes in the README).
 * This is all a workflow-engine handler has to call:
 * `{ type, parameters: legalStepParameters[type], execute: (ctx) => runLegalStep(type, ctx.parameters, { llm, signal: ctx.signal }) }`.
 */
export async function runLegalStep(type: LegalStepType, parameters: unknown, context: LegalStepContext = {}): Promise<unknown> {
  const schema = legalStepParameters[type] as z.ZodType | undefined;
  if (!schema) throw new LegalInputError("step type", type, LEGAL_STEP_TYPES.join(", "));
  const parsed = schema.safeParse(parameters);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new LegalInputError(`parameters of ${type}${issue ? ` at '${issue.path.join(".")}'` : ""}`, issue?.message ?? "invalid", "the documented step parameters");
  }
  context.signal?.throwIfAborted();
  switch (type) {
    case "legal.extract_terms": {
      const p = parsed.data as z.infer<(typeof legalStepParameters)["legal.extract_terms"]>;
      return json(extractKeyTerms(p.text));
    }
    case "legal.classify_clauses": {
      const p = parsed.data as z.infer<(typeof legalStepParameters)["legal.classify_clauses"]>;
      return json(
        await classifyClauses(p.text, {
          ...(p.threshold === undefined ? {} : { threshold: p.threshold }),
          ...(p.use_llm && context.llm ? { llm: context.llm } : {}),
          ...(context.signal ? { signal: context.signal } : {}),
          ...(context.logger ? { logger: context.logger } : {}),
        }),
      );
    }
    case "legal.assess_risk": {
      const p = parsed.data as z.infer<(typeof legalStepParameters)["legal.assess_risk"]>;
      const playbook = p.playbook.trim() === "" ? playbookForType(detectDocumentType(new ContractDocument(p.text)).type) : loadPlaybook(p.playbook, "playbook parameter");
      const findings = assessRisk({ text: p.text, keyTerms: p.key_terms as unknown as KeyTerms, classification: p.classification as unknown as ClauseClassification }, playbook);
      return json({ playbook: playbook.name, findings });
    }
    case "legal.check_compliance": {
      const p = parsed.data as z.infer<(typeof legalStepParameters)["legal.check_compliance"]>;
      const doc = new ContractDocument(p.text);
      return json({ checklists: resolveChecklists(p.text, p.checklists.length === 0 ? "auto" : p.checklists, detectDocumentType(doc).type).map((c) => checkCompliance(doc, c)) });
    }
    case "legal.validate_citations": {
      const p = parsed.data as z.infer<(typeof legalStepParameters)["legal.validate_citations"]>;
      const check = validateCitations(p.outputs, p.text);
      const first = check.problems[0];
      if (p.fail_on_invalid && first) throw new CitationError(first.path, first.start, first.end, first.reason);
      return json(check);
    }
    case "legal.report": {
      const p = parsed.data as z.infer<(typeof legalStepParameters)["legal.report"]>;
      const risks = p.risks as { playbook?: string; findings?: RiskFinding[] };
      const compliance = p.compliance as { checklists?: ComplianceResult[] };
      const report = buildReport({
        text: p.text,
        keyTerms: p.key_terms as unknown as KeyTerms,
        classification: p.classification as unknown as ClauseClassification,
        risks: risks.findings ?? [],
        compliance: compliance.checklists ?? [],
        playbook: risks.playbook ?? "(unknown)",
        ...(p.title === undefined ? {} : { title: p.title }),
        ...(p.document_name === undefined ? {} : { documentName: p.document_name }),
      });
      return json({ format: p.format, content: renderReport(report, p.format), report });
    }
  }
}
