import fc from "fast-check";
import { countWholeWord } from "./whole-word-count";

/** What extractDefinedTerms counted before: a regular expression per term over the text after its definition. */
function byRegExp(text: string, term: string, from: number): number {
  const source = term.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  return [...text.slice(from).matchAll(new RegExp(`\\b${source}\\b`, "g"))].length;
}

// Words, boundaries of every kind (space, punctuation, underscore, digits, non-ASCII letters, a surrogate pair).
const piece = fc.constantFrom("Term", "term", "Terms", "A", "Co.", "Co", ".", " ", "_", "9", "-", "é", "\u00a0", "\n", "(", "”", "😀", "Term_", "aa");
const text = fc.array(piece, { maxLength: 30 }).map((p) => p.join(""));
const term = fc.constantFrom("Term", "Co.", "A", "Term Co.", "9", "Terms", "_x", "(a)", "é", "😀", "aa aa", "Co.Co.");

describe("countWholeWord", () => {
  it("counts what /\\bterm\\b/g counts over the text after `from`", () => {
    fc.assert(
      fc.property(text, term, fc.nat(40), (t, w, from) => {
        const at = Math.min(from, t.length);
        expect(countWholeWord(t, w, at)).toBe(byRegExp(t, w, at));
      }),
      { numRuns: 3000 },
    );
  });

  it("reads `from` as a boundary, as the sliced text's start was", () => {
    // "Term" right after a word character is a whole word when the count starts there
    expect(countWholeWord("xTerm Term", "Term", 1)).toBe(2);
    expect(countWholeWord("xTerm Term", "Term", 0)).toBe(1);
  });

  it("does not count overlapping uses twice", () => {
    expect(countWholeWord("aa aa aa", "aa aa")).toBe(byRegExp("aa aa aa", "aa aa", 0));
    expect(countWholeWord("Co.Co.", "Co.")).toBe(byRegExp("Co.Co.", "Co.", 0));
  });

  it("refuses an empty term", () => {
    expect(() => countWholeWord("text", "")).toThrow(RangeError);
  });
});
