// A right to terminate without cause, as a review reads it (shipped clause and key-term models when present).
import { reviewContract } from "../report/review-contract";

const CONTRACT = `CO-MARKETING AGREEMENT

This Co-Marketing Agreement (the "Agreement") is made as of March 3, 2021 (the "Effective Date") between Larkspur Tiles, Inc., a Nevada corporation ("Larkspur"), and Ommel Paints LLC, a Utah limited liability company ("Ommel").

1. Services. Ommel shall promote the products of Larkspur in its stores and on its website, and Larkspur shall supply display materials at its own cost.

2. Fees. Larkspur shall pay Ommel a fee of five percent (5%) of net sales made through Ommel's stores, payable monthly within thirty (30) days of each invoice.

3. Termination. Either party may terminate this agreement after 4 years following the effective date. In addition, either party may terminate this Agreement if the other party commits a material breach which is not cured within thirty (30) days after written notice.

4. Confidentiality. Each party shall keep the other party's confidential information secret and use it only for this Agreement.

5. Governing Law. This Agreement shall be governed by the laws of the State of Oregon.

IN WITNESS WHEREOF, the parties have signed this Agreement as of the Effective Date.
`;

describe("a right to terminate after some years, without cause", () => {
  it.each([true, false])("is a termination for convenience, not an expiry (model %s)", async (model) => {
    const report = await reviewContract(CONTRACT, { now: new Date("2026-01-01T00:00:00Z"), ...(model ? {} : { model: false as const }) });
    expect(report.risks.map((r) => r.title)).not.toContain("No termination for convenience");
    const right = CONTRACT.indexOf("Either party may terminate this agreement after 4 years");
    const tfc = report.clauses.flatMap((c) => c.labels.filter((l) => l.category === "Termination for Convenience").flatMap((l) => l.evidence.map((e) => e.span.start)));
    expect(tfc).toContain(right);
    // The text sets no end date: 4 years from the Effective Date is when a right begins, not when the agreement ends.
    expect(report.keyTerms.keyDates.expiration?.iso).not.toBe("2025-03-03");
  });
});
