// @bear/legal: contract analysis that works offline, with or without a model.

// Whole review, module and service
export { reviewContract, defaultPlaybook, type ReviewContractOptions } from "./report/review-contract";
export { gdprArt28Checklist, ndaChecklist, resolveChecklists, BUILT_IN_CHECKLISTS } from "./compliance/built-in-checklists";
export { ContractReviewer, type ContractReviewerOptions } from "./contract-reviewer";
export { legalModule, ContractReviewerToken } from "./legal.module";
export { LegalConfig, legalConfigSchema, type LegalConfigInput } from "./legal-config";

// Text
export { ContractDocument } from "./text/contract-document";
export { segmentSentences } from "./text/segment-sentences";
export { segmentClauses, type Clause } from "./text/segment-clauses";
export type { Span } from "./text/span";

// Parsers
export { parseNumberWords, toNumberWords } from "./parsing/number-words";
export { parseDate, addToDate, isoDate, type IsoDate } from "./parsing/parse-date";
export { parseDuration, type Duration, type DurationUnit } from "./parsing/parse-duration";
export { parseMoney, currencyCode, type MoneyValue } from "./parsing/parse-money";

// Extraction
export { extractKeyTerms, type ExtractKeyTermsOptions } from "./extraction/extract-key-terms";
export { KeyTermModel, KEY_TERM_HEADS, type KeyTermHead, type KeyTermHeadWeights } from "./extraction/key-term-model/key-term-model";
export { shippedKeyTermModel } from "./extraction/key-term-model/shipped-key-term-model";
export { ChecklistModel, type ChecklistAssessment, type ChecklistHead } from "./compliance/nli-model/checklist-model";
export { shippedChecklistModel } from "./compliance/nli-model/shipped-checklist-model";
export type {
  KeyTerms,
  Party,
  DateTerm,
  DateRole,
  KeyDate,
  KeyDates,
  DateDerivation,
  PeriodTerm,
  PeriodKind,
  MoneyTerm,
  PercentageTerm,
  GoverningLawTerm,
  JurisdictionTerm,
  DefinedTerm,
  CrossReference,
  CrossReferenceKind,
  Signatory,
  RenewalTerm,
} from "./extraction/key-term-types";

// Classification
export { CUAD_CATEGORIES, DOCUMENT_LEVEL_CATEGORIES, CUAD_DESCRIPTIONS, cuadCategory, type CuadCategory } from "./classification/cuad-categories";
export { classifyClauses, type ClassifyClausesOptions } from "./classification/classify-clauses";
export { RuleClauseClassifier, type SentenceScore } from "./classification/rule-clause-classifier";
export { ModelClauseClassifier } from "./classification/model-clause-classifier";
export { ClauseModel, type ClauseModelWeights, type StackWeights } from "./classification/clause-model/clause-model";
export type { BagNetworkWeights, FirstStageBlend } from "./classification/clause-model/bag-network";
export type { ScoredDocument } from "./classification/clause-model/context-features";
export { shippedClauseModel } from "./classification/clause-model/shipped-clause-model";
export { LlmClauseClassifier, CLAUSE_LABELS_JSON_SCHEMA, parseLlmLabels, type LlmClassifierOptions } from "./classification/llm-clause-classifier";
export { DEFAULT_CLAUSE_LEXICON, type ClauseLexicon, type CategoryLexicon, type LexiconCue } from "./classification/clause-lexicon";
export type { ClauseClassification, ClassifiedClause, ClauseLabel, LabelEvidence, LabelSource } from "./classification/clause-classification";

// Document types
export { detectDocumentType, DOCUMENT_TYPES, DOCUMENT_TYPE_NAMES, type DocumentType, type DocumentTypeResult } from "./document-type/detect-document-type";

// Review
export { loadPlaybook, playbookSchema, SEVERITIES, type Playbook, type PlaybookRule, type RuleCondition, type Severity } from "./review/playbook";
export { DEFAULT_PLAYBOOK_YAML } from "./review/default-playbook";
export { playbookForType, NDA_PLAYBOOK_YAML, GENERAL_PLAYBOOK_YAML } from "./review/type-playbooks";
export { assessRisk, type RiskFinding } from "./review/assess-risk";
export { reconcileEvidence, type EvidenceSet } from "./review/evidence-set";
export type { ContractAnalysis } from "./review/contract-analysis";

// Compliance
export { loadChecklist, checklistSchema, type Checklist, type ChecklistRequirement, type ChecklistCue } from "./compliance/checklist";
export { checkCompliance, checkRequirement, type ComplianceOptions, type ComplianceResult, type RequirementResult, type RequirementStatus } from "./compliance/check-compliance";
export { GDPR_ART28_CHECKLIST_YAML } from "./compliance/gdpr-art28-checklist";
export { NDA_CHECKLIST_YAML } from "./compliance/nda-checklist";

// Reports
export { buildReport, type ReportParts } from "./report/build-report";
export { renderReport, escapeHtml, escapeMarkdown, type ReportFormat } from "./report/render-report";
export { findContradictions, type Contradiction } from "./report/find-contradictions";
export { validateCitations, assertCitations, type CitationCheck, type CitationProblem } from "./report/validate-citations";
export { REPORT_SCHEMA_VERSION, type ContractReviewReport, type ReportSummary } from "./report/review-report";

// Workflow
export { CONTRACT_REVIEW_WORKFLOW_YAML } from "./workflow/contract-review-workflow";
export { runLegalStep, legalStepParameters, LEGAL_STEP_TYPES, type LegalStepType, type LegalStepContext } from "./workflow/legal-steps";

// Errors
export {
  LegalError,
  PlaybookError,
  ChecklistError,
  LlmOutputError,
  CitationError,
  ReportFormatError,
  ClauseModelError, KeyTermModelError, ChecklistModelError,
  LegalInputError,
  type LegalErrorCode,
  type DocumentIssue,
} from "./errors";
export { legalTools, type ReviewFunction } from "./tools/legal-tools";
