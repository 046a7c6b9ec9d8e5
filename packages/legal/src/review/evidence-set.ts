import type { ClassifiedClause, ClauseClassification, ClauseLabel } from "../classification/clause-classification";
import type { CuadCategory } from "../classification/cuad-categories";
import type { GoverningLawTerm, KeyTerms } from "../extraction/key-term-types";
import { terminationWithoutCause } from "../extraction/termination-rights";
import type { ContractDocument } from "../text/contract-document";
import { spanOf, type Span } from "../text/span";

/** The key terms and the clause map, made to agree: every later stage (summary, risks, checklists) reads this one set. */
export interface EvidenceSet {
  readonly keyTerms: KeyTerms;
  readonly classification: ClauseClassification;
}

/** Which clause category a key term lives in. */
export const KEY_TERM_CATEGORY = {
  governing_law: "Governing Law",
  effective_date: "Effective Date",
  expiration_date: "Expiration Date",
  parties: "Parties",
} as const satisfies Record<string, CuadCategory>;

// A lenient reading of a clause the classifier already calls Governing Law ("laws of Ontario", "Delaware law").
const LAW_IN_CLAUSE = /\blaws?\s+(?:of|in)\s+(?:the\s+)?(?:(?:State|Commonwealth|Province|Republic|Kingdom)\s+of\s+)?([A-Z][A-Za-z.'-]+(?:[ \t]+(?:of[ \t]+)?[A-Z][A-Za-z.'-]+){0,3})|\b([A-Z][A-Za-z.'-]+(?:[ \t]+[A-Z][A-Za-z.'-]+)?)[ \t]+(?:law|laws)\b/;
const NOT_A_PLACE = /^(?:The|This|Such|Any|Its|Agreement|Applicable|Governing|Federal|Section|Article|Exhibit|United States Trademark)\b/;

function lawFromClause(text: string, evidence: readonly Span[]): GoverningLawTerm | undefined {
  for (const sentence of evidence) {
    const m = LAW_IN_CLAUSE.exec(sentence.quote);
    const place = (m?.[1] ?? m?.[2])?.replace(/[.,]+$/, "");
    if (!m || !place || NOT_A_PLACE.test(place)) continue;
    const at = sentence.start + m.index + m[0].indexOf(place);
    return { law: place, span: spanOf(text, at, at + place.length), clause: sentence };
  }
  return undefined;
}

const labelled = (c: ClauseClassification, category: CuadCategory) => c.clauses.flatMap((cl) => cl.labels.filter((l) => l.category === category));

/**
 * Reconciles extraction with classification, both ways:
 * - a Governing Law clause whose law the extractor missed is read leniently, so the summary names it;
 * - a key term found in a clause (governing law, effective / expiration date, renewal) labels that
 *   clause with its category when the classifier did not, so the clause map shows where it is;
 * - a sentence giving a party the right to terminate without cause ("may terminate … on ninety days'
 *   notice", "… after two years") labels its clause Termination for Convenience when the classifier did not,
 *   so no "No termination for convenience" finding stands beside it.
 */
export function reconcileEvidence(doc: ContractDocument, keyTerms: KeyTerms, classification: ClauseClassification): EvidenceSet {
  let kt = keyTerms;
  if (kt.governingLaw.length === 0) {
    // Its evidence sentences first, then the rest of each labelled clause.
    const clauses = classification.clauses.filter((c) => c.labels.some((l) => l.category === "Governing Law"));
    const sentences = [...labelled(classification, "Governing Law").flatMap((l) => l.evidence.map((e) => e.span)), ...clauses.flatMap((c) => doc.clauses[c.index]?.sentences ?? [])];
    const law = lawFromClause(doc.text, sentences);
    if (law) kt = { ...kt, governingLaw: [law] };
  }
  const additions: [CuadCategory, Span][] = [];
  if (kt.governingLaw[0]) additions.push(["Governing Law", kt.governingLaw[0].clause]);
  if (kt.keyDates.effective) additions.push(["Effective Date", kt.keyDates.effective.span]);
  if (kt.keyDates.expiration) additions.push(["Expiration Date", kt.keyDates.expiration.span]);
  if (kt.renewal?.period) additions.push(["Renewal Term", kt.renewal.span]);
  if (kt.renewal?.noticeToTerminate) additions.push(["Notice Period to Terminate Renewal", kt.renewal.noticeToTerminate.span]);
  const withoutCause = labelled(classification, "Termination for Convenience").length === 0 ? terminationWithoutCause(doc)[0] : undefined;
  if (withoutCause) additions.push(["Termination for Convenience", withoutCause]);
  let clauses = classification.clauses;
  for (const [category, span] of additions) {
    if (labelled({ ...classification, clauses }, category).length > 0) continue;
    const sentence = doc.sentenceAt(span.start);
    const target = doc.clauseAt(span.start);
    if (!sentence || !target) continue;
    const label: ClauseLabel = { category, score: classification.threshold, source: "key-terms", evidence: [{ span: sentence, score: classification.threshold }] };
    clauses = clauses.map((c): ClassifiedClause => (c.index === target.index ? { ...c, labels: [...c.labels, label] } : c));
  }
  return { keyTerms: kt, classification: clauses === classification.clauses ? classification : { ...classification, clauses } };
}
