import type { PiiFinding } from "./pii-types";
import { typeShortNames } from "./short-name-types";

/** Findings at the first mention of each value after `from` (enough for these texts). */
function at(text: string, type: PiiFinding["type"], value: string, score: number, from = 0): PiiFinding {
  const start = text.indexOf(value, from);
  return { type, start, end: start + value.length, score, recognizer: "Test" };
}
const typed = (text: string, f: PiiFinding[]): string[] => typeShortNames(text, f).map((x) => `${x.type}:${text.slice(x.start, x.end)}`);

describe("typeShortNames: a guessed word of an organisation named by a cue is that organisation", () => {
  it("retypes a person or place guess made only of the organisation's distinctive words", () => {
    const text = "Kelvane AB and Ivo Strand agree. Kelvane shall pay. CEO of KELVANE. Kelvane's plant.";
    const f = [at(text, "ORGANIZATION", "Kelvane AB", 0.8), at(text, "PERSON", "Ivo Strand", 0.85), at(text, "PERSON", "Kelvane", 0.57, 20), at(text, "LOCATION", "KELVANE", 0.5), at(text, "PERSON", "Kelvane's", 0.42, 60)];
    expect(typed(text, f)).toEqual(["ORGANIZATION:Kelvane AB", "PERSON:Ivo Strand", "ORGANIZATION:Kelvane", "ORGANIZATION:KELVANE", "ORGANIZATION:Kelvane's"]);
  });

  it("leaves a cue's finding, a person's surname, everyday words and legal forms as they were", () => {
    const text = "Quenby Partners LLC, Ivo Quenby, Quenby. Summit Holdings Inc. and Summit. Holdings.";
    const f = [
      at(text, "ORGANIZATION", "Quenby Partners LLC", 0.8),
      at(text, "PERSON", "Ivo Quenby", 0.85),
      at(text, "PERSON", "Quenby", 0.5, 32),
      at(text, "ORGANIZATION", "Summit Holdings Inc.", 0.8),
      at(text, "LOCATION", "Summit", 0.5, 60),
      at(text, "PERSON", "Holdings", 0.4, 70),
    ];
    expect(typed(text, f)).toEqual(["ORGANIZATION:Quenby Partners LLC", "PERSON:Ivo Quenby", "PERSON:Quenby", "ORGANIZATION:Summit Holdings Inc.", "LOCATION:Summit", "PERSON:Holdings"]);
  });

  it("changes nothing without an organisation named by a cue", () => {
    const text = "Kelvane shall pay Dorrit.";
    const f = [at(text, "ORGANIZATION", "Kelvane", 0.57), at(text, "PERSON", "Dorrit", 0.5)];
    expect(typeShortNames(text, f)).toEqual(f);
  });
});
