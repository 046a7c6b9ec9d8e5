/** GDPR Art. 28 processor-agreement checklist (Art. 28(2)–(4)), shipped with BEAR. Copy and edit it. */
export const GDPR_ART28_CHECKLIST_YAML = String.raw`# GDPR Article 28 - terms a controller-processor contract must contain.
# Each requirement: evidence (a regex, or a list of regexes that must all match one sentence) meets it;
# contradicted_by says the opposite; weak_evidence alone makes it unclear; otherwise it is missing.
name: GDPR Art. 28 processor agreement
version: 1
requirements:
  - id: art28-3-scope
    reference: GDPR Art. 28(3), first sentence
    title: Subject matter, duration, nature and purpose of processing, types of personal data and categories of data subjects are set out
    evidence:
      - ["categor(?:y|ies) of data subjects", "(?:type|categor)(?:s|ies)? of personal data"]
      - ["nature and purpose", "(?:processing|personal data)"]
    weak_evidence:
      - "(?:subject[- ]matter|duration) of (?:the )?processing"
      - "data subjects"
    fix: Add an annex describing the subject matter, duration, nature and purpose of the processing, the types of personal data and the categories of data subjects.
  - id: art28-3-a
    reference: GDPR Art. 28(3)(a)
    title: Processes personal data only on documented instructions from the controller
    evidence:
      - ["(?:only|solely|exclusively)[^.]{0,80}(?:documented|written|lawful)?\\s*instructions?", "(?:process|personal data)"]
      - ["in accordance with[^.]{0,40}(?:documented|written)\\s+instructions"]
    contradicted_by:
      - ["process[^.]{0,80}for (?:its|the processor's) own purposes"]
    weak_evidence:
      - "instructions? (?:of|from) the (?:controller|customer|client)"
    fix: State that the processor processes personal data only on the controller's documented instructions, including for transfers to third countries.
  - id: art28-3-b
    reference: GDPR Art. 28(3)(b)
    title: Persons authorised to process personal data are bound by confidentiality
    evidence:
      - ["(?:personnel|employees|staff|persons?)[^.]{0,120}(?:authori[sz]ed|access)", "confidential"]
      - ["(?:committed themselves to|under (?:an )?(?:appropriate )?statutory obligation of) confidentiality"]
    weak_evidence:
      - "confidential"
    fix: Require everyone authorised to process the personal data to be bound by a duty of confidentiality.
  - id: art28-3-c
    reference: GDPR Art. 28(3)(c), Art. 32
    title: Takes the security measures required by Art. 32
    evidence:
      - "(?:appropriate|adequate)\\s+technical\\s+and\\s+organi[sz]ational\\s+(?:security\\s+)?measures"
      - "Article\\s+32|Art\\.\\s*32"
    weak_evidence:
      - "security measures|safeguards|encrypt"
    fix: Oblige the processor to implement appropriate technical and organisational measures under Art. 32 (listed in an annex).
  - id: art28-2-subprocessors
    reference: GDPR Art. 28(2) and (4)
    title: Sub-processors only with the controller's prior written authorisation, on the same data protection terms
    evidence:
      - ["sub-?processors?|(?:engage|appoint)[^.]{0,40}(?:another|other|third[- ]party) processor", "(?:prior|specific|general)\\s+(?:specific\\s+|general\\s+)?(?:written\\s+)?(?:authori[sz]ation|consent|approval)"]
    contradicted_by:
      - ["sub-?processors?|subcontract", "without (?:the\\s+)?(?:need for\\s+)?(?:any\\s+)?(?:prior\\s+)?(?:consent|authori[sz]ation|approval)"]
    weak_evidence:
      - "sub-?processors?|subcontract"
    fix: Require prior specific or general written authorisation for sub-processors, notice of changes with a right to object, and the same obligations flowed down.
  - id: art28-3-e
    reference: GDPR Art. 28(3)(e)
    title: Assists the controller in responding to data subjects exercising their rights
    evidence:
      - ["assist", "data subjects?['’]?\\s+(?:rights|requests)|requests? (?:from|by) (?:a )?data subjects?|exercise of (?:the )?data subject"]
    weak_evidence:
      - "data subject (?:access )?requests?|rights of (?:the )?data subjects?"
    fix: Require the processor to assist, by appropriate measures, in answering data subjects' requests under Chapter III.
  - id: art28-3-f
    reference: GDPR Art. 28(3)(f), Arts. 32-36
    title: Assists with security, breach notification, impact assessments and prior consultation
    evidence:
      - ["assist", "(?:Articles?\\s+32\\s*(?:to|-|–)\\s*36|data protection impact assessments?|prior consultation)"]
    weak_evidence:
      - "impact assessment|supervisory authority"
    fix: Require assistance with Arts. 32-36 obligations (security, breach notification, DPIAs and prior consultation).
  - id: art33-breach-notice
    reference: GDPR Art. 33(2)
    title: Notifies the controller of a personal data breach without undue delay
    evidence:
      - ["(?:personal data|security) breach", "(?:without undue delay|promptly|immediately|within\\s+\\w+\\s*(?:\\(\\d+\\)\\s*)?hours)", "notif|inform"]
    weak_evidence:
      - "(?:personal data|security) breach"
    fix: Require notice of any personal data breach without undue delay (e.g. within 48 hours) with the information the controller needs.
  - id: art28-3-g
    reference: GDPR Art. 28(3)(g)
    title: Deletes or returns all personal data at the end of the services
    evidence:
      - ["(?:delete|deletion|destroy|erase|return)", "personal data", "(?:end|termination|expiry|expiration|completion|cessation)"]
    weak_evidence:
      - ["(?:delete|destroy|return)", "data"]
    fix: Require deletion or return of all personal data at the controller's choice at the end of the services, and deletion of existing copies.
  - id: art28-3-h-audit
    reference: GDPR Art. 28(3)(h)
    title: Makes information available and allows audits and inspections
    evidence:
      - ["(?:audits?|inspections?)", "(?:controller|customer|client|mandated|auditor)"]
      - ["make available[^.]{0,80}information necessary to demonstrate compliance"]
    weak_evidence:
      - "audit|inspect|records of processing"
    fix: Require the processor to make available all information needed to demonstrate compliance and to allow and contribute to audits and inspections.
  - id: art28-3-h-infringing-instructions
    reference: GDPR Art. 28(3), second subparagraph
    title: Informs the controller if an instruction infringes data protection law
    evidence:
      - ["inform|notify", "instruction", "infring|violat|breach|contrary"]
    fix: Require the processor to inform the controller immediately if an instruction, in its opinion, infringes the GDPR.
  - id: art28-transfers
    reference: GDPR Art. 28(3)(a), Chapter V
    title: Transfers outside the EEA only on instructions and with safeguards
    evidence:
      - ["(?:transfer|export)", "(?:third countr|outside (?:the )?(?:EEA|European Economic Area|European Union|EU)|international)", "(?:standard contractual clauses|adequacy|safeguards|instructions|consent|authori[sz])"]
    weak_evidence:
      - "third countr|outside (?:the )?(?:EEA|European Union|EU)"
    fix: Allow transfers outside the EEA only on documented instructions and with an Art. 46 safeguard such as the standard contractual clauses.
`;
