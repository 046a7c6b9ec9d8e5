import path from "node:path";
import { BearError, type AuditEvent, type AuditSink } from "@bear/core";
import type { AuditLog, AuditLogOptions } from "@bear/security";
import { acquireLock } from "./file-lock";

type AuditLogClass = new (options: AuditLogOptions) => AuditLog;

const LOCK_FILE = ".append.lock";
const LOCK_WAIT_MS = 15_000;

/**
 * The workspace's audit sink for one `bear` process. Several `bear` commands may run at once on a
 * workspace (a `workflow run` in one terminal, a `search` in another), but AuditLog serialises
 * appends only inside one process and caches the chain's head: two processes would fork the chain
 * and `audit verify` would then report tampering. So each append takes a lock file in the audit
 * folder and uses a fresh AuditLog, which reads the current head from disk.
 */
export function workspaceAuditSink(Log: AuditLogClass, options: AuditLogOptions): AuditSink {
  let queue: Promise<unknown> = Promise.resolve();
  const append = async (event: AuditEvent): Promise<void> => {
    const release = await acquireLock(path.join(options.dir, LOCK_FILE), { waitMs: LOCK_WAIT_MS, what: "the audit log" });
    const log = new Log(options);
    try {
      await log.record(event);
    } finally {
      await log.dispose();
      release();
    }
  };
  return withholding({
    record: (event) => {
      const run = queue.then(() => append(event));
      queue = run.catch(() => undefined);
      return run;
    },
  });
}

/**
 * The audit log refuses records holding anything that looks like personal data (an IP address, a
 * name). Some packages put such values in their records (model-manager's failed `model.pull` names
 * the host, e.g. 127.0.0.1), and the refusal would then replace the real error. This keeps the
 * event and withholds the string values instead.
 */
export function withholding(log: AuditSink): AuditSink {
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
