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

  // invented parties and names throughout
  const typesOf = (text: string, out: readonly PiiFinding[], name: string): string[] =>
    out.filter((f) => text.slice(f.start, f.end) === name).map((f) => String(f.type));
  const at = (text: string, name: string, from = 0): number => text.indexOf(name, from);

  it("keeps a person party's short name a person wherever it is written, after an organisation party in the same sentence", () => {
    const text =
      'This Consulting Agreement is made by and between Quexaline Systems, Inc., a Delaware corporation (the "Company"), and Arvid ' +
      'Tollenmark, an individual ("Tollenmark").\n\n1. Services. Tollenmark shall provide the services. The Company shall pay ' +
      "Tollenmark monthly. Tollenmark may terminate on notice.\n";
    const out = new PiiScanner().scan(text);
    const types = typesOf(text, out, "Tollenmark");
    expect(types).toHaveLength(4);
    expect(new Set(types)).toEqual(new Set(["PERSON"]));
  });

  it("still reads a short name made of part of an organisation's name not read whole as that organisation's, in capitals too", () => {
    const text =
      'This Supply Agreement, dated 3 March 2023, is between Orlanda Systems Inc., a Nevada corporation ("Orlanda"), and ' +
      'Orlanda Tollen GmbH, whose seat is at Kestrelgasse 9, Haus 2, Unterfenwright, Austria ("Tollen"). Tollen shall supply the parts.\n\n' +
      "ORLANDA SYSTEMS INC.      ORLANDA TOLLEN GMBH\n";
    const out = new PiiScanner().scan(text);
    expect(typesOf(text, out, "Tollen")).toEqual(["ORGANIZATION", "ORGANIZATION"]);
    const caps = text.indexOf("ORLANDA TOLLEN GMBH");
    expect(out.some((f) => f.type === "ORGANIZATION" && f.start <= caps && f.end >= caps + "ORLANDA TOLLEN GMBH".length)).toBe(true);
  });

  it("spreads a short name defined for a person, over a later organisation guess of the same word", () => {
    const text = 'Arvid Tollenmark ("Tollenmark") and the Company agree. Tollenmark shall serve. Pay Tollenmark. Tollenmark resigns.';
    const first = at(text, "Tollenmark", 20);
    const guess = at(text, "Tollenmark", first + 12);
    const found: PiiFinding[] = [
      { type: "PERSON", start: 0, end: 16, score: 0.65, recognizer: "t" },
      { type: "PERSON", start: first, end: first + 10, score: 0.7, recognizer: "PartyAliasRecognizer" },
      { type: "ORGANIZATION", start: guess, end: guess + 10, score: 0.58, recognizer: "NameModelRecognizer" },
    ];
    const out = withRepeatedMentions(text, found);
    expect(typesOf(text, out, "Tollenmark")).toEqual(["PERSON", "PERSON", "PERSON", "PERSON"]);
  });

  it("types a name read both ways by its most confident reading, everywhere", () => {
    const text = "Tollenmark called. Tollenmark wrote. Tollenmark left. Tollenmark returned.";
    const starts = [...text.matchAll(/Tollenmark/g)].map((m) => m.index);
    const reading = (k: number, type: string, score: number): PiiFinding => ({ type, start: starts[k] ?? 0, end: (starts[k] ?? 0) + 10, score, recognizer: "t" });
    // a person guess above the organisation guess: the organisation guess would have spread over the others
    const guesses = [reading(0, "PERSON", 0.55), reading(1, "ORGANIZATION", 0.52), reading(2, "PERSON", 0.55)];
    expect(typesOf(text, withRepeatedMentions(text, guesses), "Tollenmark")).toEqual(["PERSON", "PERSON", "PERSON", "PERSON"]);
    // an organisation cue decides over person guesses
    const cue = [reading(0, "PERSON", 0.55), reading(1, "ORGANIZATION", 0.7), reading(2, "PERSON", 0.55)];
    expect(typesOf(text, withRepeatedMentions(text, cue), "Tollenmark")).toEqual(["ORGANIZATION", "ORGANIZATION", "ORGANIZATION", "ORGANIZATION"]);
  });

  it("spreads one word in capitals guessed as an organisation to its every mention (one entity, one placeholder)", () => {
    const text = "ZQXL rose. The board said ZQXL grew; ZQXL again.";
    const guess: PiiFinding = { type: "ORGANIZATION", start: 0, end: 4, score: 0.55, recognizer: "NameModelRecognizer" };
    expect(typesOf(text, withRepeatedMentions(text, [guess]), "ZQXL")).toEqual(["ORGANIZATION", "ORGANIZATION", "ORGANIZATION"]);
  });
});
