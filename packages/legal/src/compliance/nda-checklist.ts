/** The built-in NDA checklist ("nda"): one requirement per ContractNLI hypothesis, run on NDAs by default. */
export const NDA_CHECKLIST_YAML = `# BEAR NDA checklist (built-in "nda"; bench/contractnli.ts scores it): one requirement per ContractNLI hypothesis (ids nda-N map to
# the dataset's categories). Patterns written by hand from the public split's dev fold only
# (bench/contractnli.ts --fold=dev); the check fold was only scored, as a gate.
name: NDA terms (ContractNLI hypotheses)
requirements:
  - id: nda-1
    title: Confidential information must be expressly identified or marked
    evidence:
      - ["(?:marked|designated|identified|labell?ed|stamped)\\\\s+(?:in\\\\s+writing\\\\s+)?(?:as\\\\s+)?[\\"“]?(?:confidential|proprietary)", "(?:shall|must|only|provided\\\\s+that|if|which\\\\s+is)"]
      - "(?:reduced\\\\s+to\\\\s+writing|confirmed\\\\s+in\\\\s+writing)[^.]{0,80}(?:confidential|within\\\\s+\\\\w+\\\\s+(?:\\\\(\\\\d+\\\\)\\\\s+)?days)"
      # Marked information in other words: "that is marked confidential", "identified as confidential at the time of disclosure", oral information confirmed in writing.
      - ["(?:marked|designated|identified|labell?ed|stamped|legend)\\\\s+(?:\\\\w+\\\\s+){0,5}?(?:as\\\\s+)?[\\\\\\"“']?(?:confidential|proprietary)", "(?:(?:which|that)\\\\s+(?:is|are|has\\\\s+been|have\\\\s+been|was|were|bears?)|bearing|at\\\\s+the\\\\s+time\\\\s+of\\\\s+(?:its\\\\s+|the\\\\s+)?disclosure|prior\\\\s+to\\\\s+(?:its\\\\s+|the\\\\s+)?disclosure)"]
      - ["(?:oral(?:ly)?|verbal(?:ly)?|visual(?:ly)?)", "(?:summari[sz]ed|reduced|confirmed|designated|identified)\\\\s+(?:\\\\w+\\\\s+){0,3}in\\\\s+writing"]
    contradicted_by:
      - "whether\\\\s+or\\\\s+not\\\\s+(?:\\\\w+\\\\s+){0,3}(?:marked|designated|identified|labell?ed)|regardless\\\\s+of\\\\s+whether[^.]{0,60}(?:marked|designated|identified)|(?:need\\\\s+not|not\\\\s+required\\\\s+to)\\\\s+be\\\\s+(?:marked|designated|identified)"
      - "(?:(?:should|would|could|ought)\\\\s+reasonably|reasonably\\\\s+(?:should|would|could|ought\\\\s+to))\\\\s+(?:to\\\\s+)?(?:be\\\\s+)?(?:understood|considered|regarded|expected|deemed|known)[^.]{0,40}(?:confidential|proprietary)|by\\\\s+(?:its|their)\\\\s+(?:very\\\\s+)?nature|given\\\\s+the\\\\s+nature\\\\s+of"
      - "reasonable\\\\s+person\\\\s+(?:\\\\w+\\\\s+){0,3}(?:consider|understand|regard|deem|believe)|\\\\bunmarked\\\\b|(?:not|no)\\\\s+(?:\\\\w+\\\\s+){0,2}(?:marked|designated|identified|labell?ed)\\\\s+as\\\\s+(?:confidential|proprietary)[^.]{0,60}(?:nevertheless|shall\\\\s+(?:also\\\\s+)?(?:be|include)|still)"
  - id: nda-2
    title: Confidential information covers technical information only
    precedence: contradiction
    contradicted_by:
      - ["confidential|evaluation\\\\s+material|proprietary", "\\\\binformation\\\\b|\\\\bdata\\\\b|confidentiality", "(?:business|financial|commercial|marketing|customers?|pricing|prices|non-technical|strateg\\\\w*|personnel|sales|suppliers)"]
      # A definition of confidential information as any or all information, of whatever kind: not technical information only.
      - ["(?:[\\\\\\"“](?:confidential|proprietary)\\\\s+information[\\\\\\"”]|(?:confidential|proprietary)\\\\s+information\\\\s+(?:shall\\\\s+)?(?:means?|includes?)|evaluation\\\\s+material[\\\\\\"”]?\\\\s+(?:shall\\\\s+)?(?:means?|includes?))", "\\\\b(?:any|all)\\\\s+(?:and\\\\s+all\\\\s+)?(?:\\\\w+\\\\s+){0,3}information\\\\b|information\\\\s+of\\\\s+(?:any|whatever|every)\\\\s+(?:kind|nature|type)"]
    evidence:
      - ["confidential\\\\s+information", "technical\\\\s+(?:information|data)"]
  - id: nda-3
    title: Confidential information may be conveyed orally
    evidence:
      - ["oral(?:ly)?|verbal(?:ly)?|visual(?:ly)?|in\\\\s+any\\\\s+(?:form|medium|manner)|whether\\\\s+(?:in\\\\s+)?(?:written|tangible)", "(?:information|disclos|communicat|provided)"]
  - id: nda-4
    title: Confidential information may be used only for the stated purpose
    evidence:
      - ["\\\\buse[ds]?\\\\b", "(?:solely|only|exclusively|other\\\\s+than|except|for\\\\s+no\\\\s+other|sole\\\\s+purpose|any\\\\s+purpose)", "(?:purpose|transaction|evaluat|project|discussions|relationship|business|proposal|agreement)"]
      # Use limited to a purpose not named by a purpose word: "use … solely to perform", "for the limited purpose".
      - ["\\\\buse[ds]?\\\\b", "(?:solely|only|exclusively|strictly)\\\\s+(?:\\\\w+\\\\s+){0,4}?(?:for|to|in\\\\s+connection\\\\s+with|in\\\\s+relation\\\\s+to|as\\\\s+(?:necessary|required|needed))\\\\b|for\\\\s+no\\\\s+(?:other\\\\s+)?(?:purpose|reason)|for\\\\s+the\\\\s+(?:sole|limited|express|exclusive)\\\\s+purpose"]
    contradicted_by:
      - "residual(?:s|\\\\s+information)?|retained\\\\s+in\\\\s+(?:the\\\\s+)?(?:unaided\\\\s+)?(?:memory|minds)"
    precedence: contradiction
  - id: nda-5
    title: Confidential information may be shared with employees
    evidence:
      - ["employees|officers|directors|staff|personnel|representatives", "(?:need\\\\s+to\\\\s+know|disclos|access|permit|share|provide|made\\\\s+available|communicat)"]
  - id: nda-7
    title: Confidential information may be shared with third parties such as consultants, agents and advisers
    precedence: evidence
    evidence:
      # Disclosure permitted to advisers: "may disclose … to its … attorneys", "other than to its advisors", "need to know".
      - ["(?:consultants?|advis[eo]rs?|agents|attorneys|lawyers|(?<!(?:opinion|advice|advised\\\\s+by)\\\\s+(?:of\\\\s+)?(?:its\\\\s+|their\\\\s+|his\\\\s+|her\\\\s+)?(?:legal\\\\s+|outside\\\\s+)?)counsel|accountants|auditors|(?:sub-?)?contractors|financing\\\\s+sources|(?:investment\\\\s+)?bankers|lenders|underwriters)", "(?:may|can|shall\\\\s+be\\\\s+(?:permitted|entitled)|(?:is|are)\\\\s+(?:permitted|entitled|allowed)|right\\\\s+to)\\\\s+(?:\\\\w+\\\\s+){0,3}(?:disclos|provid|share|furnish|transmit|make\\\\s+available|communicat|give|release)|(?:other\\\\s+than|except)\\\\s+(?:\\\\w+\\\\s+){0,3}(?:to\\\\s+)?(?:its|their|his|her|the|such)\\\\b|need\\\\s+to\\\\s+know|(?:solely|only)\\\\s+to\\\\b|permitted\\\\s+access", "(?:disclos|access|share|provid|made\\\\s+available|communicat|furnish|transmit|dissemina)"]
      # "Representatives" defined to include advisers.
      - ["[\\"“]representatives?[\\"”]\\\\s+(?:shall\\\\s+)?(?:means?|includes?)|\\\\(\\\\s*(?:collectively\\\\s*,?\\\\s*)?(?:the\\\\s+)?[\\"“]representatives?[\\"”]\\\\s*\\\\)|the\\\\s+term\\\\s+[\\"“]representatives?[\\"”]", "(?:consultants?|advis[eo]rs?|agents|attorneys|lawyers|(?<!(?:opinion|advice|advised\\\\s+by)\\\\s+(?:of\\\\s+)?(?:its\\\\s+|their\\\\s+|his\\\\s+|her\\\\s+)?(?:legal\\\\s+|outside\\\\s+)?)counsel|accountants|auditors|(?:sub-?)?contractors|financing\\\\s+sources|(?:investment\\\\s+)?bankers|lenders|underwriters)"]
    contradicted_by:
      # "shall not disclose … to any third party without the prior written consent"
      - ["\\\\b(?:not|no|never)\\\\b[^.]{0,120}(?:disclos|furnish|provide|transfer|reveal|communicat)[^.]{0,120}(?:third\\\\s+part(?:y|ies)|any\\\\s+(?:other\\\\s+)?(?:person|party|one)|anyone|outside)", "(?:without|prior\\\\s+written|consent|authori[sz]ation|unless)"]
  - id: nda-8
    title: The receiving party must give notice before a disclosure required by law
    evidence:
      # "inform" must not be the start of "information"; "order" must not be "in order to" or a purchase order.
      - ["(?:required|requested|compelled|obliged|obligated|(?:court|judicial|administrative|governmental)\\\\s+order|order\\\\s+of|subpoena|by\\\\s+law|legal\\\\s+process|court|governmental|regulat)", "\\\\b(?:notif\\\\w*|notice|inform(?!ation)\\\\w*|advise)\\\\b", "disclos"]
      # The notice named by what it is for (a protective order) or by when it is given (prompt, prior).
      - ["protective\\\\s+order|(?:seek|obtain)\\\\s+(?:an?\\\\s+)?(?:appropriate\\\\s+)?(?:remedy|relief)", "\\\\b(?:notif\\\\w*|notice|inform(?!ation)\\\\w*|advise|consult)\\\\b"]
      - ["(?:subpoena|court|order|legal\\\\s+process|by\\\\s+law|judicial|governmental|regulat)", "(?:prompt(?:ly)?|immediate(?:ly)?|prior|advance|reasonable)\\\\s+(?:written\\\\s+)?(?:notice|notif)"]
  - id: nda-10
    title: The existence and terms of the agreement and discussions must be kept confidential
    evidence:
      - "\\\\bexistence\\\\b[^.]{0,80}(?:agreement|discussions|negotiations|communications|evaluation|transaction|relationship|talks|investigations?)"
      - "fact\\\\s+that[^.]{0,120}(?:discussions|negotiations|agreement|evaluat|talks|transaction|investigation|made\\\\s+available|been\\\\s+(?:disclosed|furnished|provided|requested)|considered)"
      - "\\\\bstatus\\\\s+of\\\\s+(?:the\\\\s+|any\\\\s+|such\\\\s+)?(?:discussions|negotiations|transaction)|(?:that|whether)\\\\s+(?:any\\\\s+)?(?:discussions|negotiations|investigations)\\\\s+(?:are|is|have)\\\\s+(?:taking|been|being)"
      # "not disclose … any of the terms … with respect to the Transaction", "the terms of this Agreement shall be kept confidential"
      - "(?:disclos\\\\w*|reveal\\\\w*|announc\\\\w*|make\\\\s+public|publici[sz]\\\\w*)\\\\s+(?:[\\\\w,]+\\\\s+){0,5}?(?:any\\\\s+of\\\\s+)?(?:the\\\\s+)?(?:existence\\\\s+(?:or|and)\\\\s+)?(?:terms|contents?|provisions)\\\\b[^.]{0,40}\\\\b(?:of|with\\\\s+respect\\\\s+to|relating\\\\s+to)\\\\s+(?:this\\\\s+agreement|the\\\\s+(?:proposed\\\\s+)?(?:transaction|discussions|negotiations)|any\\\\s+(?:proposed\\\\s+)?transaction|same)"
      - "(?:terms|contents?)\\\\s+(?:(?:and|or)\\\\s+conditions\\\\s+)?of\\\\s+this\\\\s+agreement\\\\s+(?:\\\\w+\\\\s+){0,3}(?:confidential|not\\\\s+be\\\\s+disclosed)|this\\\\s+agreement[^.]{0,80}(?:shall|will|is\\\\s+to)\\\\s+be\\\\s+(?:kept|held|treated)\\\\s+(?:as\\\\s+)?(?:strictly\\\\s+)?confidential"
      - ["(?:disclos|announc|reveal)\\\\w*\\\\s+(?:or\\\\s+\\\\w+\\\\s+)?(?:to\\\\s+(?:any\\\\s+)?\\\\w+\\\\s+)?(?:the\\\\s+)?(?:purpose|proposed\\\\s+transaction|discussions|negotiations)\\\\b", "(?:\\\\bnot\\\\b|\\\\bno\\\\b|without|neither|nor)"]
  - id: nda-11
    title: No reverse engineering
    evidence:
      - "reverse[\\\\s-]+engineer|decompil|disassembl"
      # "shall not analyse the samples to determine their composition"
      - ["\\\\b(?:not|no|never)\\\\b[^.]{0,60}\\\\b(?:analy[sz]e[ds]?\\\\b|analy[sz]ing|(?:any\\\\s+)?analysis\\\\s+(?:on|of))", "(?:structure|composition|samples?|models?|products?|prototypes?|materials?|software|hardware|equipment|technology)"]
  - id: nda-12
    title: Independently developed information is excluded
    evidence:
      - "independent(?:ly)?\\\\s+(?:developed|develop|conceived|created|generated)|(?:develop|generat|creat|conceiv)\\\\w*\\\\s+(?:[\\\\w,]+\\\\s+){0,6}?independent(?:ly)?\\\\b|independent\\\\s+development"
      # "is developed by the Receiving Party without reference to the Confidential Information"
      - "(?:develop|generat|creat|conceiv)\\\\w*[^.;]{0,80}\\\\bwithout\\\\s+(?:\\\\w+\\\\s+){0,2}(?:reference|use|reliance|access|recourse|benefit)\\\\s+(?:to|of|on|upon)"
      # Nothing limits a party's right to develop similar or competing products.
      - ["\\\\bdevelop\\\\w*", "(?:similar|compet)", "(?:limit|restrict|impair|prevent|preclude|prohibit|nothing|construed|right\\\\s+to)"]
  - id: nda-13
    title: Information received from a third party is excluded
    evidence:
      # "rightfully received from a third party without restriction", "learned … from a third party entitled to disclose it"
      - "(?:receiv|obtain|acquir|learn|furnish|disclos|provid)\\\\w*[^.;]{0,80}\\\\b(?:from|by)\\\\s+(?:a\\\\s+|any\\\\s+|another\\\\s+)?(?:third[\\\\s-]+part(?:y|ies)|third\\\\s+persons?|(?:another|other|independent)\\\\s+sources?|a\\\\s+source|sources?\\\\s+other|persons?\\\\s+(?:who|not|other)|(?:a\\\\s+)?person\\\\s+(?:who|not|other))"
      - "non-?\\\\s?confidential\\\\s+basis|(?:rightfully|lawfully|legally)\\\\s+(?:\\\\w+\\\\s+){0,3}(?:receiv|obtain|acquir)\\\\w*"
      - "(?:becomes?|became|is|was)\\\\s+(?:\\\\w+\\\\s+){0,3}available\\\\s+(?:to\\\\s+\\\\w+(?:\\\\s+\\\\w+)?\\\\s+)?from\\\\s+(?:a\\\\s+|any\\\\s+)?(?:third|source|person|other)"
  - id: nda-15
    title: No licence or other right in the confidential information is granted
    evidence:
      - "(?:no|not|nothing)[^.]{0,120}(?:licen[cs]e|right|title|interest)[^.]{0,120}(?:grant|convey|implied|construed|transfer|confer|creat)|(?:grant|construed\\\\s+as\\\\s+granting|conferring|confer)[^.]{0,80}(?:licen[cs]e|rights?)\\\\b|remain[s]?\\\\s+the\\\\s+(?:sole\\\\s+|exclusive\\\\s+)?property"
      # Ownership stays with the discloser, or no licence is granted or to be implied, in other words.
      - "(?:remain|be|is|are)\\\\s+(?:and\\\\s+shall\\\\s+remain\\\\s+)?(?:at\\\\s+all\\\\s+times\\\\s+)?(?:the\\\\s+)?(?:sole\\\\s+(?:and\\\\s+exclusive\\\\s+)?|exclusive\\\\s+)?(?:property|its\\\\s+own\\\\s+property)\\\\b"
      - "\\\\b(?:no|not)\\\\b[^.]{0,60}(?:licen[cs]e|rights?)\\\\b[^.]{0,60}(?:granted|conveyed|implied|deduced|inferred|transferred|conferred)"
      - "\\\\b(?:does|shall|will)\\\\s+not\\\\s+(?:\\\\w+\\\\s+){0,2}(?:grant|confer|transfer|convey|give)\\\\w*\\\\b[^.]{0,80}(?:licen[cs]e|rights?|title|interest)"
  - id: nda-16
    title: Confidential information must be returned or destroyed when the agreement ends
    evidence:
      - ["\\\\b(?:return|destroy|destruction|erase|delete|redeliver)", "(?:confidential|information|materials|documents|copies|evaluation\\\\s+material)", "(?:terminat|expir|complet|conclu|end\\\\s+of|purpose|cessation|not\\\\s+(?:be\\\\s+)?consummated|no\\\\s+longer|discontinu)"]
    unless:
      - "certified\\\\s+mail|registered\\\\s+mail|return\\\\s+receipt"
  - id: nda-17
    title: Copies may be made in some circumstances
    precedence: evidence
    evidence:
      # "may make such copies as are strictly necessary", "except for such copies … as may reasonably be required"
      - "(?:may|can|permitted\\\\s+to|entitled\\\\s+to|allowed\\\\s+to)\\\\s+(?:\\\\w+\\\\s+){0,3}(?:make|take|create|produce)\\\\s+(?:\\\\w+\\\\s+){0,6}?cop(?:y|ies)\\\\b"
      - ["\\\\bcop(?:y|ies|ied|ying)\\\\b|reproduc|duplicat", "(?:except|unless|other\\\\s+than|save)\\\\s+(?:for\\\\s+)?(?:such\\\\s+)?(?:cop(?:y|ies)\\\\s+)?(?:[\\\\w,]+\\\\s+){0,8}?(?:(?:reasonably|strictly)\\\\s+)?(?:necessary|required|needed)"]
      - "(?:other\\\\s+than|except(?:\\\\s+for)?)\\\\s+(?:such\\\\s+)?cop(?:y|ies)\\\\s+(?:for|as|to)"
    contradicted_by:
      # "must not be copied or reproduced … without the prior written consent"
      - ["\\\\b(?:not|no|never)\\\\b[^.]{0,100}\\\\b(?:cop(?:y|ied|ies|ying)\\\\b|reproduc|duplicat)", "(?:confidential|proprietary|information|material|documents?)"]
    # Keeping a copy after return or destruction is nda-20, not making copies.
    unless:
      - "\\\\bretain|\\\\barchiv|\\\\bcopyright"
  - id: nda-18
    title: No solicitation of the other party's representatives
    evidence:
      - "solicit\\\\w*[^.]{0,150}(?:employ|personnel|staff|officer|representative|consultant)|(?:hire|employ|engage)[^.]{0,80}(?:employees?|personnel|officers)\\\\s+of"
  - id: nda-19
    title: Some obligations survive termination
    evidence:
      - "surviv\\\\w*[^.]{0,160}(?:terminat|expir|indefinitely|cancel|complet|conclu)|(?:terminat|expir)\\\\w*[^.]{0,160}surviv"
      # "Notwithstanding the return or destruction …, the Receiving Party shall continue to be bound"
      - ["\\\\b(?:continue|remain)s?\\\\s+(?:\\\\w+\\\\s+){0,3}(?:bound|binding|in\\\\s+(?:full\\\\s+)?(?:force|effect)|to\\\\s+apply|to\\\\s+govern)", "(?:terminat|expir|notwithstanding|regardless|return|destruction|for\\\\s+so\\\\s+long)"]
      - "(?:shall|will|does)\\\\s+not\\\\s+relieve[^.]{0,80}obligation|obligations?[^.]{0,80}shall\\\\s+not\\\\s+terminate|without\\\\s+limitation\\\\s+(?:of|in)\\\\s+time"
      # Whatever is kept after return or destruction stays confidential.
      - ["\\\\bretain|\\\\bretention|back-?up|not\\\\s+(?:be\\\\s+)?required\\\\s+to\\\\s+(?:return|destroy)", "(?:subject|bound|held|continue|remain)[^.]{0,40}confidential"]
      # "for five years after such expiration or termination", "2 years after the Purpose is completed"
      - "(?:years?|months?|period)\\\\s+(?:after|following|from)\\\\s+(?:the\\\\s+)?(?:date\\\\s+of\\\\s+)?(?:any\\\\s+|such\\\\s+|its\\\\s+)?(?:termination|expiration|expiry|completion|(?:the\\\\s+)?purpose\\\\s+is)"
      # Obligations said to outlast the agreement in other words: "notwithstanding termination", "termination shall not relieve", a period after the last disclosure.
      - "notwithstanding\\\\s+(?:any\\\\s+|the\\\\s+|such\\\\s+)?(?:termination|expiration|expiry)"
      - "(?:termination|expiration|expiry)[^.]{0,80}\\\\b(?:shall|will|does)\\\\s+not\\\\s+(?:\\\\w+\\\\s+){0,2}(?:affect|relieve|release|discharge|terminate|limit)"
      - ["(?:obligations?|undertakings?|restrictions|provisions|duties|this\\\\s+agreement)", "(?:remain|continue|be\\\\s+binding|in\\\\s+(?:full\\\\s+)?(?:force|effect))[^.]{0,100}(?:years?|months?)\\\\s+(?:after|following|from)\\\\s+(?:the\\\\s+)?(?:date\\\\s+of\\\\s+)?(?:the\\\\s+)?(?:(?:last|final)\\\\s+disclosure|(?:any\\\\s+|such\\\\s+|its\\\\s+)?(?:termination|expiration|expiry))"]
      - "(?:obligations?|undertakings?)\\\\b[^.]{0,120}\\\\b(?:continue|remain|surviv\\\\w*|in\\\\s+(?:full\\\\s+)?(?:force|effect)|binding)\\\\b[^.]{0,60}(?:after|following|beyond)\\\\s+(?:the\\\\s+|any\\\\s+|such\\\\s+)?(?:termination|expiration|expiry)"
      - "(?:obligations?|undertakings?|confidential\\\\w*)\\\\b[^.]{0,100}\\\\b(?:in\\\\s+perpetuity|perpetual(?:ly)?|indefinite(?:ly)?|without\\\\s+limit(?:ation)?\\\\s+(?:of|in|as\\\\s+to)\\\\s+time)"
  - id: nda-20
    title: Some confidential information may be kept after return or destruction
    precedence: evidence
    evidence:
      - ["except[^.]{0,80}(?:retain|archiv|one\\\\s+(?:\\\\(1\\\\)\\\\s+)?cop|legal|regulatory|back-?up)", "\\\\b(?:return|destroy|destruction|delet|eras|retain|retention)"]
      - "(?:may|entitled\\\\s+to|permitted\\\\s+to|right\\\\s+to|allowed\\\\s+to)\\\\s+(?:\\\\w+\\\\s+){0,4}(?:retain|keep)|may\\\\s+be\\\\s+retained|(?:archiv\\\\w*|backup|back-up)\\\\s+(?:purposes|cop|system|tapes|files|procedures)|(?:not|no)\\\\s+(?:be\\\\s+)?(?:required|obliged|obligated)\\\\s+to\\\\s+(?:return|destroy|delete|erase)"
      # "no such destruction shall be required where prohibited by law", "information so retained shall remain confidential"
      - "\\\\bno\\\\s+(?:such\\\\s+)?(?:return|destruction|deletion|erasure)[^.]{0,60}(?:shall\\\\s+be\\\\s+)?required|\\\\bso\\\\s+retained|(?:routine|automat\\\\w*)\\\\s+(?:\\\\w+\\\\s+)?back-?up|(?:will|shall|may)\\\\s+keep\\\\s+(?:a|one)\\\\s+(?:\\\\(1\\\\)\\\\s+)?cop"
    contradicted_by:
      - "(?:not|no)\\\\s+(?:\\\\w+\\\\s+){0,3}(?:retain|keep)\\\\w*\\\\s+(?:any|a)\\\\s+cop|without\\\\s+(?:retaining|keeping)|(?:retain|keep)\\\\s+no\\\\s+cop"
      # Return or destroy everything, copies included: nothing may be kept.
      - ["\\\\b(?:return|destroy|destruction|redeliver|deliver)", "(?:all|any)\\\\s+(?:\\\\w+\\\\s+){0,2}(?:copies|reproductions)|(?:together|along)\\\\s+with\\\\s+(?:all|any)\\\\s+cop|(?:including|and)\\\\s+(?:all|any)\\\\s+(?:\\\\w+\\\\s+){0,2}cop(?:y|ies)"]
`;
