import { IngestJournal } from "./ingest-journal";

/**
 * True when the index in `indexDir` holds the journal of an ingest that has not finished: one a
 * kill -9 interrupted (opening the index audits what it committed) or one in flight in another
 * process. A cheap folder check, for deciding whether to open the index at all.
 */
export function hasUnfinishedIngest(indexDir: string): boolean {
  return IngestJournal.exists(indexDir);
}
