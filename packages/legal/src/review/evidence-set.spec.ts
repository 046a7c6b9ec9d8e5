import type { ClauseClassification } from "../classification/clause-classification";
import { extractKeyTerms } from "../extraction/extract-key-terms";
import { buildReport } from "../report/build-report";
import { findContradictions } from "../report/find-contradictions";
import { ContractDocument } from "../text/contract-document";
import { assessRisk } from "./assess-risk";
import { reconcileEvidence } from "./evidence-set";
import { loadPlaybook } from "./playbook";

const TEXT = `SUPPLY AGREEMENT

This Supply Agreement is made between A Corp. ("Buyer") and B Ltd. ("Seller").

9. Governing Law. This Agreement shall be governed by and construed under Ontario law.
`;
const PLAYBOOK = loadPlaybook(`name: t
rules:
  - { id: no-governing-law, title: No governing law, severity: medium, when: { key_term_missing: governing_law }, fix: Add one. }
  - { id: no-cap, title: No cap, severity: high, when: { clause_absent: Cap on Liability }, fix: Add one. }
`);

/** A clause map with the Governing Law clause labelled (as a classifier would). */
function labelled(doc: ContractDocument): ClauseClassification {
  return {
    method: "model",
    threshold: 0.3,
    clauses: doc.clauses.map((c) => ({
      index: c.index,
      span: c.span,
      labels: c.heading === "Governing Law" ? [{ category: "Governing Law" as const, score: 0.9, source: "model" as const, evidence: [{ span: c.sentences[0]!, score: 0.9 }] }] : [],
    })),
  };
}

describe("reconcileEvidence", () => {
  const doc = new ContractDocument(TEXT);
  const keyTerms = extractKeyTerms(doc);

  it("reads the law of a clause labelled Governing Law that strict extraction missed", () => {
    expect(keyTerms.governingLaw).toEqual([]);
    const { keyTerms: kt } = reconcileEvidence(doc, keyTerms, labelled(doc));
    expect(kt.governingLaw[0]).toMatchObject({ law: "Ontario", span: { quote: "Ontario" } });
  });

  it("never reports a missing governing law beside a Governing Law clause, and fills the summary", () => {
    const classification = labelled(doc);
    const risks = assessRisk({ text: TEXT, keyTerms, classification }, PLAYBOOK);
    expect(risks.map((r) => r.ruleId)).toEqual(["no-cap"]);
    expect(risks[0]!.missing).toEqual(["Cap on Liability"]);
    const report = buildReport({ text: TEXT, keyTerms, classification, risks, compliance: [], playbook: "t", now: new Date(0) });
    expect(report.summary.governingLaw).toBe("Ontario");
    expect(findContradictions(report)).toEqual([]);
  });

  it("labels the clause holding an extracted key term the classifier left unlabelled", () => {
    const text = `SERVICES AGREEMENT\n\n1. Scope. Provider shall provide support.\n\n2. Law. This Agreement is governed by the laws of the State of Delaware.\n`;
    const d = new ContractDocument(text);
    const kt = extractKeyTerms(d);
    expect(kt.governingLaw[0]?.law).toBe("Delaware");
    const empty: ClauseClassification = { method: "rules", threshold: 0.5, clauses: d.clauses.map((c) => ({ index: c.index, span: c.span, labels: [] })) };
    const { classification } = reconcileEvidence(d, kt, empty);
    const label = classification.clauses.flatMap((c) => c.labels).find((l) => l.category === "Governing Law");
    expect(label).toMatchObject({ source: "key-terms", score: 0.5 });
    expect(label!.evidence[0]!.span.quote).toMatch(/laws of the State of Delaware/);
  });

  it("findContradictions catches a 'missing' finding beside a labelled clause", () => {
    const classification = labelled(doc);
    const report = buildReport({ text: TEXT, keyTerms, classification, risks: [{ ruleId: "x", title: "No governing law", severity: "medium", fix: "f", citations: [], absent: true, missing: ["Governing Law"] }], compliance: [], playbook: "t", now: new Date(0) });
    expect(findContradictions(report)).toEqual([expect.objectContaining({ category: "Governing Law", finding: "risk 'x'" })]);
  });
});
