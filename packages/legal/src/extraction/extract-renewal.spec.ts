import { describe, expect, it } from "@jest/globals";
import fc from "fast-check";
import { toNumberWords } from "../parsing/number-words";
import { ContractDocument } from "../text/contract-document";
import { extractPeriods } from "./extract-periods";
import { extractRenewal } from "./extract-renewal";

function renewalOf(text: string) {
  const doc = new ContractDocument(text);
  return extractRenewal(doc, extractPeriods(doc));
}
const summary = (text: string) => {
  const r = renewalOf(text);
  return r && { automatic: r.automatic, period: r.period && [r.period.duration.value, r.period.duration.unit], notice: r.noticeToTerminate && [r.noticeToTerminate.duration.value, r.noticeToTerminate.duration.unit] };
};

// Renewal sentences as EDGAR contracts write them (most from the CUAD dev half).
describe("extractRenewal", () => {
  it.each([
    [
      "Unless either party gives written notice of termination of this Agreement at least 60 days prior to the end of the Initial Term, or any successive three-year term, this Agreement shall automatically renew for successive additional three-year terms.",
      { automatic: true, period: [3, "year"], notice: [60, "day"] },
    ],
    [
      'This Agreement will automatically renew for up to two (2) renewal terms of five (5) years each (each, an "Extension Period") unless either Party provides the other Party with written notice of its intent to terminate this Agreement at least six (6) months prior to the end of the Initial Term or the then current Extension Period.',
      { automatic: true, period: [5, "year"], notice: [6, "month"] },
    ],
    [
      "This Agreement shall renew automatically for successive one (1) year periods unless either party gives notice at least ninety (90) days prior to the end of the then-current term.",
      { automatic: true, period: [1, "year"], notice: [90, "day"] },
    ],
    [
      "After the Initial Term, this Agreement shall continue on a month to month basis until terminated by either party upon thirty (30) days prior written notice to the other setting forth the effective date of such termination.",
      { automatic: true, period: [1, "month"], notice: [30, "day"] },
    ],
    [
      "This Agreement shall continue until January 18, 2022, and thereafter shall continue automatically for successive annual periods ending on January 18th of each year, provided such continuance is specifically approved at least annually by the Fund's Board of Trustees.",
      { automatic: true, period: [1, "year"], notice: undefined },
    ],
    [
      "This Agreement shall continue in effect for a period of one year from the date of its execution and from year to year thereafter provided such continuance is specifically approved by a majority of the trustees.",
      { automatic: true, period: [1, "year"], notice: undefined },
    ],
    [
      "mPhase shall have the right to annually renew this agreement for a period of one year upon each annual expiration with the written consent of Lucent, which written consent shall not be unreasonably withheld.",
      { automatic: false, period: [1, "year"], notice: undefined },
    ],
    // "like periods": the renewal period is the initial term.
    [
      "The initial term of this Agreement is two (2) years and it shall be renewed automatically for like periods unless either party gives written notice of non-renewal not less than sixty (60) days before the anniversary date.",
      { automatic: true, period: [2, "year"], notice: [60, "day"] },
    ],
  ])("reads %j", (text, expected) => {
    expect(summary(text)).toEqual(expected);
  });

  it("reads an evergreen clause: the notice to stop it, and no period of its own", () => {
    const text =
      "This Agreement shall commence on the Effective Date and continue in full force and effect until the end of the fifteenth (15th) Contract Year, and shall continue in full force and effect thereafter until terminated by either Party by providing thirty (30) calendar days' prior written notice of termination to the other Party.";
    expect(summary(text)).toEqual({ automatic: true, period: undefined, notice: [30, "day"] });
  });

  it("takes the notice window from the next sentence when it speaks of non-renewal", () => {
    const text = "This Agreement shall automatically renew for successive one-year terms. Either party may elect not to renew this Agreement by written notice given at least forty-five (45) days before the expiration of the then-current term.";
    const r = renewalOf(text);
    expect(r?.noticeToTerminate?.span.quote).toBe("forty-five (45) days");
    expect(r?.span.quote).toBe(text);
  });

  it("prefers the renewal clause to a definition that only points at it", () => {
    const text =
      "1.41 RENEWAL TERM shall have the meaning ascribed thereto in Section 11.1 [AUTOMATIC RENEWAL].\n\n11.1 This Agreement will automatically renew at the end of the Initial Term or a subsequent renewal term on a year to year basis (each, a \"Renewal Term\"), unless either Party notifies the other at least 30 days prior to the end of the Initial Term or then current Renewal Term, as applicable, of its intention not to renew this Agreement.";
    const r = renewalOf(text);
    expect(r?.span.quote.startsWith("11.1 This Agreement will automatically renew")).toBe(true);
    expect(r?.period?.span.quote).toBe("year to year");
    expect(r?.noticeToTerminate?.duration).toMatchObject({ value: 30, unit: "day" });
  });

  it.each([
    '1.41 RENEWAL TERM shall have the meaning ascribed thereto in Section 11.1 [AUTOMATIC RENEWAL].',
    'Section 1.10 "Agreement Quarter" means the Initial Agreement Quarter, each successive period of three months during the Term after the Initial Agreement Quarter and the Final Agreement Quarter.',
    "The Licensee shall renew its insurance policies annually and deliver certificates to the Licensor.",
    "Either party may terminate this Agreement upon thirty (30) days' prior written notice.",
  ])("finds no renewal in %j", (text) => {
    expect(renewalOf(text)).toBeUndefined();
  });

  it("reads any renewal period and notice written in words and figures", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 10 }), fc.constantFrom("year", "month"), fc.integer({ min: 10, max: 180 }), (n, unit, days) => {
        const text = `This Agreement shall automatically renew for successive ${toNumberWords(n)} (${n}) ${unit} periods unless either party gives written notice of non-renewal at least ${toNumberWords(days)} (${days}) days prior to the end of the then-current term.`;
        expect(summary(text)).toEqual({ automatic: true, period: [n, unit], notice: [days, "day"] });
      }),
      { numRuns: 60 },
    );
  });
});
