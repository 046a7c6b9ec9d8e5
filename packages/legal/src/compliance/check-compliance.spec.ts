import { describe, expect, it } from "@jest/globals";
import { ChecklistError } from "../errors";
import { BUILT_IN_CHECKLISTS, resolveChecklists } from "./built-in-checklists";
import { checkCompliance } from "./check-compliance";
import { loadChecklist } from "./checklist";
import { GDPR_ART28_CHECKLIST_YAML } from "./gdpr-art28-checklist";

const DPA = `DATA PROCESSING AGREEMENT

1. Scope. Annex 1 sets out the nature and purpose of the processing, the types of personal data and the categories of data subjects.

2. Instructions. The Processor shall process Personal Data only on documented instructions from the Controller, including with regard to transfers of personal data to a third country.

3. Confidentiality. The Processor shall ensure that persons authorised to process the Personal Data have committed themselves to confidentiality.

4. Security. The Processor shall implement appropriate technical and organisational measures in accordance with Article 32 GDPR.

5. Sub-processors. The Processor may engage sub-processors without the prior consent of the Controller.

6. Breach. The Processor shall notify the Controller without undue delay after becoming aware of a Personal Data Breach.

7. Deletion. At the end of the provision of services the Processor shall delete or return all personal data to the Controller.

8. Records. The Processor shall keep records of processing.
`;

describe("GDPR Art. 28 checklist", () => {
  const checklist = loadChecklist(GDPR_ART28_CHECKLIST_YAML);
  const result = checkCompliance(DPA, checklist);
  const status = Object.fromEntries(result.results.map((r) => [r.id, r.status]));

  it("marks what the processing agreement provides as met, citing the sentence", () => {
    expect(status["art28-3-scope"]).toBe("met");
    expect(status["art28-3-a"]).toBe("met");
    expect(status["art28-3-b"]).toBe("met");
    expect(status["art28-3-c"]).toBe("met");
    expect(status["art33-breach-notice"]).toBe("met");
    expect(status["art28-3-g"]).toBe("met");
    expect(result.results.find((r) => r.id === "art28-3-a")?.citations[0]?.quote).toContain("only on documented instructions");
  });

  it("marks sub-processing without consent as contradicted, records without audits as unclear, assistance as missing", () => {
    expect(status["art28-2-subprocessors"]).toBe("contradicted");
    expect(status["art28-3-h-audit"]).toBe("unclear");
    expect(status["art28-3-e"]).toBe("missing");
    expect(result.results.find((r) => r.id === "art28-3-e")).toMatchObject({ citations: [], fix: expect.stringContaining("data subjects") });
    expect(result.counts.met + result.counts.contradicted + result.counts.unclear + result.counts.missing).toBe(checklist.requirements.length);
  });

  it("cites exact offsets", () => {
    for (const r of result.results) for (const c of r.citations) expect(DPA.slice(c.start, c.end)).toBe(c.quote);
  });

  it("refuses a checklist with an invalid regex or no requirements, naming the path", () => {
    expect(() => loadChecklist("name: x\nrequirements: []")).toThrow(ChecklistError);
    expect(() => loadChecklist('name: x\nrequirements:\n  - { id: a, title: A, evidence: ["(bad"] }')).toThrow(/requirements\[0\]\.evidence\[0\]/);
  });
});

describe("resolveChecklists", () => {
  it("runs GDPR Art. 28 automatically only when the contract mentions personal data", () => {
    expect(resolveChecklists(DPA, "auto").map((c) => c.name)).toEqual(["GDPR Art. 28 processor agreement"]);
    expect(resolveChecklists("1. Price. The price is $5.", "auto")).toEqual([]);
  });

  it("takes a list as given: built-in names, YAML, and [] for none", () => {
    expect(resolveChecklists(DPA, [])).toEqual([]);
    expect(resolveChecklists("", ["gdpr_art28"])[0]).toBe(BUILT_IN_CHECKLISTS["gdpr_art28"]!());
    expect(resolveChecklists("", ['name: mine\nrequirements:\n  - { id: a, title: A, evidence: ["x"] }'])[0]?.name).toBe("mine");
  });
});
