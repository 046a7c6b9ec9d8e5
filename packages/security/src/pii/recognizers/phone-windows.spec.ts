import fc from "fast-check";
import { findPhoneNumbersInText, type CountryCode } from "libphonenumber-js/max";
import { NanpValidity } from "./nanp-validity";
import { ANCHORED_PHONE_PATTERNS, digitWindows, finderPieces, finderSpan, finderWindows, holdsFinderTriple, mayHoldNanpNumber, PhoneRecognizer } from "./phone-recognizer";
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
// The finder's extension pattern takes at most 9 digits after "x", "#", "~", "int" or commas, 15 after ";" or ",,", 20
// after a full label ("ext", "extensión", "доб", ";ext="): when more digits follow, its next search starts inside the
// block ("Room 7 x 000000000212 736 5000" holds 212 736 5000). A number, label, separators, a glued run of digits
// around those limits, then a number (after a "1" too); also letters that are no label glued to the digits.
const EXTENSION_LABELS = [
  "x", "X", "ｘ", "#", "＃", "~", "～", "int", "Int", "ｉｎｔ", "ext", "ext.", "Ext.", "EXT", "extn", "xtn", "xt", "extension", "extensión",
  "extensio\u0301n", "ｅｘｔ", "ｅｘｔｎ", "ｘｔ", "доб", "Доб", "anexo", ";", ";ext=", ",", ",,", "-", "a", "Q", "é", "Tax", "",
];
const gluedNumber = fc
  .tuple(
    fc.stringMatching(/^[0-9]{1,3}$/),
    fc.constantFrom("", " ", "  ", "\t", ",", " , ", "\u00A0"),
    fc.constantFrom(...EXTENSION_LABELS),
    fc.constantFrom("", " ", ": ", ". ", "-", " ,", "\t", "．"),
    fc.constantFrom(1, 5, 6, 7, 8, 9, 10, 14, 15, 16, 17, 19, 20, 21).chain((n) => fc.stringMatching(new RegExp(`^[0-9]{${n}}$`))),
    fc.constantFrom("212 736 5000", "2127365000", "12127365000", "1 212 736 5000", "212-736-5000", "650 253 0000", "2514212 212", "736 5000", ""),
    fc.constantFrom("", ".", " ", " x 12", "#"),
  )
  .map((ps) => ps.join(""));
const window = fc.array(fc.oneof({ weight: 12, arbitrary: piece }, { weight: 1, arbitrary: gluedNumber }), { maxLength: 16 }).map((ps) => ps.join(""));
const NANP: readonly CountryCode[] = ["US", "CA"];
const validity = Object.fromEntries(NANP.map((c) => [c, NanpValidity.forCountry(c) as NanpValidity]));

/** Where mayHoldNanpNumber says no, the finder finds no valid number. */
function noValidNumberWhereFalse(w: string, country: CountryCode): void {
  if (mayHoldNanpNumber(w, validity[country] as NanpValidity)) return;
  const found = findPhoneNumbersInText(w, { defaultCountry: country, extended: false } as never).filter((f) => f.number.isValid());
  expect(found.map((f) => w.slice(f.startsAt, f.endsAt))).toEqual([]);
}

describe("mayHoldNanpNumber", () => {
  it("is true wherever the finder, for a NANP country, finds a valid number", () => {
    fc.assert(
      fc.property(window, fc.constantFrom(...NANP), noValidNumberWhereFalse),
      { numRuns: 4000 },
    );
  });

  it("is true where a number starts inside a block of digits after an extension label", () => {
    fc.assert(
      fc.property(gluedNumber, fc.constantFrom(...NANP), noValidNumberWhereFalse),
      { numRuns: 2000 },
    );
    for (const w of ["Room 7 x 000000000212 736 5000.", "0 x 0000000002514212 212", "5 ;000000000000000212 736 5000", "5 ext 00000000000000000000212 736 5000"]) {
      expect(mayHoldNanpNumber(w, validity.US as NanpValidity)).toBe(true);
    }
    const found = new PhoneRecognizer().recognize("Room 7 x 000000000212 736 5000.");
    expect(found.map((f) => [f.start, f.end])).toEqual([[18, 30]]);
  });

  it("passes over amounts, dates and short local numbers", () => {
    for (const w of ["$1,000,000 on 2/15/2008", "call 555-1234", "Section 12.3(a)", "7 Oct 2013, 4654066", "12/10/2007 12/14/2007", "1234567890", "Patent 200480039516"]) expect(mayHoldNanpNumber(w, validity.US as NanpValidity)).toBe(false);
    for (const w of ["(650) 253-0000", "310-0000", "+43 1234", "011 43 1234", "0 11 43 1 2 3 4", "٠١٢٣٤٥٦"]) expect(mayHoldNanpNumber(w, validity.US as NanpValidity)).toBe(true);
  });
});

describe("finderWindows", () => {
  afterEach(() => forgetTextRuns());
  // lines of digit blocks, words (labels or not, one or several between numbers), other scripts' digits and line breaks
  const word = fc.constantFrom("Tel", "EP", "Mar", "x", "ext.", "int", "anexo", "доб", "é", "the Borrower", "or", "and", "Nov", "٠١٢٣٤٥", "１２３", "²");
  const text = fc
    .array(fc.oneof({ weight: 6, arbitrary: piece }, { weight: 1, arbitrary: gluedNumber }, { weight: 3, arbitrary: word }, { weight: 1, arbitrary: fc.constantFrom("\n", "\n\n", " ") }), { maxLength: 30 })
    .chain((ps) => fc.constantFrom("", " ", "  ", " - ").map((sep) => ps.join(sep)));

  it("cuts each line once into the pieces digitWindows' windows are cut into by finderPieces", () => {
    fc.assert(fc.property(text, (t) => expect(finderWindows(t)).toEqual(digitWindows(t).flatMap(finderPieces))), { numRuns: 1000 });
    for (const t of ["2 424 911 23-Mar-16 EP 10770074.2 and 212 736 5000", "call 212 736 5000 or the Borrower at 650 253 0000 x 12", "Tel 212 736 5000\nFax 212 736 5001"]) {
      expect(finderWindows(t)).toEqual(digitWindows(t).flatMap(finderPieces));
    }
  });

  it("reads the same pieces from the digit runs as character by character when every digit is ASCII (long prose between numbers)", () => {
    const prose = fc.constantFrom("the Borrower shall pay", "Tel", "x", "é", "́", "Nov", "and", ", ", "; ", "ext.", "доб", "ſ");
    const ascii = fc
      .array(fc.oneof({ weight: 5, arbitrary: piece }, { weight: 1, arbitrary: gluedNumber }, { weight: 4, arbitrary: prose }, { weight: 1, arbitrary: fc.constantFrom("\n", " ") }), { maxLength: 40 })
      .chain((ps) => fc.constantFrom("", " ", "  ", " - ").map((sep) => ps.join(sep)))
      .filter((t) => !/\p{N}/u.test(t.replace(/[0-9]/g, "")));
    fc.assert(fc.property(ascii, (t) => expect(finderWindows(t)).toEqual(digitWindows(t).flatMap(finderPieces))), { numRuns: 1500 });
  });
});

describe("holdsFinderTriple", () => {
  // the straightforward reading it replaces: the digits joined into one string, searched
  const reference = (w: string): boolean => {
    const digits = w.replace(/[^0-9]/g, "");
    return digits.includes("011") || digits.includes("310");
  };
  it("answers as the joined digits searched for 011 and 310", () => {
    fc.assert(fc.property(window, (w) => expect(holdsFinderTriple(w)).toBe(reference(w))), { numRuns: 1000 });
    const spread = fc.array(fc.constantFrom("0", "1", "3", "10", "01", "31", " ", "-", "a", "٠", "１"), { maxLength: 12 }).map((ps) => ps.join(""));
    fc.assert(fc.property(spread, (w) => expect(holdsFinderTriple(w)).toBe(reference(w))), { numRuns: 4000 });
    for (const w of ["011", "0 1 1", "x0y1z1", "310", "3-1-0", "10 11", "0011"]) expect(holdsFinderTriple(w)).toBe(true);
    for (const w of ["01", "0 1", "301", "1011".slice(1, 3), "٠١١", "３１０", "0101", "130"]) expect(holdsFinderTriple(w)).toBe(false);
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

describe("finderSpan", () => {
  // prose, brackets and plus signs at any distance from the digits, time stamps, "#" after an extension, other scripts' digits
  const around = fc.constantFrom(
    "", "a", "the Borrower at ", "call ", "Tel: ", "(", "((", "+", "+ (", "[+", "++", "( + -", ")", ". ", "$", "%", "x", "#", "＃", ":30", ":3", ":61",
    " 10:45", "\n", "\u00A0", "٠", "１", "²", "é", "or (a) the ", "2008-10-12 09", "1/2/2008", "-", "/x", "  ", "12(3): 211-227 (2003)", "ext",
  );
  const text = fc.array(fc.oneof({ weight: 4, arbitrary: piece }, { weight: 1, arbitrary: gluedNumber }, { weight: 4, arbitrary: around }), { maxLength: 24 }).map((ps) => ps.join(""));
  const answers = (t: string, country: CountryCode): string[] =>
    findPhoneNumbersInText(t, { defaultCountry: country, extended: false } as never).map((f) => `${f.startsAt}:${f.endsAt}:${f.number.number}:${f.number.isValid()}`);

  const sameInSpan = (t: string, country: CountryCode): void => {
    const [from, to] = finderSpan(t);
    const shifted = answers(t.slice(from, to), country).map((a) => a.replace(/^(\d+):(\d+)/, (_, s: string, e: string) => `${Number(s) + from}:${Number(e) + from}`));
    expect(shifted).toEqual(answers(t, country));
  };

  it("holds everything the finder reads: it finds the same numbers in the span as in the whole text", () => {
    fc.assert(fc.property(text, fc.constantFrom<CountryCode>("US", "GB", "DE", "FR", "IN"), sameInSpan), { numRuns: 1500 });
    // a candidate opening 10 characters before its first digit (two leads of a bracket or plus and four punctuation
    // characters), an extension after "#" and a time stamp after the last digit
    for (const t of ["a(- - +- - 1 212 736 5000", "Tel a[    +    44 20 7946 0958 x", "call 2127365000#:30 today", "on 2008-10-12 09:30 at"]) sameInSpan(t, "US");
    expect(answers("a(- - +- - 1 212 736 5000", "US")).toEqual([expect.stringMatching(/^1:25:/)]);
  });

  it("cuts a paragraph to its number and the characters around it", () => {
    const t = "Each party represents that it has full power. The Plaintiff may be reached at +1 415 555 5836. This Agreement shall be governed by the laws of Delaware.";
    const [from, to] = finderSpan(t);
    expect(t.slice(from, to)).toBe("eached at +1 415 555 5836. This A");
    expect(finderSpan("no digits here")).toEqual([0, 14]);
  });
});
