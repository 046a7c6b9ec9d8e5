import type { AuditSink, Logger } from "@bear/core";
import type { LanceIndex } from "../store/lance-index";
import { IngestJournal, type JournaledRun } from "./ingest-journal";

/** Why a run's documents are audited by reconciliation rather than by the run itself. */
export type UnfinishedReason = "interrupted" | "cancelled" | "failed";

/** What reconciliation wrote for one unfinished run. */
export interface ReconciledRun {
  readonly runId: string;
  readonly matter: string;
  /** Documents the run committed (each now has its audit record). */
  readonly committed: number;
}

/**
 * Audits what unfinished ingest runs committed: for every journaled document whose committed
 * version is the one the run wrote, an `ingest` record marked `reconciled`, then one record for
 * the run itself; then the journal goes. Call under the index's writer lock (so no other process's
 * run is in flight) with the view of committed documents up to date.
 *
 * A crash during reconciliation itself (between the records and the journal's removal) may record
 * a document twice on the next open, never zero times.
 */
export async function reconcileIngests(index: LanceIndex, audit: AuditSink, logger: Logger, reason: UnfinishedReason = "interrupted", only?: string): Promise<ReconciledRun[]> {
  const reconciled: ReconciledRun[] = [];
  for (const run of IngestJournal.pending(index.dir)) {
    if (only !== undefined && run.runId !== only) continue;
    reconciled.push(await reconcileRun(index, audit, run, reason));
    IngestJournal.remove(index.dir, run.runId);
  }
  if (reconciled.length > 0) logger.warn({ runs: reconciled.length, documents: reconciled.reduce((s, r) => s + r.committed, 0), reason }, "audited the documents of unfinished ingests");
  return reconciled;
}

async function reconcileRun(index: LanceIndex, audit: AuditSink, run: JournaledRun, reason: UnfinishedReason): Promise<ReconciledRun> {
  // A later version (another run) or a deleted document is not this run's to record.
  const committed = run.documents.filter((d) => index.document(d.id)?.version === d.version);
  for (const d of committed) {
    await audit.record({
      action: "ingest",
      outcome: "success",
      actor: run.actor,
      resource: d.id,
      matter: run.matter,
      details: { reconciled: true, run: run.runId, status: d.replaces ? "updated" : "added" },
    });
  }
  await audit.record({
    action: "ingest",
    outcome: "failure",
    actor: run.actor,
    resource: run.runId,
    matter: run.matter,
    details: { reconciled: true, reason, committed: committed.length, journaled: run.documents.length },
  });
  return { runId: run.runId, matter: run.matter, committed: committed.length };
}
