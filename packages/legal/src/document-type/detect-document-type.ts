import type { ContractDocument } from "../text/contract-document";
import { spanOf, type Span } from "../text/span";

export const DOCUMENT_TYPES = ["nda", "licence", "supply_distribution", "services", "employment", "lease", "loan", "other"] as const;
export type DocumentType = (typeof DOCUMENT_TYPES)[number];

export const DOCUMENT_TYPE_NAMES: Readonly<Record<DocumentType, string>> = {
  nda: "Non-disclosure agreement",
  licence: "Licence",
  supply_distribution: "Supply / distribution",
  services: "Services / consulting",
  employment: "Employment",
  lease: "Lease",
  loan: "Loan / credit",
  other: "Other commercial agreement",
};

export interface DocumentTypeResult {
  readonly type: DocumentType;
  /** The title or opening words the type was read from (absent for "other" with no title). */
  readonly span?: Span;
  /** How the type was decided. */
  readonly basis: "title" | "opening" | "content" | "none";
}

// What the agreement calls itself. Ordered: the first kind whose words appear in the title wins, so a
// "Confidentiality and Non-Competition Agreement" of an employee reads as employment, and a
// "Software License and Distribution Agreement" as a licence. General drafting words only.
const KINDS: readonly [DocumentType, RegExp][] = [
  ["employment", /\b(?:employment|employee|executive|offer\s+letter|severance|retention\s+agreement)\b/i],
  ["nda", /\b(?:non-?\s?disclosure|confidentiality|confidential\s+disclosure|secrecy|nda)\b/i],
  ["lease", /\b(?:lease|sub-?lease|tenancy|rental)\b/i],
  ["loan", /\b(?:loan|credit|promissory\s+note|facility\s+agreement|note\s+purchase)\b/i],
  ["licence", /\b(?:licen[cs]e|licensing|franchise|royalty)\b/i],
  ["supply_distribution", /\b(?:supply|distribut(?:ion|or)|reseller|resale|dealer(?:ship)?|manufactur(?:ing|e)|purchase|sales?\s+agreement|OEM|procurement)\b/i],
  ["services", /\b(?:services?|consult(?:ing|ancy|ant)|outsourcing|hosting|maintenance|support|development|marketing|management|transportation|agency|advisory|professional)\b/i],
];

const CONFIDENTIALITY = /\bconfidential|\bevaluation\s+materials?\b|\bproprietary\s+information\b/i;
const TITLE_LINE = /^[^\n]{3,160}$/gm;
const CAPITALS_TITLE = /\b((?:[A-Z][A-Z&'-]+,?\s+){1,6}(?:AGREEMENT|CONTRACT|LEASE))\b/g;
const CALLS_ITSELF = /\b(?:agreement|contract|lease|deed|note|letter|memorandum|terms)\b/i;

function kindOf(text: string): DocumentType | undefined {
  return KINDS.find(([, re]) => re.test(text))?.[0];
}

/**
 * The kind of agreement, from what it calls itself: its title line (the first short line naming an
 * agreement), else the opening sentence ("This Mutual Non-Disclosure Agreement …"), else what its
 * text is mostly about (confidentiality obligations make an NDA). Falls back to "other".
 */
export function detectDocumentType(doc: ContractDocument): DocumentTypeResult {
  const head = doc.text.slice(0, 3000);
  for (const m of head.matchAll(TITLE_LINE)) {
    const line = m[0].trim();
    if (!CALLS_ITSELF.test(line) || line.split(/\s+/).length > 14) continue;
    const type = kindOf(line);
    if (type) return { type, span: spanOf(doc.text, m.index, m.index + m[0].length), basis: "title" };
  }
  // EDGAR texts often run the title into the legal legend: a run of capitals ending in AGREEMENT.
  for (const m of head.matchAll(CAPITALS_TITLE)) {
    const type = kindOf(m[1]!);
    const at = m.index + m[0].indexOf(m[1]!);
    if (type) return { type, span: spanOf(doc.text, at, at + m[1]!.length), basis: "title" };
  }
  const opening = /\b[Tt]h(?:is|e)\s+((?:[A-Z][\w-]*\s+|and\s+|of\s+|&\s+){1,8}(?:Agreement|Contract|Lease|Note))/.exec(head);
  if (opening) {
    const type = kindOf(opening[1]!);
    const at = opening.index + opening[0].indexOf(opening[1]!);
    if (type) return { type, span: spanOf(doc.text, at, at + opening[1]!.length), basis: "opening" };
  }
  // No title: an agreement mostly about keeping information confidential is an NDA, whether it names that information
  // "Confidential Information" or, as confidentiality letters for a possible acquisition do, "Evaluation Material".
  const sentences = doc.sentences.length;
  const confidential = doc.sentences.filter((s) => CONFIDENTIALITY.test(s.quote)).length;
  if (sentences > 0 && confidential / sentences > 0.25) return { type: "nda", basis: "content" };
  return { type: "other", basis: "none" };
}
