// The kind of agreement picks its playbook and checklists; the report says which were used.
import { describe, expect, it } from "@jest/globals";
import { ContractDocument, detectDocumentType, findContradictions, reviewContract } from "../src/index";

const NDA = `MUTUAL NON-DISCLOSURE AGREEMENT

This Mutual Non-Disclosure Agreement (the "Agreement") is made as of March 3, 2025 between Northwind Labs Inc. ("Northwind") and Bluebay Analytics LLC ("Bluebay").

1. Confidential Information. Each party may disclose confidential business and technical information to the other party for the purpose of evaluating a possible collaboration.

2. Obligations. The Recipient shall hold the Confidential Information in confidence and use it only for the purpose.

3. Residuals. Either party may use any information retained in the unaided memory of its employees.

4. Governing Law. This Agreement is governed by the laws of the State of New York.
`;

// Sharing, compelled disclosure and return worded so the playbook's own patterns miss them ("working in connection
// with", "a requirement of … law"): the NDA checklist finds them, and the risks must agree with it.
const NDA_PLAIN_WORDS = `CONFIDENTIALITY AGREEMENT

This Confidentiality Agreement (the "Agreement") is entered into on June 9, 2024 between Harbor Vale Systems Ltd. ("Harbor") and Pinecrest Robotics GmbH ("Pinecrest").

1. Purpose. The parties wish to exchange confidential information to evaluate a joint development of warehouse robots (the "Purpose").

2. Use. Each party shall use the other party's Confidential Information solely for the Purpose and for no other purpose.

3. Disclosure to staff. Each party may disclose the Confidential Information to its officers, employees and attorneys working in connection with the Purpose, but only to the extent necessary to carry out the Purpose.

4. Exceptions. The obligations under this Agreement shall not apply to information that is disclosed pursuant to a requirement of a governmental agency or of law, provided that the party subject to the requirement gives the other party prompt written notice of it.

5. Return. Upon termination of this Agreement each party shall promptly return to the other party all documents containing Confidential Information.

6. Non-solicitation. For twelve (12) months neither party shall solicit for employment any employee of the other party with whom it had contact in connection with the Purpose.

7. Governing Law. This Agreement is governed by the laws of the State of New York.
`;

const SERVICES = `MASTER SERVICES AGREEMENT

This Master Services Agreement is made as of May 1, 2025 between Acme Widgets LLC ("Client") and Jordan Lee ("Provider").

1. Services. Provider shall perform the services described in each statement of work.

2. Fees. Client shall pay Provider USD 8,500 per month.
`;

describe("document types and their playbooks", () => {
  it("reads the kind of agreement from its title", () => {
    expect(detectDocumentType(new ContractDocument(NDA))).toMatchObject({ type: "nda", basis: "title", span: { quote: "MUTUAL NON-DISCLOSURE AGREEMENT" } });
    expect(detectDocumentType(new ContractDocument(SERVICES)).type).toBe("services");
    expect(detectDocumentType(new ContractDocument("EXHIBIT 10.2 CONFIDENTIAL TREATMENT REQUESTED. EXCLUSIVE DISTRIBUTOR AGREEMENT This Agreement is made …")).type).toBe("supply_distribution");
    expect(detectDocumentType(new ContractDocument("This Loan Agreement is made between A and B.")).type).toBe("loan");
  });

  it("reads a confidentiality letter without a title as an NDA, whether it says Confidential Information or Evaluation Material", () => {
    const letter = (term: string) =>
      `March 2, 2024\nMs. Dana Whitfield\nHarrow Capital Partners\nDear Ms. Whitfield:\nYou have asked for information about Fenwick Tools Ltd. in connection with a possible acquisition. In return for our furnishing you with the ${term} you agree as follows:\n1. You will keep the ${term} secret and use it only to evaluate the possible acquisition.\n2. The ${term} does not include information that is already public.\n3. You will return the ${term} on our request.\n4. This letter is governed by the laws of Ontario.\nVery truly yours,\nFenwick Tools Ltd.\n`;
    expect(detectDocumentType(new ContractDocument(letter("Confidential Information")))).toEqual({ type: "nda", basis: "content" });
    // Before, only "confidential" counted: the same letter speaking of Evaluation Material read as "other".
    expect(detectDocumentType(new ContractDocument(letter("Evaluation Material")))).toEqual({ type: "nda", basis: "content" });
    expect(detectDocumentType(new ContractDocument(letter("Purchased Goods"))).type).toBe("other");
  });

  it("reviews an NDA against the NDA playbook and checklist: residuals and return of information, no liability cap", async () => {
    const report = await reviewContract(NDA, { now: new Date(0) });
    expect(report.documentType.type).toBe("nda");
    expect(report.playbook).toBe("BEAR NDA playbook");
    const ids = report.risks.map((r) => r.ruleId);
    expect(ids).toEqual(expect.arrayContaining(["nda-residuals", "nda-no-return-or-destruction", "nda-no-compelled-disclosure"]));
    expect(ids).not.toContain("no-liability-cap");
    expect(report.compliance.map((c) => c.checklist)).toContain("NDA terms (ContractNLI hypotheses)");
    expect(report.summary.compliance.met + report.summary.compliance.missing + report.summary.compliance.unclear + report.summary.compliance.contradicted).toBeGreaterThan(0);
    expect(findContradictions(report)).toEqual([]);
  });

  it("raises no 'missing' NDA risk beside a checklist row that finds it, and each risk says which requirement it rests on", async () => {
    const report = await reviewContract(NDA_PLAIN_WORDS, { now: new Date(0) });
    expect([report.documentType.type, report.playbook]).toEqual(["nda", "BEAR NDA playbook"]);
    const status = new Map(report.compliance.flatMap((c) => c.results.map((r) => [r.id, r.status])));
    expect(["nda-5", "nda-8", "nda-16", "nda-18"].map((id) => status.get(id))).toEqual(["met", "met", "met", "met"]);
    const ids = report.risks.map((r) => r.ruleId);
    // Before, the patterns alone raised "No carve-out for disclosure required by law" and "No permission to share with employees".
    expect(ids).not.toContain("nda-no-compelled-disclosure");
    expect(ids).not.toContain("nda-no-representatives");
    expect(ids).not.toContain("nda-no-return-or-destruction");
    const solicit = report.risks.find((r) => r.ruleId === "nda-non-solicit");
    expect(solicit?.requirements).toEqual([{ id: "nda-18", status: "met" }]);
    expect(solicit?.citations.some((c) => /solicit for employment/.test(c.quote))).toBe(true);
    expect(findContradictions(report)).toEqual([]);
    // A report whose risk rests on a status its checklist does not show is a contradiction.
    const forged = { ...report, risks: [...report.risks, { ...solicit!, ruleId: "forged", requirements: [{ id: "nda-5", status: "missing" as const }] }] };
    expect(findContradictions(forged)).toEqual([{ requirement: "nda-5", finding: "risk 'forged'", reason: "rests on nda-5 being missing, and the checklist shows it met" }]);
  });

  it("keeps the commercial playbook for services, and a given playbook always wins", async () => {
    const report = await reviewContract(SERVICES, { now: new Date(0) });
    expect(report.playbook).toBe("BEAR default playbook");
    expect(report.risks.map((r) => r.ruleId)).toContain("no-liability-cap");
    const own = await reviewContract(NDA, { playbook: "name: Mine\nrules:\n  - { id: r1, title: T, severity: low, when: { text_matches: residual }, fix: F }\n" });
    expect(own.playbook).toBe("Mine");
    expect(own.documentType.type).toBe("nda");
  });

  it("says no checklist ran instead of printing zero counts", async () => {
    const { renderReport } = await import("../src/index");
    const md = renderReport(await reviewContract(SERVICES, { now: new Date(0) }), "markdown");
    expect(md).toMatch(/no checklist run/);
    expect(md).toMatch(/Services \/ consulting/);
  });
});
