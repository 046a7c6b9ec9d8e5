import { describe, expect, it } from "@jest/globals";
import fc from "fast-check";
import { toNumberWords } from "./number-words";
import { addToDate, datesIn, isoDate, parseDate } from "./parse-date";
import { parseDuration } from "./parse-duration";
import { parseMoney } from "./parse-money";
import { extractDates } from "../extraction/extract-dates";
import { ContractDocument } from "../text/contract-document";

const MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"];

describe("parseDate", () => {
  it.each([
    ["November 9, 2005", "2005-11-09"],
    ["Nov. 9th 2005", "2005-11-09"],
    ["26 September 2019", "2019-09-26"],
    ["the 5th day of December, 2007", "2007-12-05"],
    ["this first day of June 2004", "2004-06-01"],
    ["the twenty-first day of March, 2010", "2010-03-21"],
    ["2024-02-29", "2024-02-29"],
    ["11/9/2005", "2005-11-09"],
    ["11/09/05", "2005-11-09"],
    ["December 31st, 2024", "2024-12-31"],
    // EDGAR conversions split the ordinal suffix.
    ["17t h day of February 2016", "2016-02-17"],
    ["1s t day of June, 2004", "2004-06-01"],
    ["22n d day of May 2010", "2010-05-22"],
    ["March 3r d, 2011", "2011-03-03"],
    // A scan's full stop for the comma.
    ["March 18. 2021", "2021-03-18"],
    // Day first where the first number cannot be a month; month first (US) otherwise.
    ["13/03/2021", "2021-03-13"],
    ["31.12.2020", "2020-12-31"],
    ["31-01-2025", "2025-01-31"],
    ["31/01/25", "2025-01-31"],
    ["03/04/2021", "2021-03-04"],
    ["3-14-18", "2018-03-14"],
    // A lone dotted date that could be either is month first (US); one that cannot be is read the only way it can.
    ["1.4.2011", "2011-01-04"],
    ["04.18.2018", "2018-04-18"],
  ])("normalises %j to %s", (written, iso) => {
    expect(parseDate(written)).toBe(iso);
  });

  it.each(["February 30, 2021", "2023-02-29", "13/13/2020", "32.01.2020", "14.2.15", "1.4.10", "4.7.21", "20-1-10", "31/02/2021", "the 32nd day of May, 2020", "sometime in 2020"])("refuses the impossible or vague date %j", (written) => {
    expect(parseDate(written)).toBeUndefined();
  });

  it("reads back every valid date written in the three common layouts", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1900, max: 2099 }), fc.integer({ min: 1, max: 12 }), fc.integer({ min: 1, max: 31 }), (y, m, d) => {
        const iso = isoDate(y, m, d);
        fc.pre(iso !== undefined);
        const month = MONTHS[m - 1]!;
        expect(parseDate(`${month} ${d}, ${y}`)).toBe(iso);
        expect(parseDate(`${d} ${month} ${y}`)).toBe(iso);
        expect(parseDate(`the ${toNumberWords(d).replace(/-/g, " ")} day of ${month}, ${y}`)).toBe(iso);
      }),
      { numRuns: 500 },
    );
  });

  it("reads a lone all-number date month first, the other way only when the first number cannot be a month", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1950, max: 2049 }), fc.integer({ min: 1, max: 12 }), fc.integer({ min: 1, max: 31 }), fc.constantFrom("/", ".", "-"), (y, m, d, sep) => {
        const iso = isoDate(y, m, d);
        fc.pre(iso !== undefined);
        // "5/3/2021" and "5.3.2021" are US month first; "13/3/2021" and "13.3.2021" can only be day first.
        expect(parseDate(`${d}${sep}${m}${sep}${y}`)).toBe(d > 12 ? iso : isoDate(y, d, m));
        expect(parseDate(`${m}${sep}${d}${sep}${y}`)).toBe(iso);
      }),
      { numRuns: 500 },
    );
  });

  it("reads a document's ambiguous all-number dates in the order its unambiguous ones fix (same separator first, else the whole document's)", () => {
    const ambiguous = fc.record({ y: fc.integer({ min: 1950, max: 2049 }), a: fc.integer({ min: 1, max: 12 }), b: fc.integer({ min: 1, max: 12 }) });
    fc.assert(
      fc.property(ambiguous, fc.integer({ min: 13, max: 28 }), fc.integer({ min: 1, max: 12 }), fc.constantFrom("/", ".", "-"), fc.constantFrom("/", ".", "-"), fc.boolean(), ({ y, a, b }, big, small, sep, cueSep, dayFirst) => {
        const cue = dayFirst ? `${big}${cueSep}${small}${cueSep}2020` : `${small}${cueSep}${big}${cueSep}2020`;
        const text = `This Agreement is dated ${a}${sep}${b}${sep}${y} and amends the agreement of ${cue}.`;
        const [first, second] = datesIn(text).map((x) => x.iso);
        // The unambiguous date is read the only way it can be ...
        expect(second).toBe(isoDate(2020, small, big));
        // ... and fixes the ambiguous one's order: a separator with no unambiguous date of its own follows the document's.
        expect(first).toBe(dayFirst ? isoDate(y, b, a) : isoDate(y, a, b));
      }),
      { numRuns: 500 },
    );
    // US drafting: "Dated: 04.01.2018" stays 1 April unless the document writes its dots day first.
    expect(datesIn("Dated: 04.01.2018").map((x) => x.iso)).toEqual(["2018-04-01"]);
    expect(datesIn("Dated: 04.01.2018. Commencing on 31.12.2018.").map((x) => x.iso)).toEqual(["2018-01-04", "2018-12-31"]);
    // As many each way is no evidence: month first.
    expect(datesIn("Dated 04.01.2018, amended 31.12.2018 and 12.31.2019.").map((x) => x.iso)).toEqual(["2018-04-01", "2018-12-31", "2019-12-31"]);
  });

  it("counts each distinct valid date once when it fixes a document's order: repeated stamps and impossible dates do not decide", () => {
    const day = fc.integer({ min: 13, max: 28 });
    const month = fc.integer({ min: 1, max: 12 });
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.tuple(day, month), { minLength: 2, maxLength: 4, selector: ([d, m]) => `${d}-${m}` }),
        fc.tuple(month, day),
        fc.integer({ min: 1, max: 6 }),
        fc.constantFrom("/", "."),
        fc.record({ a: month, b: month, y: fc.integer({ min: 1990, max: 2040 }) }),
        (dayFirst, [stampMonth, stampDay], extra, sep, { a, b, y }) => {
          // One month-first date repeated (an EDGAR stamp on every page) against two or more distinct day-first dates.
          const repeats = dayFirst.length + extra;
          const stamp = `Filed ${stampMonth}${sep}${stampDay}${sep}2019.\n`;
          const text = `Dated ${a}${sep}${b}${sep}${y}.\n${stamp.repeat(repeats)}${dayFirst.map(([d, m]) => `Paid on ${d}${sep}${m}${sep}2020.`).join("\n")}`;
          expect(datesIn(text)[0]?.iso).toBe(isoDate(y, b, a));
        },
      ),
      { numRuns: 300 },
    );
    // Impossible dates ("45.01.2020", "02.30.2020") do not vote: the document has no valid unambiguous date, so month first.
    expect(datesIn("Dated 02.01.2020. Ref. 45.01.2020 and 32.11.2019.").map((x) => x.iso)).toEqual(["2020-02-01"]);
    expect(datesIn("Dated 02/01/2020. Ref. 02/30/2020, 04/31/2020 and 13/01/2020.").map((x) => x.iso)).toEqual(["2020-01-02", "2020-01-13"]);
  });

  it("chooses a document's date orders whatever the order of its sentences: '13/03/2021' and '03/13/2021' are two dates, not one", () => {
    const signed = "Signed 13/03/2021.";
    const filed = "Filed 03/13/2021.";
    const effective = (text: string): string | undefined => datesIn(text).at(-1)?.iso;
    // One day-first and one month-first written date: a tie, so month first, in either order.
    expect(effective(`${signed} ${filed} Effective 04/05/2021.`)).toBe("2021-04-05");
    expect(effective(`${filed} ${signed} Effective 04/05/2021.`)).toBe("2021-04-05");
    const number = fc.integer({ min: 1, max: 31 });
    const sentence = fc.record({ a: number, b: number, y: fc.integer({ min: 2020, max: 2021 }), sep: fc.constantFrom("/", ".", "-") });
    // Some dates also written the other way round ("13/03/2021" and "03/13/2021"), the case that collided.
    const sentences = fc
      .array(fc.tuple(sentence, fc.boolean()), { minLength: 1, maxLength: 6 })
      .map((pairs) => pairs.flatMap(([d, mirrored]) => (mirrored ? [d, { ...d, a: d.b, b: d.a }] : [d])));
    fc.assert(
      fc.property(
        sentences.chain((list) => fc.tuple(fc.constant(list), fc.shuffledSubarray(list, { minLength: list.length, maxLength: list.length }))),
        ([list, shuffled]) => {
          // Each sentence's date as read in the document: the same set of readings in any order of the sentences.
          const readings = (sentences: typeof list): string[] => {
            const text = sentences.map(({ a, b, y, sep }, i) => `Item ${"x".repeat(i + 1)} signed on ${a}${sep}${b}${sep}${y}.`).join("\n");
            const lines = text.split("\n");
            const item = (line: string): string => line.replace(/^Item x+ /, "");
            return datesIn(text)
              .map((m) => `${item(lines[text.slice(0, m.start).split("\n").length - 1] ?? "")} => ${m.iso}`)
              .sort();
          };
          expect(readings(shuffled)).toEqual(readings(list));
        },
      ),
      { numRuns: 1000 },
    );
  });

  it("never reads a dotted clause number with a two-digit year as a date, unless a date cue stands before it on its line", () => {
    const before = ["Section ", "", "see ", "pursuant to Section ", "and ", "based on ", "conditional on\n", "as set out on ", "dated\n", "date\n", "as of\n", "entered into on\n"];
    const cues = ["This Agreement is dated ", "Dated: ", "Date:", "DATE: ", "Date:\n\n", "effective as of ", "This Agreement is made on ", "entered into on ", "shall expire on ", "commencing on ", "signed on "];
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 31 }), fc.integer({ min: 1, max: 31 }), fc.integer({ min: 0, max: 99 }), fc.constantFrom(...before), fc.constantFrom(...cues), (a, b, c, clause, cue) => {
        const n = `${a}.${b}.${String(c).padStart(2, "0")}`;
        const y = c < 50 ? 2000 + c : 1900 + c;
        expect(parseDate(n)).toBeUndefined();
        expect(extractDates(new ContractDocument(`${clause}${n} Termination. The parties agree.`)).map((x) => x.iso)).toEqual([]);
        // A lone dated number is month first unless its first number cannot be a month.
        const iso = a > 12 ? isoDate(y, b, a) : isoDate(y, a, b);
        expect(extractDates(new ContractDocument(`${cue}${n} by the parties.`)).map((x) => x.iso)).toEqual([iso].filter((x) => x !== undefined));
      }),
      { numRuns: 500 },
    );
  });

  it("adds calendar periods with month-end clamping", () => {
    expect(addToDate("2024-03-05", 2, "year")).toBe("2026-03-05");
    expect(addToDate("2024-01-31", 1, "month")).toBe("2024-02-29");
    expect(addToDate("2024-12-20", 30, "day")).toBe("2025-01-19");
  });
});

describe("parseDuration", () => {
  it("prefers the figure in brackets and keeps ranges", () => {
    expect(parseDuration("thirty (30) days")).toMatchObject({ value: 30, unit: "day", approxDays: 30 });
    expect(parseDuration("two (2) years")).toMatchObject({ value: 2, unit: "year" });
    expect(parseDuration("ten (10) business days")).toMatchObject({ value: 10, unit: "business_day", approxDays: 14 });
    expect(parseDuration("thirty (30) to sixty (60) days")).toMatchObject({ value: 30, maxValue: 60, unit: "day" });
    expect(parseDuration("between 30 and 90 days")).toMatchObject({ value: 30, maxValue: 90 });
    expect(parseDuration("six-month")).toMatchObject({ value: 6, unit: "month" });
  });

  it("does not read ordinals as lengths", () => {
    expect(parseDuration("first year")).toBeUndefined();
  });

  it("reads any 'N (N) unit' written in words and figures", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 999 }), fc.constantFrom("days", "months", "years", "weeks"), (n, unit) => {
        expect(parseDuration(`${toNumberWords(n)} (${n}) ${unit}`)?.value).toBe(n);
        expect(parseDuration(`${toNumberWords(n)} ${unit}`)?.value).toBe(n);
      }),
    );
  });
});

describe("parseMoney", () => {
  it.each([
    ["$1,250,000.00", 1_250_000, "USD"],
    ["US$ 5 million", 5_000_000, "USD"],
    ["USD 10,000", 10_000, "USD"],
    ["€500", 500, "EUR"],
    ["10,000 euros", 10_000, "EUR"],
    ["£2.5m", 2_500_000, "GBP"],
    ["Ten Thousand Dollars ($10,000)", 10_000, "USD"],
    ["five million U.S. dollars", 5_000_000, "USD"],
    ["CAD 750", 750, "CAD"],
  ])("normalises %j", (written, amount, currency) => {
    expect(parseMoney(written)).toEqual({ amount, currency });
  });

  it("reads every amount written with thousands separators", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 10_000_000_000 }), fc.integer({ min: 0, max: 99 }), (whole, cents) => {
        const written = `$${whole.toLocaleString("en-US")}.${String(cents).padStart(2, "0")}`;
        expect(parseMoney(written)).toEqual({ amount: Math.round((whole + cents / 100) * 100) / 100, currency: "USD" });
      }),
    );
  });
});
