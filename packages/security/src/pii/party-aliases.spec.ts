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
    const text = 'and Vantor Tollen GmbH, whose seat is at Kestrelgasse 9, Haus Quell, Unterfenwright, Austria ("Tollen"), from 3 March.';
    const found = [
      finding(text, "Kestrelgasse 9", "ADDRESS", 0.6),
      finding(text, "Haus Quell", "PERSON", 0.65),
      finding(text, "Austria", "LOCATION", 0.6),
    ];
    expect(aliasTypes(text, found)).toEqual([["Tollen", "ORGANIZATION"]]);
  });
});
