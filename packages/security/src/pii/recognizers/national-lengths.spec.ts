import fc from "fast-check";
import { getCountryCallingCode, getExampleNumber, parsePhoneNumberFromString, type CountryCode } from "libphonenumber-js/max";
import examples from "libphonenumber-js/mobile/examples";
import { NationalLengths } from "./national-lengths";

// The phone recognizer's countries, and others whose plans read numbers otherwise (national prefixes with carrier
// codes and transform rules, shared calling codes, no national prefix).
const RECOGNIZER: readonly CountryCode[] = ["US", "GB", "FR", "DE", "BE", "NL", "AU", "IT", "ES", "CH", "SE", "DK", "NO", "FI", "IE", "CA", "AT", "PT", "BR", "IN"];
const OTHERS: readonly CountryCode[] = ["AR", "MX", "RU", "KZ", "JP", "CN", "GG", "JM", "AG", "HU", "CO", "PL", "SG", "IL", "ZA"];
const COUNTRIES = [...RECOGNIZER, ...OTHERS];
const gate = new NationalLengths(COUNTRIES);

/** libphonenumber's own answer, as the recognizer asks it. */
const valid = (raw: string, country: CountryCode): boolean => parsePhoneNumberFromString(raw, country)?.isValid() === true;
const digitsOf = (raw: string): string => raw.replace(/\D/g, "");

/** The gate may say no only where libphonenumber finds no valid number. */
function sound(raw: string, country: CountryCode): void {
  if (!gate.mayBeValid(country, digitsOf(raw))) expect([raw, country, valid(raw, country)]).toEqual([raw, country, false]);
}

// each country's example numbers written as a user might: national (with its national prefix), bare national
// number, calling code without plus, an IDD prefix and the calling code, grouped or run together
const heads = fc.constantFrom("", "0", "1", "00", "011", "0011", "8", "810", "9", "15", "0 15", "90", "0XX".replace(/X/g, "1"));
const exampleWritten = fc
  .tuple(fc.constantFrom(...COUNTRIES), fc.constantFrom(...COUNTRIES), heads, fc.boolean(), fc.constantFrom("", " ", "-", "."), fc.integer({ min: -2, max: 2 }))
  .map(([of, asked, head, withCode, sep, trim]) => {
    const example = getExampleNumber(of, examples);
    let national = example?.nationalNumber ?? "2125550123";
    if (trim < 0) national = national.slice(0, trim);
    if (trim > 0) national += "7".repeat(trim);
    const code = withCode ? getCountryCallingCode(of) : "";
    const parts = [head, code, national.slice(0, 3), national.slice(3)].filter((p) => p.length > 0);
    return [parts.join(sep), asked] as const;
  });

describe("NationalLengths", () => {
  it("says no only where libphonenumber finds no valid number (random digits in every country)", () => {
    const raw = fc.tuple(fc.stringMatching(/^[0-9]{1,17}$/), fc.constantFrom("", " ", "-", ".", "(", ") ")).map(([d, sep]) => (sep ? d.replace(/(\d{3})(?=\d)/g, `$1${sep}`) : d));
    fc.assert(fc.property(raw, fc.constantFrom(...COUNTRIES), sound), { numRuns: 6000 });
  });

  it("says no only where libphonenumber finds no valid number (example numbers, prefixes, calling codes, lengths off by two)", () => {
    fc.assert(fc.property(exampleWritten, ([raw, country]) => sound(raw, country)), { numRuns: 6000 });
  });

  it("says yes to every country's example number written nationally, and no to an IBAN group in most countries", () => {
    for (const country of COUNTRIES) {
      const example = getExampleNumber(country, examples);
      if (!example) continue;
      expect([country, gate.mayBeValid(country, example.nationalNumber)]).toEqual([country, true]);
      expect([country, gate.mayBeValid(country, digitsOf(example.formatNational()))]).toEqual([country, true]);
    }
    const refused = RECOGNIZER.filter((c) => !gate.mayBeValid(c, "12345698765432"));
    expect(refused.length).toBeGreaterThanOrEqual(18);
    for (const c of refused) expect(valid("1234 5698 7654 32", c)).toBe(false);
  });

  it("says no where the length fits but no number type's pattern takes the number (speed round 17)", () => {
    // fourteen digits are a length of German fixed lines, pagers and UANs, but no German pattern takes this IBAN group;
    // ten digits are the NANP's length, but no NANP pattern takes ten zeros
    expect(RECOGNIZER.filter((c) => gate.mayBeValid(c, "12345698765432"))).toEqual([]);
    expect(valid("1234 5698 7654 32", "DE")).toBe(false);
    expect(gate.mayBeValid("US", "0000000000")).toBe(false);
    expect(valid("000 000 0000", "US")).toBe(false);
  });

  it("says no only where libphonenumber finds no valid number (example numbers with one digit changed, in every country)", () => {
    const changed = fc
      .tuple(fc.constantFrom(...COUNTRIES), fc.constantFrom(...COUNTRIES), fc.nat(), fc.integer({ min: 0, max: 9 }), fc.boolean())
      .map(([of, asked, at, digit, withPrefix]) => {
        const example = getExampleNumber(of, examples);
        const national = example?.nationalNumber ?? "2125550123";
        const i = at % national.length;
        const number = `${national.slice(0, i)}${digit}${national.slice(i + 1)}`;
        return [withPrefix ? `0${number}` : number, asked] as const;
      });
    fc.assert(fc.property(changed, ([raw, country]) => sound(raw, country)), { numRuns: 6000 });
  });
});
