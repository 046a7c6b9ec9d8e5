import { describe, expect, it } from "@jest/globals";
import { classifyClauses } from "../classification/classify-clauses";
import { extractKeyTerms } from "../extraction/extract-key-terms";
import { renderReport } from "../report/render-report";
import { reviewContract } from "../report/review-contract";
import { assessRisk } from "./assess-risk";
import { DEFAULT_PLAYBOOK_YAML } from "./default-playbook";
import { loadPlaybook } from "./playbook";

const ADDENDUM = `SUPPORT ADDENDUM

This Support Addendum is entered into by Quillmark Systems, Inc. ("Vendor") and Harrowgate Credit Union ("Client").

1. Support. Vendor shall answer Client's support calls within four business hours.

2. Master Terms. The terms and conditions of the Master Services Agreement between Vendor and Client dated June 1, 2019 are incorporated by reference into this Addendum.

3. Fees. Client shall pay Vendor a monthly fee of $900.
`;
const SENTENCE = "The terms and conditions of the Master Services Agreement between Vendor and Client dated June 1, 2019 are incorporated by reference into this Addendum.";

async function risks(text: string) {
  return assessRisk({ text, keyTerms: extractKeyTerms(text), classification: await classifyClauses(text, { model: false }) }, loadPlaybook(DEFAULT_PLAYBOOK_YAML));
}

describe("a missing term when another agreement's terms are incorporated by reference", () => {
  it("notes on each absence the sentence that brings the other terms in", async () => {
    const found = await risks(ADDENDUM);
    const cap = found.find((r) => r.title === "No cap on liability");
    expect(cap?.absent).toBe(true);
    expect(cap?.incorporatedBy?.quote).toBe(SENTENCE);
    expect(ADDENDUM.slice(cap!.incorporatedBy!.start, cap!.incorporatedBy!.end)).toBe(SENTENCE);
    for (const r of found) if (!r.absent) expect(r.incorporatedBy).toBeUndefined();
  });

  it("says so in every format", async () => {
    const report = await reviewContract(ADDENDUM, { now: new Date("2026-01-01T00:00:00Z"), model: false });
    expect(report.citations.valid).toBe(true);
    for (const format of ["markdown", "html"] as const) expect(renderReport(report, format)).toMatch(/may be in the terms incorporated by reference/);
    expect(JSON.parse(renderReport(report, "json")).risks.some((r: { incorporatedBy?: { quote: string } }) => r.incorporatedBy?.quote === SENTENCE)).toBe(true);
  });

  it("adds no note when nothing is incorporated, or only the contract's own attached exhibits", async () => {
    const plain = ADDENDUM.replace(SENTENCE, "Vendor shall keep records of each call.");
    expect((await risks(plain)).every((r) => r.incorporatedBy === undefined)).toBe(true);
    const exhibits = ADDENDUM.replace(SENTENCE, "Exhibit A attached hereto is incorporated by reference into this Addendum.");
    expect((await risks(exhibits)).every((r) => r.incorporatedBy === undefined)).toBe(true);
  });
});
