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

  it("lets go of both texts when told", () => {
    const runs = textRuns("x 1");
    textRuns("y 2");
    forgetTextRuns();
    expect(textRuns("x 1")).not.toBe(runs);
  });
});
