import { describe, expect, it } from "@jest/globals";
import { ReportFormatError } from "../errors";
import { reviewContract } from "./review-contract";
import { escapeMarkdown, renderReport, type ReportFormat } from "./render-report";
import { expiryText } from "./build-report";

const HOSTILE = `<script>alert("x")</script> SERVICES AGREEMENT

This Agreement is made as of January 2, 2025 between Evil <b>Corp</b> & Co., a Delaware corporation ("Vendor<img src=x onerror=alert(1)>"), and Good | Table * Inc. ("Client").

1. Assignment. Vendor may assign this Agreement without the consent of Client. <iframe src="javascript:alert(1)"></iframe>

2. Law. This Agreement is governed by the laws of the State of Texas.
`;

describe("renderReport", () => {
  it("escapes every piece of document text in HTML", async () => {
    const report = await reviewContract(HOSTILE, { now: new Date("2025-01-01T00:00:00Z") });
    const html = renderReport(report, "html");
    expect(html).not.toMatch(/<script|<img|<iframe|<b>Corp/i);
    expect(html).toContain("Evil &lt;b&gt;Corp&lt;/b&gt; &amp; Co.");
    expect(html).toContain("&lt;iframe");
    expect(html.startsWith("<!DOCTYPE html>")).toBe(true);
  });

  it("escapes document text in Markdown so it cannot break tables or inject HTML", async () => {
    const report = await reviewContract(HOSTILE);
    const md = renderReport(report, "markdown");
    // Every "<" is backslash-escaped, which Markdown renders as a literal "<": no tag can open.
    expect(md).not.toMatch(/(?<!\\)<(?:script|img|iframe)/);
    expect(md).toContain("\\<script\\>");
    expect(md).toContain("Good \\| Table \\* Inc.");
    for (const line of md.split("\n").filter((l) => l.startsWith("| ") && !l.startsWith("|---"))) {
      // Every table row keeps its column count: unescaped pipes only at cell borders.
      const cells = line.replace(/\\\|/g, "").split("|").length;
      expect(cells).toBeGreaterThanOrEqual(4);
    }
    expect(md).toContain("## Risks by severity");
  });

  it("escapes per format: an ampersand reads as itself in Markdown, as &amp; in HTML, untouched in JSON", async () => {
    const text = `SUPPLY AGREEMENT

This Supply Agreement is made as of May 4, 2022 between Tolland Bros. & Sons, Inc. ("Seller") and Pike & Vane LLC ("Buyer").

1. Law. This Agreement is governed by the laws of the State of Ohio.
`;
    const report = await reviewContract(text);
    const md = renderReport(report, "markdown");
    expect(md).toContain("Pike & Vane LLC");
    expect(md).not.toContain("&amp;");
    expect(renderReport(report, "html")).toContain("Pike &amp; Vane LLC");
    expect(renderReport(report, "json")).toContain("Pike & Vane LLC");
    // An ampersand that would read as a character reference is escaped, so "&lt;" in a document stays literal.
    expect(escapeMarkdown("R&D &lt;b&gt; <i>")).toBe("R&D \\&lt;b\\&gt; \\<i\\>");
  });

  it("renders JSON losslessly and refuses unknown formats", async () => {
    const report = await reviewContract(HOSTILE);
    expect(JSON.parse(renderReport(report, "json"))).toEqual(JSON.parse(JSON.stringify(report)));
    expect(() => renderReport(report, "pdf" as ReportFormat)).toThrow(ReportFormatError);
  });

  it("says a contract that runs until terminated has no fixed expiry, in the summary and the key terms", async () => {
    const text = `SERVICES AGREEMENT

This Services Agreement is made as of March 1, 2021 between Acme Widgets LLC ("Client") and Jordan Lee ("Consultant").

1. Term. This Agreement commences on the date above and shall continue in full force and effect until terminated by either party on thirty (30) days' written notice.
`;
    const report = await reviewContract(text);
    expect(report.summary.expirationDate).toBe("no fixed expiry (perpetual)");
    expect(renderReport(report, "markdown")).toMatch(/Expiration date \| no fixed expiry \(perpetual\)/);
  });

  it("marks the end of the initial term of a contract that renews automatically", () => {
    const span = { start: 0, end: 4, quote: "Term" };
    const renewal = { automatic: true, span };
    expect(expiryText({ iso: "2026-03-01", derivation: "computed", span }, renewal)).toBe("2026-03-01 (end of the initial term; renews automatically)");
    expect(expiryText({ iso: "2026-03-01", derivation: "computed", span }, { ...renewal, automatic: false })).toBe("2026-03-01");
    expect(expiryText({ derivation: "stated", note: "perpetual", span }, undefined)).toBe("no fixed expiry (perpetual)");
    expect(expiryText(undefined, renewal)).toBeUndefined();
  });
});
