import type { PiiEntityType } from "../pii/pii-types";

export type ScrubOperator = "replace" | "mask" | "hash" | "tokenize" | "redact";
export const SCRUB_OPERATORS: readonly ScrubOperator[] = ["replace", "mask", "hash", "tokenize", "redact"];

/** Which operator for which entity type. */
export interface ScrubPolicy {
  readonly name: string;
  /** For types not listed in `operators`. */
  readonly defaultOperator: ScrubOperator;
  readonly operators?: Readonly<Partial<Record<PiiEntityType, ScrubOperator>>>;
  /** Characters kept visible at the end by `mask` for number-like types (default 4). */
  readonly maskKeep?: number;
}

/** The built-in policies: "default" (placeholders), "mask-numbers", "pseudonymize" (hash), "reversible" (tokenize), "redact". */
export const BUILT_IN_POLICIES: readonly ScrubPolicy[] = [
  { name: "default", defaultOperator: "replace" },
  {
    name: "mask-numbers",
    defaultOperator: "replace",
    operators: { CREDIT_CARD: "mask", US_SSN: "mask", PHONE: "mask", IBAN: "mask", US_PASSPORT: "mask", DRIVER_LICENSE: "mask" },
  },
  { name: "pseudonymize", defaultOperator: "hash" },
  { name: "reversible", defaultOperator: "tokenize" },
  { name: "redact", defaultOperator: "redact" },
];

/**
 * The built-in policies that need no vault: what callers who may not restore are offered (the REST API, the agents'
 * `redact` tool and `pii_scrubbing` capability). `reversible` stays with front doors whose caller holds the vault key
 * (the CLI): its tokens are permanent vault entries that only a restore opens again.
 */
export const POLICIES_WITHOUT_VAULT = ["default", "mask-numbers", "pseudonymize", "redact"] as const;
