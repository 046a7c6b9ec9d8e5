import { findPhoneNumbersInText, parsePhoneNumberFromString, type CountryCode } from "libphonenumber-js/max";
import { contextMatcher, enhance, hasContext } from "../context";
import type { PiiFinding, Recognizer } from "../pii-types";

const PHONE_CONTEXT = contextMatcher([
  "phone", "telephone", "tel", "cell", "mobile", "fax", "call", "contact", "number", "reach", "dial", "whatsapp", "text me",
]);

/** Phone-like runs that libphonenumber's in-text finder (one default country) may miss. */
const CANDIDATE =
  /(?<![\w.+/-])(?:\+\d{1,3}[\s.-]?)?(?:\(0?\d{1,4}\)[\s.-]?)?\d{1,5}(?:[\s.-]\d{1,5}){0,5}(?:\s?(?:x|ext\.?)\s?\d{1,5})?(?![\w/-]|\.\d)/g;

/** 123-45-6789 is written like an SSN, never like a phone number. */
const SSN_SHAPE = /^\d{3}[- ]\d{2}[- ]\d{4}$/;

export interface PhoneRecognizerOptions {
  /** Country assumed for numbers written without +country code. Default "US". */
  readonly defaultCountry?: CountryCode;
  /** Other countries whose national formats are accepted (at a lower score). */
  readonly extraCountries?: readonly CountryCode[];
}

const DEFAULT_EXTRA: readonly CountryCode[] = ["GB", "FR", "DE", "BE", "NL", "AU", "IT", "ES", "CH", "SE", "DK", "NO", "FI", "IE", "CA", "AT", "PT", "BR", "IN"];

/** International phone numbers, validated against libphonenumber's metadata. */
export class PhoneRecognizer implements Recognizer {
  readonly name = "PhoneRecognizer";
  readonly types = ["PHONE"] as const;
  private readonly defaultCountry: CountryCode;
  private readonly extra: readonly CountryCode[];

  constructor(options: PhoneRecognizerOptions = {}) {
    this.defaultCountry = options.defaultCountry ?? "US";
    this.extra = options.extraCountries ?? DEFAULT_EXTRA;
  }

  recognize(text: string): PiiFinding[] {
    const out: PiiFinding[] = [];
    const taken = new Set<string>();
    for (const found of findPhoneNumbersInText(text, { defaultCountry: this.defaultCountry, extended: false } as never)) {
      if (!found.number.isValid() || SSN_SHAPE.test(text.slice(found.startsAt, found.endsAt))) continue;
      const ctx = hasContext(text, found.startsAt, found.endsAt, PHONE_CONTEXT);
      taken.add(`${found.startsAt}`);
      out.push({ type: "PHONE", start: found.startsAt, end: found.endsAt, score: enhance(0.7, ctx), recognizer: this.name });
    }
    for (const m of text.matchAll(CANDIDATE)) {
      const raw = m[0].replace(/\s*(?:x|ext\.?)\s*\d+$/i, "");
      const digits = raw.replace(/\D/g, "");
      if (digits.length < 8 || digits.length > 15 || SSN_SHAPE.test(raw)) continue;
      if (/^\d{4}[-./]\d{1,2}[-./]\d{1,2}(?!\d)|^\d{1,2}[-./]\d{1,2}[-./]\d{2,4}$/.test(raw)) continue;
      if (!/[\s.()+-]/.test(raw) && digits.length !== 10) continue;
      const start = m.index;
      if (taken.has(`${start}`) || out.some((f) => f.start <= start && start < f.end)) continue;
      const end = start + m[0].length;
      const valid = raw.startsWith("+")
        ? parsePhoneNumberFromString(raw.replace("(0)", ""))?.isPossible() === true
        : [this.defaultCountry, ...this.extra].some((c) => parsePhoneNumberFromString(raw, c)?.isValid() === true);
      if (!valid) continue;
      const ctx = hasContext(text, start, end, PHONE_CONTEXT);
      out.push({ type: "PHONE", start, end, score: enhance(0.5, ctx), recognizer: this.name });
    }
    return out;
  }
}
