// Uses only what a developer imports: "@bear/legal" (and core for the container).
import { describe, expect, it } from "@jest/globals";
import { createContainer } from "@bear/core";
import {
  ContractReviewer,
  ContractReviewerToken,
  CONTRACT_REVIEW_WORKFLOW_YAML,
  DEFAULT_PLAYBOOK_YAML,
  GDPR_ART28_CHECKLIST_YAML,
  LEGAL_STEP_TYPES,
  PlaybookError,
  assessRisk,
  checkCompliance,
  classifyClauses,
  extractKeyTerms,
  legalModule,
  loadChecklist,
  loadPlaybook,
  renderReport,
  reviewContract,
  type ContractReviewReport,
} from "@bear/legal";

const CONTRACT = `CONSULTING AGREEMENT

This Consulting Agreement (the "Agreement") is made as of April 1, 2025 by and between Acme Widgets LLC ("Client") and Jordan Lee ("Consultant").

1. Term. This Agreement continues for twelve (12) months and renews automatically for successive one (1) year terms.

2. Fees. Client shall pay Consultant USD 8,500 per month.

3. Governing Law. This Agreement is governed by the laws of the State of Oregon.
`;

describe("@bear/legal public API", () => {
  it("runs the README example: review with no model, render, cite", async () => {
    const report: ContractReviewReport = await reviewContract(CONTRACT);
    expect(report.summary.parties).toEqual(['Acme Widgets LLC ("Client")', 'Jordan Lee ("Consultant")']);
    expect(report.keyTerms.amounts[0]).toMatchObject({ amount: 8500, currency: "USD" });
    expect(report.risks.map((r) => r.ruleId)).toEqual(expect.arrayContaining(["auto-renewal-without-notice", "governing-law-not-approved"]));
    for (const risk of report.risks) for (const c of risk.citations) expect(CONTRACT.slice(c.start, c.end)).toBe(c.quote);
    expect(renderReport(report, "markdown")).toContain("Automatic renewal without a notice window");
  });

  it("offers each stage as a plain function", async () => {
    const keyTerms = extractKeyTerms(CONTRACT);
    const classification = await classifyClauses(CONTRACT);
    const risks = assessRisk({ text: CONTRACT, keyTerms, classification }, loadPlaybook(DEFAULT_PLAYBOOK_YAML));
    expect(risks.length).toBeGreaterThan(0);
    const gdpr = checkCompliance(CONTRACT, loadChecklist(GDPR_ART28_CHECKLIST_YAML));
    expect(gdpr.counts.missing).toBeGreaterThan(5);
    expect(() => loadPlaybook("name: x\nrules: []")).toThrow(PlaybookError);
    expect(CONTRACT_REVIEW_WORKFLOW_YAML).toContain("legal.report");
    expect(LEGAL_STEP_TYPES).toHaveLength(6);
  });

  it("resolves a ContractReviewer from legalModule() with no model bound", async () => {
    const container = createContainer(legalModule({ threshold: 0.6, checklists: ["gdpr_art28"] }));
    const reviewer = container.get<ContractReviewer>(ContractReviewerToken);
    expect(reviewer.usesModel).toBe(false);
    const report = await reviewer.review(CONTRACT);
    expect(report.compliance[0]?.checklist).toBe("GDPR Art. 28 processor agreement");
    expect(new ContractReviewer().playbook.name).toBe("BEAR default playbook");
  });
});
