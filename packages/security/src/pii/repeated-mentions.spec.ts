import { PiiScanner } from "./pii-scanner";
import type { PiiFinding } from "./pii-types";
import { withRepeatedMentions } from "./repeated-mentions";

const org = (start: number, end: number): PiiFinding => ({ type: "ORGANIZATION", start, end, score: 0.7, recognizer: "t" });

describe("withRepeatedMentions", () => {
  it("finds the later mentions of an organisation named once by a cue", () => {
    const text = "Jens spent a year at Teradata. Teradata's office is in Oslo.";
    const found = new PiiScanner().scan(text).filter((f) => f.type === "ORGANIZATION").map((f) => text.slice(f.start, f.end));
    expect(found).toEqual(["Teradata", "Teradata"]);
  });
  it("does not spread a name made of everyday words, and leaves mentions inside other findings alone", () => {
    const text = "Here we go. Here and Acme Widgets; Acme Widgets again.";
    const out = withRepeatedMentions(text, [org(0, 4), org(21, 33)]);
    expect(out.map((f) => text.slice(f.start, f.end))).toEqual(["Here", "Acme Widgets", "Acme Widgets"]);
    const other: PiiFinding = { type: "PERSON", start: 35, end: 47, score: 0.9, recognizer: "t" };
    expect(withRepeatedMentions(text, [org(21, 33), other])).toHaveLength(2);
  });
});
