import { BearError } from "../errors/bear-error";
import { formatValue } from "../errors/core-errors";

/**
 * The one rule for a matter id (a client file): 1-64 ASCII letters, digits, '.', '_' or '-', starting
 * with a letter or digit. Matter ids name folders (`uploads/<matter>/`, a workflow's matter area), sit in
 * audit records, URLs and query strings, YAML and API keys' grants; this alphabet needs no quoting or
 * escaping in any of them, cannot be '.' or '..', and is what principals and uploads always used.
 */
export const MATTER_ID_PATTERN = "^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$";
export const MATTER_ID_MAX_LENGTH = 64;
const MATTER_ID_RE = new RegExp(MATTER_ID_PATTERN);

/** The rule in words, for messages and help texts. */
export const MATTER_ID_RULE = "1-64 ASCII letters, digits, '.', '_' or '-', starting with a letter or digit";

export function isMatterId(value: unknown): boolean {
  return typeof value === "string" && MATTER_ID_RE.test(value);
}

/** A value given as a matter id that does not follow the rule (`MATTER_ID_PATTERN`). */
export class InvalidMatterIdError extends BearError<"MATTER_ID_INVALID"> {
  constructor(
    readonly value: unknown,
    /** Where the value came from, as the user knows it: "--matter", "matter", "the upload's matter". */
    readonly source = "matter",
  ) {
    const suggestion = typeof value === "string" ? suggestMatterId(value) : undefined;
    super("MATTER_ID_INVALID", `${source} ${formatValue(value)} is not a matter id (${MATTER_ID_RULE})`, {
      hint: suggestion === undefined || suggestion === value ? `Use an id such as 'acme-2026'.` : `Use an id such as '${suggestion}'.`,
      details: { source, rule: MATTER_ID_PATTERN },
    });
  }
}

/**
 * A new matter id equal to an existing, different one but for letter case: both would name the same
 * folder (`uploads/<matter>/`, a workflow's matter area) on macOS and Windows, whose file systems
 * ignore case, while everything else (access grants, search filters, audit) keeps them apart.
 */
export class MatterIdCaseConflictError extends BearError<"MATTER_ID_INVALID"> {
  constructor(
    readonly value: string,
    readonly existing: string,
    readonly source = "matter",
  ) {
    super("MATTER_ID_INVALID", `${source} ${formatValue(value)} differs only in letter case from the existing matter ${formatValue(existing)}; their folders would be one on macOS and Windows`, {
      hint: `Use '${existing}' for that matter, or an id that differs from it by more than case.`,
      details: { source, existing, rule: "matter ids must differ by more than letter case" },
    });
  }
}

/**
 * The existing matter a *new* id `value` equals but for letter case, if any. An id that is itself among
 * `existing` is that matter, never a conflict: a workspace made before the rule may hold "acme" and
 * "Acme", and each must stay usable.
 */
export function matterIdCaseConflict(value: string, existing: Iterable<string>): string | undefined {
  const folded = value.toLowerCase(); // ids are ASCII: this is their case folding
  let twin: string | undefined;
  for (const other of existing) {
    if (other === value) return undefined;
    if (twin === undefined && other.toLowerCase() === folded) twin = other;
  }
  return twin;
}

/**
 * Returns `value` when it is a matter id; else throws `InvalidMatterIdError` (with a suggested id in its
 * hint). With `existing` (the matters a workspace already has), a new id that equals one of them but for
 * letter case is refused too (`MatterIdCaseConflictError`, also `MATTER_ID_INVALID`).
 */
export function assertMatterId(value: unknown, source?: string, existing?: Iterable<string>): string {
  if (typeof value !== "string" || !MATTER_ID_RE.test(value)) throw new InvalidMatterIdError(value, source);
  if (existing !== undefined) {
    const other = matterIdCaseConflict(value, existing);
    if (other !== undefined) throw new MatterIdCaseConflictError(value, other, source);
  }
  return value;
}

/**
 * A matter id close to `name` (what `bear doctor` proposes for ids an older release accepted): accents
 * dropped, every run of other characters one '-', cut to 64. A valid id is returned unchanged.
 */
export function suggestMatterId(name: string): string {
  if (MATTER_ID_RE.test(name)) return name;
  const ascii = name.normalize("NFKD").replace(/\p{M}+/gu, "");
  const slug = ascii
    .replace(/[^A-Za-z0-9._-]+/g, "-")
    .replace(/^[^A-Za-z0-9]+/, "")
    .slice(0, MATTER_ID_MAX_LENGTH)
    .replace(/[^A-Za-z0-9]+$/, "");
  return slug.length > 0 ? slug : "matter";
}
