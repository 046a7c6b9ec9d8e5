import { describe, expect, it } from "@jest/globals";
import fc from "fast-check";
import { isTitleLine, titleText } from "./title-line";

describe("titleText", () => {
  // The closing run is cut by reading back from the end; the regex it replaces was quadratic on long runs.
  const NUMBERING = /^(?:\d{1,3}\s+)?(?:(?:section|article|clause)\s+)?(?:\d{1,3}(?:\.\d{1,3})*|[ivxl]{1,6}|\(?[a-z0-9]{1,3}\))\.?\s+/i;
  const byRegex = (line: string): string => line.trim().replace(NUMBERING, "").replace(/[\s.:;"”]+$/, "");
  const piece = fc.constantFrom(" ", "  ", "\t", "\n", "\u00a0", "\u2003", "\ufeff", ".", ":", ";", '"', "”", "“", ",", "a", "Audit", "9.5", "(b)", "Section", "\ud83d\ude00", "\ud83d");
  it("cuts what /[\\s.:;\"”]+$/ cut, on any string and on runs of closing characters", () => {
    fc.assert(
      fc.property(fc.oneof(fc.array(piece, { maxLength: 40 }).map((p) => p.join("")), fc.string({ maxLength: 80 }), fc.string({ maxLength: 40, unit: "binary" })), (line) => {
        expect(titleText(line)).toBe(byRegex(line));
      }),
      { numRuns: 3_000 },
    );
  });
});

// Lines quoted from contracts of the public CUAD dev half.
describe("isTitleLine", () => {
  it.each([
    ["9.5 Audit Rights.", "Audit Rights"],
    ["Section 11.2 Consequential Damages.", "Consequential Damages"],
    ["RECORD-KEEPING AND AUDITS", undefined],
    ["e) Audit Rights.", undefined],
    ["(b) Governing Law.", undefined],
    // A table of contents lists clauses without being any of them.
    ["Section 8.01 Governing Law 19 Section 8.02 Jurisdiction 19 Section 8.03 Cost and Expenses 20 Section 8.04 Assignment 20 Section 8.05 Amendments and Waivers 20", undefined],
  ])("treats %j as a title", (line, heading) => {
    expect(isTitleLine(line, heading)).toBe(true);
  });

  it.each([
    ["This Agreement shall be governed by, construed and interpreted in accordance with the laws of the State of New York, without regard to principles of conflicts of law.", undefined],
    ["8. Unless earlier terminated in accordance with this paragraph 8, this Agreement shall continue indefinitely.", undefined],
    ["January 30, 2000", undefined],
    ["1 August 2011", undefined],
  ])("keeps %j as clause text", (line, heading) => {
    expect(isTitleLine(line, heading)).toBe(false);
  });
});
