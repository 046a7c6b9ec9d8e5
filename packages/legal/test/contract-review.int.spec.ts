// End to end, no model: review a real contract from the public CUAD dev split and check the report
// against the lawyers' labels, and that every citation's offsets slice to its quoted text.
import { describe, expect, it } from "@jest/globals";
import { renderReport } from "../src/report/render-report";
import { reviewContract } from "../src/report/review-contract";
import { allCitations, cuadContract, cuadRows } from "./fixtures";

const overlaps = (a: { start: number; end: number }, b: { start: number; end: number }) => a.start < b.end && b.start < a.end;

describe("reviewContract on a real hosting agreement, with no model", () => {
  const { file, text } = cuadContract("AMERICASSHOPPINGMALL");
  const gold = cuadRows(file);
  const goldSpans = (category: string) => gold.find((r) => r.category.toLowerCase() === category.toLowerCase())!.spans;
  const reviewed = reviewContract(text, { now: new Date("2026-01-01T00:00:00Z"), documentName: file, model: false });

  it("summarises parties, law and dates as the CUAD annotators did", async () => {
    const report = await reviewed;
    expect(report.method).toBe("rules");
    expect(report.keyTerms.parties.map((p) => [p.name, p.role])).toEqual([
      ["Hanover Direct, Inc.", "HDI"],
      ["Deerskin Companies, Inc.", "Company"],
    ]);
    // CUAD: Agreement Date 8/9/99, Governing Law New York, Renewal "successive 1 year", notice 90 days.
    expect(report.summary.agreementDate).toBe("1999-08-09");
    expect(report.summary.governingLaw).toBe("New York");
    expect(report.keyTerms.renewal?.automatic).toBe(true);
    expect(report.keyTerms.renewal?.period?.duration).toMatchObject({ value: 1, unit: "year" });
    expect(report.keyTerms.renewal?.noticeToTerminate?.duration).toMatchObject({ value: 90, unit: "day" });
  });

  it("maps clauses onto the spans the lawyers labelled", async () => {
    const report = await reviewed;
    for (const category of ["Governing Law", "Renewal Term", "Notice Period to Terminate Renewal"]) {
      const evidence = report.clauses.flatMap((c) => c.labels.filter((l) => l.category === category).flatMap((l) => l.evidence.map((e) => e.span)));
      expect({ category, hit: evidence.some((e) => goldSpans(category).some((g) => overlaps(e, g))) }).toEqual({ category, hit: true });
    }
  });

  it("raises playbook findings that each cite the contract, most severe first", async () => {
    const report = await reviewed;
    expect(report.risks.length).toBeGreaterThan(0);
    const severities = report.risks.map((r) => r.severity);
    const order = ["critical", "high", "medium", "low", "info"];
    expect([...severities].sort((a, b) => order.indexOf(a) - order.indexOf(b))).toEqual(severities);
    for (const r of report.risks) {
      expect(r.fix.length).toBeGreaterThan(10);
      if (!r.absent) expect(r.citations.length).toBeGreaterThan(0);
    }
  });

  it("validates its own citations, and every one slices the text exactly", async () => {
    const report = await reviewed;
    expect(report.citations).toMatchObject({ valid: true, problems: [] });
    const cites = allCitations({ ...report, citations: undefined });
    expect(cites.length).toBe(report.citations.checked);
    expect(cites.length).toBeGreaterThan(100);
    for (const c of cites) expect(text.slice(c.start, c.end)).toBe(c.quote);
  });

  it("renders the same review for people as Markdown and HTML", async () => {
    const report = await reviewed;
    const md = renderReport(report, "markdown");
    for (const heading of ["## Summary", "## Key terms", "## Clause map", "## Risks by severity"]) expect(md).toContain(heading);
    expect(md).toContain("Hanover Direct, Inc.");
    const html = renderReport(report, "html");
    expect(html).toContain("<h2>Clause map</h2>");
    expect(html).toContain("Governing Law");
  });
});
