import { isIPv6 } from "node:net";
import { cardIssuer, ibanValid, ipv4Valid, luhnValid, ssnValid } from "../checksums";
import { anchored, PatternRecognizer } from "../pattern-recognizer";
import type { Recognizer } from "../pii-types";
import { dayBeforeMonth, digitRunsOf, isDigitAt, lettersBeforeDigitStarts, mergedStarts, MONTH, monthBeforeDayStarts } from "./number-anchors";

// Where each pattern can start, from the text's runs: a pattern opening with n digits after no word character
// starts a run of exactly n digits when a separator follows them, of n to m when the pattern reads `\d{n,m}` up to a
// non-word character. The lists are the pattern's possible starts (a pattern is tried only there).
const twoLetters = (text: string): number[] => lettersBeforeDigitStarts(text, 2);
const oneLetter = (text: string): number[] => lettersBeforeDigitStarts(text, 1);
const eightOrNine = digitRunsOf(8, 9);
const oneLetterOrEightDigits = (text: string): number[] => mergedStarts(lettersBeforeDigitStarts(text, 1), eightOrNine(text));
const threeThenDash = digitRunsOf(3, 3, "-");
const threeThenSpace = digitRunsOf(3, 3, " ");
const nine = digitRunsOf(9, 9);
const twelveToNineteen = digitRunsOf(12, 19);
const fourThenSeparator = digitRunsOf(4, 4, " -");
const fourThenDash = digitRunsOf(4, 4, "-");
/** A day or month of one or two digits, a separator, then the next number's digit (`\d{1,2}[/.-]\d`). */
const oneOrTwoThenSeparator = digitRunsOf(1, 2, "/.-", (text, end) => isDigitAt(text, end + 1));
/** A day of one or two digits before a month's name (`\d{1,2}(?:st|…)?\s+(?:of\s+)?MONTH`). */
const dayBeforeMonthStarts = digitRunsOf(1, 2, undefined, dayBeforeMonth);
const sixToTwelve = digitRunsOf(6, 12);

const digitsOnly = (s: string): string => s.replace(/\D/g, "");

/** "jane . doe @ acme . com": an address with single spaces around its "@" and dots, ending in a top-level domain. */
const SPACED_EMAIL = /(?<![\w.%+-])[A-Za-z0-9][A-Za-z0-9_%+-]*(?: ?\. ?[A-Za-z0-9_%+-]+)* @ [A-Za-z0-9-]*[A-Za-z][A-Za-z0-9-]*(?: ?\. ?[A-Za-z0-9-]+)* ?\. ?(?:com|org|net|edu|gov|info|biz|io|co|law|uk|de|fr|ca|au|ch|nl|be|il|cn|jp|eu|es|se|dk|fi|ie|nz|sg|hk|kr|br|mx|ru|pl)(?![\w-])/g;

export function emailRecognizer(): Recognizer {
  return new PatternRecognizer({
    name: "EmailRecognizer",
    type: "EMAIL",
    patterns: [
      { regex: /(?<![\w.%+-])[A-Za-z0-9](?:[A-Za-z0-9._%+-]{0,62}[A-Za-z0-9_%+-])?@(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,24}(?![\w-])/g, score: 1, trigger: /@/g },
      // written apart, as text extracted from a PDF or a tokenised corpus has it, or to fool harvesters: "jane . doe @ acme . com"
      { regex: SPACED_EMAIL, score: 0.9, guard: " @ " },
    ],
    validate: (v) => !v.replace(/ /g, "").includes(".."),
  });
}

export function urlRecognizer(): Recognizer {
  return new PatternRecognizer({
    name: "UrlRecognizer",
    type: "URL",
    patterns: [
      { regex: /\b(?:https?|ftp):\/\/[^\s<>"'()[\]{}]+[^\s<>"'()[\]{}.,;:!?]/gi, score: 0.9, trigger: /:\/\//g },
      { regex: /(?<![@\w.-])www\.(?:[A-Za-z0-9-]+\.)+[A-Za-z]{2,24}(?:\/[^\s<>"'()]*[^\s<>"'().,;:!?])?/gi, score: 0.85, trigger: /www\./gi },
      {
        regex: /(?<![@\w./-])(?:[A-Za-z0-9-]{2,63}\.)+(?:com|org|net|edu|gov|io|co|uk|de|fr|ca|au|ch|nl|be|br|pt|pl|cz|cy|uy|us|info|biz|law|legal)(?:\.[a-z]{2})?(?:\/[^\s<>"'()]*[^\s<>"'().,;:!?])?(?![\w@-])/gi,
        score: 0.5,
        trigger: /[A-Za-z0-9-]\.[A-Za-z]/g,
      },
    ],
    contextWords: ["url", "website", "web site", "site", "link", "visit", "domain", "http"],
  });
}

export function ipAddressRecognizer(): Recognizer {
  return new PatternRecognizer({
    name: "IpAddressRecognizer",
    type: "IP_ADDRESS",
    patterns: [
      { regex: /(?<![\w.])(?:\d{1,3}\.){3}\d{1,3}(?![\w]|\.\d)/g, score: 0.85, trigger: /\d\.\d/g },
      { regex: /(?<![\w:])(?:[0-9A-Fa-f]{0,4}:){2,7}[0-9A-Fa-f]{0,4}(?![\w:])/g, score: 0.85, trigger: /:[0-9A-Fa-f]{0,4}:/g },
    ],
    validate: (v) => (v.includes(".") ? ipv4Valid(v) : isIPv6(v) && /[0-9a-f]{1,4}:.*[0-9a-f]/i.test(v)),
    contextWords: ["ip", "ip address", "ipv4", "ipv6", "host", "server"],
  });
}

export function ssnRecognizer(): Recognizer {
  return new PatternRecognizer({
    name: "UsSsnRecognizer",
    type: "US_SSN",
    patterns: [
      anchored({ regex: /(?<![\w-])\d{3}-\d{2}-\d{4}(?![\w-])/g, score: 0.6, starts: threeThenDash }),
      anchored({ regex: /(?<![\w-])\d{3} \d{2} \d{4}(?![\w-])/g, score: 0.4, starts: threeThenSpace }),
      anchored({ regex: /(?<![\w-])\d{9}(?![\w-])/g, score: 0.05, starts: nine }),
    ],
    validate: ssnValid,
    contextWords: ["ssn", "ssns", "social security", "social security number", "social sec", "ss#", "ssid", "taxpayer"],
  });
}

export function creditCardRecognizer(): Recognizer {
  return new PatternRecognizer({
    name: "CreditCardRecognizer",
    type: "CREDIT_CARD",
    patterns: [
      anchored({ regex: /(?<![\w-])\d{12,19}(?![\w-])/g, score: 0.9, starts: twelveToNineteen }),
      anchored({ regex: /(?<![\w-])\d{4}([ -])\d{4}\1\d{4}(?:\1\d{1,7})?(?![\w-])/g, score: 0.9, starts: fourThenSeparator }),
      anchored({ regex: /(?<![\w-])\d{4}([ -])\d{6}\1\d{4,5}(?![\w-])/g, score: 0.9, starts: fourThenSeparator }),
    ],
    validate: (v) => {
      const d = digitsOnly(v);
      return luhnValid(d) && cardIssuer(d) !== undefined && !/^(\d)\1+$/.test(d);
    },
    contextWords: ["card", "credit", "debit", "visa", "mastercard", "amex", "cc", "payment", "discover", "jcb", "maestro"],
  });
}

export function ibanRecognizer(): Recognizer {
  return new PatternRecognizer({
    name: "IbanRecognizer",
    type: "IBAN",
    patterns: [
      anchored({ regex: /(?<![\w])[A-Za-z]{2}\d{2}[A-Za-z0-9]{11,30}(?![\w])/g, score: 1, starts: twoLetters }),
      anchored({ regex: /(?<![\w])[A-Z]{2}\d{2}(?: [A-Z0-9]{4}){2,7}(?: [A-Z0-9]{1,4})?(?![\w])/g, score: 1, starts: twoLetters }),
    ],
    validate: ibanValid,
    contextWords: ["iban", "bank", "account", "transfer", "wire"],
  });
}


export function dateOfBirthRecognizer(): Recognizer {
  return new PatternRecognizer({
    name: "DateOfBirthRecognizer",
    type: "DATE_OF_BIRTH",
    patterns: [
      anchored({ regex: /(?<![\w/.-])(?:0?[1-9]|1[0-2])[/.-](?:0?[1-9]|[12]\d|3[01])[/.-](?:19|20)?\d{2}(?![\w/.-])/g, score: 0.3, starts: oneOrTwoThenSeparator }),
      anchored({ regex: /(?<![\w/.-])(?:0?[1-9]|[12]\d|3[01])[/.-](?:0?[1-9]|1[0-2])[/.-](?:19|20)\d{2}(?![\w/.-])/g, score: 0.3, starts: oneOrTwoThenSeparator }),
      anchored({ regex: /(?<![\w/.-])(?:19|20)\d{2}-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12]\d|3[01])(?![\w/.-])/g, score: 0.3, starts: fourThenDash }),
      anchored({ regex: new RegExp(`\\b${MONTH}\\s+(?:0?[1-9]|[12]\\d|3[01])(?:st|nd|rd|th)?,?\\s+(?:19|20)\\d{2}\\b`, "gi"), score: 0.3, starts: monthBeforeDayStarts }),
      anchored({
        regex: new RegExp(`\\b(?:0?[1-9]|[12]\\d|3[01])(?:st|nd|rd|th)?\\s+(?:of\\s+)?${MONTH}\\s*,?\\s+(?:19|20)\\d{2}\\b`, "gi"),
        score: 0.3,
        starts: dayBeforeMonthStarts,
      }),
    ],
    contextWords: ["born", "birth", "birthday", "dob", "d.o.b", "date of birth", "birthdate", "b."],
    requireContext: true,
    context: { before: 40, after: 10, boost: 0.55, minScoreWithContext: 0.6 },
  });
}

export function usPassportRecognizer(): Recognizer {
  return new PatternRecognizer({
    name: "UsPassportRecognizer",
    type: "US_PASSPORT",
    patterns: [anchored({ regex: /(?<![\w-])[A-Z]?\d{8,9}(?![\w-])/g, score: 0.35, starts: oneLetterOrEightDigits })],
    contextWords: ["passport", "passport no", "passport number", "travel document"],
    requireContext: true,
    context: { before: 48, after: 16, boost: 0.55, minScoreWithContext: 0.6 },
  });
}

export function driverLicenseRecognizer(): Recognizer {
  return new PatternRecognizer({
    name: "DriverLicenseRecognizer",
    type: "DRIVER_LICENSE",
    patterns: [
      anchored({ regex: /(?<![\w-])[A-Z]{1,2}\d{4,14}(?![\w-])/g, score: 0.35, starts: twoLetters }),
      anchored({ regex: /(?<![\w-])\d{4}-\d{2}-\d{4}(?![\w-])/g, score: 0.35, starts: fourThenDash }),
      anchored({ regex: /(?<![\w-])[A-Z]\d{3}-\d{3,4}-\d{2,4}(?:-\d{1,3})?(?![\w-])/g, score: 0.35, starts: oneLetter }),
      anchored({ regex: /(?<![\w-])\d{6,12}(?![\w-])/g, score: 0.3, starts: sixToTwelve }),
    ],
    contextWords: ["driver's license", "drivers license", "driver license", "driver's licence", "driving licence", "dl", "dl#", "license number", "licence number", "driver"],
    requireContext: true,
    context: { before: 48, after: 16, boost: 0.55, minScoreWithContext: 0.6 },
  });
}
