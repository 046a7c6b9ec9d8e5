import { BearError, formatValue } from "@bear/core";

export type LegalErrorCode = "PLAYBOOK_INVALID" | "CHECKLIST_INVALID" | "LLM_OUTPUT_INVALID" | "CITATION_INVALID" | "REPORT_FORMAT_UNKNOWN" | "INPUT_INVALID" | "CLAUSE_MODEL_INVALID" | "KEY_TERM_MODEL_INVALID" | "CHECKLIST_MODEL_INVALID";

/** Base class of every error this package throws on purpose. */
export class LegalError extends BearError<LegalErrorCode> {}

/** One problem in a playbook or checklist: the exact path and what is wrong there. */
export interface DocumentIssue {
  /** e.g. `rules[2].when.clause_present`. */
  readonly path: string;
  readonly message: string;
}

function listIssues(issues: readonly DocumentIssue[]): string {
  const lines = issues.slice(0, 20).map((i) => `  ${i.path || "(root)"}: ${i.message}`);
  return lines.join("\n") + (issues.length > 20 ? `\n  … and ${issues.length - 20} more` : "");
}

export class PlaybookError extends LegalError {
  readonly issues: readonly DocumentIssue[];
  constructor(source: string, issues: readonly DocumentIssue[], cause?: unknown) {
    super("PLAYBOOK_INVALID", `playbook ${source} is invalid (${issues.length} problem${issues.length === 1 ? "" : "s"}):\n${listIssues(issues)}`, {
      hint: "A playbook is YAML with name, approved_governing_law? and rules[] of { id, title, severity, when, fix }; see the default playbook in the README.",
      cause,
      details: { source, issues },
    });
    this.issues = issues;
  }
}

export class ChecklistError extends LegalError {
  readonly issues: readonly DocumentIssue[];
  constructor(source: string, issues: readonly DocumentIssue[], cause?: unknown) {
    super("CHECKLIST_INVALID", `checklist ${source} is invalid (${issues.length} problem${issues.length === 1 ? "" : "s"}):\n${listIssues(issues)}`, {
      hint: "A checklist is YAML with name and requirements[] of { id, title, evidence[], contradicted_by?, weak_evidence? }; see the GDPR Art. 28 checklist in the README.",
      cause,
      details: { source, issues },
    });
    this.issues = issues;
  }
}

export class LlmOutputError extends LegalError {
  constructor(modelId: string, reason: string, cause?: unknown) {
    super("LLM_OUTPUT_INVALID", `model '${modelId}' returned unusable clause labels: ${reason}`, {
      hint: "The rule-based labels are kept for this clause; use a model that supports JSON-schema constrained output.",
      cause,
      details: { modelId },
    });
  }
}

export class CitationError extends LegalError {
  constructor(where: string, start: number, end: number, reason: string) {
    super("CITATION_INVALID", `citation at ${where} [${start}, ${end}) is invalid: ${reason}`, {
      hint: "Every citation must slice the reviewed text exactly (text.slice(start, end) === quote); re-run the review on the same text.",
      details: { where, start, end },
    });
  }
}

export class ReportFormatError extends LegalError {
  constructor(format: unknown) {
    super("REPORT_FORMAT_UNKNOWN", `report format ${formatValue(format)} is not supported`, {
      hint: 'Use "json", "markdown" or "html".',
      details: { format: String(format) },
    });
  }
}

export class LegalInputError extends LegalError {
  constructor(argument: string, value: unknown, expected: string) {
    super("INPUT_INVALID", `invalid ${argument}: ${typeof value === "string" ? `a string of ${value.length} characters` : formatValue(value)} (expected ${expected})`, {
      details: { argument, expected },
    });
  }
}

export class ClauseModelError extends LegalError {
  constructor(source: string, reason: string, cause?: unknown) {
    super("CLAUSE_MODEL_INVALID", `clause model ${source} cannot be read: ${reason}`, {
      hint: "Rebuild it with `npm run train -w @bear/legal`, or leave it out: the rules then label clauses alone.",
      cause,
      details: { source },
    });
  }
}

export class KeyTermModelError extends LegalError {
  constructor(source: string, reason: string, cause?: unknown) {
    super("KEY_TERM_MODEL_INVALID", `key-term model ${source} cannot be read: ${reason}`, {
      hint: "Rebuild it with `npm run train:key-terms -w @bear/legal`, or leave it out: the rules then find parties and dates alone.",
      cause,
      details: { source },
    });
  }
}

/** The checklist model's weights file is not one, is cut short, or has a head without its numbers. */
export class ChecklistModelError extends LegalError {
  constructor(source: string, reason: string, cause?: unknown) {
    super("CHECKLIST_MODEL_INVALID", `checklist model ${source} cannot be read: ${reason}`, {
      hint: "Rebuild it with `npm run train:nli -w @bear/legal`, or leave it out: the checklist cues then decide alone.",
      cause,
      details: { source },
    });
  }
}
