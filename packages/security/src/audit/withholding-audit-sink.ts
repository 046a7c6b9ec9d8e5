import { createHash } from "node:crypto";
import { BearError, type AuditEvent, type AuditSink } from "@bear/core";

/**
 * The audit log refuses records holding anything that looks like personal data (an IP address, a
 * phone number) or long text. A package that puts such a value in a record would then see the
 * refusal replace its real error. This sink keeps the event and withholds only the value that was
 * refused ("withheld"), so the act stays on record with who did it, on what and in which matter.
 * The actor is never withheld: an actor the log refuses (not a principal id) is recorded as a
 * pseudonym, `actor-<12 hex of its SHA-256>`, which still tells one actor from another.
 */
export function withholdingAuditSink(log: AuditSink): AuditSink {
  return {
    record: async (event: AuditEvent) => {
      let current = event;
      // each refusal names one field; there are at most 3 + the details of them
      for (let left = 4 + Object.keys(event.details ?? {}).length; ; left--) {
        try {
          await log.record(current);
          return;
        } catch (error) {
          const field = refusedField(error);
          if (field === undefined || left <= 0) throw error;
          const next = withhold(current, field);
          if (next === undefined) throw error;
          current = next;
        }
      }
    },
  };
}

/** The field an audit log refused ("actor", "resource", "matter", "details.<key>"): its InvalidArgumentError names it "audit <field>". */
function refusedField(error: unknown): string | undefined {
  if (!BearError.isInstance(error) || error.code !== "INVALID_ARGUMENT") return undefined;
  const argument = error.details?.["argument"];
  return typeof argument === "string" ? /^audit (actor|resource|matter|details\..+)$/.exec(argument)?.[1] : undefined;
}

/** `event` with `field` withheld, or undefined when it is already withheld (nothing left to try). */
function withhold(event: AuditEvent, field: string): AuditEvent | undefined {
  if (field === "actor") {
    if (event.actor === undefined || event.actor.startsWith("actor-")) return undefined;
    return { ...event, actor: `actor-${createHash("sha256").update(event.actor).digest("hex").slice(0, 12)}` };
  }
  if (field === "resource" || field === "matter") return event[field] === "withheld" ? undefined : { ...event, [field]: "withheld" };
  const key = field.startsWith("details.") ? field.slice("details.".length) : undefined;
  if (key === undefined || event.details?.[key] === undefined || event.details[key] === "withheld") return undefined;
  return { ...event, details: { ...event.details, [key]: "withheld" } };
}
