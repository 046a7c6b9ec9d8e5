// rev10 #17: the typed cues cost time linear in the text on long runs of digits, separators or number words
// (a 500,000-character text, the API's limit, with no sentence break, is read three times: as a sentence and
// as each neighbour), and they give exactly the features the quadratic regexes of 6ef646f gave.
import path from "node:path";
import { describe, expect, it } from "@jest/globals";
import fc from "fast-check";
import { sentenceTypedFeatures, typedCues } from "../src/classification/clause-model/typed-cues";
import * as quadratic from "./fixtures/typed-cues-quadratic";
import { threadCpuMs } from "./support/thread-cpu";
import { unoptimisedTimes } from "./support/unoptimised-run";

/** Pieces of drafting and of hostile runs: numbers in every separator form, number words, units, currencies, references, quotes. */
const PIECES = [
  "1", "12", "0", "7", ",", ".", ",000", ".5", " ", "  ", "-", "\n", "one", "twenty", "seven", "hundred", "thousand", "ten", "often", "tenant", "seventy",
  "percent", "per cent", "%", "(", ")", "$", "US$", "USD ", "€", "£", "million", "m", "k", "dollars", "euros", "day", "days", "week", "months", "quarter", "years",
  "calendar ", "business ", "consecutive ", "per ", "each ", "annum", "annually", "monthly", "Section ", "Exhibit ", "A", "a", "v", "the ", "of ", "Net Sales",
  '"', "“", "”", " means", "Territory", "March ", "4", "2011", "/", ":", ";", "(b) ", "x",
];
const drafting = fc.array(fc.constantFrom(...PIECES), { maxLength: 60 }).map((pieces) => pieces.join(""));

/** Runs that made the old regexes quadratic: each start inside the run read on to its end. */
const HOSTILE = ["1", "1,", "1.", "1.1,", "one ", "one-", "twenty one ", "1,000 ", "$1", "a1.", "ten (", "one one percent ", " ", "Ab ", "-", "\n", "\t", " -"];

/**
 * CPU time of this thread in ms: /proc/self/task/<pid>/schedstat (the main thread, where jest runs the test), else the
 * process's. Not process.cpuUsage alone: it also counts the process's other threads (GC helpers, native addons' pools).
 */

const cpuMs = (fn: () => void): number => {
  const start = threadCpuMs();
  fn();
  return threadCpuMs() - start;
};

describe("typed cues on long runs", () => {
  it("give the quadratic regexes' features on drafting-like text and on any string", () => {
    fc.assert(
      fc.property(fc.oneof(drafting, fc.string({ maxLength: 300 })), (text) => {
        expect(sentenceTypedFeatures(text)).toEqual(quadratic.sentenceTypedFeatures(text));
        expect(typedCues(text, "tn:")).toEqual(quadratic.typedCues(text, "tn:"));
      }),
      { numRuns: 3_000 },
    );
  });

  it("give the same features on ordinary sentences, every kind of cue among them", () => {
    const sentences = [
      "The Licensee shall pay a royalty of seven percent (7%) of Net Sales within thirty (30) days after the end of each calendar quarter.",
      "Buyer shall purchase no less than US$ 1,250,000 of Product per Contract Year, and 2.5 percent more in each renewal year.",
      "This Agreement begins on March 4, 2011 and continues for five (5) years unless terminated under Section 14.2 or Exhibit B.",
      'In this Agreement, "Territory" means the United States, and the "Minimum Purchase" (the "Floor") is EUR 75,000 annually.',
      "(c) either party may terminate on ninety days' notice, or on 10 business days' notice after a breach of Article 3:",
      "NEITHER PARTY SHALL BE LIABLE FOR INDIRECT DAMAGES EXCEEDING FIFTY THOUSAND DOLLARS ($50,000).",
      "The fee is 1,000 dollars per unit, payable monthly, with twenty-one days' grace and a 1.5% late charge per month.",
    ];
    for (const s of sentences) {
      expect(sentenceTypedFeatures(s)).toEqual(quadratic.sentenceTypedFeatures(s));
      expect(typedCues(s, "tp:")).toEqual(quadratic.typedCues(s, "tp:"));
    }
    expect(new Set(sentences.flatMap((s) => sentenceTypedFeatures(s).filter((f) => f.startsWith("t:")).map((f) => f.split(":")[1])))).toEqual(
      new Set(["money", "pct", "dur", "rate", "date", "spelled", "ref", "caps", "defines", "terms", "item", "leadin"]),
    );
  });

  it("read a 500,000-character run of each hostile kind in well under a second of CPU (the quadratic ones: minutes)", () => {
    for (const unit of HOSTILE) {
      const text = `The fee is ${unit.repeat(Math.ceil(500_000 / unit.length)).slice(0, 500_000)} payable.`;
      const ms = cpuMs(() => {
        sentenceTypedFeatures(text);
        typedCues(text, "tp:");
        typedCues(text, "tn:");
      });
      expect({ unit, ms: Math.min(ms, 1_500) }).toEqual({ unit, ms: expect.any(Number) }); // names the run if the bound below fails
      expect(ms).toBeLessThan(1_500);
    }
  });

  // V8 compiles a process's new regexes without optimisation once it has generated 1 MB of regex code
  // (a long-lived server; a jest process after a few dozen test files): the bound must hold there too.
  // A child process, because flags set here would not reach regexes V8 has already compiled or cached.
  it("read the same runs in a few seconds of CPU each when V8 compiles regexes unoptimised (--no-regexp-optimization; quadratic: hours)", () => {
    const script = path.join(import.meta.dirname, "fixtures/typed-cues-hostile-timing.mts");
    const times = unoptimisedTimes(script, HOSTILE, 200_000, 240_000);
    expect(times.map(([unit]) => unit)).toEqual(HOSTILE);
    expect(times.filter(([, ms]) => ms >= 2_000)).toEqual([]); // ~0.2 s each here; the old DURATION: ~30 min on 200,000 spaces
  }, 270_000);

  it("stay linear on any mix of hostile runs (fast-check): 20,000 characters in under 100 ms of CPU", () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...HOSTILE), { minLength: 1, maxLength: 4 }), fc.constantFrom("", " ", "x"), (units, gap) => {
        const block = units.join(gap);
        const text = block.repeat(Math.ceil(20_000 / block.length)).slice(0, 20_000);
        expect(cpuMs(() => sentenceTypedFeatures(text))).toBeLessThan(100);
      }),
      { numRuns: 40 },
    );
  });
});
