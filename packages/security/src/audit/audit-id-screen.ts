import { InvalidArgumentError } from "@bear/core";
import { PiiScanner } from "../pii/pii-scanner";
import type { PiiEntityType } from "../pii/pii-types";

/** The principal/matter id alphabet (core's matter rule, AccessControl's id rule): no spaces, no '@'. */
export const AUDIT_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
/** Ids drawn at random or hashed: a document id (24 hex), a hash (64 hex) or a UUID. They hold no text. */
export const OPAQUE_ID = /^(?:[0-9a-f]{24}|[0-9a-f]{64}|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/;

const WORDS: Readonly<Record<string, string>> = {
  EMAIL: "an e-mail address",
  PHONE: "a phone number",
  US_SSN: "a social security number",
  CREDIT_CARD: "a card number",
  IBAN: "an IBAN",
  IP_ADDRESS: "an IP address",
  URL: "a URL",
  DATE_OF_BIRTH: "a date of birth",
  US_PASSPORT: "a passport number",
  DRIVER_LICENSE: "a driver's licence number",
};
let screen: PiiScanner | undefined;

/**
 * What the audit log's personal-data screen finds in `value` ("an IP address"), or undefined. The
 * log records principal and matter ids as they are (ids by construction), so their creation asks
 * this first and refuses an id the screen would refuse as text.
 */
export function auditScreenFinding(value: string): string | undefined {
  screen ??= new PiiScanner({ names: false });
  const type: PiiEntityType | undefined = screen.scan(value)[0]?.type;
  return type === undefined ? undefined : (WORDS[type] ?? `personal data (${type})`);
}

/** Refuses an id that reads as personal data: "matter id 'lease-192.168.1.20' looks like an IP address". */
export function assertAuditableId(what: string, id: string): void {
  const finding = auditScreenFinding(id);
  if (finding !== undefined) throw new InvalidArgumentError(what, id, `an id that does not look like personal data: '${id}' looks like ${finding}, which the audit log withholds from its records; choose another id (e.g. without the digits and dots)`);
}
