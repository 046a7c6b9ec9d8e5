// A run inside one line, between words a recognizer reads as a name: the findings' post-filter (keepLegalText) judged
// the line as a heading with `replace(/[\s.:]+$/, "")` and each word with a global `^[^\p{L}\p{N}]+|[^\p{L}\p{N}]+$`,
// each tried at every position of the run and read to its end from there: quadratic optimised or not ("Mr. Jane" +
// 40,000 of " ." + "Okafor signed": 6.4 s of CPU; 80,000 spaces between "Quorvant" and "University": 6.4 s). Read
// unoptimised in a child (what a long-lived process or a jest run gets), the stricter case.
import path from "node:path";
import { describe, expect, it } from "@jest/globals";
import { unoptimisedTimes } from "./support/unoptimised-run";

const HOSTILE = [
  "Mr. Jane| .|Okafor signed",
  "Research at Quorvant| |University is funded.",
  "Research at Quorvant|\t|University is funded.",
  "1. Quorvant|:|Holdings",
  "Paid to Acme|-|x",
  "Paid to Acme|'|x",
];

describe("PII scan on long runs inside a line, regexes compiled unoptimised (rev14 R14-3)", () => {
  it("reads a 100,000-character run between name words in under 3 s of CPU each (--no-regexp-optimization)", () => {
    const times = unoptimisedTimes(path.join(import.meta.dirname, "fixtures/line-runs-timing.mts"), HOSTILE, 100_000, 170_000);
    expect(times.map(([unit]) => unit)).toEqual(HOSTILE);
    expect(times.filter(([, ms]) => ms >= 3_000)).toEqual([]);
  }, 180_000);
});
