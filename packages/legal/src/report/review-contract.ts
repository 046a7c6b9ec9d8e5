import { silentLogger, type Llm, type Logger } from "@bear/core";
import { classifyClauses } from "../classification/classify-clauses";
import type { ClauseModel } from "../classification/clause-model/clause-model";
import { detectDocumentType } from "../document-type/detect-document-type";
import { playbookForType } from "../review/type-playbooks";
import { resolveChecklists } from "../compliance/built-in-checklists";
import type { Checklist } from "../compliance/checklist";
import { checkCompliance } from "../compliance/check-compliance";
import { LegalInputError } from "../errors";
import { extractKeyTerms } from "../extraction/extract-key-terms";
import { assessRisk } from "../review/assess-risk";
import { DEFAULT_PLAYBOOK_YAML } from "../review/default-playbook";
import { loadPlaybook, type Playbook } from "../review/playbook";
import { ContractDocument } from "../text/contract-document";
import { buildReport } from "./build-report";
import type { ContractReviewReport } from "./review-report";

export interface ReviewContractOptions {
  /** A loaded model makes classification LLM-assisted; without it everything runs on rules. */
  readonly llm?: Llm;
  /** A Playbook or its YAML text (default: the built-in playbook for the detected kind of agreement). */
  readonly playbook?: Playbook | string;
  /**
   * Checklists to run (Checklist objects, built-in names such as "gdpr_art28", or YAML text).
   * "auto" (default) runs the GDPR Art. 28 checklist when the contract mentions personal data.
   */
  readonly checklists?: readonly (Checklist | string)[] | "auto";
  /** Minimum clause label score (default 0.5; a probability when the trained model labels). */
  readonly threshold?: number;
  /** The trained clause model (default: the shipped one when present); `false` = rules only. */
  readonly model?: ClauseModel | false;
  readonly title?: string;
  readonly documentName?: string;
  readonly now?: Date;
  readonly signal?: AbortSignal;
  readonly logger?: Logger;
}

let cachedPlaybook: Playbook | undefined;

/** The built-in playbook, parsed. */
export function defaultPlaybook(): Playbook {
  cachedPlaybook ??= loadPlaybook(DEFAULT_PLAYBOOK_YAML, "default playbook");
  return cachedPlaybook;
}
/**
 * Reviews a contract end to end — extract key terms, classify clauses, assess risk against the
 * playbook, run compliance checklists, validate every citation — and returns the JSON report.
 * Works with no model; pass `llm` for LLM-assisted clause classification.
 */
export async function reviewContract(text: string, options: ReviewContractOptions = {}): Promise<ContractReviewReport> {
  if (typeof text !== "string" || text.trim().length === 0) throw new LegalInputError("contract text", text, "a non-empty string");
  const logger = (options.logger ?? silentLogger).child({ name: "legal:reviewContract" });
  const started = Date.now();
  const doc = new ContractDocument(text);
  const documentType = detectDocumentType(doc);
  // The kind of agreement picks its playbook; a playbook given by the caller always wins.
  const playbook = typeof options.playbook === "string" ? loadPlaybook(options.playbook, "playbook option") : (options.playbook ?? playbookForType(documentType.type));
  const checklists = resolveChecklists(text, options.checklists, documentType.type);
  const keyTerms = extractKeyTerms(doc);
  options.signal?.throwIfAborted();
  const classification = await classifyClauses(doc, {
    ...(options.llm ? { llm: options.llm } : {}),
    ...(options.threshold === undefined ? {} : { threshold: options.threshold }),
    ...(options.model === undefined ? {} : { model: options.model }),
    ...(options.signal ? { signal: options.signal } : {}),
    logger,
  });
  // Checklists first: the playbook's rules on a checklist requirement read these same results.
  const compliance = checklists.map((c) => checkCompliance(doc, c));
  const risks = assessRisk({ text, keyTerms, classification, compliance }, playbook);
  const report = buildReport({
    text,
    keyTerms,
    classification,
    risks,
    compliance,
    playbook: playbook.name,
    documentType,
    ...(options.title === undefined ? {} : { title: options.title }),
    ...(options.documentName === undefined ? {} : { documentName: options.documentName }),
    ...(options.now === undefined ? {} : { now: options.now }),
  });
  logger.info(
    { characters: text.length, clauses: classification.clauses.length, risks: risks.length, checklists: compliance.length, citations: report.citations.checked, ms: Date.now() - started },
    "contract reviewed",
  );
  return report;
}
