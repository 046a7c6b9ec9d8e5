import fc from "fast-check";
import { hasSurrogates } from "./char-classes";
import { AsciiWordSet, forgetTextRuns, textRuns } from "./text-runs";

describe("textRuns", () => {
  afterEach(() => forgetTextRuns());

  it("keeps the two texts last read: a scan's text and the organisation recognizer's copy do not push each other out", () => {
    const text = "ACME CORP.     BETA LLC 123";
    const copy = "ACME CORP.\n    BETA LLC 123";
    const runs = textRuns(text);
    const copyRuns = textRuns(copy);
    expect(textRuns(text)).toBe(runs);
    expect(textRuns(copy)).toBe(copyRuns);
    expect(copyRuns.words.count).toBe(4);
    expect(copyRuns.digits.count).toBe(1);
    textRuns("a third text");
    expect(textRuns(text)).not.toBe(runs); // the oldest went
  });

  it("answers each word set for the text asked about, whichever of the two", () => {
    const set = new AsciiWordSet(["borrower"]);
    const a = "the Borrower and the lender";
    const b = "no such word, but BORROWER here and borrower there";
    expect(set.indexesIn(a)).toEqual([1]);
    expect(set.indexesIn(b)).toEqual([4, 7]);
    expect(set.indexesIn(a)).toEqual([1]);
  });

  it("says whether the text holds a surrogate as hasSurrogates does, and finds a set's words as a search of each run does (fast-check)", () => {
    const words = ["in", "at", "the", "New", "ZIP", "where", "borrower", "Borrowers", "aa", "\u212Aiel", "é", "𝒜", "\ud800", "\udfff", "1", "x"];
    const set = new AsciiWordSet(["in", "new", "borrower", "zip", "the"]);
    const wanted = new Set(["in", "new", "borrower", "zip", "the"]);
    fc.assert(
      fc.property(fc.array(fc.oneof(fc.constantFrom(...words), fc.string({ maxLength: 3 })), { maxLength: 20 }), fc.constantFrom(" ", "", "-", "\n"), (ws, sep) => {
        const t = ws.join(sep);
        forgetTextRuns();
        const runs = textRuns(t);
        expect(runs.surrogates).toBe(hasSurrogates(t));
        const expected: number[] = [];
        for (let k = 0; k < runs.words.count; k++) if (wanted.has(t.slice(runs.words.starts[k], runs.words.ends[k]).toLowerCase())) expected.push(k);
        expect(set.indexesIn(t)).toEqual(expected); // no hash collision among these words: exactly the runs that are one
      }),
      { numRuns: 2000 },
    );
  });

  it("answers the sets read with the runs (hashed in the same pass) as a set made after the reading does (fast-check)", () => {
    const words = ["in", "At", "TO", "by", "name", "s", "p", "po", "Box", "zip", "where", "Kiel", "the", "x", "\u212Aiel", "é1", "9"];
    const list = ["in", "at", "to", "by", "name", "s", "p", "po", "box", "zip", "where", "kiel"];
    const before = new AsciiWordSet(list);
    fc.assert(
      fc.property(fc.array(fc.oneof(fc.constantFrom(...words), fc.string({ maxLength: 4 })), { maxLength: 24 }), fc.constantFrom(" ", "", ".", "\n"), (ws, sep) => {
        const t = ws.join(sep);
        forgetTextRuns();
        const runs = textRuns(t); // `before` is answered in this pass
        const fused = [...before.indexesIn(t)];
        const after = new AsciiWordSet(list); // made after the reading: every set is answered again by a second pass
        expect(textRuns(t)).toBe(runs);
        expect(fused).toEqual([...after.indexesIn(t)]);
        const expected: number[] = [];
        for (let k = 0; k < runs.words.count; k++) if (list.includes(t.slice(runs.words.starts[k], runs.words.ends[k]).toLowerCase())) expected.push(k);
        expect(fused).toEqual(expected);
      }),
      { numRuns: 300 },
    );
  });

  it("lets go of both texts when told", () => {
    const runs = textRuns("x 1");
    textRuns("y 2");
    forgetTextRuns();
    expect(textRuns("x 1")).not.toBe(runs);
  });
});
