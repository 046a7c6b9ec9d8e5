import { Metadata } from "libphonenumber-js/max";

// A cheap test that a run of digits written without a plus cannot be a valid number of a country, from the lengths its
// numbering plan allows, read from libphonenumber's own metadata: the phone recognizer asks libphonenumber about each
// candidate in twenty countries (about 10-45 µs each), and most candidates (account numbers, IBAN groups, references)
// are valid in none.

/** The part of libphonenumber's `Metadata` read here (its .d.ts declares only `selectNumberingPlan`). */
interface MetadataReader {
  countryCallingCodes(): Readonly<Record<string, readonly string[]>>;
  selectNumberingPlan(country: string): void;
  IDDPrefix(): string;
  nationalPrefixForParsing(): string | undefined;
  nationalPrefixTransformRule(): string | undefined;
  hasTypes(): boolean;
  type(type: string): { pattern(): string; possibleLengths(): readonly number[] | undefined } | undefined;
  readonly numberingPlan: { callingCode(): string };
}

/** The types getNumberType tries (libphonenumber-js helpers/getNumberType.js): a valid number is of one of them. */
const NUMBER_TYPES = ["FIXED_LINE", "MOBILE", "PREMIUM_RATE", "TOLL_FREE", "SHARED_COST", "VOIP", "PERSONAL_NUMBER", "PAGER", "UAN", "VOICEMAIL"];

/** How a numbering plan cuts its national prefix (extractNationalNumberFromPossiblyIncompleteNumber). */
interface NationalPrefix {
  /** Its national prefix for parsing, anchored as libphonenumber anchors it. */
  readonly prefix: RegExp | undefined;
  readonly transforms: boolean;
}

/** What parse(digits, country) reads of a country before it looks at the number's patterns. */
interface Plan extends NationalPrefix {
  /** Its IDD prefix, as stripIddPrefix builds it (a number it opens is read as international: left to libphonenumber). */
  readonly idd: RegExp;
  readonly callingCode: string;
  /** The national prefix of the calling code's main country, whose plan reads a number that opens with the calling code. */
  readonly main: NationalPrefix;
  /**
   * Every length a valid national number of its calling code has (the union over the code's countries of their
   * number types' lengths), or undefined when some country has no types or a type without lengths.
   */
  readonly lengths: ReadonlySet<number> | undefined;
}

/** The lengths a valid national number of `country` has, or undefined when any length may be (see Plan.lengths). */
function typeLengths(metadata: MetadataReader, country: string): number[] | undefined {
  metadata.selectNumberingPlan(country);
  if (!metadata.hasTypes()) return undefined;
  const out: number[] = [];
  for (const name of NUMBER_TYPES) {
    const type = metadata.type(name);
    if (!type?.pattern()) continue; // isNumberTypeEqualTo: no pattern, never this type
    const lengths = type.possibleLengths();
    if (!lengths) return undefined; // no length check: the pattern alone decides
    out.push(...lengths);
  }
  return out;
}

/** The national prefix of the plan `metadata` has selected. */
function nationalPrefix(metadata: MetadataReader): NationalPrefix {
  const prefix = metadata.nationalPrefixForParsing();
  return { prefix: prefix ? new RegExp(`^(?:${prefix})`) : undefined, transforms: Boolean(metadata.nationalPrefixTransformRule()) };
}

function planOf(metadata: MetadataReader, country: string): Plan {
  metadata.selectNumberingPlan(country);
  const callingCode = metadata.numberingPlan.callingCode();
  const idd = new RegExp(metadata.IDDPrefix());
  const own = nationalPrefix(metadata);
  metadata.selectNumberingPlan(callingCode); // the calling code's main country, as parse selects it
  const plan = { ...own, idd, callingCode, main: nationalPrefix(metadata) };
  const lengths = new Set<number>();
  for (const member of metadata.countryCallingCodes()[callingCode] ?? [country]) {
    const own = typeLengths(metadata, member);
    if (!own) return { ...plan, lengths: undefined };
    for (const n of own) lengths.add(n);
  }
  return { ...plan, lengths };
}

/**
 * For a run of ASCII digits written without a plus (a candidate's digits: libphonenumber reads nothing else of it),
 * false when `parsePhoneNumberFromString(candidate, country)?.isValid()` cannot be true:
 * - digits that open with the country's IDD prefix are read as another country's number: left to libphonenumber;
 * - otherwise the national number is the digits, or the digits after the country's national prefix for parsing
 *   (extractNationalNumber keeps one of the two), or, when the digits open with the calling code (read as an
 *   international number without its plus), the rest, or the rest after the national prefix of the calling code's
 *   main country (whose plan parse then selects); a prefix rule that transforms the number is left to libphonenumber;
 * - the country is one of its calling code's countries (getCountryByCallingCode, else the default or the main one),
 *   and a valid number is of a number type of that country whose lengths hold the national number's length
 *   (getNumberType).
 * When none of those lengths is one any of those countries allows, the number is valid in none.
 */
export class NationalLengths {
  readonly #plans = new Map<string, Plan>();

  constructor(countries: readonly string[]) {
    const metadata = new Metadata() as unknown as MetadataReader;
    for (const country of countries) this.#plans.set(country, planOf(metadata, country));
  }

  /** True unless the digits surely make no valid number of `country` (see the class). */
  mayBeValid(country: string, digits: string): boolean {
    const plan = this.#plans.get(country);
    const lengths = plan?.lengths;
    if (!plan || !lengths) return true;
    if (digits.search(plan.idd) === 0) return true;
    if (digits.startsWith(plan.callingCode) && mayFit(plan.main, lengths, digits.slice(plan.callingCode.length))) return true;
    return mayFit(plan, lengths, digits);
  }
}

/** True when `digits`, or `digits` after the national prefix, has one of `lengths` (or the prefix rule rewrites them). */
function mayFit(national: NationalPrefix, lengths: ReadonlySet<number>, digits: string): boolean {
  if (lengths.has(digits.length)) return true;
  const m = national.prefix?.exec(digits);
  if (!m) return false;
  // a captured group with a transform rule rewrites the number (extractNationalNumberFromPossiblyIncompleteNumber)
  if (national.transforms && m.length > 1 && m[m.length - 1]) return true;
  return lengths.has(digits.length - m[0].length);
}
