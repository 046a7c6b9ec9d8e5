import { Metadata } from "libphonenumber-js/max";

// A cheap test that a run of digits written without a plus cannot be a valid number of a country, from the lengths and
// number-type patterns its numbering plan allows, read from libphonenumber's own metadata and compiled once: the phone
// recognizer asks libphonenumber about each candidate in twenty countries (about 10-120 µs each: it compiles the
// plan's patterns at every test), and most candidates (account numbers, IBAN groups, references) are valid in none.

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
  /**
   * The number types of the calling code's countries by length: a valid national number of that length matches one
   * of their patterns entirely (getNumberType). Compiled on first use, once (libphonenumber compiles a pattern at
   * every test: about 10-120 µs per country asked, most of it for numbers valid nowhere).
   */
  readonly byLength: ReadonlyMap<number, readonly string[]>;
}

/** A number type of a country: its pattern (as libphonenumber's matchesEntirely reads it) and its lengths. */
interface NumberType {
  readonly pattern: string;
  readonly lengths: readonly number[];
}

/** The number types of `country` (each with lengths), or undefined when any length may be (see Plan.lengths). */
function numberTypes(metadata: MetadataReader, country: string): NumberType[] | undefined {
  metadata.selectNumberingPlan(country);
  if (!metadata.hasTypes()) return undefined;
  const out: NumberType[] = [];
  for (const name of NUMBER_TYPES) {
    const type = metadata.type(name);
    const pattern = type?.pattern();
    if (!type || !pattern) continue; // isNumberTypeEqualTo: no pattern, never this type
    const lengths = type.possibleLengths();
    if (!lengths) return undefined; // no length check: the pattern alone decides
    out.push({ pattern, lengths });
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
  const byLength = new Map<number, string[]>();
  for (const member of metadata.countryCallingCodes()[callingCode] ?? [country]) {
    const types = numberTypes(metadata, member);
    if (!types) return { ...plan, lengths: undefined, byLength: new Map() };
    for (const type of types) {
      for (const n of type.lengths) {
        lengths.add(n);
        const list = byLength.get(n) ?? [];
        if (!list.includes(type.pattern)) list.push(type.pattern);
        byLength.set(n, list);
      }
    }
  }
  return { ...plan, lengths, byLength };
}

/** True when a number type of the plan's calling code has `national`'s length and its pattern matches it entirely. */
function ofSomeType(plan: Plan, national: string): boolean {
  const types = plan.byLength.get(national.length);
  if (!types) return false;
  for (const source of types) if (entirely(source).test(national)) return true;
  return false;
}

/** Each pattern compiled once, as libphonenumber's matchesEntirely compiles it (`^(?:pattern)$`, no flags). */
const compiled = new Map<string, RegExp>();
function entirely(source: string): RegExp {
  let re = compiled.get(source);
  if (!re) {
    re = new RegExp(`^(?:${source})$`);
    compiled.set(source, re);
  }
  return re;
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
 *   and a valid number is of a number type of that country whose lengths hold the national number's length and whose
 *   pattern matches it entirely (getNumberType → isNumberTypeEqualTo).
 * When no number type of any of those countries takes the national number, the number is valid in none.
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
    if (digits.startsWith(plan.callingCode) && mayFit(plan.main, plan, digits.slice(plan.callingCode.length))) return true;
    return mayFit(plan, plan, digits);
  }
}

/**
 * True when `digits`, or `digits` after the national prefix, is of a number type of the calling code's countries
 * (or the prefix rule rewrites them).
 */
function mayFit(national: NationalPrefix, plan: Plan, digits: string): boolean {
  if (ofSomeType(plan, digits)) return true;
  const m = national.prefix?.exec(digits);
  if (!m) return false;
  // a captured group with a transform rule rewrites the number (extractNationalNumberFromPossiblyIncompleteNumber)
  if (national.transforms && m.length > 1 && m[m.length - 1]) return true;
  return ofSomeType(plan, digits.slice(m[0].length));
}
