import type { AuditEvent, AuditSink } from "@bear/core";

/**
 * The audit policy: which acts are recorded and with which fields, the same from every front door.
 * Records hold ids, counts and the caller, never document text or queries (they may hold client words).
 */
export class AuditPolicy {
  constructor(private readonly sink: AuditSink) {}

  record(event: AuditEvent): Promise<void> {
    return this.sink.record(event);
  }

  searched(actor: string, facts: { mode: string; k: number; hits: number; chars: number }): Promise<void> {
    return this.sink.record({ action: "search", outcome: "success", actor, details: { mode: facts.mode, k: facts.k, hits: facts.hits, chars: facts.chars } });
  }

  answered(actor: string, facts: { mode: string; passages: number; answer: string; chars: number }): Promise<void> {
    return this.sink.record({ action: "search", outcome: "success", actor, details: { purpose: "answer", mode: facts.mode, passages: facts.passages, answer: facts.answer, chars: facts.chars } });
  }

  reviewed(actor: string, resource: string, details: Readonly<Record<string, string | number | boolean>>): Promise<void> {
    return this.sink.record({ action: "review", outcome: "success", actor, resource, details: { ...details } });
  }

  exported(actor: string, resource: string, details: Readonly<Record<string, string | number | boolean>>): Promise<void> {
    return this.sink.record({ action: "export", outcome: "success", actor, resource, ...(Object.keys(details).length > 0 ? { details: { ...details } } : {}) });
  }
}
