import fc from "fast-check";
import { startsOf, type PatternSpec } from "../pattern-recognizer";
import type { Recognizer } from "../pii-types";
import { forgetTextRuns } from "../text-runs";
import { matchesAt } from "../triggered-matches";
import { digitRunsOf } from "./number-anchors";
import * as structured from "./structured-recognizers";

const key = (ms: Iterable<RegExpExecArray>): string[] => [...ms].map((m) => `${m.index}:${m[0]}:${m.slice(1).join("|")}`);

/** Every pattern of the structured recognizers that is tried only at its anchors (PatternSpec.starts). */
const anchored: [string, RegExp, (text: string) => Iterable<number>][] = Object.entries(structured).flatMap(([name, make]) =>
  ((make as () => Recognizer)() as unknown as { patterns: readonly PatternSpec[] }).patterns.flatMap((p, i) =>
    startsOf(p) ? [[`${name} #${i}`, p.regex, startsOf(p)] as [string, RegExp, (text: string) => Iterable<number>]] : [],
  ),
);

// Numbers of every length with the separators, letters and suffixes the patterns read around them ("-", " ", "/",
// ".", "_", "st", a capital or two before the digits, month names), and digits of other scripts.
const pieces = [
  "123-45-6789", "123 45 6789", "078051120", "4111 1111 1111 1111", "4111-1111-1111-1111", "378282246310005", "3782 822463 10005",
  "GB82 WEST 1234 5698 7654 32", "DE89370400440532013000", "A12345678", "AB1234567", "1234-56-7890", "A123-4567-89", "12/31/1999", "31.12.1999",
  "1999-12-31", "2/3/04", "5th", "21st", "of", "May", "Sept.", "jan", "January", "March", "X", "GB", "x", "_", "-", "/", ".", ",", " ", "\n",
  "٣", "１２", "é",
  // what may follow a day or a month: ordinal suffixes in any case, whitespace of other kinds, "of", short numbers
  "ST", "Nd", "rD", "th", "TH", "may", "MAY", "dec.", "sep", "12th", "3RD", "1st", "  ", "\t", "\u00a0", "\u2028", "of ", "1.2", "7-", "30", "4",
  "5th May 1999", "21st of March, 2001", "3RD\u00a0of dec. 2020", "9 SEPT 2011", "May  4, 1990", "Jan.\t12th 2003",
];
const text = fc
  .array(fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...pieces) }, { weight: 2, arbitrary: fc.stringMatching(/^[A-Z]{0,2}[0-9]{1,20}$/) }), { maxLength: 30 })
  .chain((ps) => fc.constantFrom(" ", "", "\n", "-", "/", ".").map((sep) => ps.join(sep)));

describe("the structured patterns tried at their anchors find what a global search finds", () => {
  afterEach(() => forgetTextRuns());

  it("covers every anchored pattern", () => {
    expect(anchored.length).toBe(18);
  });

  it.each(anchored)("%s", (_name, pattern, positions) => {
    fc.assert(
      fc.property(text, (t) => {
        expect(key(matchesAt(t, pattern, positions(t)))).toEqual(key(t.matchAll(pattern)));
      }),
      { numRuns: 2000 },
    );
  });

  it("digitRunsOf names the runs of the given lengths, followed by one of the given characters", () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[0-9a -]{0,30}$/), (t) => {
        const expected = [...t.matchAll(/(?<![0-9])[0-9]{2,3}(?=[ -])/g)].map((m) => m.index);
        expect(digitRunsOf(2, 3, " -")(t)).toEqual(expected);
        forgetTextRuns();
      }),
    );
  });
});
