import { Metadata } from "libphonenumber-js/max";
import { forgetWhenScanningIdles, type ScanMemo } from "../scan-memory";

// libphonenumber's validity rule for a national number of calling code 1 (the NANP), read from its own metadata and
// compiled once: the phone recognizer asks it for every ten digits of a table of patent or registration numbers,
// where libphonenumber's finder spends most of its time building objects around the same few regular expressions.

/** The part of libphonenumber's `Metadata` its validity check reads (its .d.ts declares only `selectNumberingPlan`). */
interface MetadataReader {
  readonly metadata: { readonly country_calling_codes: Readonly<Record<string, readonly string[]>> };
  selectNumberingPlan(country: string): void;
  leadingDigits(): string | undefined;
  hasTypes(): boolean;
  nationalNumberPattern(): string;
  type(type: string): { pattern(): string; possibleLengths(): readonly number[] | undefined } | undefined;
  readonly numberingPlan: { nationalPrefixForParsing(): string | undefined; nationalPrefixTransformRule(): string | undefined };
}

/** getNumberType's order: fixed line first, then these (libphonenumber-js helpers/getNumberType.js). */
const NUMBER_TYPES = ["FIXED_LINE", "MOBILE", "PREMIUM_RATE", "TOLL_FREE", "SHARED_COST", "VOIP", "PERSONAL_NUMBER", "PAGER", "UAN", "VOICEMAIL"];

/** One NANP country's numbering plan, its patterns compiled as libphonenumber's matchesEntirely compiles them. */
interface NumberingPlan {
  readonly country: string;
  /** Its leading digits, matched at the start of the number (libphonenumber: `number.search(leadingDigits) === 0`). */
  readonly leading: RegExp | undefined;
  readonly national: RegExp;
  readonly hasTypes: boolean;
  readonly types: readonly { readonly pattern: RegExp; readonly lengths: readonly number[] | undefined }[];
}

const entirely = (pattern: string): RegExp => new RegExp(`^(?:${pattern})$`);

function numberingPlans(): NumberingPlan[] {
  const metadata = new Metadata() as unknown as MetadataReader;
  return (metadata.metadata.country_calling_codes["1"] ?? []).map((country) => {
    metadata.selectNumberingPlan(country);
    const leading = metadata.leadingDigits();
    const types = NUMBER_TYPES.flatMap((name) => {
      const type = metadata.type(name);
      const pattern = type?.pattern();
      return type && pattern ? [{ pattern: entirely(pattern), lengths: type.possibleLengths() }] : [];
    });
    return { country, leading: leading ? new RegExp(`^(?:${leading})`) : undefined, national: entirely(metadata.nationalNumberPattern()), hasTypes: metadata.hasTypes(), types };
  });
}

/** libphonenumber's getNumberType(number, plan) !== undefined. */
function hasType(number: string, plan: NumberingPlan): boolean {
  if (!plan.national.test(number)) return false;
  return plan.types.some((t) => (!t.lengths || t.lengths.includes(number.length)) && t.pattern.test(number));
}

/**
 * `isValid()` of a number libphonenumber parsed to calling code 1 and national number `national` (no plus sign, no
 * IDD prefix, default country `defaultCountry` of the NANP), as its parse and isValid decide it:
 * - the country is the first of calling code 1's countries (metadata order, the United States first) whose leading
 *   digits open the number or, for a country without leading digits, whose number types include it
 *   (getCountryByNationalNumber); when none, the default country;
 * - the number is valid when that country's number types include it (isValidNumber → getNumberType).
 * A country chosen by its leading digits decides alone, even when it does not know the number.
 */
export class NanpValidity implements ScanMemo {
  readonly #plans: readonly NumberingPlan[];
  readonly #fallback: NumberingPlan;
  readonly #answers = new Map<string, boolean>();

  private constructor(plans: readonly NumberingPlan[], fallback: NumberingPlan) {
    this.#plans = plans;
    this.#fallback = fallback;
    forgetWhenScanningIdles(this); // the answers are keyed by phone numbers of the texts scanned
  }

  held(): number {
    return this.#answers.size;
  }

  forgetScannedText(): void {
    this.#answers.clear();
  }

  /**
   * The check for numbers written without a plus sign in `defaultCountry`, or undefined when that country is not of
   * calling code 1 or reads a national number otherwise than by dropping a leading "1" (Antigua, like most Caribbean
   * countries, prefixes its area code to a seven-digit local number: the national number is then not ten digits of
   * the text).
   */
  static forCountry(defaultCountry: string): NanpValidity | undefined {
    const metadata = new Metadata() as unknown as MetadataReader;
    if (!(metadata.metadata.country_calling_codes["1"] ?? []).includes(defaultCountry)) return undefined;
    metadata.selectNumberingPlan(defaultCountry);
    if (metadata.numberingPlan.nationalPrefixForParsing() !== "1" || metadata.numberingPlan.nationalPrefixTransformRule()) return undefined;
    const plans = numberingPlans();
    return new NanpValidity(plans, plans.find((p) => p.country === defaultCountry) as NumberingPlan);
  }

  isValid(national: string): boolean {
    let valid = this.#answers.get(national);
    if (valid === undefined) {
      valid = this.#decide(national);
      if (this.#answers.size >= 50_000) this.#answers.clear();
      this.#answers.set(national, valid);
    }
    return valid;
  }

  #decide(national: string): boolean {
    if (!national) return false;
    const plan = this.#plans.find((p) => (p.leading ? p.leading.test(national) : hasType(national, p))) ?? this.#fallback;
    return plan.hasTypes ? hasType(national, plan) : plan.national.test(national);
  }
}
