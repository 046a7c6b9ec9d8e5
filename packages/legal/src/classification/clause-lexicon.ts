import type { CuadCategory } from "./cuad-categories";

/** One cue: a case-insensitive regular expression (source text) and how strongly it signals the category (0–1). */
export interface LexiconCue {
  readonly pattern: string;
  readonly weight: number;
}

/** How the rule model recognises one category in a sentence. */
export interface CategoryLexicon {
  /** Cues matched against the sentence; scores combine as a noisy-OR. */
  readonly cues: readonly LexiconCue[];
  /** Cues matched against the clause heading ("Governing Law.", "Insurance"). */
  readonly headings?: readonly LexiconCue[];
  /** A match multiplies the score by (1 - weight): "non-exclusive" against Exclusivity. */
  readonly against?: readonly LexiconCue[];
  /**
   * Topic words (regex sources) that rank sentences no cue matched: 0.04 per distinct word, at most
   * 0.12 — below any threshold, so they never create a label, but they extend the precision/recall
   * curve and feed LLM-assisted mode candidates.
   */
  readonly weak?: readonly string[];
}

/** Largest score topic words alone can give. */
export const WEAK_SCORE_CAP = 0.12;

export type ClauseLexicon = Readonly<Partial<Record<CuadCategory, CategoryLexicon>>>;

const c = (pattern: string, weight: number): LexiconCue => ({ pattern, weight });

/** The built-in lexicon, tuned on the public CUAD development split only. */
export const DEFAULT_CLAUSE_LEXICON: ClauseLexicon = {
  "Effective Date": {
    cues: [c(String.raw`\((?:the\s+)?["“]effective\s+date["”]\)`, 0.7), c(String.raw`shall\s+(?:become|be)\s+effective|shall\s+take\s+effect|effective\s+(?:as\s+of|on)\b`, 0.55), c(String.raw`\bcommenc\w*\s+on\b`, 0.35)],
    headings: [c(String.raw`effective\s+date`, 0.4)],
    weak: [String.raw`effective`, String.raw`commenc`, String.raw`\bdate\b`],
  },
  "Expiration Date": {
    cues: [
      c(String.raw`(?:initial\s+)?term\s+of\s+this\s+(?:agreement|contract)\b[^.]{0,160}(?:years?|months?|until|expire|end)`, 0.75),
      c(String.raw`shall\s+(?:continue|remain)\s+in\s+(?:full\s+)?(?:force|effect)\s+(?:until|for)`, 0.6),
      c(String.raw`\bshall\s+expire|\bexpiration\s+date\b|\bwill\s+expire`, 0.5),
      c(String.raw`\b(?:initial\s+)?term\b[^.]{0,120}(?:shall|will)\s+(?:be|begin|commence|continue|end|run)[^.]{0,160}(?:years?|months?|until|through|anniversary|ending|expir)`, 0.6),
      c(String.raw`(?:shall|will)\s+continue\s+(?:indefinitely|for\s+a\s+(?:period|term)\s+of)|\bbeginning\b[^.]{0,60}\band\s+ending\b`, 0.5),
      c(String.raw`\bin\s+perpetuity\b|\bperpetual\b`, 0.25),
    ],
    headings: [c(String.raw`^\s*(?:initial\s+)?term\b|duration|term\s+(?:and|&)\s+termination`, 0.35)],
    weak: [String.raw`\bterm\b`, String.raw`expir`, String.raw`until`, String.raw`years?\b`],
  },
  "Renewal Term": {
    cues: [
      c(String.raw`automatic(?:ally)?\s+(?:be\s+)?(?:renew|extend)|renew\w*\s+automatically`, 0.8),
      c(String.raw`renew\w*\s+for\s+(?:an\s+)?(?:additional|successive|further|subsequent)|successive\s+(?:\w+\s+){0,3}(?:renewal\s+)?(?:terms?|periods?)`, 0.7),
      c(String.raw`\brenewal\s+term\b|option\s+to\s+(?:renew|extend)|right\s+to\s+renew|year\s+to\s+year`, 0.55),
      c(String.raw`\bextended\s+for\s+(?:an?\s+)?(?:additional|further)`, 0.5),
    ],
    headings: [c(String.raw`renewal`, 0.35)],
    weak: [String.raw`renew`, String.raw`extend`, String.raw`successive`],
  },
  "Notice Period to Terminate Renewal": {
    cues: [
      c(String.raw`(?:notice|notif\w+)[^.]{0,120}(?:not\s+to\s+renew|non-?renewal|intent\w*\s+not\s+to|elect\w*\s+not\s+to\s+(?:renew|extend))`, 0.85),
      c(String.raw`(?:unless|until)\s+(?:either|a|one)\s+party\s+(?:gives|provides|delivers|shall\s+give|notifies)[^.]{0,160}(?:prior\s+to|before|in\s+advance\s+of)\s+(?:the\s+)?(?:end|expiration|expiry)`, 0.8),
      c(String.raw`(?:renew|extend)[^.]{0,200}(?:unless|until)[^.]{0,120}notice`, 0.6),
    ],
    weak: [String.raw`notice`, String.raw`renew`, String.raw`prior\s+to`],
  },
  "Governing Law": {
    cues: [
      c(String.raw`governed\s+by[^.]{0,80}laws?\b|construed\s+(?:and\s+\w+\s+)?(?:in\s+accordance\s+with|under)[^.]{0,60}laws?\b`, 0.9),
      c(String.raw`\blaws\s+of\s+the\s+(?:state|commonwealth|province)\s+of\b`, 0.5),
      c(String.raw`\bgoverning\s+law\b|\bapplicable\s+law\b`, 0.35),
    ],
    headings: [c(String.raw`governing\s+law|choice\s+of\s+law|applicable\s+law`, 0.45)],
    against: [c(String.raw`\bjurisdiction\b(?![^.]*governed)`, 0.3)],
    weak: [String.raw`\blaws?\b`, String.raw`govern`, String.raw`construed`],
  },
  "Most Favored Nation": {
    cues: [c(String.raw`most\s+favou?red`, 0.85), c(String.raw`(?:no\s+less|at\s+least\s+as)\s+favou?rable[^.]{0,80}(?:than|as)\s+(?:those|the\s+terms|any)`, 0.6), c(String.raw`(?:lower|better|more\s+favou?rable)\s+(?:prices?|terms)[^.]{0,80}(?:third\s+part|other\s+customer|any\s+other)`, 0.55)],
    weak: [String.raw`favou?r`, String.raw`\bterms\b`, String.raw`price`],
  },
  "Non-Compete": {
    cues: [
      c(String.raw`\bnon-?compet`, 0.7),
      c(String.raw`shall\s+not[^.]{0,120}(?:compet\w*|engage\s+in[^.]{0,60}(?:business|competi\w*))`, 0.7),
      c(String.raw`(?:directly\s+or\s+indirectly)[^.]{0,120}(?:compet\w*|similar\s+products?|same\s+business)`, 0.5),
      c(String.raw`\bcompeting\s+(?:products?|business|services?)|\bcompetitive\s+products?`, 0.4),
      c(String.raw`(?:shall|will|agrees?\s+)\s*not\s+(?:\w+\s+){0,3}(?:participate|engage|offer|promote|market|distribute|render|provide|carry\s+on|be\s+engaged)[^.]{0,120}(?:similar|competi|same|substantially|any\s+other\s+(?:trade|business))`, 0.55),
    ],
    headings: [c(String.raw`non-?compet|competition|competing`, 0.35)],
    weak: [String.raw`compet`, String.raw`\bengage`, String.raw`similar`, String.raw`directly\s+or\s+indirectly`],
  },
  Exclusivity: {
    cues: [
      c(String.raw`\bexclusive\s+(?:right|distributor|provider|supplier|reseller|agent|basis|partner|sponsor|endorser|license|licensee|dealer|marketing|promot)`, 0.7),
      c(String.raw`\bexclusively\b|\bsole\s+and\s+exclusive\b|\bsole\s+(?:source|supplier|provider|distributor)\b`, 0.55),
      c(String.raw`shall\s+not[^.]{0,80}(?:appoint|grant|authori[sz]e|engage)[^.]{0,80}(?:other|third|any\s+person)`, 0.5),
      c(String.raw`all\s+(?:of\s+its\s+)?requirements`, 0.45),
    ],
    headings: [c(String.raw`exclusiv`, 0.4)],
    against: [c(String.raw`non-?exclusive`, 0.6)],
    weak: [String.raw`exclusiv`, String.raw`\bsole\b`, String.raw`\bonly\b`, String.raw`territory`],
  },
  "No-Solicit of Customers": {
    cues: [c(String.raw`solicit\w*[^.]{0,100}(?:customers?|clients?|accounts?|suppliers?)`, 0.7), c(String.raw`(?:interfere|divert)[^.]{0,80}(?:customers?|clients?|business\s+relationship)`, 0.45)],
    weak: [String.raw`solicit`, String.raw`customer`, String.raw`client`],
  },
  "Competitive Restriction Exception": {
    cues: [
      c(String.raw`notwithstanding[^.]{0,160}(?:compet\w*|exclusiv\w*|solicit\w*)`, 0.6),
      c(String.raw`(?:shall\s+not\s+(?:apply|restrict|prevent|prohibit|preclude)|nothing\s+(?:herein|in\s+this)[^.]{0,60}(?:restrict|prevent|prohibit|preclude))[^.]{0,160}(?:compet\w*|acqui\w*|sell|market|own)`, 0.55),
      c(String.raw`(?:except|other\s+than|excluding)[^.]{0,100}(?:exclusiv|compet)`, 0.4),
      c(String.raw`\bless\s+than\s+(?:\w+\s+){0,3}(?:percent|%)[^.]{0,60}(?:securities|stock|shares)`, 0.5),
      c(String.raw`(?:shall|will|does)\s+not\s+prevent|nothing\s+in\s+this\s+(?:paragraph|section|clause|article|agreement)[^.]{0,30}(?:shall\s+)?(?:prevent|prohibit|restrict|preclude)`, 0.55),
      c(String.raw`\bnotwithstanding\s+the\s+foregoing\b`, 0.3),
    ],
    weak: [String.raw`except`, String.raw`notwithstanding`, String.raw`prevent`, String.raw`compet`],
  },
  "No-Solicit of Employees": {
    cues: [c(String.raw`solicit\w*[^.]{0,100}(?:employ\w*|personnel|staff|consultants?)`, 0.75), c(String.raw`(?:hire|employ|engage)\s+(?:any\s+)?(?:of\s+the\s+)?(?:employees?|personnel)\s+of`, 0.6)],
    weak: [String.raw`solicit`, String.raw`employ`, String.raw`\bhire`],
  },
  "Non-Disparagement": {
    cues: [c(String.raw`disparag\w*|\bdefam\w*|derogatory`, 0.85), c(String.raw`(?:negative|adverse|unfavou?rable)\s+(?:statements?|comments?|publicity)`, 0.5)],
    weak: [String.raw`disparag`, String.raw`reputation`, String.raw`negative`],
  },
  "Termination for Convenience": {
    cues: [
      c(String.raw`terminat\w*[^.]{0,120}(?:for\s+(?:any\s+reason|convenience|no\s+reason)|without\s+cause|with\s+or\s+without\s+cause|in\s+its\s+sole\s+discretion)`, 0.8),
      c(String.raw`(?:may|right\s+to)\s+terminat\w*[^.]{0,100}at\s+any\s+time[^.]{0,80}(?:notice|by\s+giving)`, 0.7),
      c(String.raw`(?:may|right\s+to|wishing\s+to|desires?\s+to)\s+terminat\w*[^.]{0,120}(?:upon|by\s+giving|with|on|give|provide)\s+[^.]{0,60}(?:days|months|years)\W{0,3}\s*(?:prior\s+)?(?:written\s+)?notice`, 0.55),
      c(String.raw`(?:written\s+)?notice[^.]{0,60}(?:at\s+least\s+)?[^.]{0,30}(?:days|months)\s+prior\s+to\s+the\s+(?:desired|intended|proposed)\s+(?:date\s+of\s+)?termination`, 0.6),
      c(String.raw`(?:withdraw|terminat\w*)[^.]{0,40}at\s+any\s+time`, 0.45),
    ],
    headings: [c(String.raw`termination\s+for\s+convenience|termination\s+without\s+cause`, 0.5)],
    against: [c(String.raw`\bbreach|\bdefault|insolven|bankrupt|fail\w*\s+to\s+(?:cure|pay|perform)`, 0.45)],
    weak: [String.raw`terminat`, String.raw`notice`, String.raw`any\s+time`],
  },
  "Rofr/Rofo/Rofn": {
    cues: [
      c(String.raw`right\s+of\s+first\s+(?:refusal|offer|negotiation)|first\s+right\s+(?:of|to)\s+(?:refus|offer|negotiat|purchase)|\bROF[ORN]\b`, 0.9),
      c(String.raw`(?:offer|notify)[^.]{0,80}first[^.]{0,80}before[^.]{0,60}(?:third\s+part|any\s+other)`, 0.5),
      c(String.raw`\b(?:an?\s+)?(?:exclusive\s+)?option\s+to\s+(?:acquire|obtain|purchase|negotiate|buy)|right\s+(?:\(but\s+not\s+the\s+(?:duty|obligation)\)\s*,?\s*)?to\s+(?:purchase|acquire|match)`, 0.5),
      c(String.raw`\bfirst\s+right\b`, 0.6),
    ],
    weak: [String.raw`option`, String.raw`\bfirst\b`, String.raw`offer`, String.raw`negotiat`],
  },
  "Change of Control": {
    cues: [
      c(String.raw`change\s+(?:of|in)\s+(?:the\s+)?control`, 0.85),
      c(String.raw`\bmerger\b|\bmerged\b|\bconsolidat\w+\b|\breorgani[sz]ation\b`, 0.45),
      c(String.raw`change\s+in\s+(?:the\s+)?(?:management|ownership)|(?:acquisition|acquired)\s+by`, 0.55),
      c(String.raw`(?:sale|transfer|acquisition)\s+of\s+(?:all\s+or\s+)?substantially\s+all`, 0.6),
      c(String.raw`(?:\d+|fifty)\s*(?:%|percent)[^.]{0,60}(?:voting|equity|shares|stock)`, 0.45),
    ],
    weak: [String.raw`control`, String.raw`merg`, String.raw`acqui`, String.raw`ownership`],
  },
  "Anti-Assignment": {
    cues: [
      c(String.raw`(?:assign|transfer)\w*[^.]{0,160}(?:without\s+(?:the\s+)?(?:express\s+)?(?:prior\s+)?(?:written\s+)?consent|prior\s+written\s+consent)`, 0.85),
      c(String.raw`(?:may|shall)\s+not\s+(?:be\s+)?(?:assign|transfer)\w*|\bnot\s+(?:be\s+)?assignable|\bnon-?assignable`, 0.75),
      c(String.raw`any\s+(?:purported\s+)?(?:attempted\s+)?assignment[^.]{0,80}(?:void|null)`, 0.7),
      c(String.raw`\bassign\w*\b`, 0.2),
    ],
    headings: [c(String.raw`assignment`, 0.35)],
    weak: [String.raw`assign`, String.raw`transfer`, String.raw`consent`],
  },
  "Revenue/Profit Sharing": {
    cues: [
      c(String.raw`(?:revenue|profit)s?[-\s]+shar|share\s+(?:of|in)\s+(?:the\s+)?(?:net\s+|gross\s+)?(?:revenues?|profits?|proceeds)`, 0.8),
      c(String.raw`(?:percent|%)\s*(?:\(\d+%\)\s*)?of\s+(?:all\s+|the\s+)?(?:net\s+|gross\s+)?(?:revenues?|sales|profits?|receipts|proceeds|income)`, 0.75),
      c(String.raw`\broyalt(?:y|ies)\b`, 0.5),
      c(String.raw`\bcommissions?\b`, 0.35),
      c(String.raw`(?:pay|receive|entitled\s+to)[^.]{0,120}(?:percent|%|\[\*+\]|\*{3,})[^.]{0,30}\s+of\s+(?:the\s+|all\s+|any\s+|its\s+)?(?:net\s+|gross\s+)?(?:sales|revenues?|profits?|receipts|proceeds|income)`, 0.6),
      c(String.raw`percentage\s+(?:share|of)`, 0.45),
    ],
    weak: [String.raw`revenue`, String.raw`profit`, String.raw`percent|%`, String.raw`royalt`, String.raw`\bfees?\b`],
  },
  "Price Restrictions": {
    cues: [c(String.raw`(?:price|pricing|fees?)[^.]{0,80}(?:shall\s+not\s+(?:be\s+)?(?:increase|exceed|change)|fixed\s+for|not\s+be\s+(?:increased|changed))`, 0.6), c(String.raw`price\s+(?:increase|adjustment)s?[^.]{0,80}(?:not\s+(?:more|exceed)|limited|cap)`, 0.55)],
    weak: [String.raw`price`, String.raw`increase`],
  },
  "Minimum Commitment": {
    cues: [
      c(String.raw`\bminimum\s+(?:purchase|order|quantit|commitment|volume|annual|monthly|number|amount|guarantee|sales|royalt|fee|payment)`, 0.75),
      c(String.raw`(?:purchase|order|buy|sell)[^.]{0,60}(?:at\s+least|no\s+(?:less|fewer)\s+than|not\s+less\s+than)`, 0.55),
      c(String.raw`(?:a\s+minimum\s+of|no\s+(?:less|fewer)\s+than|not\s+less\s+than|at\s+least)\s+(?:an\s+average\s+of\s+)?(?:\[|\*|\d|[a-z]+\s+\(\d)`, 0.4),
      c(String.raw`\b(?:volume|purchase|quantity)\s+commitment|deficiency\s+payment|take[-\s]or[-\s]pay`, 0.6),
    ],
    weak: [String.raw`minimum`, String.raw`at\s+least`, String.raw`not\s+less\s+than`, String.raw`purchase|order`],
  },
  "Volume Restriction": {
    cues: [c(String.raw`(?:exceed\w*|in\s+excess\s+of|more\s+than)[^.]{0,80}(?:volume|units|usage|users|capacity|limit|maximum|cap|barrels|minutes|impressions)`, 0.5), c(String.raw`volume\s+(?:limit|restriction|cap)|\bmaximum\s+(?:volume|quantity|number)`, 0.6)],
    weak: [String.raw`volume`, String.raw`exceed`, String.raw`maximum`, String.raw`capacity`],
  },
  "IP Ownership Assignment": {
    cues: [
      c(String.raw`(?:hereby\s+)?(?:assigns?|transfers?|conveys?)[^.]{0,120}(?:right,?\s+title,?\s+and\s+interest|intellectual\s+property|ownership)`, 0.75),
      c(String.raw`shall\s+(?:be|become|remain)\s+the\s+(?:sole\s+(?:and\s+exclusive\s+)?|exclusive\s+)?property\s+of|shall\s+(?:solely\s+)?own\s+all|\bwork(?:s)?\s+made\s+for\s+hire`, 0.6),
    ],
    against: [c(String.raw`\bremain\s+the\s+(?:sole\s+)?property\s+of\s+(?:the\s+)?(?:disclosing|licensor)`, 0.3)],
    weak: [String.raw`\bown`, String.raw`property`, String.raw`assign`, String.raw`intellectual`],
  },
  "Joint IP Ownership": {
    cues: [c(String.raw`jointly\s+own\w*|joint(?:ly)?\s+owne\w*|co-?own\w*|owned\s+jointly|joint\s+(?:intellectual\s+property|inventions?|developments?)`, 0.85)],
    weak: [String.raw`joint`, String.raw`\bown`, String.raw`intellectual`],
  },
  "License Grant": {
    cues: [
      c(String.raw`(?:hereby\s+)?grants?[^.]{0,160}licen[cs]e`, 0.8),
      c(String.raw`licen[cs]e\s+to\s+(?:use|make|reproduce|display|distribute|sell|market)`, 0.6),
      c(String.raw`\b(?:sub)?licen[cs]e\b`, 0.25),
    ],
    weak: [String.raw`licen[cs]`, String.raw`\bgrant`, String.raw`right\s+to\s+use`],
  },
  "Non-Transferable License": {
    cues: [c(String.raw`non-?transferable|non-?sub-?licensable|non-?assignable`, 0.8), c(String.raw`(?:may|shall)\s+not\s+(?:sublicense|sub-license|transfer)[^.]{0,80}(?:licen|rights)`, 0.6)],
    weak: [String.raw`transfer`, String.raw`sublicen`, String.raw`licen[cs]`],
  },
  "Affiliate License-Licensor": {
    cues: [c(String.raw`(?:licensor|grantor)[^.]{0,40}(?:and|or)\s+its\s+affiliates[^.]{0,80}(?:grant|licen)`, 0.5)],
    weak: [String.raw`affiliat`, String.raw`licen[cs]`],
  },
  "Affiliate License-Licensee": {
    cues: [c(String.raw`licen[cs]e\w*[^.]{0,120}(?:to|for)\s+(?:\w+\s+){0,3}(?:and|or)\s+(?:its|their)\s+affiliates`, 0.6), c(String.raw`(?:licensee|distributor)[^.]{0,30}(?:and|or)\s+its\s+affiliates[^.]{0,80}(?:use|licen)`, 0.45)],
    weak: [String.raw`affiliat`, String.raw`licen[cs]`],
  },
  "Unlimited/All-You-Can-Eat-License": {
    cues: [c(String.raw`unlimited\s+(?:number|use|usage|copies|users|access|right)|all[-\s]you[-\s]can[-\s]eat|enterprise[-\s]wide`, 0.75)],
    weak: [String.raw`unlimited`, String.raw`licen[cs]`, String.raw`\ball\b`],
  },
  "Irrevocable or Perpetual License": {
    cues: [c(String.raw`(?:irrevocable|perpetual)[^.]{0,100}licen|licen[^.]{0,100}(?:irrevocable|perpetual|in\s+perpetuity)`, 0.85)],
    weak: [String.raw`irrevocab`, String.raw`perpetu`, String.raw`licen[cs]`],
  },
  "Source Code Escrow": {
    cues: [c(String.raw`source\s+code[^.]{0,80}escrow|escrow\s+agent|escrow\s+agreement`, 0.85)],
    weak: [String.raw`escrow`, String.raw`source\s+code`],
  },
  "Post-Termination Services": {
    cues: [
      c(String.raw`(?:upon|after|following|on)\s+(?:the\s+)?(?:any\s+)?(?:termination|expiration|expiry)[^.]{0,200}(?:shall|will|must)\s+(?:continue|provide|pay|return|deliver|destroy|cease|transfer|purchase|sell|have\s+the\s+right)`, 0.65),
      c(String.raw`\bsurviv\w*\b`, 0.45),
      c(String.raw`(?:^|\W)(?:upon|after|following|on|in\s+the\s+event\s+of)\s+(?:the\s+)?(?:any\s+)?(?:such\s+)?(?:termination|expiration|expiry)`, 0.45),
      c(String.raw`(?:for\s+a\s+period\s+of|within)\s+[^.]{0,40}(?:after|following)\s+(?:the\s+)?(?:any\s+)?(?:date\s+of\s+)?(?:expiration|termination|expiry)`, 0.5),
      c(String.raw`\btransition\s+(?:period|services?|assistance)|\bwind[-\s]?down\b|\bsell[-\s]?off\b`, 0.6),
    ],
    headings: [c(String.raw`effect\w*\s+of\s+(?:termination|expiration)|post-?termination|consequences\s+of\s+termination`, 0.4)],
    weak: [String.raw`terminat`, String.raw`expir`, String.raw`\bafter\b`, String.raw`continue`],
  },
  "Audit Rights": {
    cues: [
      c(String.raw`\baudit\w*\b`, 0.6),
      c(String.raw`(?:inspect|examin|review)\w*[^.]{0,80}(?:books|records|accounts|facilit|premises)`, 0.6),
      c(String.raw`(?:books|records)[^.]{0,80}(?:available|open)\s+(?:for|to)`, 0.45),
    ],
    headings: [c(String.raw`audit|records|inspection`, 0.35)],
    weak: [String.raw`audit`, String.raw`records`, String.raw`\bbooks\b`, String.raw`inspect`],
  },
  "Uncapped Liability": {
    cues: [
      c(String.raw`(?:limitation|exclusion|cap)s?\s+(?:of|on)\s+(?:liability|damages)[^.]{0,120}shall\s+not\s+apply`, 0.8),
      c(String.raw`(?:shall\s+not\s+apply|not\s+be\s+limited|no\s+limit\w*|exclud\w+\s+from)[^.]{0,160}(?:indemnif\w*|gross\s+negligence|willful|wilful|fraud|confidential\w*|infring\w*)`, 0.65),
      c(String.raw`(?:except|other\s+than)\s+(?:for\s+)?(?:\w+\s+){0,4}(?:indemnif\w*|gross\s+negligence|willful|wilful|fraud|breach\s+of\s+(?:section|confidential))`, 0.45),
      c(String.raw`unlimited\s+liability|liability[^.]{0,40}(?:shall\s+be\s+)?unlimited`, 0.8),
      c(String.raw`^\W*(?:\(?[a-z0-9.]{1,6}\)?\s+)?except\b[^.]{0,300}(?:liable|liability|damages)`, 0.55),
      c(String.raw`nothing\s+in\s+this\s+agreement\s+shall\s+(?:exclude|limit|restrict)[^.]{0,80}liabilit`, 0.85),
      c(String.raw`(?:limitation|exclusion|section|clause|article)[^.]{0,60}(?:shall|does|will)\s+not\s+(?:apply|limit)[^.]{0,120}(?:indemnif|breach|liabilit|negligen|fraud)`, 0.55),
    ],
    weak: [String.raw`liab`, String.raw`\bexcept\b`, String.raw`indemn`, String.raw`damages`],
  },
  "Cap on Liability": {
    cues: [
      c(String.raw`(?:liability|damages|liable)[^.]{0,200}(?:shall\s+not\s+exceed|not\s+to\s+exceed|in\s+no\s+event\s+exceed|limited\s+to|in\s+excess\s+of|exceed\s+the\s+(?:total|amount|aggregate))`, 0.8),
      c(String.raw`in\s+no\s+event\s+shall[^.]{0,120}(?:liable|liability)`, 0.7),
      c(String.raw`(?:indirect|consequential|special|incidental|punitive|exemplary)[^.]{0,40}damages`, 0.6),
      c(String.raw`(?:claim|action|suit)[^.]{0,80}(?:brought|commenced)[^.]{0,60}(?:within|more\s+than)\s+(?:\w+\s+){0,2}(?:\(\d+\)\s+)?(?:years?|months?)`, 0.55),
    ],
    headings: [c(String.raw`limitation\s+of\s+liability|limitations?\s+on\s+liability|liability`, 0.35)],
    weak: [String.raw`liab`, String.raw`damages`, String.raw`exceed`, String.raw`\bin\s+no\s+event\b`],
  },
  "Liquidated Damages": {
    cues: [c(String.raw`liquidated\s+damages|termination\s+fee|break-?up\s+fee|early\s+termination\s+(?:fee|charge|payment)`, 0.85), c(String.raw`as\s+a\s+penalty|not\s+(?:as\s+)?a\s+penalty`, 0.4)],
    weak: [String.raw`damages`, String.raw`\bfee\b`, String.raw`penalt`],
  },
  "Warranty Duration": {
    cues: [
      c(String.raw`warrant\w*[^.]{0,160}(?:for\s+a\s+period\s+of|period\s+of\s+\w+|\(\d+\)\s+(?:days|months|years)|\d+\s+(?:days|months|years))`, 0.6),
      c(String.raw`warranty\s+period`, 0.7),
    ],
    weak: [String.raw`warrant`, String.raw`period`, String.raw`defect`],
  },
  Insurance: {
    cues: [c(String.raw`\binsurance\b|\binsured\b|\binsurer\b`, 0.7), c(String.raw`(?:general|product|professional)\s+liability\s+(?:coverage|policy|policies)`, 0.6), c(String.raw`\bcoverage\b[^.]{0,60}(?:limit|amount|per\s+occurrence)|per\s+occurrence`, 0.5)],
    headings: [c(String.raw`insurance`, 0.4)],
    weak: [String.raw`insur`, String.raw`coverage`, String.raw`polic`],
  },
  "Covenant Not to Sue": {
    cues: [
      c(String.raw`covenants?\s+not\s+to\s+sue`, 0.9),
      c(String.raw`(?:not|never)[^.]{0,60}(?:challenge|contest|attack|dispute|oppose)[^.]{0,120}(?:validity|ownership|enforceability|rights?\s+(?:in|to))`, 0.7),
      c(String.raw`(?:not|never)[^.]{0,40}(?:sue|bring\s+(?:any\s+)?(?:claim|action|suit))`, 0.5),
    ],
    weak: [String.raw`challenge`, String.raw`contest`, String.raw`\bsue\b`, String.raw`claim`],
  },
  "Third Party Beneficiary": {
    cues: [c(String.raw`third[-\s]part(?:y|ies)\s+beneficiar`, 0.9), c(String.raw`(?:nothing|no)[^.]{0,120}(?:confer|create|give)[^.]{0,80}(?:rights?|benefits?|remed)[^.]{0,80}(?:any|other)\s+(?:person|third|party)`, 0.6), c(String.raw`intended\s+beneficiar`, 0.8)],
    // "There are no third-party beneficiaries" is the absence of the category, unless it carves out an exception.
    against: [c(String.raw`^(?![\s\S]*\b(?:except|other\s+than|save)\b)[\s\S]*\b(?:no|not|nothing|neither)\b[^.]{0,120}(?:third[-\s]part(?:y|ies)\s+beneficiar|confer|intended\s+to\s+benefit)`, 0.8)],
    weak: [String.raw`third\s+part`, String.raw`beneficiar`, String.raw`enforce`],
  },
};
