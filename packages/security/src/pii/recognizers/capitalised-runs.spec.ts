import fc from "fast-check";
import { forgetRunReadings, readRun } from "./capitalised-runs";
import { NameRecognizer } from "./name-recognizer";

// Capitalised runs in several contexts: after an article, after a place word, before a comma and a state, alone on a
// line, as a possessive. A run's remembered reading must not carry what the text around its first mention said.
const RUNS = ["Carter", "Victoria", "Mark Stevens", "W. Ian Roberts", "New South Wales", "The Borrower", "Effective Date", "Hellowallet", "Riverlea", "Panjiva's Riku Andou", "John Smith", "Santa Clara", "Severability", "Acme"];
const BEFORE = ["the ", "an ", "in ", "at ", "By: ", "\n", "He met ", "", "; "];
const AFTER = [" yesterday.", ", California 95050", " 95050", ".", " signed", "\n", ""];
const piece = fc.tuple(fc.constantFrom(...BEFORE), fc.constantFrom(...RUNS), fc.constantFrom(...AFTER)).map((p) => p.join(""));
const text = fc.array(piece, { minLength: 1, maxLength: 8 }).map((ps) => ps.join(" "));

describe("capitalised runs read once", () => {
  const recognizer = new NameRecognizer();

  it("reads a run's words alone: the article before a lone dictionary word is left to the text", () => {
    expect(readRun("The Borrower")).toEqual({ kind: "none" });
    expect(readRun("Carter")).toMatchObject({ kind: "kept", lone: 0, words: 1 });
    expect(readRun("New South Wales")).toMatchObject({ kind: "place", start: 0, end: 15 });
    expect(readRun("Mark Stevens")).toMatchObject({ kind: "kept", start: 0, end: 12, words: 2, hasName: true });
  });

  it("finds the same names whichever context a run was first met in", () => {
    for (const order of [["He met Carter yesterday.", "He met the Carter yesterday."], ["He met the Carter yesterday.", "He met Carter yesterday."]]) {
      forgetRunReadings();
      const [first, second] = order.map((t) => recognizer.recognize(t));
      expect(order.map((t) => recognizer.recognize(t))).toEqual([first, second]);
    }
    forgetRunReadings();
    expect(recognizer.recognize("He met Carter yesterday.")).toEqual([expect.objectContaining({ type: "PERSON", start: 7, end: 13 })]);
    expect(recognizer.recognize("He met the Carter yesterday.")).toEqual([]);
  });

  it("gives every text the findings of a first reading, after other texts filled the readings (fast-check)", () => {
    fc.assert(
      fc.property(text, text, (a, b) => {
        forgetRunReadings();
        const fresh = recognizer.recognize(a);
        forgetRunReadings();
        recognizer.recognize(b);
        expect(recognizer.recognize(a)).toEqual(fresh);
      }),
      { numRuns: 200 },
    );
  });
});
