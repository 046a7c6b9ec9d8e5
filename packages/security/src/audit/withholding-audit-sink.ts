import { BearError, type AuditEvent, type AuditSink } from "@bear/core";

/**
 * The audit log refuses records holding anything that looks like personal data (an IP address, a
 * name). A package that puts such a value in a record would then see the refusal replace its real
 * error. This sink keeps the event and withholds the string values instead, so the act is still on
 * record.
 */
export function withholdingAuditSink(log: AuditSink): AuditSink {
  return {
    record: async (event: AuditEvent) => {
      try {
        await log.record(event);
      } catch (error) {
        if (!BearError.isInstance(error) || error.code !== "INVALID_ARGUMENT") throw error;
        const withhold = (v: string | undefined): string | undefined => (v === undefined ? undefined : "withheld");
        await log.record({
          action: event.action,
          outcome: event.outcome,
          ...(event.actor === undefined ? {} : { actor: event.actor === "system" || event.actor === "cli" ? event.actor : "withheld" }),
          ...(event.resource === undefined ? {} : { resource: withhold(event.resource) }),
          ...(event.matter === undefined ? {} : { matter: withhold(event.matter) }),
          ...(event.details === undefined ? {} : { details: Object.fromEntries(Object.entries(event.details).map(([k, v]) => [k, typeof v === "string" ? "withheld" : v])) }),
        });
      }
    },
  };
}
