// holdsPersonalData stays linear on long lines when V8 compiles regexes without optimisation: once a process has
// generated 1 MB of regex code (V8's TooMuchRegExpCode: a long-lived server, a jest process after a few dozen test
// files) every new regex is compiled so. It only sees titles of at most 120 characters today, but it is the check a
// longer line would get. A child process, because flags set here would not reach regexes V8 has already compiled.
import { execFileSync } from "node:child_process";
import path from "node:path";
import { describe, expect, it } from "@jest/globals";

/** Runs of name characters ("a": read to the end from each start by the old e-mail regex), dots, "@", digits with separators. */
const HOSTILE = ["a", "a.", "a-", "a@", "@a", "a@a", "a@a-", "1 ", "1.", "(1)", "1-a", "w"];
const LENGTH = 40_000;

describe("holdsPersonalData on long lines, regexes compiled unoptimised", () => {
  it(`reads a ${LENGTH}-character run of each hostile unit in under 250 ms of CPU (--no-regexp-optimization)`, () => {
    const script = path.join(import.meta.dirname, "fixtures/personal-data-timing.mts");
    const out = execFileSync(process.execPath, ["--no-regexp-optimization", "--import", "tsx", script, JSON.stringify(HOSTILE), String(LENGTH)], {
      encoding: "utf8",
      timeout: 120_000,
      env: { ...process.env, NODE_OPTIONS: "" },
    });
    const times = JSON.parse(out) as [string, number][];
    expect(times.map(([unit]) => unit)).toEqual(HOSTILE);
    expect(times.filter(([, ms]) => ms >= 250)).toEqual([]);
  }, 150_000);
});
