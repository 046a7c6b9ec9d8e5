/**
 * The built-in `contract_review` workflow for @bear/workflow-engine. Its step types (`legal.*`) are
 * implemented by runLegalStep; @bear/agents registers them as handlers.
 */
export const CONTRACT_REVIEW_WORKFLOW_YAML = `name: contract_review
description: Review a contract with no model required - extract key terms, classify clauses, assess risk against a playbook, check compliance, validate every citation, report.
version: 1
inputs:
  text: { type: string, required: true, description: The contract text (the offsets in every output index into it). }
  playbook: { type: string, default: "", description: Playbook YAML; empty uses the built-in playbook. }
  checklists: { type: array, default: [], description: "Checklist YAML texts, or the names of built-in checklists (gdpr_art28); empty = auto (GDPR Art. 28 when the text mentions personal data)." }
  use_llm: { type: boolean, default: false, description: Let the bound model re-score clause labels. }
  format: { type: string, default: markdown, description: "json, markdown or html." }
  title: { type: string, default: Contract review }
steps:
  - id: extract
    type: legal.extract_terms
    agent: legal
    parameters: { text: "{{ inputs.text }}" }
  - id: classify
    type: legal.classify_clauses
    agent: legal
    parameters: { text: "{{ inputs.text }}", use_llm: "{{ inputs.use_llm }}" }
  - id: assess
    type: legal.assess_risk
    agent: legal
    depends_on: [extract, classify]
    parameters:
      text: "{{ inputs.text }}"
      key_terms: "{{ steps.extract.output }}"
      classification: "{{ steps.classify.output }}"
      playbook: "{{ inputs.playbook }}"
  - id: comply
    type: legal.check_compliance
    agent: legal
    parameters: { text: "{{ inputs.text }}", checklists: "{{ inputs.checklists }}" }
  - id: validate
    type: legal.validate_citations
    agent: validator
    depends_on: [extract, classify, assess, comply]
    parameters:
      text: "{{ inputs.text }}"
      outputs:
        key_terms: "{{ steps.extract.output }}"
        classification: "{{ steps.classify.output }}"
        risks: "{{ steps.assess.output }}"
        compliance: "{{ steps.comply.output }}"
  - id: report
    type: legal.report
    agent: legal
    depends_on: [extract, classify, assess, comply, validate]
    parameters:
      text: "{{ inputs.text }}"
      key_terms: "{{ steps.extract.output }}"
      classification: "{{ steps.classify.output }}"
      risks: "{{ steps.assess.output }}"
      compliance: "{{ steps.comply.output }}"
      citations: "{{ steps.validate.output }}"
      format: "{{ inputs.format }}"
      title: "{{ inputs.title }}"
`;
