import { describe, expect, it } from "@jest/globals";
import fc from "fast-check";
import { allCitations, cuadContract, servicesAgreement } from "../../test/fixtures";
import { extractKeyTerms } from "./extract-key-terms";

describe("extractKeyTerms on a written services agreement", () => {
  const text = servicesAgreement();
  const kt = extractKeyTerms(text);

  it("finds both parties with their defined roles, cutting off the descriptors", () => {
    expect(kt.parties.map((p) => [p.name, p.role])).toEqual([
      ["Northwind Analytics, Inc.", "Provider"],
      ["Blue Harbor Logistics Ltd.", "Customer"],
    ]);
  });

  it("normalises the effective date and computes the expiry from a two-year initial term", () => {
    expect(kt.keyDates.effective).toMatchObject({ iso: "2024-03-05", derivation: "stated" });
    expect(kt.keyDates.effective?.span.quote).toBe("the 5th day of March, 2024");
    expect(kt.keyDates.expiration).toMatchObject({ iso: "2026-03-05", derivation: "computed", note: "Effective Date + 2 years" });
  });

  it("resolves 'the later of (i) … and (ii) …' to the later date", () => {
    const later = kt.dates.find((d) => d.derivedFrom === "later_of");
    expect(later).toMatchObject({ iso: "2024-09-01" });
    expect(later?.span.quote).toBe("the later of (i) June 30, 2024 and (ii) September 1, 2024");
  });

  it("reads periods written in words and figures, ranges included, and tells notice from term", () => {
    const byQuote = Object.fromEntries(kt.periods.map((p) => [p.span.quote, p]));
    expect(byQuote["thirty (30) days"]).toMatchObject({ kind: "notice", duration: { value: 30, unit: "day" } });
    expect(byQuote["two (2) years"]).toMatchObject({ kind: "term", duration: { value: 2, unit: "year" } });
    expect(byQuote["fifteen (15) to thirty (30) days"]).toMatchObject({ kind: "cure", duration: { value: 15, maxValue: 30 } });
    expect(byQuote["forty-five days"]?.duration.value).toBe(45);
    expect(byQuote["ten (10) business days"]?.duration.unit).toBe("business_day");
  });

  it("describes the renewal: automatic, one year, sixty days' notice to stop it", () => {
    expect(kt.renewal?.automatic).toBe(true);
    expect(kt.renewal?.period?.duration).toMatchObject({ value: 1, unit: "year" });
    expect(kt.renewal?.noticeToTerminate?.span.quote).toBe("sixty (60) days");
  });

  it("normalises money in words with figures, foreign currencies and percentages", () => {
    expect(kt.amounts.map((a) => [a.amount, a.currency])).toEqual([
      [125_000, "USD"],
      [10_000, "EUR"],
    ]);
    expect(kt.amounts[0]?.span.quote).toBe("One Hundred Twenty-Five Thousand Dollars ($125,000)");
    expect(kt.percentages.map((p) => p.value)).toEqual([5, 1.5]);
  });

  it("finds the governing law and the exclusive forum", () => {
    expect(kt.governingLaw.map((g) => g.law)).toEqual(["New York"]);
    expect(kt.jurisdiction[0]).toMatchObject({ forum: "New York County", exclusive: true, kind: "courts" });
  });

  it("lists defined terms where they are defined, and cross-references with their targets", () => {
    const services = kt.definedTerms.find((d) => d.term === "Services");
    expect(services?.definition.quote).toBe('1.1 "Services" means the data analytics services described in Exhibit A.');
    expect(kt.definedTerms.map((d) => d.term)).toEqual(expect.arrayContaining(["Effective Date", "Provider", "Customer", "Fees", "Initial Term"]));
    const refs = kt.crossReferences.map((r) => `${r.kind} ${r.target}`);
    expect(refs).toEqual(expect.arrayContaining(["section 12.3(b)", "section 4.1", "exhibit A", "schedule 2"]));
    // 4.1 exists in this contract, 12.3 does not.
    expect(kt.crossReferences.find((r) => r.target === "4.1")?.resolvedClause).toBeDefined();
    expect(kt.crossReferences.find((r) => r.target === "12.3(b)")?.resolvedClause).toBeUndefined();
  });

  it("reads the signature blocks", () => {
    expect(kt.signatories).toEqual([
      expect.objectContaining({ name: "Maria Delgado", title: "Chief Executive Officer", party: "Northwind Analytics, Inc." }),
      expect.objectContaining({ name: "Thomas Reed", title: "Managing Director", party: "Blue Harbor Logistics Ltd." }),
    ]);
  });

  it("gives offsets that slice exactly to every quoted text", () => {
    const cites = allCitations(kt);
    expect(cites.length).toBeGreaterThan(40);
    for (const c of cites) expect(text.slice(c.start, c.end)).toBe(c.quote);
  });
});

describe("extractKeyTerms on real EDGAR contracts (CUAD dev split)", () => {
  it("reads the run-together preamble of a development agreement", () => {
    const { text } = cuadContract("ConformisInc");
    const kt = extractKeyTerms(text);
    expect(kt.parties.map((p) => p.role)).toEqual(["Stryker", "Conformis"]);
    expect(kt.parties[0]?.name).toBe("Howmedica Osteonics Corp.");
    expect(kt.keyDates.effective?.iso).toBe("2019-09-30");
    expect(kt.signatories.map((s) => s.name)).toEqual(expect.arrayContaining(["Spencer Stiles", "Mark A. Augusti"]));
  });

  it("reads '(1) … ; and (2) …' party lists and English dates", () => {
    const { text } = cuadContract("BICYCLETHERAPEUTICS");
    const kt = extractKeyTerms(text);
    expect(kt.parties[0]?.name).toBe("BICYCLETX LIMITED");
    expect(kt.parties[0]?.role).toBe("Company");
    expect(kt.keyDates.agreement?.iso).toBe("2019-09-26");
    expect(kt.governingLaw[0]?.law).toBe("England and Wales");
  });

  it("finds automatic renewal with its notice window in a hosting agreement", () => {
    const { text } = cuadContract("AMERICASSHOPPINGMALL");
    const kt = extractKeyTerms(text);
    expect(kt.renewal?.automatic).toBe(true);
    expect(kt.renewal?.noticeToTerminate?.duration).toMatchObject({ value: 90, unit: "day" });
    expect(kt.governingLaw[0]?.law).toBe("New York");
  });

  it("keeps every offset exact when arbitrary text is put in front of a contract", () => {
    const { text } = cuadContract("CYBERIANOUTPOST");
    const body = text.slice(0, 6000);
    fc.assert(
      fc.property(fc.string({ maxLength: 40 }), (prefix) => {
        const doc = prefix + body;
        for (const c of allCitations(extractKeyTerms(doc))) expect(doc.slice(c.start, c.end)).toBe(c.quote);
      }),
      { numRuns: 25 },
    );
  });
});
