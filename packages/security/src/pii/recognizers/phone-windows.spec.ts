import fc from "fast-check";
import { findPhoneNumbersInText, type CountryCode } from "libphonenumber-js/max";
import { NanpValidity } from "./nanp-validity";
import { ANCHORED_PHONE_PATTERNS, mayHoldNanpNumber } from "./phone-recognizer";
import { forgetTextRuns } from "../text-runs";
import { matchesAt } from "../triggered-matches";

// Digit blocks joined by the finder's punctuation, with plus signs, IDD prefixes written apart ("0 11"), extension
// labels, digits of other scripts, words and amounts: the finder must find no valid number where the test says none.
const piece = fc.oneof(
  { weight: 6, arbitrary: fc.stringMatching(/^[0-9]{1,5}$/) },
  {
    weight: 5,
    arbitrary: fc.constantFrom(" ", "-", ".", "/", "(", ")", " - ", ") ", "  ", "\u2013", "\u00A0", "~", "[", "]", ",", ":", "x", " ext. ", "#"),
  },
  {
    weight: 2,
    arbitrary: fc.constantFrom(
      "+", "＋", "011", "0 11", "310", "3 10", "1 310", "31 0", "01 1", "1", "1-", "+1 ", "+44 ", "+43 1234", "٠١٢٣", "１２３", "Tel", "the", "$", "%", "212", "736", "5000",
      "650", "253", "0000", "555", "020", "7946", "0958",
    ),
  },
  // ten digits written as a phone number or run together, valid or not, and long blocks the finder cuts
  { weight: 2, arbitrary: fc.stringMatching(/^(?:\(?[2-9][0-9]{2}\)?[ .-]?[2-9][0-9]{2}[ .-]?[0-9]{4}|1[ -]?[0-9]{3}[ -][0-9]{3}[ -][0-9]{4}|[0-9]{10,11}|[0-9]{18,24})$/) },
);
const window = fc.array(piece, { maxLength: 16 }).map((ps) => ps.join(""));
const NANP: readonly CountryCode[] = ["US", "CA"];
const validity = Object.fromEntries(NANP.map((c) => [c, NanpValidity.forCountry(c) as NanpValidity]));

describe("mayHoldNanpNumber", () => {
  it("is true wherever the finder, for a NANP country, finds a valid number", () => {
    fc.assert(
      fc.property(window, fc.constantFrom(...NANP), (w, country) => {
        if (mayHoldNanpNumber(w, validity[country] as NanpValidity)) return;
        const found = findPhoneNumbersInText(w, { defaultCountry: country, extended: false } as never).filter((f) => f.number.isValid());
        expect(found.map((f) => w.slice(f.startsAt, f.endsAt))).toEqual([]);
      }),
      { numRuns: 4000 },
    );
  });

  it("passes over amounts, dates and short local numbers", () => {
    for (const w of ["$1,000,000 on 2/15/2008", "call 555-1234", "Section 12.3(a)", "7 Oct 2013, 4654066", "12/10/2007 12/14/2007", "1234567890", "Patent 200480039516"]) expect(mayHoldNanpNumber(w, validity.US as NanpValidity)).toBe(false);
    for (const w of ["(650) 253-0000", "310-0000", "+43 1234", "011 43 1234", "0 11 43 1 2 3 4", "٠١٢٣٤٥٦"]) expect(mayHoldNanpNumber(w, validity.US as NanpValidity)).toBe(true);
  });
});

describe("the phone candidate patterns tried at their anchors find what a global search finds", () => {
  afterEach(() => forgetTextRuns());
  const key = (ms: Iterable<RegExpExecArray>): string[] => [...ms].map((m) => `${m.index}:${m[0]}`);
  const text = fc
    .array(fc.oneof({ weight: 3, arbitrary: piece }, { weight: 1, arbitrary: fc.stringMatching(/^[0-9]{6,12}$/) }, { weight: 1, arbitrary: fc.constantFrom("a", "_", "\n", "+(", "(0", "ext.", "x") }), { maxLength: 24 })
    .map((ps) => ps.join(""));

  it.each(ANCHORED_PHONE_PATTERNS)("%s", (_name, pattern, positions) => {
    fc.assert(
      fc.property(text, (t) => {
        expect(key(matchesAt(t, pattern, positions(t)))).toEqual(key(t.matchAll(pattern)));
      }),
      { numRuns: 3000 },
    );
  });
});
