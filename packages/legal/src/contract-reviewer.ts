import { silentLogger, type Llm, type Logger } from "@bear/core";
import type { ClauseClassification } from "./classification/clause-classification";
import { classifyClauses } from "./classification/classify-clauses";
import { resolveChecklists } from "./compliance/built-in-checklists";
import type { Checklist } from "./compliance/checklist";
import { checkCompliance, type ComplianceResult } from "./compliance/check-compliance";
import { extractKeyTerms } from "./extraction/extract-key-terms";
import type { KeyTerms } from "./extraction/key-term-types";
import { legalConfigSchema, type LegalConfig, type LegalConfigInput } from "./legal-config";
import { assessRisk, type RiskFinding } from "./review/assess-risk";
import type { ContractAnalysis } from "./review/contract-analysis";
import { loadPlaybook, type Playbook } from "./review/playbook";
import { renderReport, type ReportFormat } from "./report/render-report";
import { defaultPlaybook, reviewContract, type ReviewContractOptions } from "./report/review-contract";
import type { ContractReviewReport } from "./report/review-report";

export interface ContractReviewerOptions extends LegalConfigInput {
  readonly llm?: Llm;
  readonly logger?: Logger;
}

/**
 * The package's service: one configured playbook, checklists and optional model. Constructible by
 * hand (`new ContractReviewer({ playbook })`) or resolved from `legalModule()` via its token.
 */
export class ContractReviewer {
  readonly config: LegalConfig;
  /** The configured playbook, else the default one (`review` then picks the playbook of the agreement's kind). */
  readonly playbook: Playbook;
  private readonly configuredPlaybook: boolean;
  private readonly checklists: readonly Checklist[] | "auto";
  private readonly llm: Llm | undefined;
  private readonly logger: Logger;

  constructor(options: ContractReviewerOptions = {}) {
    const { llm, logger, ...config } = options;
    this.config = legalConfigSchema.parse(config);
    this.configuredPlaybook = this.config.playbook !== undefined;
    this.playbook = this.config.playbook === undefined ? defaultPlaybook() : loadPlaybook(this.config.playbook, "configured playbook");
    // Resolved once, so a bad checklist fails at construction, not at the first review.
    this.checklists = this.config.checklists === "auto" ? "auto" : resolveChecklists("", this.config.checklists);
    this.llm = this.config.useLlm ? llm : undefined;
    this.logger = (logger ?? silentLogger).child({ name: "legal:ContractReviewer" });
  }

  /** True when clause classification will be LLM-assisted. */
  get usesModel(): boolean {
    return this.llm !== undefined;
  }

  extractKeyTerms(text: string): KeyTerms {
    return extractKeyTerms(text);
  }

  classifyClauses(text: string, signal?: AbortSignal): Promise<ClauseClassification> {
    return classifyClauses(text, { ...(this.config.threshold === undefined ? {} : { threshold: this.config.threshold }), ...(this.llm ? { llm: this.llm } : {}), ...(signal ? { signal } : {}), logger: this.logger });
  }

  assessRisk(analysis: ContractAnalysis): RiskFinding[] {
    return assessRisk(analysis, this.playbook);
  }

  checkCompliance(text: string, checklist: Checklist): ComplianceResult {
    return checkCompliance(text, checklist);
  }

  review(text: string, options: Omit<ReviewContractOptions, "llm" | "playbook" | "logger"> = {}): Promise<ContractReviewReport> {
    return reviewContract(text, {
      ...(this.config.threshold === undefined ? {} : { threshold: this.config.threshold }),
      checklists: this.checklists,
      ...options,
      ...(this.configuredPlaybook ? { playbook: this.playbook } : {}),
      ...(this.llm ? { llm: this.llm } : {}),
      logger: this.logger,
    });
  }

  render(report: ContractReviewReport, format: ReportFormat): string {
    return renderReport(report, format);
  }
}
