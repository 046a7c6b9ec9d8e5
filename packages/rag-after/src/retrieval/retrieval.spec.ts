import { describe, expect, it } from "@jest/globals";
import fc from "fast-check";
import { findTermSpans, queryTerms, snippetOf } from "./highlight";
import { reciprocalRankFusion } from "./reciprocal-rank-fusion";

describe("reciprocalRankFusion", () => {
  it("puts an item ranked well in both lists above items ranked first in only one", () => {
    const fused = reciprocalRankFusion([["a", "b", "c"], ["d", "b", "a"]], (x) => x);
    expect(fused.map((f) => f.item).slice(0, 2)).toEqual(["a", "b"]);
    expect(fused).toHaveLength(4);
  });

  it("never loses or duplicates an item", () => {
    fc.assert(
      fc.property(fc.array(fc.uniqueArray(fc.integer({ min: 0, max: 30 }), { maxLength: 20 }), { maxLength: 4 }), (lists) => {
        const fused = reciprocalRankFusion(lists, String);
        expect(new Set(fused.map((f) => f.item))).toEqual(new Set(lists.flat()));
        expect(fused.length).toBe(new Set(lists.flat()).size);
      }),
    );
  });
});

describe("highlighting", () => {
  it("finds query terms and their inflections, ignoring stop words", () => {
    expect(queryTerms("How much notice is needed to terminate?")).toEqual(["much", "notice", "needed", "terminate"]);
    const text = "Either party may terminate on notice. Termination is effective at once.";
    const spans = findTermSpans(text, ["terminate", "notice"]).map((s) => text.slice(s.start, s.end));
    expect(spans).toEqual(["terminate", "notice", "Termination"]);
    expect(snippetOf(text, findTermSpans(text, ["notice"]))).toContain("**notice**");
  });
});
