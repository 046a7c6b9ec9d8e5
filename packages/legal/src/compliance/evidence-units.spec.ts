import { describe, expect, it } from "@jest/globals";
import { ContractDocument } from "../text/contract-document";
import { checkRequirement } from "./check-compliance";
import { loadChecklist } from "./checklist";
import { evidenceUnits } from "./evidence-units";

// List layouts as NDAs write them (ContractNLI dev fold).
const EXCLUSIONS = `2. Confidential Information.

Proprietary Information shall not include information that:
(i) is or becomes generally available to the public other than as a result of a disclosure by Receiving Party;
(ii) is or becomes known to Receiving Party on a non-confidential basis from a source other than Disclosing Party;
(iii) is independently developed by Receiving Party.

3. Use. Receiving Party shall use the Proprietary Information solely for the Purpose.`;

const PERMITTED = `4. Disclosure.

Each party may disclose the Confidential Information of the other party:
4.1.1 to the extent required by law;
4.1.2 to its employees, professional advisors, authorised representatives or sub contractors to the extent that disclosure is necessary for the Purpose;

5. Term. This Agreement ends after two years.`;

const OPEN_LEAD_IN = `The term "Confidential Information" does not include information

(i) which is or becomes generally available to the public, or

(ii) which is received from a third party without restriction.`;

describe("evidenceUnits", () => {
  it("gives each list item the lead-in that announces the list", () => {
    const units = evidenceUnits(new ContractDocument(EXCLUSIONS));
    const item = units.find((u) => u.sentence.quote.startsWith("(ii)"));
    expect(item?.leadIn?.quote).toBe("Proprietary Information shall not include information that:");
    expect(item?.text).toBe(`${item?.leadIn?.quote} ${item?.sentence.quote}`);
    // Sentences outside a list stand alone.
    expect(units.find((u) => u.sentence.quote.startsWith("3. Use"))?.leadIn).toBeUndefined();
  });

  it("takes a lead-in that ends without punctuation", () => {
    const item = evidenceUnits(new ContractDocument(OPEN_LEAD_IN)).find((u) => u.sentence.quote.startsWith("(ii)"));
    expect(item?.leadIn?.quote).toBe('The term "Confidential Information" does not include information');
  });

  it("does not take an earlier item that ends with a semicolon for a lead-in", () => {
    const item = evidenceUnits(new ContractDocument(EXCLUSIONS)).find((u) => u.sentence.quote.startsWith("(iii)"));
    expect(item?.leadIn?.quote).toBe("Proprietary Information shall not include information that:");
  });

  it("is computed once per document", () => {
    const doc = new ContractDocument(EXCLUSIONS);
    expect(evidenceUnits(doc)).toBe(evidenceUnits(doc));
  });
});

describe("checkRequirement on list items", () => {
  const checklist = loadChecklist(`
name: t
requirements:
  - id: advisers
    title: May share with advisers
    evidence:
      - ["may\\\\s+disclose", "advis[eo]rs"]
  - id: third-party
    title: Third-party information excluded
    evidence:
      - "non-confidential\\\\s+basis"
`);
  const [advisers, thirdParty] = checklist.requirements as [(typeof checklist.requirements)[0], (typeof checklist.requirements)[0]];

  it("meets a requirement that only the lead-in and the item say together, and cites both", () => {
    const result = checkRequirement(new ContractDocument(PERMITTED), advisers);
    expect(result.status).toBe("met");
    expect(result.citations.map((c) => c.quote)).toEqual([
      "Each party may disclose the Confidential Information of the other party:",
      "4.1.2 to its employees, professional advisors, authorised representatives or sub contractors to the extent that disclosure is necessary for the Purpose;",
    ]);
  });

  it("cites an item that matches on its own with its lead-in", () => {
    const result = checkRequirement(new ContractDocument(EXCLUSIONS), thirdParty);
    expect(result.citations.map((c) => c.quote.slice(0, 20))).toEqual(["Proprietary Informat", "(ii) is or becomes k"]);
    for (const c of result.citations) expect(EXCLUSIONS.slice(c.start, c.end)).toBe(c.quote);
  });

  it("does not join a sentence to an unrelated list", () => {
    expect(checkRequirement(new ContractDocument("Each party may disclose the Confidential Information of the other party. Advisors are bound by this Agreement."), advisers).status).toBe("missing");
  });
});
