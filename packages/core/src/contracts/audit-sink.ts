export type AuditOutcome = "success" | "denied" | "failure";

/**
 * One sensitive operation. Holds ids, counts, types and the actor; never document text, PII
 * or secrets (the audit log must be safe to hand to a regulator).
 */
export interface AuditEvent {
  /** e.g. "ingest", "scrub", "restore", "search", "export", "key.use", "login", "permission.denied". */
  readonly action: string;
  readonly outcome: AuditOutcome;
  /** Principal id, or "system". */
  readonly actor?: string;
  /** The object acted on, by id (document id, run id, model id…). */
  readonly resource?: string;
  readonly matter?: string;
  readonly details?: Readonly<Record<string, string | number | boolean | null>>;
}

/** Where packages report sensitive operations. Implemented by @bear/security's audit log. */
export const AuditSink = Symbol.for("@bear/core:AuditSink");
export interface AuditSink {
  record(event: AuditEvent): Promise<void>;
}

/** For embedders who do not keep an audit trail. */
export const nullAuditSink: AuditSink = { record: async () => undefined };
