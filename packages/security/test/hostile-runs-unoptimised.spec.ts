// The scan stays linear on long runs of one hostile unit when V8 compiles regexes without optimisation: once a process
// has generated 1 MB of regex code (V8's TooMuchRegExpCode: a long-lived server, a jest process after a few dozen test
// files) every new regex is compiled so, and a start that the optimiser had made cheap is tried at each position of a
// run. A child process, because flags set here would not reach regexes V8 has already compiled.
import path from "node:path";
import { describe, expect, it } from "@jest/globals";
import { unoptimisedTimes } from "./support/unoptimised-run";

/**
 * Runs that were quadratic, each "run|tail": a word of capitals before a hyphen ("AB-AB-…", AB being a company suffix,
 * read to the run's end from each capital by ORG_CUE: 49 s of CPU for 40,000 characters), a hyphenated word
 * ("Ab-Ab-…", read whole for each of its words by the role-compound check: over 40 s), and their kin. Plus runs that
 * other recognizers read: spaces, digits with separators, capitalised words, dots, "@", "/".
 */
const HOSTILE = ["AB-", "Ab-", "AB.", "A_", "Ab-| Inc", " ", "1 ", "12 ", "(1)", "Ab. ", "Ab\n", "a@"];
const LENGTH = 40_000;

describe("PII scan on long runs, regexes compiled unoptimised", () => {
  it(`reads a ${LENGTH}-character run of each hostile unit in under 3 s of CPU (--no-regexp-optimization)`, () => {
    const script = path.join(import.meta.dirname, "fixtures/hostile-runs-timing.mts");
    const times = unoptimisedTimes(script, HOSTILE, LENGTH, 150_000);
    expect(times.map(([unit]) => unit)).toEqual(HOSTILE);
    expect(times.filter(([, ms]) => ms >= 3_000)).toEqual([]);
  }, 180_000);
  // FIRM read a list of names to its end from each name when no firm's name followed the connector (1.8 s of CPU for
  // 40,000 characters; 120,000: 13.4 s before, 0.9-1.4 s now), INDIVIDUAL a run of "Ab'Ab'…" from each capital
  // (200,000: 95.7 s before, 0.13 s now): longer runs here.
  it("reads 120,000-character name lists and name-word runs before a cue that ends no name in under 3 s of CPU (--no-regexp-optimization)", () => {
    const script = path.join(import.meta.dirname, "fixtures/hostile-runs-timing.mts");
    const units = ["Ab, | x and Cd", "Ab-Cd, | x and Cd", "Ab'|, an individual", "AB-|, an individual"];
    const times = unoptimisedTimes(script, units, 120_000, 150_000);
    expect(times.map(([unit]) => unit)).toEqual(units);
    expect(times.filter(([, ms]) => ms >= 3_000)).toEqual([]);
  }, 180_000);
});
