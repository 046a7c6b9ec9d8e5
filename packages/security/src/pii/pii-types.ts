/** The entity types the built-in recognizers report. Custom recognizers may add their own. */
export const BUILT_IN_ENTITY_TYPES = [
  "EMAIL",
  "PHONE",
  "US_SSN",
  "CREDIT_CARD",
  "IBAN",
  "IP_ADDRESS",
  "URL",
  "DATE_OF_BIRTH",
  "US_PASSPORT",
  "DRIVER_LICENSE",
  "PERSON",
  "ORGANIZATION",
  "LOCATION",
  "ADDRESS",
] as const;

export type BuiltInEntityType = (typeof BUILT_IN_ENTITY_TYPES)[number];
/** A built-in type, or the name a custom recognizer reports. */
export type PiiEntityType = BuiltInEntityType | (string & {});

/** One piece of personal data: offsets into the original text (end exclusive). */
export interface PiiFinding {
  readonly type: PiiEntityType;
  readonly start: number;
  readonly end: number;
  /** Confidence in [0, 1], after context enhancement. */
  readonly score: number;
  /** Name of the recognizer that reported it. */
  readonly recognizer: string;
}

/** Finds one or more entity types in a text. Must not keep the text. */
export interface Recognizer {
  readonly name: string;
  readonly types: readonly PiiEntityType[];
  recognize(text: string): PiiFinding[];
}
