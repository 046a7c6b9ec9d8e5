// Word classes the NDA checklist model reads in every evidence unit, and their pairs. Each class names one
// notion the ContractNLI hypotheses are about (marking, oral disclosure, advisers, return or destruction,
// keeping copies, survival …) by the ordinary drafting words for it — written from the hypotheses, not from
// any document. The model learns per requirement which classes and which pairs of them make a unit its
// evidence ("return" with "termination" for nda-16, "retain" with "copy" for nda-20, "negation" with "copy"
// against nda-17), which 31 NDAs are too few to learn from single words.

const CONCEPTS: readonly (readonly [string, RegExp])[] = [
  ["ci", /\bconfidential\s+information|\bproprietary\s+information|\bevaluation\s+material|\bconfidential\s+material/i],
  ["define", /\bmeans\b|\bshall\s+mean\b|\bincludes?\b|\bincluding\b|\bdefined\b|\brefers?\s+to\b/i],
  ["mark", /\b(?:marked|marking|designated|identified|labell?ed|legend|stamped)\b/i],
  ["writing", /\bin\s+writing\b|\bwritten\b|\btangible\b/i],
  ["oral", /\boral(?:ly)?\b|\bverbal(?:ly)?\b|\bvisual(?:ly)?\b|\bin\s+any\s+(?:form|medium|manner)\b|\bobservation\b/i],
  ["reasonable", /\breasonabl[ey]\b|\bnature\b|\bcircumstances\b/i],
  ["technical", /\btechnical\b|\btechnology\b|\bknow-?how\b|\bsoftware\b|\bsource\s+code\b|\binventions?\b|\bdesigns?\b|\bspecifications?\b|\bformulas?\b|\bprocesses\b|\btrade\s+secrets?\b/i],
  ["business", /\bbusiness\b|\bfinancial\b|\bcommercial\b|\bmarketing\b|\bcustomers?\b|\bpric(?:es|ing)\b|\bstrateg\w*|\bplans\b|\bpersonnel\b|\bsales\b|\bsuppliers?\b|\bforecasts?\b/i],
  ["use", /\buse[ds]?\b|\busing\b/i],
  ["purpose", /\bpurposes?\b|\btransaction\b|\bevaluat\w*|\bproposal\b|\bproject\b|\bopportunity\b/i],
  ["only", /\bsolely\b|\bonly\b|\bexclusively\b|\bother\s+than\b|\bexcept\b|\bfor\s+no\s+other\b/i],
  ["employees", /\bemployees?\b|\bofficers?\b|\bdirectors?\b|\bstaff\b|\bpersonnel\b/i],
  ["advisers", /\bconsultants?\b|\badvis[eo]rs?\b|\bagents?\b|\battorneys?\b|\bcounsel\b|\blawyers?\b|\baccountants?\b|\bauditors?\b|\bcontractors?\b|\bbankers?\b|\bfinancing\s+sources?\b|\blenders?\b/i],
  ["representatives", /\brepresentatives?\b|\baffiliates?\b/i],
  ["need", /\bneed\s+to\s+know\b|\bneeds?\s+to\s+(?:have|receive)\b|\brequire\s+access\b/i],
  ["third", /\bthird[\s-]+part(?:y|ies)\b|\bany\s+(?:other\s+)?person\b|\banyone\b|\bothers\b/i],
  ["disclose", /\bdisclos\w*|\breveal\w*|\bcommunicat\w*|\bfurnish\w*|\bmake\s+available\b|\bshare\b|\bdivulg\w*/i],
  ["law", /\blaws?\b|\bregulat\w*|\bcourt\b|\bsubpoena\b|\blegal\s+process\b|\bgovernmental\b|\bjudicial\b|\bstock\s+exchange\b|\border\b/i],
  ["compelled", /\brequired\b|\brequested\b|\bcompelled\b|\bobliged\b|\bobligated\b/i],
  ["notice", /\bnotif\w*|\bnotice\b|\binform(?!ation)\w*|\badvise\b/i],
  ["existence", /\bexistence\b|\bfact\s+that\b|\bstatus\b|\bterms\s+of\b|\bcontents?\s+of\b/i],
  ["talks", /\bdiscussions?\b|\bnegotiations?\b|\btalks\b|\bthis\s+agreement\b|\brelationship\b/i],
  ["reverse", /\breverse[\s-]+engineer\w*|\bdecompil\w*|\bdisassembl\w*|\banaly[sz]\w*|\bcomposition\b/i],
  ["independent", /\bindependent(?:ly)?\b|\bwithout\s+(?:use\s+of|reference\s+to|reliance\s+on|access\s+to)\b/i],
  ["develop", /\bdevelop\w*|\bcreat\w*|\bconceiv\w*|\bgenerat\w*/i],
  ["received", /\breceiv\w*|\bobtain\w*|\bacquir\w*|\blearn\w*/i],
  ["source", /\bthird[\s-]+part(?:y|ies)\b|\bsources?\b|\blawfully\b|\brightfully\b|\blegally\b|\bwithout\s+(?:restriction|breach|an?\s+obligation)/i],
  ["public", /\bpublic(?:ly)?\b|\bpublished\b|\bgenerally\s+(?:known|available)\b|\bpossession\b|\balready\s+known\b/i],
  ["license", /\blicen[cs]e\w*|\bright,?\s+title\b|\btitle\b|\bownership\b|\bproperty\b|\bgrant\w*|\bimplied\b/i],
  ["return", /\breturn\w*|\bdestroy\w*|\bdestruction\b|\bdelet\w*|\berase\w*|\bredeliver\w*|\bdeliver\s+(?:up|back)\b/i],
  ["termination", /\bterminat\w*|\bexpir\w*|\bend\s+of\b|\bcompletion\b|\bconclu\w*/i],
  ["request", /\brequest\w*|\bdemand\w*|\bdirect(?:ed|ion)\b/i],
  ["copy", /\bcop(?:y|ies|ied|ying)\b|\breproduc\w*|\bduplicat\w*/i],
  ["retain", /\bretain\w*|\bretention\b|\bkeep\b|\bkept\b|\barchiv\w*|\bback-?ups?\b/i],
  ["solicit", /\bsolicit\w*|\bhire\b|\bemploy\b|\bengage\b|\brecruit\w*|\binduce\b/i],
  ["survive", /\bsurviv\w*|\bcontinue\w*|\bremain\s+in\s+(?:full\s+)?(?:force|effect)|\bnotwithstanding\b|\bshall\s+not\s+relieve\b/i],
  ["period", /\byears?\b|\bmonths?\b|\bperiod\b|\bindefinite\w*|\bperpetu\w*/i],
  ["consent", /\bconsent\b|\bapproval\b|\bauthori[sz]\w*|\bpermission\b/i],
  ["negation", /\b(?:not|no|never|nothing|neither|nor|without|none)\b|n't\b/i],
  ["permission", /\bmay\b|\bcan\b|\bpermitted\b|\bentitled\b|\ballowed\b|\bright\s+to\b/i],
  ["obligation", /\bshall\b|\bmust\b|\bwill\b|\bagrees?\s+to\b|\bundertakes?\b|\brequired\b/i],
  ["exception", /\bexcept\b|\bunless\b|\bother\s+than\b|\bprovided\s+(?:that|however)\b|\bnotwithstanding\b|\bsave\s+(?:as|for)\b/i],
];

/** Concept feature strings of a unit: each class present (`c:x`) and each pair of them (`c:x&y`). */
export function conceptFeatureStrings(text: string): string[] {
  const present = CONCEPTS.filter(([, re]) => re.test(text)).map(([name]) => name);
  const out = present.map((name) => `c:${name}`);
  for (let i = 0; i < present.length; i++) for (let j = i + 1; j < present.length; j++) out.push(`c:${present[i]}&${present[j]}`);
  if (present.length === 0) out.push("c:none");
  return out;
}
