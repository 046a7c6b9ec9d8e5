import { partyAliases } from "./party-aliases";
import type { PiiFinding } from "./pii-types";

// invented parties, streets and towns
const at = (text: string, part: string): [number, number] => {
  const start = text.indexOf(part);
  return [start, start + part.length];
};
const finding = (text: string, part: string, type: string, score: number): PiiFinding => {
  const [start, end] = at(text, part);
  return { type, start, end, score, recognizer: "t" };
};
const aliasTypes = (text: string, findings: readonly PiiFinding[]): [string, string][] =>
  partyAliases(text, findings).map((f) => [text.slice(f.start, f.end), String(f.type)]);

describe("partyAliases: the type of a party's short name", () => {
  it("is a person's when the short name is made of the person's name or initials", () => {
    const text = 'Made by Quexaline Systems, Inc. and Arvid Tollenmark, an individual ("Tollenmark"), and Ilse Varga ("IV").';
    const found = [
      finding(text, "Quexaline Systems, Inc.", "ORGANIZATION", 0.8),
      finding(text, "Arvid Tollenmark", "PERSON", 0.8),
      finding(text, "Ilse Varga", "PERSON", 0.65),
    ];
    expect(aliasTypes(text, found)).toEqual([
      ["Tollenmark", "PERSON"],
      ["IV", "PERSON"],
    ]);
  });

  it("is an organisation's when the last person read before it is no source of it (a word of an address guessed as a name)", () => {
    const text = 'and Vantor Tollen SRL, having its office at Strada Marisol 14, Scara C, Judetul Fenwright, Romania ("Tollen"), as of June 1.';
    const found = [
      finding(text, "Strada Marisol 14", "ADDRESS", 0.6),
      finding(text, "Scara C", "PERSON", 0.65),
      finding(text, "Romania", "LOCATION", 0.6),
    ];
    expect(aliasTypes(text, found)).toEqual([["Tollen", "ORGANIZATION"]]);
  });
});
