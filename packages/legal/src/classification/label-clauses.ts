import type { ContractDocument } from "../text/contract-document";
import type { ClassifiedClause, ClauseLabel, LabelSource } from "./clause-classification";
import type { SentenceScore } from "./rule-clause-classifier";

/** Labels each clause with the categories whose best sentence reaches `threshold`; the sentences that do are its evidence. */
export function labelClauses(doc: ContractDocument, scores: readonly SentenceScore[], threshold: number, source: LabelSource): ClassifiedClause[] {
  const byClause = new Map<number, SentenceScore[]>();
  for (const s of scores) {
    if (s.score < threshold) continue;
    const list = byClause.get(s.clauseIndex) ?? [];
    list.push(s);
    byClause.set(s.clauseIndex, list);
  }
  return doc.clauses.map((clause) => {
    const mine = byClause.get(clause.index) ?? [];
    const labels: ClauseLabel[] = [];
    for (const category of new Set(mine.map((s) => s.category))) {
      const evidence = mine.filter((s) => s.category === category).sort((a, b) => b.score - a.score);
      labels.push({ category, score: evidence[0]!.score, source, evidence: evidence.map((e) => ({ span: e.span, score: e.score })) });
    }
    labels.sort((a, b) => b.score - a.score);
    return {
      index: clause.index,
      ...(clause.number === undefined ? {} : { number: clause.number }),
      ...(clause.heading === undefined ? {} : { heading: clause.heading }),
      span: clause.span,
      labels,
    };
  });
}
