import type { DocumentType } from "../document-type/detect-document-type";
import { APPROVED_GOVERNING_LAW, DEFAULT_PLAYBOOK_YAML, GOVERNING_LAW_RULES } from "./default-playbook";
import { loadPlaybook, type Playbook } from "./playbook";

// Rules every agreement is checked against, whatever its kind.
const COMMON_RULES = `${GOVERNING_LAW_RULES}  - id: assignment-without-consent
    title: Assignment allowed without consent
    severity: medium
    when:
      text_matches: "(?:may|can|free\\\\s+to)\\\\s+(?:freely\\\\s+)?assign[^.;]{0,200}without\\\\s+(?:the\\\\s+)?(?:prior\\\\s+)?(?:written\\\\s+)?(?:consent|approval)"
    fix: Require the other party's prior written consent to any assignment (not to be unreasonably withheld), except to a successor of the whole business.
`;


/**
 * An NDA is checked for what makes an NDA work, not for commercial terms such as liability caps. Where the NDA
 * checklist reads the same thing (compelled disclosure nda-8, sharing nda-5/nda-7, return nda-16, non-solicit nda-18),
 * a rule consults its result, so no risk says "missing" beside a checklist row that found it.
 */
export const NDA_PLAYBOOK_YAML = `# BEAR playbook for non-disclosure agreements.
name: BEAR NDA playbook
version: 1
${APPROVED_GOVERNING_LAW}rules:
  - id: nda-no-confidentiality-term
    title: No stated period for the confidentiality obligations
    severity: medium
    when:
      text_absent: "(?:for|during)\\\\s+(?:a\\\\s+)?(?:period|term)\\\\s+of\\\\s+[^.]{0,40}(?:years?|months?)|(?:years?|months?)\\\\s+(?:from|after|following)\\\\s+(?:the\\\\s+)?(?:date|effective|disclosure|termination|expiration)|surviv\\\\w*[^.]{0,120}(?:years?|months?|termination|expiration)|in\\\\s+perpetuity|indefinitely|until\\\\s+such\\\\s+(?:time|information)"
    fix: State how long the obligations last (e.g. 2–5 years from disclosure; trade secrets for as long as they remain secret).
  - id: nda-perpetual-confidentiality
    title: Confidentiality obligations never end
    severity: low
    when:
      text_matches: "(?:confidential|non-?disclosure|obligations?)[^.]{0,200}(?:in\\\\s+perpetuity|perpetual(?:ly)?|indefinitely|shall\\\\s+not\\\\s+expire)"
    fix: Limit the obligations to a fixed period, keeping trade secrets protected for as long as they remain secret.
  - id: nda-no-compelled-disclosure
    title: No carve-out for disclosure required by law
    severity: medium
    when:
      all:
        - checklist: { requirement: nda-8, status: [missing, unclear] }
        - text_absent: "(?:required|compelled|requested|ordered)\\\\s+(?:to\\\\s+(?:be\\\\s+)?disclose[sd]?\\\\s+)?(?:by|under|pursuant\\\\s+to)\\\\s+(?:any\\\\s+|applicable\\\\s+|the\\\\s+)?(?:law|statute|regulation|court|order|subpoena|legal|judicial|governmental|rule)|subpoena|court\\\\s+order|legally\\\\s+compelled"
    fix: Allow disclosure required by law or court order, after prompt notice to the discloser so it can seek a protective order.
  - id: nda-no-representatives
    title: No permission to share with employees and advisers
    severity: low
    when:
      all:
        - checklist: { requirement: nda-5, status: [missing, unclear, contradicted] }
        - checklist: { requirement: nda-7, status: [missing, unclear, contradicted] }
        - text_absent: "(?:employees|representatives|advis[eo]rs|counsel|attorneys|accountants|officers|directors|consultants|agents)\\\\b[^.]{0,200}(?:need\\\\s+to\\\\s+know|who\\\\s+(?:are|have\\\\s+been)\\\\s+(?:informed|bound|advised))|need\\\\s+to\\\\s+know"
    fix: Permit disclosure to employees and professional advisers who need to know and are bound by confidentiality duties.
  - id: nda-no-return-or-destruction
    title: No duty to return or destroy confidential information
    severity: medium
    when:
      all:
        - checklist: { requirement: nda-16, status: [missing, unclear, contradicted] }
        - text_absent: "(?:return|destroy|destruction|delete|erase)[^.]{0,200}(?:confidential|information|materials?|documents?|copies)|(?:confidential|information|materials?|documents?|copies)[^.]{0,200}(?:returned|destroyed|deleted|erased)"
    fix: Require return or destruction of all confidential information (and copies) on request or at the end of the relationship, with written certification.
  - id: nda-residuals
    title: Residuals clause lets the recipient use what it remembers
    severity: high
    when:
      text_matches: "residual|(?:retained|unaided)\\\\s+(?:in\\\\s+)?(?:the\\\\s+)?memor(?:y|ies)"
    fix: Delete the residuals clause, or limit it to general skills and exclude patents, trade secrets and specific data.
  - id: nda-non-solicit
    title: Non-solicitation of employees
    severity: low
    when:
      any:
        - clause_present: No-Solicit of Employees
        - checklist: { requirement: nda-18, status: [met] }
    fix: Check the non-solicit is limited to employees met through the deal, for at most 12 months, with a carve-out for general advertising.
  - id: nda-non-compete
    title: Non-compete inside an NDA
    severity: medium
    when: { clause_present: Non-Compete }
    fix: An NDA should not restrict competition; delete the clause or move it to a separate, negotiated agreement.
${COMMON_RULES}`;

/** Employment, lease and loan agreements: the rules that apply to any agreement, plus restrictive covenants. */
export const GENERAL_PLAYBOOK_YAML = `# BEAR playbook for agreements outside commercial supply, licence and services (employment, lease, loan).
name: BEAR general playbook
version: 1
${APPROVED_GOVERNING_LAW}rules:
  - id: non-compete
    title: Non-compete restriction
    severity: medium
    when: { clause_present: Non-Compete }
    fix: Narrow the restriction in scope, territory and duration, or delete it.
  - id: auto-renewal-without-notice
    title: Automatic renewal without a notice window
    severity: medium
    when: { auto_renewal_without_notice: true }
    fix: Let either party stop the renewal by written notice at least 60 days before the end of the current term.
  - id: unilateral-amendment
    title: One party may change the terms unilaterally
    severity: high
    when:
      text_matches: "(?:may|reserves\\\\s+the\\\\s+right\\\\s+to)\\\\s+(?:at\\\\s+any\\\\s+time\\\\s+)?(?:amend|modify|change|update)\\\\s+(?:the\\\\s+terms\\\\s+of\\\\s+)?(?:this\\\\s+agreement|these\\\\s+terms)[^.]{0,80}(?:sole\\\\s+discretion|without\\\\s+(?:notice|consent))"
    fix: Require any amendment to be in writing and signed by both parties.
${COMMON_RULES}`;

const cache = new Map<string, Playbook>();
const parsed = (yaml: string, name: string) => {
  let p = cache.get(name);
  if (!p) cache.set(name, (p = loadPlaybook(yaml, name)));
  return p;
};

/** The playbook a document of this kind is reviewed against by default. */
export function playbookForType(type: DocumentType): Playbook {
  switch (type) {
    case "nda":
      return parsed(NDA_PLAYBOOK_YAML, "NDA playbook");
    case "employment":
    case "lease":
    case "loan":
      return parsed(GENERAL_PLAYBOOK_YAML, "general playbook");
    default:
      return parsed(DEFAULT_PLAYBOOK_YAML, "default playbook");
  }
}
