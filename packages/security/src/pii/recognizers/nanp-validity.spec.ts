import fc from "fast-check";
import { parsePhoneNumberFromString, type CountryCode } from "libphonenumber-js/max";
import { NanpValidity } from "./nanp-validity";

// NanpValidity must say what libphonenumber's parse + isValid() say for every number it reads as calling code 1.
const digits = (min: number, max: number): fc.Arbitrary<string> => fc.stringMatching(new RegExp(`^[0-9]{${min},${max}}$`));
/** Heads that steer the country choice: leading digits of NANP countries, US and Canadian area codes, toll-free, unassigned. */
const head = fc.constantFrom(
  "268", "264", "684", "246", "441", "242", "767", "8001", "809", "829", "849", "473", "671", "658", "876", "869", "345", "758", "670", "664",
  "787", "939", "721", "649", "868", "784", "284", "340", "212", "415", "650", "310", "416", "604", "800", "888", "900", "500", "533", "311",
  "555", "211", "911", "100", "000", "199", "2", "5", "8", "9",
);
/** Ten digits: uniform, or a head and an exchange of the right shape ([2-9] then two digits) or not. */
const tenDigits = fc.oneof(
  digits(10, 10),
  fc.tuple(head, fc.constantFrom("2", "3", "5", "7", "9", "0", "1"), digits(9, 9)).map(([h, x, rest]) => (h + x + rest).slice(0, 10)),
);
/** What a parse reads: ten digits after any "1", Canada's seven-digit "310" numbers, other lengths. */
const written = fc.oneof(
  { weight: 6, arbitrary: tenDigits },
  { weight: 2, arbitrary: tenDigits.map((d) => `1${d}`) },
  { weight: 1, arbitrary: digits(4, 4).map((d) => `310${d}`) },
  { weight: 1, arbitrary: digits(6, 12) },
  { weight: 1, arbitrary: fc.tuple(tenDigits, fc.constantFrom("(", ") ", "-", ".", " ", "1 ", "1-")).map(([d, p]) => (p.startsWith("1") ? `${p}(${d.slice(0, 3)}) ${d.slice(3, 6)}-${d.slice(6)}` : `${d.slice(0, 3)}${p}${d.slice(3, 6)}-${d.slice(6)}`)) },
);

describe("NanpValidity", () => {
  const us = NanpValidity.forCountry("US") as NanpValidity;

  it.each(["US", "CA", "PR", "JM"] as CountryCode[])("agrees with libphonenumber's isValid() for numbers of %s", (country) => {
    const own = NanpValidity.forCountry(country) as NanpValidity;
    let valid = 0;
    fc.assert(
      fc.property(written, (text) => {
        const parsed = parsePhoneNumberFromString(text, country);
        if (!parsed || parsed.countryCallingCode !== "1") return;
        if (parsed.isValid()) valid++;
        expect([text, own.isValid(parsed.nationalNumber)]).toEqual([text, parsed.isValid()]);
      }),
      { numRuns: 3000 },
    );
    expect(valid).toBeGreaterThan(300); // both answers are exercised
  });

  it("follows libphonenumber's country choice: leading digits decide alone, Canada's seven-digit numbers", () => {
    expect(us.isValid("2125550123")).toBe(parsePhoneNumberFromString("2125550123", "US")?.isValid());
    expect(us.isValid("2682345678")).toBe(parsePhoneNumberFromString("2682345678", "US")?.isValid());
    expect(us.isValid("3101234")).toBe(true);
    expect(us.isValid("1234567890")).toBe(false);
    expect(us.isValid("")).toBe(false);
  });

  it("is offered only for countries that read ten digits after a '1'", () => {
    expect(NanpValidity.forCountry("US")).toBeDefined();
    expect(NanpValidity.forCountry("CA")).toBeDefined();
    expect(NanpValidity.forCountry("AG")).toBeUndefined(); // prefixes 268 to a seven-digit local number
    expect(NanpValidity.forCountry("GB")).toBeUndefined();
  });
});
