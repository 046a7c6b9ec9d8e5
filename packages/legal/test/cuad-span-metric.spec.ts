// CUAD's own scoring (train/cuad-span-metric.ts), set beside our sentence-level P@80%R in the README:
// word-set Jaccard >= 0.5 to match, one hit per gold span, runs of sentences as predictions.
import { describe, expect, it } from "@jest/globals";
import fc from "fast-check";
import { CUAD_CATEGORIES, type CuadCategory } from "../src/index";
import { cuadSpanMetrics, cuadWords, jaccard, type SpanScoringData } from "../train/cuad-span-metric";

const C = CUAD_CATEGORIES.length;
const LAW = CUAD_CATEGORIES.indexOf("Governing Law");
const CAP = CUAD_CATEGORIES.indexOf("Cap on Liability");

// One invented contract of four sentences in two clauses.
const sentences = ["This Agreement is governed by the laws of Oregon.", "Venue lies in Portland.", "Liability is capped at the fees paid.", "Nothing limits liability for fraud."];
const text = sentences.join(" ");
const starts = Int32Array.from(sentences, (_, k) => sentences.slice(0, k).join(" ").length + (k > 0 ? 1 : 0));
const ends = Int32Array.from(starts, (s, k) => s + sentences[k]!.length);

function data(gold: Map<CuadCategory, { start: number; end: number }[][]>): SpanScoringData {
  return { categories: CUAD_CATEGORIES, size: 4, contractOf: new Int32Array(4), clauseOf: Int32Array.from([0, 0, 1, 1]), starts, ends, contracts: [{ text, gold }] };
}
const scores = (cells: [number, number, number][]) => {
  const p = new Float32Array(4 * C);
  for (const [i, c, v] of cells) p[i * C + c] = v;
  return p;
};
const span = (k: number) => [{ start: starts[k]!, end: ends[k]! }];

describe("CUAD-style span scoring", () => {
  it("normalises words as CUAD's evaluate.py does", () => {
    expect([...cuadWords("Laws of the State of N.Y.; Section 2/3, hereof:")]).toEqual(["laws", "of", "the", "state", "ny", "section", "2", "3", "hereof"]);
  });

  it("scores a perfect ranking 1 and counts a question without an answer as false positives", () => {
    const gold = new Map<CuadCategory, { start: number; end: number }[][]>([["Governing Law", [span(0)]]]);
    expect(cuadSpanMetrics(data(gold), scores([[0, LAW, 0.9]]), [LAW]).precisionAt80Recall).toBe(1);
    // A confident Cap on Liability prediction where the contract has none halves precision.
    expect(cuadSpanMetrics(data(gold), scores([[0, LAW, 0.9], [2, CAP, 0.9]]), [LAW, CAP]).precisionAt80Recall).toBe(0.5);
  });

  it("needs Jaccard >= 0.5, not mere overlap, and merges a clause's consecutive sentences into one run", () => {
    const short = new Map<CuadCategory, { start: number; end: number }[][]>([["Governing Law", [[{ start: starts[0]! + 30, end: ends[0]! }]]]]);
    expect(cuadSpanMetrics(data(short), scores([[0, LAW, 0.9]]), [LAW]).precisionAt80Recall).toBe(0);
    const wide = new Map<CuadCategory, { start: number; end: number }[][]>([["Cap on Liability", [[{ start: starts[2]!, end: ends[3]! }]]]]);
    expect(cuadSpanMetrics(data(wide), scores([[2, CAP, 0.9], [3, CAP, 0.8]]), [CAP], "run").precisionAt80Recall).toBe(1);
    // Alone, the longer sentence still matches (7 of 11 words) and the shorter one is a false positive.
    expect(cuadSpanMetrics(data(wide), scores([[2, CAP, 0.9], [3, CAP, 0.9]]), [CAP], "sentence").precisionAt80Recall).toBe(0.5);
  });

  it("Jaccard is symmetric and in [0, 1]; figures stay in [0, 1] for any scores", () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom("a", "b", "c", "d")), fc.array(fc.constantFrom("a", "b", "c", "e")), (x, y) => {
        const j = jaccard(new Set(x), new Set(y));
        expect(j).toBe(jaccard(new Set(y), new Set(x)));
        expect(j).toBeGreaterThanOrEqual(0);
        expect(j).toBeLessThanOrEqual(1);
      }),
    );
    const gold = new Map<CuadCategory, { start: number; end: number }[][]>([["Governing Law", [span(0)]], ["Cap on Liability", [span(2)]]]);
    fc.assert(
      fc.property(fc.array(fc.float({ min: 0, max: 1, noNaN: true }), { minLength: 8, maxLength: 8 }), (v) => {
        const p = scores([0, 1, 2, 3].flatMap((i) => [[i, LAW, v[i]!] as [number, number, number], [i, CAP, v[4 + i]!] as [number, number, number]]));
        const m = cuadSpanMetrics(data(gold), p, [LAW, CAP]);
        for (const x of [m.precisionAt80Recall, m.precisionAt90Recall, m.aupr]) {
          expect(x).toBeGreaterThanOrEqual(0);
          expect(x).toBeLessThanOrEqual(1);
        }
      }),
    );
  });
});
