import { QUEUE_PREFIX } from "./step-job";

/**
 * Which queue an attempt was sent to (`bear:route:<job>`, kept as long as its job): written by the
 * first sender inside the add's script (routed-jobs.ts), followed by every later one; a job is added
 * only on the queue its record names, so the worker runs it without reading the record.
 */
export function routeKey(jobId: string): string {
  return `${QUEUE_PREFIX}:route:${jobId}`;
}
