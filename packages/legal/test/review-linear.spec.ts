// The whole review stays linear on long runs of one hostile unit when V8 compiles regexes without optimisation:
// once a process has generated 1 MB of regex code (V8's TooMuchRegExpCode: a long-lived server, a jest process after a
// few dozen test files) every new regex is compiled so. A child process, because flags set here would not reach
// regexes V8 has already compiled.
import path from "node:path";
import { describe, expect, it } from "@jest/globals";
import { unoptimisedTimes } from "./support/unoptimised-run";

/**
 * Runs inside one sentence (no sentence break). The clause model's title-line check trimmed the sentence's closing
 * white space and punctuation with /[\s.:;"”]+$/, tried from each position of a run of them and read to its end:
 * 40,000 spaces took 4.4 s, 100,000 did not finish in 200 s (load 15). Percentages, amounts, dates and periods read
 * a run of number words to its end from each word, and percentages a run of digits from each digit: 40,000 "1" or
 * "one " took over 40 s.
 */
const HOSTILE = [" ", "\t", "\n", ".", "...", '"', ". ", "\r\n", "1", "one ", "one-", "one and ", "a ", "twenty one ", "first "];
const LENGTH = 100_000;

describe("contract review on long runs, regexes compiled unoptimised", () => {
  it(`reads a ${LENGTH}-character run of each hostile unit in under 3 s of CPU (--no-regexp-optimization)`, () => {
    const script = path.join(import.meta.dirname, "fixtures/review-hostile-timing.mts");
    const times = unoptimisedTimes(script, HOSTILE, LENGTH, 150_000);
    expect(times.map(([unit]) => unit)).toEqual(HOSTILE);
    expect(times.filter(([, ms]) => ms >= 3_000)).toEqual([]);
  }, 180_000);
});
