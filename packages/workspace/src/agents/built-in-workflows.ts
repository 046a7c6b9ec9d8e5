import { CONTRACT_REVIEW_WORKFLOW_YAML } from "@bear/legal";

/** A workflow every workspace has, run by name (`bear workflow run <name>`, the web UI's list). */
export interface BuiltInWorkflow {
  readonly name: string;
  /** The agent pattern it is written in, if any. */
  readonly pattern: "delegation" | "pipeline" | "collaboration" | null;
  readonly description: string;
  /** The definition as YAML (what is run, and what the UI shows). */
  readonly definition: string;
}

/** Inputs naming one document: a text file of the run's file area, an indexed document of its matter, or text. */
const SOURCE_INPUTS = `inputs:
  path: { type: string, default: "", description: "A .txt or .md file in the run's file area (bear workflow run: --files)." }
  document_id: { type: string, default: "", description: An indexed document of the run's matter. }
  text: { type: string, default: "", description: The document's text itself. }
  name: { type: string, default: "", description: A name for outputs (default the file or document name). }`;

const SOURCE = `{ path: "{{ inputs.path }}", document_id: "{{ inputs.document_id }}", text: "{{ inputs.text }}", name: "{{ inputs.name }}" }`;

const CONTRACT_FOLDER_RISKS = `name: contract_folder_risks
description: Review every contract in a folder and summarise the risks. Delegation - the work list is decomposed into one review per contract, each given to the best-placed contract reviewer, then aggregated. No model needed.
pattern: delegation
inputs:
  folder: { type: string, default: "", description: "A folder of .txt/.md contracts in the run's file area; omitted: every indexed document of the run's matter." }
decompose:
  capability: document_listing
  input: { folder: "{{ inputs.folder }}" }
subtask:
  capability: contract_review
  attempts: 2
aggregate:
  capability: risk_summary
`;

const EXTRACT_REDACT_INDEX = `name: extract_redact_index
description: Extract a document's text, redact the personal data in it (checked by the validator), and index the redacted copy in the run's matter. Pipeline. No model needed.
pattern: pipeline
${SOURCE_INPUTS}
stages:
  - id: extract
    capability: text_extraction
    input: ${SOURCE}
  - id: redact
    capability: pii_scrubbing
    input: { text: "{{ steps.extract.output.text }}" }
    validate: { pii: scrubbed }
    attempts: 2
  - id: index
    capability: document_indexing
    input: { name: "{{ steps.extract.output.name }}", text: "{{ steps.redact.output.text }}" }
`;

const CLAUSE_SUMMARY = `name: clause_summary
description: Draft a clause summary of a contract, then review and refine it until the reviewer is satisfied (every critical and high risk covered). Collaboration between a clause researcher, a drafter and a reviewer. No model needed.
pattern: collaboration
${SOURCE_INPUTS}
brief: ${SOURCE}
research: [clause_research]
draft: clause_summary_drafting
review: clause_summary_review
rounds: 3
`;

export const BUILT_IN_WORKFLOWS: readonly BuiltInWorkflow[] = [
  { name: "contract_review", pattern: null, description: "Review one contract (text input): key terms, clauses, risks, compliance, validated citations, report.", definition: CONTRACT_REVIEW_WORKFLOW_YAML },
  { name: "contract_folder_risks", pattern: "delegation", description: "Review every contract in a folder (or the matter) and summarise the risks.", definition: CONTRACT_FOLDER_RISKS },
  { name: "extract_redact_index", pattern: "pipeline", description: "Extract a document's text, redact personal data, index the redacted copy.", definition: EXTRACT_REDACT_INDEX },
  { name: "clause_summary", pattern: "collaboration", description: "Draft a clause summary, then review and refine it.", definition: CLAUSE_SUMMARY },
];

/** The built-in workflow of this name, if there is one. */
export function builtInWorkflow(name: string): BuiltInWorkflow | undefined {
  return BUILT_IN_WORKFLOWS.find((w) => w.name === name);
}
