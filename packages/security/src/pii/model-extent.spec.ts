import fc from "fast-check";
import { preferModelExtent } from "./model-extent";
import { PiiScanner, resolveOverlaps } from "./pii-scanner";
import type { PiiFinding } from "./pii-types";

const MODEL = "NameModelRecognizer";
const finding = (type: string, start: number, end: number, score: number, recognizer: string): PiiFinding => ({ type, start, end, score, recognizer }) as PiiFinding;
const TEXT = "x".repeat(100);
const kept = (xs: readonly PiiFinding[], text = TEXT): string[] => resolveOverlaps(preferModelExtent(text, xs)).map((f) => `${f.type} ${f.start}-${f.end} ${f.recognizer}`);

describe("preferModelExtent: the name model's extent of a name", () => {
  it("keeps a confident model span over the shorter cue or lexicon finding inside it", () => {
    // "Lin Wei-Tao Design Studio": the lexicon reads a person in its first words, the model the whole office
    const inner = finding("PERSON", 0, 11, 0.65, "NameLexiconRecognizer");
    const whole = finding("ORGANIZATION", 0, 25, 0.4 + 0.18 * 0.98, MODEL);
    expect(kept([inner, whole])).toEqual([`ORGANIZATION 0-25 ${MODEL}`]);
    // without the rule the overlap goes to the higher score: the part
    expect(resolveOverlaps([inner, whole]).map((f) => f.end)).toEqual([11]);
  });

  it("leaves a model span that is unsure, a place, or crossed by another finding", () => {
    const inner = finding("ORGANIZATION", 4, 10, 0.75, "LegalCueRecognizer");
    expect(kept([inner, finding("ORGANIZATION", 0, 20, 0.4 + 0.18 * 0.6, MODEL)])).toEqual(["ORGANIZATION 4-10 LegalCueRecognizer"]);
    expect(kept([inner, finding("LOCATION", 0, 20, 0.58, MODEL)])).toEqual(["ORGANIZATION 4-10 LegalCueRecognizer"]);
    // an address that starts inside the model span and runs past it: the model's extent is not the name's
    const address = finding("ADDRESS", 15, 40, 0.7, "AddressRecognizer");
    expect(kept([inner, address, finding("ORGANIZATION", 0, 20, 0.58, MODEL)])).toEqual(["ORGANIZATION 4-10 LegalCueRecognizer", "ADDRESS 15-40 AddressRecognizer"]);
    // two names apart inside it are two parties the model ran together ("Avelor Ltd and Brenwick B.V.")
    const two = [finding("ORGANIZATION", 0, 10, 0.8, "LegalCueRecognizer"), finding("ORGANIZATION", 15, 27, 0.8, "LegalCueRecognizer"), finding("ORGANIZATION", 0, 27, 0.58, MODEL)];
    expect(kept(two)).toEqual(["ORGANIZATION 0-10 LegalCueRecognizer", "ORGANIZATION 15-27 LegalCueRecognizer"]);
    // nor one running over a sentence end or a comma into the name
    const sentence = "in Santa Clara County. Acme Widgets Inc. agrees";
    const acme = finding("ORGANIZATION", sentence.indexOf("Acme"), sentence.indexOf(" agrees"), 0.8, "LegalCueRecognizer");
    expect(kept([acme, finding("ORGANIZATION", sentence.indexOf("County"), acme.end, 0.58, MODEL)], sentence)).toEqual([`ORGANIZATION ${acme.start}-${acme.end} LegalCueRecognizer`]);
    // nor one adding a noun the text writes in lower case, or a possessive
    const noun = "Orvane Data is kept with the other data.";
    expect(kept([finding("ORGANIZATION", 0, 6, 0.8, "LegalCueRecognizer"), finding("ORGANIZATION", 0, 11, 0.58, MODEL)], noun)).toEqual(["ORGANIZATION 0-6 LegalCueRecognizer"]);
    const owned = "ORVANE'S duties";
    expect(kept([finding("ORGANIZATION", 0, 6, 0.8, "LegalCueRecognizer"), finding("ORGANIZATION", 0, 8, 0.58, MODEL)], owned)).toEqual(["ORGANIZATION 0-6 LegalCueRecognizer"]);
    // an organisation cue inside a longer model span: kept unless the span ends in a legal form
    const product = "Orvane Widgets are sold by Orvane Systems Inc to you";
    const cue = (at: number): PiiFinding => finding("ORGANIZATION", at, at + 6, 0.8, "LegalCueRecognizer");
    expect(kept([cue(0), finding("ORGANIZATION", 0, 14, 0.58, MODEL)], product)).toEqual(["ORGANIZATION 0-6 LegalCueRecognizer"]);
    const firm = product.indexOf("Orvane Systems");
    expect(kept([cue(firm), finding("ORGANIZATION", firm, firm + 18, 0.58, MODEL)], product)).toEqual([`ORGANIZATION ${firm}-${firm + 18} ${MODEL}`]);
    // a place inside is no part of a name the model read: only people and organisations give way
    expect(kept([finding("LOCATION", 4, 10, 0.7, "AddressRecognizer"), finding("ORGANIZATION", 0, 20, 0.58, MODEL)])).toEqual(["LOCATION 4-10 AddressRecognizer"]);
  });

  it("only raises the scores of model spans, each just above a person or organisation wholly inside it (fast-check)", () => {
    const recognizer = fc.constantFrom(MODEL, "NameLexiconRecognizer", "LegalCueRecognizer", "AddressRecognizer");
    const type = fc.constantFrom("PERSON", "ORGANIZATION", "LOCATION", "ADDRESS");
    const arb = fc.array(
      fc.record({ type, start: fc.integer({ min: 0, max: 60 }), length: fc.integer({ min: 1, max: 30 }), score: fc.double({ min: 0.4, max: 0.95, noNaN: true }), recognizer }),
      { maxLength: 12 },
    );
    fc.assert(
      fc.property(arb, (raw) => {
        const input = raw.map((r) => finding(r.type, r.start, r.start + r.length, r.score, r.recognizer));
        const out = preferModelExtent(TEXT, input);
        expect(out).toHaveLength(input.length);
        out.forEach((f, i) => {
          const before = input[i] as PiiFinding;
          expect({ ...f, score: 0 }).toEqual({ ...before, score: 0 });
          if (f.score === before.score) return;
          expect(f.recognizer).toBe(MODEL);
          expect(f.score).toBeGreaterThan(before.score);
          const inside = input.filter((x) => x.recognizer !== MODEL && (x.type === "PERSON" || x.type === "ORGANIZATION") && x.start >= f.start && x.end <= f.end && x.end - x.start < f.end - f.start);
          expect(Math.max(...inside.map((x) => x.score))).toBeCloseTo(f.score - 0.001, 9);
          // nothing crosses its edges
          expect(input.some((x) => x !== before && x.start < f.end && f.start < x.end && (x.start < f.start || x.end > f.end))).toBe(false);
        });
      }),
      { numRuns: 500 },
    );
  });

  it("reads a party's whole name where a given name and surname open it (invented preamble)", () => {
    const scanner = new PiiScanner();
    const covering = (text: string, part: string): [string, string][] => {
      const at = text.indexOf(part);
      return scanner.scan(text).filter((f) => f.start < at + part.length && at < f.end).map((f) => [f.type, text.slice(f.start, f.end)]);
    };
    const b = 'This Services Agreement is entered into by and between Norvale Systems, Inc. ("Norvale") and Marten Olsby Surveyors Office, acting through its office in Oslo.';
    expect(covering(b, "Marten Olsby")).toEqual([["ORGANIZATION", expect.stringMatching(/^Marten Olsby Surveyors/)]]);
  });
});
