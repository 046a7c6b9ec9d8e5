import { describe, expect, it } from "@jest/globals";
import { servicesAgreement } from "../../test/fixtures";
import { classifyClauses } from "../classification/classify-clauses";
import { ndaChecklist } from "../compliance/built-in-checklists";
import type { ComplianceResult } from "../compliance/check-compliance";
import { PlaybookError } from "../errors";
import { extractKeyTerms } from "../extraction/extract-key-terms";
import { assessRisk } from "./assess-risk";
import { DEFAULT_PLAYBOOK_YAML } from "./default-playbook";
import { loadPlaybook } from "./playbook";

async function analyse(text: string) {
  return { text, keyTerms: extractKeyTerms(text), classification: await classifyClauses(text, { model: false }) };
}

describe("loadPlaybook", () => {
  it("loads the shipped default playbook", () => {
    const playbook = loadPlaybook(DEFAULT_PLAYBOOK_YAML);
    expect(playbook.rules.length).toBeGreaterThanOrEqual(10);
    expect(playbook.rules.map((r) => r.id)).toEqual(expect.arrayContaining(["uncapped-liability", "auto-renewal-without-notice", "assignment-without-consent", "governing-law-not-approved", "no-termination-for-convenience"]));
  });

  it("reports every problem with its path", () => {
    const yaml = `name: broken
rules:
  - id: a
    title: A
    severity: severe
    when: { clause_present: Nonexistent Category }
    fix: x
  - id: a
    title: B
    severity: low
    when: { text_matches: "(unclosed" }
    fix: y
`;
    try {
      loadPlaybook(yaml, "broken.yaml");
      throw new Error("should have thrown");
    } catch (error) {
      expect(error).toBeInstanceOf(PlaybookError);
      const e = error as PlaybookError;
      expect(e.code).toBe("PLAYBOOK_INVALID");
      expect(e.message).toContain("broken.yaml");
      const paths = e.issues.map((i) => i.path);
      expect(paths).toEqual(expect.arrayContaining(["rules[0].severity"]));
      expect(e.issues.some((i) => i.path.startsWith("rules[0].when"))).toBe(true);
      expect(e.issues.some((i) => i.path.startsWith("rules[1].when"))).toBe(true);
    }
  });

  it("refuses duplicate rule ids and YAML syntax errors", () => {
    const rule = "  - { id: x, title: X, severity: low, when: { clause_absent: Insurance }, fix: f }\n";
    expect(() => loadPlaybook(`name: d\nrules:\n${rule}${rule}`)).toThrow(/duplicate rule id 'x'/);
    expect(() => loadPlaybook("name: [unclosed")).toThrow(PlaybookError);
  });
});

describe("assessRisk", () => {
  it("flags the written agreement's uncapped carve-out, consent-free assignment and unapproved law, each with cited text", async () => {
    const text = servicesAgreement();
    const playbook = loadPlaybook(DEFAULT_PLAYBOOK_YAML.replace("  - New York\n", ""));
    const findings = assessRisk(await analyse(text), playbook);
    const byId = Object.fromEntries(findings.map((f) => [f.ruleId, f]));
    expect(byId["uncapped-liability"]?.severity).toBe("high");
    expect(byId["uncapped-liability"]?.citations[0]?.quote).toContain("shall not apply to a Party's indemnification obligations");
    expect(byId["assignment-without-consent"]?.citations[0]?.quote).toContain("Provider may assign this Agreement to an Affiliate without consent");
    expect(byId["governing-law-not-approved"]?.citations[0]?.quote).toContain("laws of the State of New York");
    // The agreement caps liability, lets the customer terminate for convenience and has a renewal notice window.
    expect(byId["no-liability-cap"]).toBeUndefined();
    expect(byId["no-termination-for-convenience"]).toBeUndefined();
    expect(byId["auto-renewal-without-notice"]).toBeUndefined();
    // Most severe first; every citation slices the text.
    expect(findings[0]?.severity).toBe("high");
    for (const f of findings) for (const c of f.citations) expect(text.slice(c.start, c.end)).toBe(c.quote);
  });

  it("flags automatic renewal without a notice window and a missing termination for convenience", async () => {
    const text = `SUPPLY AGREEMENT

1. Term. The term of this Agreement is three (3) years from the Effective Date. Thereafter this Agreement shall automatically renew for successive one (1) year terms.

2. Liability. In no event shall either party's liability exceed the fees paid in the prior twelve (12) months.

3. Law. This Agreement is governed by the laws of the State of Delaware.
`;
    const findings = assessRisk(await analyse(text), loadPlaybook(DEFAULT_PLAYBOOK_YAML));
    const ids = findings.map((f) => f.ruleId);
    expect(ids).toContain("auto-renewal-without-notice");
    expect(findings.find((f) => f.ruleId === "auto-renewal-without-notice")?.citations[0]?.quote).toContain("shall automatically renew");
    const tfc = findings.find((f) => f.ruleId === "no-termination-for-convenience");
    expect(tfc?.absent).toBe(true);
    // An absence cites the related term clause named by the rule's `cite`.
    expect(tfc?.citations[0]?.quote).toContain("The term of this Agreement is three (3) years");
    expect(ids).not.toContain("governing-law-not-approved");
  });

  it("evaluates all/any combinations and notice thresholds from a user playbook", async () => {
    const text = `1. Renewal. This Agreement renews automatically for one (1) year unless either party gives notice at least fifteen (15) days before the end of the term.\n\n2. The Supplier shall maintain insurance.`;
    const playbook = loadPlaybook(`name: mine
rules:
  - id: short-notice
    title: Short renewal notice
    severity: medium
    when: { renewal_notice_shorter_than: 30 days }
    fix: ask for 60 days
  - id: insured-but-uncapped
    title: Insurance without a cap
    severity: low
    when: { all: [ { clause_present: Insurance }, { clause_absent: Cap on Liability } ] }
    fix: add a cap
  - id: never
    title: Never fires
    severity: info
    when: { any: [ { clause_present: Source Code Escrow }, { text_matches: "zebra" } ] }
    fix: none
`);
    const findings = assessRisk(await analyse(text), playbook);
    expect(findings.map((f) => f.ruleId)).toEqual(["short-notice", "insured-but-uncapped"]);
    expect(findings[0]?.citations[0]?.quote).toBe("fifteen (15) days");
  });

  it("reads a built-in checklist requirement's status: the review's own result when given, else checked on the spot", async () => {
    const text = "1. Disclosure. The Recipient may disclose Confidential Information to its employees who need to know it for the Purpose.\n\n2. Term. This Agreement lasts two years.";
    const playbook = loadPlaybook(`name: mine
rules:
  - id: no-sharing
    title: No permission to share
    severity: low
    when: { checklist: { requirement: nda-5, status: [missing, unclear, contradicted] } }
    fix: permit it
  - id: sharing
    title: Sharing allowed
    severity: info
    when: { checklist: { requirement: nda-5, status: [met] } }
    fix: check who
`);
    const analysis = await analyse(text);
    const sentence = { start: 0, end: text.indexOf("\n"), quote: text.slice(0, text.indexOf("\n")) };
    const given = (status: "met" | "missing"): ComplianceResult[] => [
      { checklist: ndaChecklist().name, results: [{ id: "nda-5", title: "shared with employees", status, citations: status === "met" ? [sentence] : [] }], counts: { met: 0, contradicted: 0, unclear: 0, missing: 0 } },
    ];
    const met = assessRisk({ ...analysis, compliance: given("met") }, playbook);
    expect(met.map((f) => [f.ruleId, f.absent, f.citations, f.requirements])).toEqual([["sharing", false, [sentence], [{ id: "nda-5", status: "met" }]]]);
    const missing = assessRisk({ ...analysis, compliance: given("missing") }, playbook);
    expect(missing.map((f) => [f.ruleId, f.absent, f.requirements])).toEqual([["no-sharing", true, [{ id: "nda-5", status: "missing" }]]]);
    // No checklist given: the requirement is checked on the text (the sentence says employees may be told).
    expect(assessRisk(analysis, playbook).map((f) => f.ruleId)).toEqual(["sharing"]);
  });

  it("refuses a checklist condition on a requirement no built-in checklist has, or without a status", () => {
    const rule = (when: string) => `name: mine\nrules:\n  - { id: r, title: T, severity: low, when: ${when}, fix: F }\n`;
    expect(() => loadPlaybook(rule("{ checklist: { requirement: nda-99, status: [met] } }"))).toThrow(/unknown requirement 'nda-99'/);
    expect(() => loadPlaybook(rule("{ checklist: { requirement: nda-5, status: [] } }"))).toThrow(PlaybookError);
    expect(() => loadPlaybook(rule("{ checklist: { requirement: nda-5, status: [present] } }"))).toThrow(PlaybookError);
    expect(loadPlaybook(rule("{ checklist: { requirement: art28-3-a, status: [missing] } }")).rules).toHaveLength(1);
  });
});
