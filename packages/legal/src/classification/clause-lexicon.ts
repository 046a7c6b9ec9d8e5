import type { CuadCategory } from "./cuad-categories";
import { CONTROL_CONSEQUENCE, DEFINITION, DURING_TERM, LIABILITY_TOPIC, LISTED_COVENANT, MERGER, MONTH, NOT_A_PERIOD, NUMBER_WORD, PER_PERIOD, QUANTITY_FLOOR } from "./lexicon-phrases";

/**
 * One cue: a case-insensitive regular expression (source text) and how strongly it signals the category (0–1).
 * In patterns, `[^.]` also steps over full stops followed by a letter or digit ("Section 7.2").
 */
export interface LexiconCue {
  readonly pattern: string;
  readonly weight: number;
  /** Patterns that must also match somewhere in the sentence (co-occurring terms). */
  readonly requires?: readonly string[];
  /** The cue does not count when this pattern matches the sentence. */
  readonly unless?: string;
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

const c = (pattern: string, weight: number, when: Pick<LexiconCue, "requires" | "unless"> = {}): LexiconCue => ({ pattern, weight, ...when });

/**
 * The built-in lexicon, tuned on the public CUAD development split only (rules written on its "dev"
 * half, see bench/cuad.ts --fold).
 */
export const DEFAULT_CLAUSE_LEXICON: ClauseLexicon = {
  "Effective Date": {
    cues: [
      c(String.raw`\((?:the\s+)?["“]effective\s+date["”]\)`, 0.7),
      c(String.raw`(?:shall|will)\s+(?:only\s+)?(?:become|be)\s+effective|shall\s+take\s+effect|effective\s+(?:as\s+of|on)\b`, 0.4),
      c(String.raw`\bcommenc\w*\s+on\b`, 0.35),
      // "to be effective January 1, 2008", "The effective date of the Franchise will be January 1, 2016".
      c(String.raw`\beffective\s+(?:as\s+of\s+|on\s+|from\s+)?(?:${MONTH}\s+\d|\d{1,2}(?:st|nd|rd|th)?\s+(?:day\s+of\s+)?${MONTH})|\beffective\s+date\s+of\s+(?:this|the)\s+\w+\s+(?:will|shall)\s+be`, 0.6),
    ],
    headings: [c(String.raw`effective\s+date`, 0.4)],
    // Notices, amendments, waivers and terminations also "become effective"; recitals and signature blocks only refer back.
    against: [
      c(String.raw`\bnotices?\b|communications?|amendment|modification|waiver|terminat|\bchanges?\b`, 0.5, { unless: String.raw`\((?:the\s+)?["“]effective\s+date["”]\)` }),
      c(String.raw`^\W*whereas\b|in\s+witness\s+whereof`, 0.6),
    ],
    weak: [String.raw`effective`, String.raw`commenc`, String.raw`\bdate\b`],
  },
  "Expiration Date": {
    cues: [
      c(String.raw`(?:initial\s+)?term\s+of\s+this\s+(?:agreement|contract)\b[^.]{0,160}(?:years?|months?|until|expire|end)`, 0.75, { unless: DURING_TERM }),
      c(String.raw`shall\s+(?:continue|remain)\s+in\s+(?:full\s+)?(?:force|effect)\s+(?:until|for)`, 0.6),
      // Only the agreement or its term expires here: not licences, credits or raw materials.
      c(String.raw`\bshall\s+expire|\bexpiration\s+date\b|\bwill\s+expire`, 0.5, { requires: [String.raw`\bagreement\b|\bterm\b`], unless: String.raw`licen[cs]e\s+shall|credits?|materials?|packages?|\boption\b|\bofferings?\b` }),
      c(String.raw`\b(?:initial\s+)?term\b[^.]{0,120}(?:shall|will)\s+(?:be|begin|commence|continue|end|run)[^.]{0,160}(?:years?|months?|until|through|anniversary|ending|expir)`, 0.6, { unless: DURING_TERM }),
      c(String.raw`(?:shall|will)\s+continue\s+(?:indefinitely|for\s+a\s+(?:period|term)\s+of)|\bbeginning\b[^.]{0,60}\band\s+ending\b`, 0.5),
      c(String.raw`\bin\s+perpetuity\b|\bperpetual\b`, 0.25),
      // "This Agreement shall commence on the Effective Date and continue … until the end of the fifteenth Contract Year".
      c(String.raw`\b(?:this|the)\s+(?:agreement|amendment|term)\s+(?:shall|will)\s+(?:commence|begin|continue|remain)\b[^.]{0,200}\b(?:until|through|for\s+a\s+(?:period|term)\s+of)\b`, 0.6),
    ],
    headings: [c(String.raw`^\s*(?:initial\s+)?term\b|duration|term\s+(?:and|&)\s+termination`, 0.35)],
    against: [c(DEFINITION, 0.3, { unless: String.raw`["“](?:initial\s+)?term["”]` })],
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
      c(String.raw`shall\s+not[^.]{0,120}(?:compet(?!en)\w*|engage\s+in[^.]{0,60}(?:business|competi\w*))`, 0.7),
      c(String.raw`(?:directly\s+or\s+indirectly)[^.]{0,120}(?:compet(?!en)\w*|similar\s+products?|same\s+business)`, 0.5),
      c(String.raw`\bcompeting\s+(?:products?|business|services?)|\bcompetitive\s+products?`, 0.4),
      c(String.raw`(?:shall|will|agrees?\s+)\s*not\s+(?:\w+\s+){0,3}(?:participate|engage|offer|promote|market|distribute|render|provide|carry\s+on|be\s+engaged)[^.]{0,120}(?:similar|competi|same|substantially|any\s+other\s+(?:trade|business))`, 0.55),
      // Restrictions aimed at the other side's competitors: "shall not place any advertisements … for any Competitor".
      c(String.raw`(?:shall|will|may)\s+not\b[^.]{0,160}\bcompetitors?\b`, 0.6),
      c(String.raw`(?:shall|will)\s+not\s+(?:\w+\s*,?\s+){0,4}(?:promote|market|distribute|sell|offer|develop|manufacture)[^.]{0,160}\bother\s+than\s+(?:the\s+)?products?\b`, 0.55),
      c(String.raw`\bnot\s+enter\s+into\s+(?:an?|any)\s+(?:\w+\s+)?agreements?\s+with\s+any\s+other`, 0.6, { requires: [String.raw`similar|compet(?!en)`] }),
    ],
    headings: [c(String.raw`non-?compet|competition|competing`, 0.35)],
    weak: [String.raw`compet`, String.raw`\bengage`, String.raw`similar`, String.raw`directly\s+or\s+indirectly`],
  },
  Exclusivity: {
    cues: [
      c(String.raw`\bexclusive\s+(?:right|distributor|provider|supplier|reseller|agent|basis|partner|sponsor|endorser|license|licensee|dealer|marketing|promot)`, 0.7),
      c(String.raw`\bexclusively\b|\bsole\s+and\s+exclusive\b|\bsole\s+(?:source|supplier|provider|distributor)\b`, 0.4),
      c(String.raw`shall\s+not[^.]{0,80}(?:appoint|grant|authori[sz]e|engage)[^.]{0,80}(?:other|third|any\s+person)`, 0.5),
      c(String.raw`all\s+(?:of\s+its\s+)?requirements`, 0.45),
      // A promise not to work for anyone else: "agrees not to provide … services for any other provider".
      c(String.raw`(?:shall|will|agrees?\s+)\s*not\s+[^.]{0,100}\b(?:for|to|with|of)\s+any\s+other\s+(?:provider|supplier|distributor|company|person|party|vendor|manufacturer|customer)`, 0.55),
      c(String.raw`\bdedicates?\s+and\s+commits?\b`, 0.5),
    ],
    headings: [c(String.raw`exclusiv`, 0.4)],
    against: [
      c(String.raw`non-?exclusive`, 0.6),
      // "exclusive jurisdiction", "sole and exclusive remedy", "for the exclusive benefit of" are other clauses.
      c(String.raw`jurisdiction|\bvenue\b|\bcourts?\b|exclusive\s+(?:remed|benefit|property|liabilit)|sole\s+and\s+exclusive\s+(?:remed|benefit|property|liabilit)|\binure`, 0.7),
      c(String.raw`co-?exclusiv|\b(?:not|no)\s+(?:\w+\s+){0,4}exclusiv|^\W*whereas\b`, 0.5),
    ],
    weak: [String.raw`exclusiv`, String.raw`\bsole\b`, String.raw`\bonly\b`, String.raw`territory`],
  },
  "No-Solicit of Customers": {
    cues: [
      c(String.raw`solicit\w*[^.]{0,100}(?:customers?|clients?|accounts?|suppliers?)`, 0.7),
      c(String.raw`(?:interfere|divert)[^.]{0,80}(?:customers?|clients?|business\s+relationship)`, 0.45),
      // Online deals name their customers "Members", "Users" or "Subscribers": "will not solicit any Member".
      c(String.raw`(?:not|never)\b[^.]{0,60}\b(?:solicit|contact)\w*[^.]{0,60}\b(?:members?|users?|subscribers?|end[-\s]users?)\b`, 0.6),
    ],
    weak: [String.raw`solicit`, String.raw`customer`, String.raw`client`],
  },
  "Competitive Restriction Exception": {
    cues: [
      c(String.raw`notwithstanding[^.]{0,160}(?:compet(?!en)\w*|exclusiv\w*|solicit\w*)`, 0.6),
      c(String.raw`(?:shall\s+not\s+(?:apply|restrict|prevent|prohibit|preclude)|nothing\s+(?:herein|in\s+this)[^.]{0,60}(?:restrict|prevent|prohibit|preclude))[^.]{0,160}(?:compet(?!en)\w*|acqui\w*|sell|market|own)`, 0.55),
      c(String.raw`(?:except|other\s+than|excluding)[^.]{0,100}(?:exclusiv|compet)`, 0.4),
      c(String.raw`\bless\s+than\s+(?:\w+\s+){0,3}(?:percent|%)[^.]{0,60}(?:securities|stock|shares)`, 0.5),
      c(String.raw`(?:shall|will|does)\s+not\s+prevent|nothing\s+in\s+this\s+(?:paragraph|section|clause|article|agreement)[^.]{0,30}(?:shall\s+)?(?:prevent|prohibit|restrict|preclude)`, 0.55),
      // "the foregoing will not restrict …": a carve-out from the restriction just stated.
      c(String.raw`\b(?:the\s+)?foregoing\s+(?:shall|will|does|do)\s+not\s+(?:be\s+(?:construed|deemed)\s+to\s+)?(?:restrict|prevent|prohibit|preclude|limit|apply)`, 0.55),
      c(String.raw`shall\s+not\s+be\s+(?:considered|deemed|construed)\s+(?:to\s+be\s+)?(?:a\s+)?(?:breach|violation)\s+of\s+(?:section|article|clause|paragraph)`, 0.45),
      c(String.raw`\bnotwithstanding\s+the\s+foregoing\b|\bwith\s+the\s+exception\s+(?:that|of)\b|^\W*(?:\(?[a-z0-9.]{1,6}\)?\s+)?except\b`, 0.3),
    ],
    // Exceptions inside a clause about exclusivity or competition.
    headings: [c(String.raw`exclusiv|compet|restrictive\s+covenant|non-?solicit`, 0.4)],
    against: [c(String.raw`confidential\s+information|\bdisclos|\bremed(?:y|ies)\b|\bliabilit`, 0.5)],
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
      c(String.raw`terminated\s+by\s+either\s+party\s+(?:upon|by\s+giving|with|on)\s+[^.]{0,60}notice`, 0.6),
    ],
    headings: [c(String.raw`termination\s+for\s+convenience|termination\s+without\s+cause`, 0.5)],
    against: [
      c(String.raw`\bbreach|\bdefault|insolven|bankrupt|fail\w*\s+to\s+(?:cure|pay|perform)`, 0.45),
      // A right that depends on an event ("may terminate … if …") is termination for cause of some kind.
      c(String.raw`\bif\b|\bin\s+the\s+event\b`, 0.4),
      // "upon termination of this Agreement for any reason" describes the aftermath of any termination.
      c(String.raw`(?:upon|after|following|on|effect\s+of)\s+(?:the\s+)?(?:any\s+)?(?:expiration\s+or\s+)?termination\b[^.]{0,80}for\s+any\s+reason|for\s+any\s+reason\s+(?:unlawful|invalid|unenforceable)`, 0.6),
    ],
    weak: [String.raw`terminat`, String.raw`notice`, String.raw`any\s+time`],
  },
  "Rofr/Rofo/Rofn": {
    cues: [
      c(String.raw`right\s+of\s+first\s+(?:refusal|offer|negotiation)|first\s+right\s+(?:of|to)\s+(?:refus|offer|negotiat|purchase)|\bROF[ORN]\b`, 0.9),
      c(String.raw`(?:offer|notify)[^.]{0,80}first[^.]{0,80}before[^.]{0,60}(?:third\s+part|any\s+other)`, 0.5),
      c(String.raw`\b(?:an?\s+)?(?:exclusive\s+)?option\s+to\s+(?:acquire|obtain|purchase|negotiate|buy)|right\s+(?:\(but\s+not\s+the\s+(?:duty|obligation)\)\s*,?\s*)?to\s+(?:purchase|acquire|match)`, 0.5),
      // "the first right to prepare, file and prosecute Patents" is about patent prosecution, not a purchase right.
      c(String.raw`\bfirst\s+right\b`, 0.6, { unless: String.raw`prosecut|\bfile\b|\bfiling\b` }),
      c(String.raw`\boption\b[^.]{0,200}\bto\s+(?:acquire|obtain|purchase|negotiate|buy)\b`, 0.5),
      // The seller must come to the holder first: "notify King in the event that Depomed desires to divest …".
      c(String.raw`\bnotify\b[^.]{0,120}\bdesires?\s+to\s+(?:divest|sell|transfer|license|assign)|\bdesires?\s+to\s+(?:divest|sell|transfer|license)[^.]{0,200}\b(?:notify|offer)`, 0.55),
      // …and may go to others only when those talks fail.
      c(String.raw`\bfail\w*\s+to\s+(?:enter|agree|reach|conclude)[^.]{0,200}\bright\s+to\s+negotiate[^.]{0,120}third\s+part`, 0.55),
    ],
    weak: [String.raw`option`, String.raw`\bfirst\b`, String.raw`offer`, String.raw`negotiat`],
  },
  "Change of Control": {
    cues: [
      // The category is the consequence: a right to terminate, a consent or a notice when control changes.
      c(String.raw`change\s+(?:of|in)\s+(?:the\s+)?control`, 0.85, { requires: [CONTROL_CONSEQUENCE] }),
      c(String.raw`change\s+(?:of|in)\s+(?:the\s+)?control`, 0.4, { unless: CONTROL_CONSEQUENCE }),
      c(MERGER, 0.3),
      c(MERGER, 0.35, { requires: [String.raw`without\s+(?:the\s+)?(?:\w+\s+){0,3}consent|terminat|deemed\s+(?:an?\s+)?(?:assignment|transfer)`], unless: String.raw`\bexcept\b|does\s+not\s+require|no\s+(?:such\s+)?consent|shall\s+not\s+apply` }),
      c(String.raw`change\s+in\s+(?:the\s+)?(?:management|ownership)|(?:acquisition|acquired)\s+by`, 0.55),
      c(String.raw`(?:sale|transfer|acquisition)\s+of\s+(?:all\s+or\s+)?substantially\s+all`, 0.6),
      c(String.raw`(?:\d+|fifty)\s*(?:%|percent)[^.]{0,60}(?:voting|equity|shares|stock)`, 0.45),
    ],
    against: [
      c(DEFINITION, 0.6),
      // "either Party may assign to a successor by merger": a carve-out from Anti-Assignment, not a control trigger.
      c(String.raw`\bmay\s+(?:freely\s+)?(?:assign|transfer)\b[^.]{0,200}(?:merger|successor|acquir|substantially\s+all)`, 0.4),
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
      c(String.raw`\broyalt(?:y|ies)\b`, 0.5, { unless: String.raw`royalty[-\s]free` }),
      c(String.raw`\bcommissions?\b`, 0.35),
      c(String.raw`(?:pay|receive|entitled\s+to)[^.]{0,120}(?:percent|%|\[\*+\]|\*{3,})[^.]{0,30}\s+of\s+(?:the\s+|all\s+|any\s+|its\s+)?(?:net\s+|gross\s+)?(?:sales|revenues?|profits?|receipts|proceeds|income)`, 0.6),
      c(String.raw`percentage\s+(?:share|of)`, 0.45),
      // A redacted or stated rate of a named revenue line: "[*] of any Medical Products Net Revenues", "50% of the Gross Margin".
      c(String.raw`(?:percent|%|\[\s*\*+\s*\]|\*{3,})\s*(?:\(\d+%\)\s*)?of\s+(?:the\s+|all\s+|any\s+|its\s+|such\s+)?(?:[\w@-]+\s+){0,4}(?:net\s+|gross\s+)(?:revenues?|sales|profits?|margin|receipts|proceeds|income)`, 0.7),
      c(String.raw`\bshare\w*\s+equally\b|\bequal\s+(?:division|split)\s+of\s+(?:the\s+)?(?:net\s+|gross\s+)?(?:revenues?|profits?)|\bshare\w*\s+(?:any|all|the|such)\s+(?:net\s+|gross\s+)?(?:revenues?|profits?)`, 0.7),
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
      c(QUANTITY_FLOOR, 0.4),
      // CUAD: "a minimum amount or units per-time period" — a floor stated per year, quarter or month.
      c(QUANTITY_FLOOR, 0.5, { requires: [PER_PERIOD] }),
      c(String.raw`deficiency\s+payment|take[-\s]or[-\s]pay|\bshortfall\b`, 0.45),
      // Mentions of a defined "Volume Commitment" are everywhere in pipeline contracts; the obligation is the clause.
      c(String.raw`\b(?:volume|purchase|quantity)\s+commitment`, 0.35),
      c(String.raw`(?:guarantee\w*|shall|will|must|agrees?\s+to)\s+(?:\w+\s+){0,3}(?:meet|satisfy|fulfil\w*|achieve)\s+(?:its|the|such|any)?\s*(?:\w+\s+){0,3}(?:commitment|minimum)`, 0.5),
      c(String.raw`(?:less\s+than|fail\w*\s+to\s+(?:meet|ship|purchase|order|achieve))[^.]{0,80}(?:commitment|minimum)`, 0.5),
    ],
    against: [
      c(String.raw`\bno\s+minimum|without\s+(?:any\s+)?minimum`, 0.7),
      // Insurance limits and service levels are floors, but not on what a party buys.
      c(String.raw`insurance|per\s+occurrence|service\s+levels?\b|\bSLA\b`, 0.6),
      // "at least thirty (30) days prior written notice" is a notice period, not a quantity.
      c(String.raw`(?:days|months|business\s+days)\W{0,3}\s*(?:\(\d+\)\s*)?(?:prior|in\s+advance|advance|before|written\s+notice|notice)`, 0.5),
    ],
    weak: [String.raw`minimum`, String.raw`at\s+least`, String.raw`not\s+less\s+than`, String.raw`purchase|order`],
  },
  "Volume Restriction": {
    cues: [
      c(String.raw`(?:exceed\w*|in\s+excess\s+of|more\s+than)[^.]{0,80}(?:volume|units|usage|users|capacity|limit|maximum|cap|barrels|minutes|impressions)`, 0.5),
      c(String.raw`volume\s+(?:limit|restriction|cap)|\bmaximum\s+(?:volume|quantity|number)`, 0.6),
      // A cap on use per period: "not to exceed five per month", "limited to six speaking engagements for the year".
      c(String.raw`(?:not\s+to\s+exceed|(?:no|not)\s+more\s+than|up\s+to|limited\s+to|a\s+maximum\s+of|(?:may|shall|will)\s+not\s+exceed)\s+(?:(?:\w+\s+)?(?:\(\d+\)|\d+|\[)|${NUMBER_WORD})`, 0.55, { requires: [String.raw`\b(?:per|each|every|a)\s+(?:calendar\s+)?(?:day|week|month|quarter|year)\b|\bfor\s+the\s+(?:year|month|quarter)\b`] }),
      // Use above the allowance costs more: "exceeds Committed Bandwidth, Customer will incur a … charge".
      c(String.raw`exceed\w*|in\s+excess\s+of|above\s+the`, 0.55, { requires: [String.raw`(?:additional|excess|overage|usage)\s+(?:charges?|fees?|rates?)|\bsurcharge`] }),
      c(String.raw`up\s+to\s+[^.]{0,40}(?:per|each)\s+(?:day|week|month|quarter|year)[^.]{0,60}(?:no\s+additional|free\s+of)\s+charge|(?:no\s+additional|free\s+of)\s+charge\s+up\s+to`, 0.6),
    ],
    against: [
      // Caps on damages, interest or price are not caps on volume.
      c(String.raw`\bdamages?\b|interest\s+rate|permissible\s+rate|\bliabilit|notice`, 0.6),
    ],
    weak: [String.raw`volume`, String.raw`exceed`, String.raw`maximum`, String.raw`capacity`],
  },
  "IP Ownership Assignment": {
    cues: [
      c(String.raw`\bhereby\s+(?:assigns?|transfers?|conveys?)\b|\bagrees?\s+to\s+assign\s+and\s+hereby\s+assigns\b`, 0.8),
      // "shall transfer all of its right, title and interest" — but not "non-transferable licence",
      // "may assign this Agreement" or staff assigning inventions to their own employer.
      c(String.raw`(?<![-\w])(?:assigns?|transfers?|conveys?)\b[^.]{0,120}(?:right,?\s+title,?\s+and\s+interest|intellectual\s+property|ownership)`, 0.65, { unless: String.raw`\bmay\s+(?:assign|transfer)\b|not\s+be\s+required|\bemployees?\b|\bconsultants?\b|\blicen[cs]e\s+to\s+use` }),
      c(String.raw`shall\s+(?:be|become)\s+the\s+(?:sole\s+(?:and\s+exclusive\s+)?|exclusive\s+)?property\s+of|\bwork(?:s)?\s+made\s+for\s+hire`, 0.6),
      c(String.raw`shall\s+(?:solely\s+)?own\s+all|shall\s+remain\s+the\s+(?:sole\s+(?:and\s+exclusive\s+)?|exclusive\s+)?property\s+of`, 0.45),
    ],
    // Keeping what one already owns is not an assignment to the other party.
    against: [c(String.raw`\b(?:is|are)\s+and\s+shall\s+remain\b|\bremain\s+the\s+(?:sole\s+)?property\s+of\s+(?:the\s+)?(?:disclosing|licensor)`, 0.4)],
    weak: [String.raw`\bown`, String.raw`property`, String.raw`assign`, String.raw`intellectual`],
  },
  "Joint IP Ownership": {
    cues: [
      c(String.raw`jointly\s+own\w*|joint(?:ly)?\s+owne\w*|co-?own\w*|owned\s+jointly|joint\s+(?:intellectual\s+property|inventions?|developments?)`, 0.85),
      c(String.raw`\bundivided\b[^.]{0,40}(?:ownership|interest|right)|\bjoint\s*,\s*(?:equal\s+)?(?:and\s+)?(?:undivided\s+)?ownership`, 0.8),
    ],
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
    cues: [
      c(String.raw`licen[cs]e\w*[^.]{0,120}(?:to|for)\s+(?:\w+\s+){0,3}(?:and|or)\s+(?:its|their)\s+affiliates`, 0.6),
      c(String.raw`(?:licensee|distributor)[^.]{0,30}(?:and|or)\s+its\s+affiliates[^.]{0,80}(?:use|licen)`, 0.45),
      // "hereby grants to King and its Affiliates … a right", "grants to IBM, its Affiliates and Subcontractors all rights and licenses".
      c(String.raw`\bgrants?\s+(?:to\s+)?(?:[\w@.&-]+\s+){1,3}(?:and|,)\s*(?:its|their)\s+(?:affiliates|subsidiaries)`, 0.7, { requires: [String.raw`licen|\bright`] }),
      c(String.raw`licen[cs]e[^.]{0,120}\bto\s+(?:[\w@.&-]+(?:'s)?\s+){1,3}(?:wholly[-\s]owned\s+)?(?:affiliates|subsidiaries)`, 0.5),
    ],
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
      c(String.raw`(?:upon|after|following|on)\s+(?:the\s+)?(?:any\s+)?(?:termination|expiration|expiry)${NOT_A_PERIOD}[^.]{0,200}(?:shall|will|must|agrees?\s+to)\s+(?:\w+\s+){0,2}(?:continue|provide|perform|purchase|sell|supply|complete|cooperate|assist|support|maintain|honou?r|fulfil|have\s+the\s+right)`, 0.6),
      c(String.raw`(?:^|\W)(?:upon|after|following|on|in\s+the\s+event\s+of)\s+(?:the\s+)?(?:any\s+)?(?:such\s+)?(?:termination|expiration|expiry)${NOT_A_PERIOD}`, 0.45),
      // Obligations that run for a while after the end: "during the Term and for two (2) years after any expiration".
      c(String.raw`(?:for|during)\s+(?:a\s+period\s+of\s+)?(?:up\s+to\s+)?[^.]{0,60}(?:after|following|from|beyond)\s+(?:the\s+)?(?:any\s+)?(?:such\s+)?(?:date\s+of\s+|effective\s+date\s+of\s+)?(?:expiration|termination|expiry)${NOT_A_PERIOD}|\bterm\s+and\s+(?:for\s+)?[^.]{0,40}thereafter`, 0.5),
      c(String.raw`\btransition|\bwind[-\s]?down\b|\bsell[-\s]?off\b|\bphase[-\s]?out\b|\brun[-\s]?off\b`, 0.6, { requires: [String.raw`terminat|expir|end\s+of\s+the\s+term`] }),
      c(String.raw`\btransition\s+(?:period|services?|assistance|plan)|\b(?:smooth|seamless|orderly)\s+transition`, 0.6),
      // CUAD's own examples: last-buy and sell-off of the remaining stock.
      c(String.raw`\blast[-\s]time\s+(?:buy|order|purchase)|\blast\s+buy|(?:remaining|existing|unsold)\s+(?:inventory|inventories|stock)`, 0.55, { requires: [String.raw`terminat|expir`] }),
      c(String.raw`(?:shall|will|must|may|agrees?\s+to)\b[^.]{0,40}continue\s+to\s+(?:provide|supply|sell|operate|perform|host|maintain|support|distribute|market|purchase|honou?r|service|fulfil|promote|offer)`, 0.55, { requires: [String.raw`terminat|expir`] }),
      c(String.raw`(?:expir|terminat)\w*[^.]{0,200}(?:be\s+completed|complete\s+(?:any|all|the)|orders?\s+[^.]{0,60}(?:filled|honou?red|completed))`, 0.55),
    ],
    headings: [c(String.raw`effect\w*\s+of\s+(?:termination|expiration)|post-?termination|consequences\s+of\s+termination|transition`, 0.4)],
    // Boilerplate that follows termination without being a post-termination service.
    against: [
      c(String.raw`\bsurviv\w*\b`, 0.6),
      c(String.raw`\b(?:return|destroy|destruction)\b|\bcease\s+(?:to\s+use|using|use\s+of)|confidential\s+information`, 0.5),
      c(String.raw`without\s+prejudice|shall\s+not\s+relieve|become\s+void|(?:rights|licen[cs]es)[^.]{0,60}(?:terminate|cease|revert)`, 0.5),
    ],
    weak: [String.raw`terminat`, String.raw`expir`, String.raw`\bafter\b`, String.raw`continue`],
  },
  "Audit Rights": {
    cues: [
      c(String.raw`\baudit\w*\b`, 0.6),
      c(String.raw`(?:inspect|examin|review)\w*[^.]{0,80}(?:books|records|accounts|facilit|premises)`, 0.6),
      c(String.raw`(?:books|records)[^.]{0,80}(?:available|open)\s+(?:for|to)`, 0.45),
    ],
    headings: [c(String.raw`audit|records|inspection`, 0.35)],
    against: [
      // What happens after an audit (repaying an underpayment) follows the audit clause without granting the right.
      c(String.raw`underpa|overpa|overdue\s+payments`, 0.4),
    ],
    weak: [String.raw`audit`, String.raw`records`, String.raw`\bbooks\b`, String.raw`inspect`],
  },
  "Uncapped Liability": {
    cues: [
      c(String.raw`(?:limitation|exclusion|cap)s?\s+(?:of|on)\s+(?:liability|damages)[^.]{0,120}shall\s+not\s+apply`, 0.8),
      c(String.raw`(?:shall\s+not\s+apply|not\s+be\s+limited|no\s+limit\w*|exclud\w+\s+from)[^.]{0,160}(?:indemnif\w*|gross\s+negligence|willful|wilful|fraud|confidential\w*|infring\w*)`, 0.65, { requires: [LIABILITY_TOPIC] }),
      c(String.raw`(?:except|other\s+than)\s+(?:for\s+)?(?:\w+\s+){0,4}(?:indemnif\w*|gross\s+negligence|willful|wilful|fraud|breach\s+of\s+(?:section|confidential))`, 0.45),
      c(String.raw`unlimited\s+liability|liability[^.]{0,40}(?:shall\s+be\s+)?unlimited`, 0.8),
      c(String.raw`^\W*(?:\(?[a-z0-9.]{1,6}\)?\s+)?except\b[^.]{0,300}(?:liable|liability|damages)`, 0.55),
      c(String.raw`nothing\s+in\s+this\s+agreement\s+shall\s+(?:exclude|limit|restrict)[^.]{0,80}liabilit`, 0.85),
      c(String.raw`(?:limitation|exclusion|section|clause|article)[^.]{0,60}(?:shall|does|will)\s+not\s+(?:apply|limit)[^.]{0,120}(?:indemnif|breach|liabilit|negligen|fraud|fail\w*\s+to\s+pay|recover)`, 0.55, { requires: [LIABILITY_TOPIC] }),
    ],
    weak: [String.raw`liab`, String.raw`\bexcept\b`, String.raw`indemn`, String.raw`damages`],
  },
  "Cap on Liability": {
    cues: [
      c(String.raw`(?:liability|damages|liable)[^.]{0,200}(?:shall\s+not\s+exceed|not\s+to\s+exceed|in\s+no\s+event\s+exceed|limited\s+(?:in\s+the\s+aggregate\s+)?to|in\s+excess\s+of|exceed\s+the\s+(?:total|amount|aggregate)|no\s+more\s+than)`, 0.8),
      c(String.raw`in\s+no\s+event\s+(?:shall|will)[^.]{0,120}(?:liable|liability)`, 0.7),
      c(String.raw`(?:indirect|consequential|special|incidental|punitive|exemplary)[^.]{0,40}damages`, 0.6),
      c(String.raw`(?:claim|action|suit)[^.]{0,80}(?:brought|commenced)[^.]{0,60}(?:within|more\s+than)\s+(?:\w+\s+){0,2}(?:\(\d+\)\s+)?(?:years?|months?)`, 0.55),
      // "NEITHER PARTY'S AGGREGATE LIABILITY … SHALL EXCEED", "IBM's entire obligation", "sole remedy".
      c(String.raw`\b(?:aggregate|total|cumulative|maximum|entire)\s+(?:\w+\s+)?(?:liability|obligation)\b|\bliab\w*[^.]{0,300}\bexceed`, 0.6, { unless: String.raw`insurance|umbrella` }),
      c(String.raw`\bsole\s+(?:and\s+exclusive\s+)?remedy|\bexclusive\s+(?:remed(?:y|ies)|liability)`, 0.6),
      // Time limits on claims: "will bring a legal action … more than two years after the cause of action accrued".
      c(String.raw`(?:bring|commence|institute)\s+(?:a|any)\s+(?:legal\s+)?(?:claim|action|suit|proceeding)[^.]{0,160}more\s+than\s+(?:\w+\s+){0,2}(?:\(\d+\)\s+)?(?:years?|months?)`, 0.7),
    ],
    headings: [c(String.raw`limitation\s+of\s+liability|limitations?\s+on\s+liability|liability`, 0.35)],
    against: [
      c(String.raw`beyond\s+(?:its|their|the)\s+(?:reasonable\s+)?control|force\s+majeure`, 0.6),
      c(String.raw`\bumbrella\b|excess\s+liability\s+(?:insurance|coverage|policy)|limits\s+of\s+not\s+less\s+than`, 0.6),
    ],
    weak: [String.raw`liab`, String.raw`damages`, String.raw`exceed`, String.raw`\bin\s+no\s+event\b`],
  },
  "Liquidated Damages": {
    cues: [
      c(String.raw`liquidated\s+damages|termination\s+fee|break-?up\s+fee|early\s+termination\s+(?:fee|charge|payment)`, 0.85),
      c(String.raw`as\s+a\s+penalty|not\s+(?:as\s+)?a\s+penalty`, 0.4),
      // A fixed sum for a breach: "shall pay a penalty … which the Parties acknowledge is a pre-estimation of damages".
      c(String.raw`\bpay\s+(?:a|the)\s+penalty|\bpenalty\s+(?:equal\s+to|of)\b|pre-?estimat\w*\s+of\s+(?:the\s+)?damages`, 0.7),
    ],
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
    cues: [
      c(String.raw`\binsurance\b|\binsured\b|\binsurer\b`, 0.45),
      // The category is a duty to carry cover: maintain, obtain, certificates, limits, additional insured.
      c(String.raw`\binsurance\b|\binsured\b|\binsurer\b`, 0.5, { requires: [String.raw`maintain|obtain|\bcarry|purchase|procure|\bkeep\b|certificates?|additional\s+insured|polic(?:y|ies)|coverages?|limits?\b|occurrence|\$|broker|subrogation`] }),
      c(String.raw`(?:general|product|professional)\s+liability\s+(?:coverage|policy|policies)`, 0.6),
      // Named kinds of cover: "Workers' Compensation Insurance", "Motor Vehicle Insurance".
      c(String.raw`(?:comprehensive|commercial|general|product|professional|workers'?|employers?'?|automobile|motor\s+vehicle|umbrella|property|cargo|errors\s+and\s+omissions)\s+(?:\w+\s+){0,2}insurance\b`, 0.55),
      c(String.raw`\bcoverage\b[^.]{0,60}(?:limit|amount|per\s+occurrence)|per\s+occurrence`, 0.5),
    ],
    headings: [c(String.raw`insurance`, 0.4)],
    against: [
      // Insurers as parties, insurance regulation, and liability caps measured by insurance are other topics.
      c(String.raw`insurance\s+compan|life\s+insurance|insurance\s+(?:laws?|regulat|department|commissioner)|unemployment\s+insurance|social\s+security`, 0.7),
      c(String.raw`\b(?:exceed|limited\s+to)\b[^.]{0,60}insurance|liabilit\w*\s+(?:on\s+a\s+)?per\s+occurrence`, 0.5),
    ],
    weak: [String.raw`insur`, String.raw`coverage`, String.raw`polic`],
  },
  "Covenant Not to Sue": {
    cues: [
      // …but not "a license, release, covenant not to sue or other immunity" in a list of what may be granted.
      c(String.raw`covenants?\s+not\s+to\s+sue`, 0.9, { unless: LISTED_COVENANT }),
      c(String.raw`(?:not|never)[^.]{0,60}(?:challenge|contest|attack|dispute|oppose)[^.]{0,120}(?:validity|ownership|enforceability|rights?\s+(?:in|to))`, 0.7, { unless: String.raw`disputed\s+in\s+good\s+faith|being\s+disputed` }),
      c(String.raw`(?:not|never)[^.]{0,40}(?:\bsue\b|bring\s+(?:any\s+)?(?:claim|action|suit))`, 0.5, { unless: LISTED_COVENANT }),
      // No-challenge promises about the other side's marks: "shall not claim any title to the Marks adverse to X".
      c(String.raw`(?:not|never)\b[^.]{0,60}(?:claim|assert)\s+(?:any\s+)?(?:right,?\s+)?(?:title|ownership|rights?)\b[^.]{0,80}(?:adverse|trademarks?|\bmarks\b|intellectual\s+property|patents?)`, 0.6),
    ],
    weak: [String.raw`challenge`, String.raw`contest`, String.raw`\bsue\b`, String.raw`claim`],
  },
  "Third Party Beneficiary": {
    cues: [c(String.raw`third[-\s]part(?:y|ies)\s+beneficiar`, 0.9), c(String.raw`(?:nothing|no)[^.]{0,120}(?:confer|create|give)[^.]{0,80}(?:rights?|benefits?|remed)[^.]{0,80}(?:any|other)\s+(?:person|third|party)`, 0.6), c(String.raw`intended\s+beneficiar`, 0.8)],
    // "There are no third-party beneficiaries" is the absence of the category, even with a boilerplate
    // carve-out ("except as expressly provided"); a named beneficiary ("the Lenders shall be …") is not negated.
    against: [c(String.raw`\b(?:no|not|nothing|neither)\b[^.]{0,120}(?:third[-\s]part(?:y|ies)\s+beneficiar|confer|intended\s+to\s+benefit|for\s+the\s+benefit\s+of)`, 0.8)],
    weak: [String.raw`third\s+part`, String.raw`beneficiar`, String.raw`enforce`],
  },
};
