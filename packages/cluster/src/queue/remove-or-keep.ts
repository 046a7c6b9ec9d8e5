import type { Queue } from "bullmq";
import type { Logger } from "@bear/core";

/**
 * Takes one attempt's job off `queue`, or keeps it where a worker holds it: BullMQ's remove is one
 * atomic script that refuses a locked job (a worker took it and runs it), answering 0. True only
 * when the job was removed; a refusal, a job already gone and a failed call (Redis away) all keep it
 * there (false) and are logged with `why` (the caller's reason to remove it), never swallowed: the
 * caller must not act as if the job were gone (send the attempt elsewhere).
 */
export async function removeOrKeep(queue: Queue, jobId: string, logger: Logger, why: string): Promise<boolean> {
  let removed: number;
  try {
    removed = await queue.remove(jobId);
  } catch (error) {
    logger.warn({ jobId, queue: queue.name, reason: error instanceof Error ? error.message.slice(0, 200) : String(error).slice(0, 200) }, `could not remove a step job (${why}): it stays where it is`);
    return false;
  }
  if (removed !== 1) logger.info({ jobId, queue: queue.name }, `a step job was not removed (${why}): a worker holds it, or it is gone`);
  return removed === 1;
}
