/** The approved-law list every shipped playbook starts from (YAML, top level). */
export const APPROVED_GOVERNING_LAW = `approved_governing_law:
  - New York
  - Delaware
  - California
  - England and Wales
  - England
`;

/** The governing-law rules every shipped playbook carries (YAML list items under `rules:`). */
export const GOVERNING_LAW_RULES = `  - id: governing-law-not-approved
    title: Governing law is not on the approved list
    severity: medium
    when: { governing_law_not_in: approved }
    fix: Propose an approved governing law, or escalate to the responsible partner.
  - id: no-governing-law
    title: No governing law clause
    severity: medium
    when: { key_term_missing: governing_law }
    fix: Add a governing law clause naming an approved law, and a forum clause.
`;

/** The playbook BEAR ships: a sensible starting point for commercial contracts. Copy and edit it. */
export const DEFAULT_PLAYBOOK_YAML = `# BEAR default contract playbook. Every rule: id, title, severity (critical|high|medium|low|info),
# when (one condition, or all:/any: lists), fix, and optionally cite (a category to quote when a clause is absent).
name: BEAR default playbook
version: 1
${APPROVED_GOVERNING_LAW}rules:
  - id: uncapped-liability
    title: Liability is uncapped
    severity: high
    description: A carve-out or clause leaves a party's liability unlimited.
    when: { clause_present: Uncapped Liability }
    fix: Limit the carve-outs to fraud, wilful misconduct and death or personal injury, and cap everything else (e.g. 12 months' fees).
  - id: no-liability-cap
    title: No cap on liability
    severity: high
    when: { clause_absent: Cap on Liability }
    fix: "Add a limitation of liability: an aggregate cap (e.g. fees paid in the prior 12 months) and an exclusion of indirect and consequential damages."
  - id: auto-renewal-without-notice
    title: Automatic renewal without a notice window
    severity: medium
    when: { auto_renewal_without_notice: true }
    fix: Let either party stop the renewal by written notice at least 60 days before the end of the current term.
  - id: short-renewal-notice
    title: Notice window to stop renewal is shorter than 30 days
    severity: low
    when: { renewal_notice_shorter_than: 30 days }
    fix: Ask for at least 30 (ideally 60–90) days' notice of non-renewal so the renewal can be reviewed in time.
  - id: assignment-without-consent
    title: Assignment allowed without consent
    severity: medium
    when:
      text_matches: "(?:may|can|shall\\\\s+be\\\\s+entitled\\\\s+to|free\\\\s+to)\\\\s+(?:freely\\\\s+)?assign[^.;]{0,200}without\\\\s+(?:the\\\\s+)?(?:need\\\\s+for\\\\s+|requiring\\\\s+)?(?:any\\\\s+)?(?:prior\\\\s+)?(?:written\\\\s+)?(?:consent|approval)"
    fix: Require the other party's prior written consent to any assignment (not to be unreasonably withheld), except to a successor of the whole business.
  - id: no-anti-assignment
    title: No restriction on assignment
    severity: low
    when: { clause_absent: Anti-Assignment }
    fix: Add an anti-assignment clause requiring prior written consent.
${GOVERNING_LAW_RULES}  - id: no-termination-for-convenience
    title: No termination for convenience
    severity: medium
    when: { clause_absent: Termination for Convenience }
    cite: Expiration Date
    fix: Add a right to terminate for convenience on 30–90 days' written notice.
  - id: non-compete
    title: Non-compete restriction
    severity: medium
    when: { clause_present: Non-Compete }
    fix: Narrow the restriction in scope, territory and duration (e.g. the term plus 12 months), or delete it.
  - id: exclusivity
    title: Exclusive dealing commitment
    severity: low
    when: { clause_present: Exclusivity }
    fix: Check the exclusivity is limited to the products and territory concerned, with performance conditions and an exit.
  - id: liquidated-damages
    title: Liquidated damages or termination fee
    severity: low
    when: { clause_present: Liquidated Damages }
    fix: Check the amount is a genuine pre-estimate of loss and is the sole remedy for that breach.
  - id: change-of-control
    title: Change of control trigger
    severity: low
    when: { clause_present: Change of Control }
    fix: Check whether a merger or sale of our business lets the other side terminate; limit it to acquisitions by competitors.
  - id: ip-assignment
    title: Intellectual property is assigned
    severity: medium
    when: { clause_present: IP Ownership Assignment }
    fix: Limit the assignment to deliverables created specifically for the customer, and keep pre-existing IP with a licence back.
  - id: unilateral-amendment
    title: One party may change the terms unilaterally
    severity: high
    when:
      text_matches: "(?:may|reserves\\\\s+the\\\\s+right\\\\s+to)\\\\s+(?:at\\\\s+any\\\\s+time\\\\s+)?(?:amend|modify|change|update)\\\\s+(?:the\\\\s+terms\\\\s+of\\\\s+)?(?:this\\\\s+agreement|these\\\\s+terms)[^.]{0,80}(?:sole\\\\s+discretion|without\\\\s+(?:notice|consent))"
    fix: Require any amendment to be in writing and signed by both parties.
`;
